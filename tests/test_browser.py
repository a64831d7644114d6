"""The generated page in a real headless Chromium: hover, keyboard focus and notes behave.

CI installs Debian's ``chromium`` and ``chromium-driver``; without them this test is skipped.
"""
import shutil
from pathlib import Path

import pytest
import tensorflow as tf
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import autoconv
from autoconv.equivalence.report import CallRecord, CaseReport, ConversionStatus, Difference, SampleReport
from autoconv.render.html import HtmlRenderer

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPO_ROOT = Path(__file__).resolve().parent.parent
CHROME_ARGUMENTS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--window-size=1400,1000",
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason=f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages chromium and chromium-driver)",
)


def sum_of_evens(n):
    total = tf.constant(0)
    for i in tf.range(n):
        if i % 2 == 0:
            total += i
    return total


def _report():
    value = CallRecord("<tf.Tensor: shape=(), dtype=int32, numpy=6>", "")
    return SampleReport("sum_of_evens", "test_browser.py:35", ConversionStatus(True), [
        CaseReport("tf.constant(5)", "match", "match", None, 0.31, [value, value], [value, value], traces=1),
        CaseReport("5", "mismatch", "match", Difference(1, "stdout"), 0.12,
                   [CallRecord("6", "tracing\n")], [CallRecord("6", "")], traces=1),
    ])


@pytest.fixture
def browser(tmp_path):
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (*CHROME_ARGUMENTS, f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def _hit(driver, selector):
    return "ac-hit" in driver.find_element(By.CSS_SELECTOR, selector).get_attribute("class").split()


def test_hover_focus_and_notes_in_chromium(browser, tmp_path):
    conversion = autoconv.convert(sum_of_evens)
    page = tmp_path / "page.html"
    page.write_text(HtmlRenderer().format(conversion, _report()), encoding="utf-8")
    browser.get(page.as_uri())

    # (a) hovering the converted line that runs the loop lights up the loop's original line
    loop_line = next(n for n, text in enumerate(conversion.converted.splitlines(), 1) if "ag__.for_stmt" in text)
    loop_origin = conversion.line_map[loop_line]
    assert conversion.original.splitlines()[loop_origin - 1].strip() == "for i in tf.range(n):"
    original = f'.ac-original .ac-line[data-orig="{loop_origin}"]'
    ActionChains(browser).move_to_element(
        browser.find_element(By.CSS_SELECTOR, f'.ac-converted .ac-line[data-line="{loop_line}"]')
    ).perform()
    assert _hit(browser, original)
    for partner in conversion.converted_lines_of(loop_origin):
        assert _hit(browser, f'.ac-converted .ac-line[data-line="{partner}"]')
    assert not _hit(browser, '.ac-original .ac-line[data-orig="1"]')

    # ... and so does focusing, by keyboard only, with the mouse parked on the heading
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h2")).perform()
    assert not browser.find_elements(By.CSS_SELECTOR, ".ac-hit")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-orig") == "1" and _hit(browser, '.ac-converted .ac-line[data-line="1"]')
    ActionChains(browser).send_keys(Keys.ARROW_DOWN * (loop_origin - 1)).perform()
    assert browser.switch_to.active_element.get_attribute("data-orig") == str(loop_origin)
    assert _hit(browser, f'.ac-converted .ac-line[data-line="{loop_line}"]')
    assert not _hit(browser, '.ac-converted .ac-line[data-line="1"]')
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    jumped = browser.switch_to.active_element
    assert jumped.get_attribute("data-line") == str(min(conversion.converted_lines_of(loop_origin)))
    assert _hit(browser, original)

    # (b) clicking a note's summary opens it; Enter on a focused summary does too
    notes = browser.find_elements(By.CSS_SELECTOR, ".ac-note")
    for_stmt = next(note for note in notes if note.find_element(By.TAG_NAME, "summary").text.endswith("for_stmt"))
    assert for_stmt.get_attribute("open") is None
    for_stmt.find_element(By.TAG_NAME, "summary").click()
    assert for_stmt.get_attribute("open") is not None
    assert "tf.while_loop" in for_stmt.find_element(By.TAG_NAME, "p").text
    if_stmt = next(note for note in notes if note.find_element(By.TAG_NAME, "summary").text.endswith("if_stmt"))
    if_stmt.find_element(By.TAG_NAME, "summary").send_keys(Keys.ENTER)
    assert if_stmt.get_attribute("open") is not None

    # the whole page in the picture, with the loop highlighted
    browser.set_window_size(1400, min(browser.execute_script("return document.body.scrollHeight") + 160, 5000))
    ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, original)).perform()
    assert _hit(browser, f'.ac-converted .ac-line[data-line="{loop_line}"]')
    artifacts = REPO_ROOT / "artifacts" / "browser"
    artifacts.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(tmp_path / "page.png"))
    shutil.copyfile(tmp_path / "page.png", artifacts / "page.png")
    assert (artifacts / "page.png").stat().st_size > 10_000
