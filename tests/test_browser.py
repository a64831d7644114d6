"""The generated pages in a real headless Chromium: hover, keyboard focus, notes and folds behave,
several views share a page (or sit in sandboxed iframes), and nothing overflows at 390 or 1400 px.

CI installs Debian's ``chromium`` and ``chromium-driver``; without them these tests are skipped.
Screenshots land in ``artifacts/browser/`` for a person to look at.
"""
import html
import shutil
from pathlib import Path

import pytest
import tensorflow as tf
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import autoconv
from autoconv.gallery.build import render_pages
from autoconv.model.check import (
    CallRecord,
    CaseReport,
    ConversionStatus,
    Difference,
    ErrorInfo,
    SampleReport,
)
from autoconv.model.explanation import CaseExplanation
from autoconv.model.gallery import Gallery, GalleryFile, GallerySample
from autoconv.render import ViewOptions
from autoconv.render.assets import CSS, JS
from autoconv.render.html import HtmlFormatter

REPO_ROOT = Path(__file__).resolve().parent.parent


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


def _hit(driver, selector):
    return "ac-hit" in driver.find_element(By.CSS_SELECTOR, selector).get_attribute("class").split()


def test_hover_focus_and_notes_in_chromium(browser, tmp_path):
    conversion = autoconv.convert(sum_of_evens)
    page = tmp_path / "page.html"
    page.write_text(HtmlFormatter().conversion(conversion, _report()), encoding="utf-8")
    browser.get(page.as_uri())

    # (a) hovering the converted line that runs the loop lights up the loop's original line, which
    # is known by the file's own line number
    loop_line = next(n for n, text in enumerate(conversion.converted.splitlines(), 1) if "ag__.for_stmt" in text)
    loop_origin = conversion.line_map[loop_line]
    assert conversion.original.splitlines()[loop_origin - conversion.first_line].strip() == "for i in tf.range(n):"
    loop_file_line = loop_origin  # line_map keys on the file's own lines
    first_line = str(conversion.first_line)
    original = f'.ac-original .ac-line[data-orig="{loop_file_line}"]'
    converted_loop = browser.find_element(By.CSS_SELECTOR, f'.ac-converted .ac-line[data-line="{loop_line}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", converted_loop)
    ActionChains(browser).move_to_element(converted_loop.find_element(By.CSS_SELECTOR, ".ac-n")).perform()
    assert _hit(browser, original)
    for partner in conversion.converted_lines_of(loop_origin):
        assert _hit(browser, f'.ac-converted .ac-line[data-line="{partner}"]')
    assert not _hit(browser, f'.ac-original .ac-line[data-orig="{first_line}"]')

    # ... and so does focusing, by keyboard only, with the mouse parked on the heading
    ActionChains(browser).move_to_element(browser.find_element(By.TAG_NAME, "h2")).perform()
    assert not browser.find_elements(By.CSS_SELECTOR, ".ac-hit")
    ActionChains(browser).send_keys(Keys.TAB * 4).perform()  # past the view's three buttons
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-orig") == first_line and _hit(browser, '.ac-converted .ac-line[data-line="1"]')
    ActionChains(browser).send_keys(Keys.ARROW_DOWN * (loop_origin - conversion.first_line)).perform()
    assert browser.switch_to.active_element.get_attribute("data-orig") == str(loop_file_line)
    assert _hit(browser, f'.ac-converted .ac-line[data-line="{loop_line}"]')
    assert not _hit(browser, '.ac-converted .ac-line[data-line="1"]')
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    # the first partner shown: the folded loop state (get_state/set_state came from the loop line)
    jumped = browser.switch_to.active_element
    assert jumped.tag_name == "summary" and "loop state: (total)" in jumped.text
    assert jumped.find_element(By.CSS_SELECTOR, ".ac-line").get_attribute("data-orig") == str(loop_file_line)
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


# -- several views, folds, no script, sandboxed iframes ---------------------------------------------

def test_two_views_on_one_page_keep_to_themselves_and_folds_open(browser, tmp_path):
    conversion = autoconv.convert(sum_of_evens)
    renderer = HtmlFormatter(ViewOptions(standalone=False))
    first, second = renderer.conversion(conversion), renderer.conversion(conversion, _report())
    page = tmp_path / "two.html"
    page.write_text(renderer.page("two views", first + second), encoding="utf-8")
    browser.get(page.as_uri())
    ids = browser.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids)) and len(browser.find_elements(By.CSS_SELECTOR, "section.autoconv")) == 2

    views = browser.find_elements(By.CSS_SELECTOR, "section.autoconv")
    ActionChains(browser).move_to_element(views[1].find_element(By.CSS_SELECTOR, ".ac-original .ac-line")).perform()
    assert views[1].find_elements(By.CSS_SELECTOR, ".ac-hit") and not views[0].find_elements(By.CSS_SELECTOR, ".ac-hit")

    # folded by default; one click opens a fold, the toggle opens every fold of that view only
    folds = views[0].find_elements(By.CSS_SELECTOR, "details.ac-fold")
    assert folds and all(fold.get_attribute("open") is None for fold in folds)
    state = next(fold for fold in folds if "loop state" in fold.text)
    assert not state.find_element(By.CSS_SELECTOR, '.ac-line[data-line]').is_displayed()
    state.find_element(By.TAG_NAME, "summary").click()
    assert "def get_state" in state.text and "nonlocal total" in state.text
    views[0].find_element(By.CSS_SELECTOR, ".ac-show-all").click()
    assert all(fold.get_attribute("open") is not None for fold in folds)
    assert all(fold.get_attribute("open") is None for fold in views[1].find_elements(By.CSS_SELECTOR, "details.ac-fold"))

    # a later use of a construct links to the note that explains it, and opens it
    reference = views[0].find_element(By.CSS_SELECTOR, "a.ac-note-ref")
    target = views[0].find_element(By.ID, reference.get_attribute("href").split("#")[1])
    assert target.get_attribute("open") is None
    reference.click()
    assert target.get_attribute("open") is not None


def test_the_view_reads_without_a_script_and_works_in_a_sandboxed_iframe(browser, tmp_path):
    conversion = autoconv.convert(sum_of_evens)
    fragment = HtmlFormatter(ViewOptions(standalone=False)).conversion(conversion, _report())
    static = tmp_path / "static.html"
    static.write_text(f"<!doctype html><meta charset=utf-8><style>{CSS}</style>{fragment}", encoding="utf-8")
    browser.get(static.as_uri())
    assert not browser.find_element(By.CSS_SELECTOR, ".ac-tools").is_displayed()  # no dead buttons
    fold = browser.find_element(By.CSS_SELECTOR, "details.ac-fold")
    fold.find_element(By.TAG_NAME, "summary").click()  # <details> needs no script
    assert fold.get_attribute("open") is not None

    embedded = f"<style>{CSS}</style>{fragment}<script>{JS}</script>"
    host = tmp_path / "host.html"
    host.write_text('<!doctype html><meta charset=utf-8><iframe sandbox="allow-scripts" style="width:1200px;'
                    f'height:900px" srcdoc="{html.escape(embedded)}"></iframe>', encoding="utf-8")
    browser.get(host.as_uri())
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, ".ac-original .ac-line")).perform()
    assert browser.find_elements(By.CSS_SELECTOR, ".ac-converted .ac-hit")
    assert browser.find_element(By.CSS_SELECTOR, ".ac-tools").is_displayed()



def _readme_lesson() -> str:
    """The README's ``lesson.py`` (its ``myadd``), as the README prints it."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("$ cat lesson.py\n", 1)[1].split("$ autoconv explain", 1)[0]


def _if_badges(driver) -> str:
    """The text of the badges a reader sees on myadd's ``if a > 0:`` line."""
    line = next(row for row in driver.find_elements(By.CSS_SELECTOR, ".ac-original .ac-line")
                if "if a > 0:" in row.find_element(By.TAG_NAME, "code").text)
    return " ".join(badge.text for badge in line.find_elements(By.CSS_SELECTOR, ".ac-badge") if badge.is_displayed())


def test_the_call_switcher_shows_each_calls_badges(browser, tmp_path, run_cli):
    """Issue 19 item 2: the README's myadd, call 1 staged its if as tf.cond, call 2 ran it in Python."""
    lesson = tmp_path / "lesson.py"
    lesson.write_text(_readme_lesson(), encoding="utf-8")
    code, page_html, _ = run_cli("explain", f"{lesson}:myadd", "--args", "tf.constant(1), tf.constant(2)",
                                 "--args", "3, 4", "--format", "html")
    assert code == 0
    # the static page: a hidden switcher naming both calls, call 2 pressed and its badges the ones seen
    switch = page_html.split('<div class="ac-calls"', 1)[1].split("</div>", 1)[0]
    assert " hidden>" in switch and '<button type="button" data-call="1" aria-pressed="false"' in switch
    assert ">call 1 (tf.constant(1), tf.constant(2))</button>" in switch
    assert '<button type="button" data-call="2" aria-pressed="true"' in switch and ">call 2 (3, 4)</button>" in switch
    if_row = next(row for row in page_html.split('<div class="ac-line') if "if</span> a &gt; " in row and "ac-call-badges" in row)
    call_1, call_2 = if_row.split('data-call="1"', 1)[1], if_row.split('data-call="2"', 1)[1]
    assert call_1.startswith(" hidden>") and "⇅ tf.cond" in call_1.split('data-call="2"')[0]
    assert not call_2.startswith(" hidden") and "▸ Python: took if" in call_2 and "tf.cond" not in call_2
    # the notes under the converted if name each call's fact, whichever call the badges show
    assert html.unescape(page_html).count("For the call (tf.constant(1), tf.constant(2)): ⇅ tf.cond") == 1
    assert html.unescape(page_html).count("For the call (3, 4): ▸ Python: took if") == 1

    page = tmp_path / "explain.html"
    page.write_text(page_html, encoding="utf-8")
    browser.set_window_size(1400, 1000)
    browser.get(page.as_uri())
    switcher = browser.find_element(By.CSS_SELECTOR, ".ac-calls")
    assert switcher.is_displayed() and "▸ Python: took if" in _if_badges(browser)
    first, second = switcher.find_elements(By.CSS_SELECTOR, "button")
    first.send_keys(Keys.ENTER)  # a button: the keyboard works it as the mouse does
    assert browser.switch_to.active_element == first and first.get_attribute("aria-pressed") == "true"
    shown = _if_badges(browser)
    assert "⇅ tf.cond" in shown and "took if" not in shown and second.get_attribute("aria-pressed") == "false"
    ActionChains(browser).send_keys(Keys.TAB, Keys.SPACE).perform()
    assert browser.switch_to.active_element == second
    assert "▸ Python: took if" in _if_badges(browser) and "tf.cond" not in _if_badges(browser)
    artifacts = REPO_ROOT / "artifacts" / "browser"
    artifacts.mkdir(parents=True, exist_ok=True)
    first.click()
    browser.save_screenshot(str(artifacts / "explain-call-switcher.png"))

    static = tmp_path / "static.html"  # without a script: no switcher, the latest call's badges
    static.write_text(page_html.split("<script>", 1)[0], encoding="utf-8")
    browser.get(static.as_uri())
    assert not browser.find_element(By.CSS_SELECTOR, ".ac-calls").is_displayed()
    assert "▸ Python: took if" in _if_badges(browser) and "tf.cond" not in _if_badges(browser)


# -- any screen -----------------------------------------------------------------------------------

# Every element that sticks out of the viewport without a scrolling pane around it, and every
# table cell that breaks a word across lines (a word: a run of non-blank characters).
LAYOUT_PROBLEMS = """
const width = document.documentElement.clientWidth, problems = [];
if (document.documentElement.scrollWidth > width) { problems.push('page scrolls sideways'); }
function clipped(el) {
  for (let up = el.parentElement; up; up = up.parentElement) {
    const overflow = getComputedStyle(up).overflowX;
    if (overflow !== 'visible') { return up.getBoundingClientRect().right <= width + 1; }
  }
  return false;
}
for (const el of document.body.querySelectorAll('*')) {
  const box = el.getBoundingClientRect();
  if (box.width && box.right > width + 1 && !clipped(el)) {
    problems.push('wider than the viewport: ' + el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
}
for (const cell of document.querySelectorAll('td, th')) {
  if (!cell.getClientRects().length) { continue; }
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width).map(r => Math.round(r.top)));
      if (tops.size > 1) { problems.push('a cell breaks the word ' + match[0]); }
    }
  }
}
return problems;
"""


def _long_report():
    """A case of each kind a table must hold: long values, a multi-line error, a stdout difference."""
    error = ErrorInfo("InaccessibleTensorError", "in user code:\n\n    File \"x.py\", line 31, in f  *\n"
                      "        return tf.stack(squares)\n\n    InaccessibleTensorError: <tf.Tensor 'while/mul:0' "
                      "shape=() dtype=int32> is out of scope and cannot be used here.")
    value = CallRecord("<tf.Tensor: shape=(4,), dtype=int32, numpy=array([0, 1, 4, 9], dtype=int32)>", "loop 1\n")
    return SampleReport("sum_of_evens", "test_browser.py:35", ConversionStatus(True), [
        CaseReport("tf.constant([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])", "graph-error", "native-error", Difference(1, "error"),
                   0.31, [value, value], [CallRecord(error=error)] * 2, traces=1),
        CaseReport("5", "mismatch", "mismatch", Difference(1, "stdout"), 0.12,
                   [CallRecord("6", "tracing\nloop 1\n")], [CallRecord("6", "tracing\n")], traces=1),
    ])


def _gallery(conversion):
    sample = GallerySample(
        name="sum_of_evens", title="Summing the even numbers below n in a tensor loop", tags=["for-loop", "tensor"],
        note=("A for over tf.range becomes a tf.while_loop; compare with sum_of_evens_twin, and with "
              "tf.function(f, experimental_autograph_options=tf.autograph.experimental.Feature.ALL) "
              "(a long name the note must wrap)."), location="x.py:35",
        has_inputs=True, conversion=conversion, report=_long_report(),
        # real explanations: the "what happened" section must fit the page too
        explanations=[CaseExplanation(autoconv.explain(sum_of_evens)(tf.constant(10))),
                      CaseExplanation(error="InaccessibleTensorError: <tf.Tensor 'while/mul:0'> is out of scope "
                                            "and cannot be used")])
    twin = GallerySample(name="sum_of_evens_twin", title="The twin", tags=["for-loop"], note="", location="x.py:50",
                         has_inputs=False, conversion=conversion)
    return Gallery([GalleryFile("x.py", [sample, twin])], True, "2.21.0")


@pytest.mark.parametrize("width", [390, 1400])
def test_layout_at_390_and_1400_px(browser, tmp_path, width):
    conversion = autoconv.convert(sum_of_evens)
    pages = {"view.html": HtmlFormatter().conversion(conversion, _long_report())}
    pages.update(render_pages(_gallery(conversion), "html"))
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    artifacts = REPO_ROOT / "artifacts" / "browser"
    artifacts.mkdir(parents=True, exist_ok=True)
    for name in ("view.html", "index.html", "samples/sum_of_evens.html", "verdicts.html", "times.html"):
        browser.set_window_size(width, 900)
        browser.get((tmp_path / name).as_uri())
        for details in browser.find_elements(By.CSS_SELECTOR, "tr.ac-calls details"):
            browser.execute_script("arguments[0].open = true", details)  # the per-call tables too
        assert browser.execute_script("return window.innerWidth") == width
        assert browser.execute_script(LAYOUT_PROBLEMS) == [], name
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(height, 5000))
        shot = artifacts / f"{name.replace('/', '-').removesuffix('.html')}-{width}.png"
        assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 5_000
    if width == 390:  # the index is a list of cards: one sample per box, no table header
        browser.set_window_size(width, 900)
        browser.get((tmp_path / "index.html").as_uri())
        assert not browser.find_element(By.CSS_SELECTOR, "table.g-index thead").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, "table.g-index tr").value_of_css_property("display") == "block"


def test_index_filter_works_from_a_file(browser, tmp_path):
    conversion = autoconv.convert(sum_of_evens)
    for name, text in render_pages(_gallery(conversion), "html").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    browser.get((tmp_path / "index.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-filter]")
    assert len(rows) == 2 and all(row.is_displayed() for row in rows)
    box = browser.find_element(By.ID, "g-filter")
    box.send_keys("graph-error")
    assert [row.is_displayed() for row in rows] == [True, False]
    assert "1 shown" in browser.find_element(By.CSS_SELECTOR, ".g-count").text
    box.clear()
    box.send_keys("twin")
    assert [row.is_displayed() for row in rows] == [False, True]
    legend = browser.find_element(By.CSS_SELECTOR, ".g-legend").text
    assert "graph-error" in legend and "✗" in legend
    page = browser.find_element(By.TAG_NAME, "body")
    assert page.find_element(By.CSS_SELECTOR, 'a[href="samples/sum_of_evens.html"]')
    box.clear()
    box.send_keys("tf.range(n)")  # the code is searched too
    assert [row.is_displayed() for row in rows] == [True, True]
    # ?q= fills the box and filters: a filtered index can be shared as a link
    browser.get((tmp_path / "index.html").as_uri() + "?q=twin")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-filter]")
    assert browser.find_element(By.ID, "g-filter").get_attribute("value") == "twin"
    assert [row.is_displayed() for row in rows] == [False, True]


def test_sample_page_links_lines_copies_code_and_walks_its_topic(browser, tmp_path):
    conversion = autoconv.convert(sum_of_evens)
    for name, text in render_pages(_gallery(conversion), "html").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    loop = next(n for n, line in conversion.original_lines() if "for i in" in line)
    # #L<n> opens the page on original line n, lit up with its converted partners
    browser.get((tmp_path / "samples" / "sum_of_evens.html").as_uri() + f"#L{loop}")
    line = browser.find_element(By.CSS_SELECTOR, f'.ac-original .ac-line[data-orig="{loop}"]')
    assert browser.switch_to.active_element == line and "ac-hit" in line.get_attribute("class")
    assert browser.find_elements(By.CSS_SELECTOR, ".ac-converted .ac-hit")
    # a line's number gives its link
    first = browser.find_element(By.CSS_SELECTOR, f'.ac-original .ac-line[data-orig="{conversion.first_line}"] .ac-n')
    first.click()
    assert browser.current_url.endswith(f"#L{conversion.first_line}")
    # copy code puts the original function in the clipboard (or says how, where a page may not write it)
    browser.find_element(By.CSS_SELECTOR, ".ac-copy").click()
    assert browser.find_element(By.CSS_SELECTOR, ".ac-copy").text in ("copied", "select and copy by hand")
    # next and previous within the topic
    browser.find_element(By.CSS_SELECTOR, 'nav.g-pager a[rel="next"]').click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "The twin"
    assert browser.find_element(By.CSS_SELECTOR, 'nav.g-pager a[rel="prev"]').get_attribute("href").endswith(
        "sum_of_evens.html")
    assert not browser.find_elements(By.CSS_SELECTOR, 'nav.g-pager a[rel="next"]')
