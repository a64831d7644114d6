"""The directive's interactive view under real Sphinx themes, in headless Chromium: it is there,
hover links its lines, and it fits a phone and a desktop window without widening the page."""
import shutil
import textwrap
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from test_sphinx import ABSOLUTE, project

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "browser"
WIDTHS = (390, 1400)

LONG_LINES = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample


    @sample(inputs=[(tf.constant([1.0, 2.0, 3.0]), tf.constant(2))])
    def scaled_running_total_with_a_rather_long_name(values_to_accumulate, how_many_times_to_scale_them):
        running_total_of_everything_seen_so_far = tf.constant(0.0)
        for value_being_accumulated_right_now in values_to_accumulate:
            running_total_of_everything_seen_so_far += value_being_accumulated_right_now * tf.cast(how_many_times_to_scale_them, tf.float32)
        return running_total_of_everything_seen_so_far
''')


@pytest.mark.parametrize("theme", ["alabaster", "furo", "pydata_sphinx_theme"])
def test_the_view_reads_hovers_and_fits_under_a_theme(make_app, tmp_path, browser, theme):
    pytest.importorskip(theme)
    source = project(tmp_path / "docs", """
        Samples
        =======

        .. autoconv:: absolute.py:absolute

        .. autoconv:: long.py:scaled_running_total_with_a_rather_long_name
    """, **{"absolute.py": ABSOLUTE, "long.py": LONG_LINES})
    # a short project name: pydata's phone header does not fit a long one, view or no view
    (source / "conf.py").write_text(f'extensions = ["autoconv.sphinx"]\nhtml_theme = "{theme}"\nproject = "Demo"\n')
    app = make_app("html", srcdir=source, warningiserror=True)
    app.build()
    assert app._warning.getvalue() == ""
    browser.get((app.outdir / "index.html").as_uri())
    browser.execute_script("document.documentElement.style.scrollBehavior = 'auto'")  # furo scrolls smoothly

    for width in WIDTHS:
        browser.set_window_size(width, 1000)
        views = browser.find_elements(By.CSS_SELECTOR, "section.autoconv")
        assert len(views) == 2 and all(view.is_displayed() for view in views)
        view = views[0]
        assert view.find_element(By.CSS_SELECTOR, ".ac-original").is_displayed()
        # hover: the converted `if` lights up its original line, in this view only
        converted_if = next(line for line in view.find_elements(By.CSS_SELECTOR, ".ac-converted .ac-line[data-orig]")
                            if "ag__.if_stmt" in line.text)
        original = view.find_element(
            By.CSS_SELECTOR, f'.ac-original .ac-line[data-orig="{converted_if.get_attribute("data-orig")}"]')
        assert "if x > 0:" in original.text
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'start'})", converted_if)
        # on its number: on a phone the line is wider than the window, in a pane that scrolls sideways
        ActionChains(browser).move_to_element(converted_if.find_element(By.CSS_SELECTOR, ".ac-n")).perform()
        assert "ac-hit" in original.get_attribute("class").split()
        # nothing widens the page: long code scrolls inside its own pane
        overflow = browser.execute_script("""
            var page = document.documentElement, width = page.clientWidth;
            var wide = Array.prototype.filter.call(document.querySelectorAll("section.autoconv, section.autoconv *"),
                function (el) { var box = el.getBoundingClientRect(); return box.width > 0 && box.right > width + 1
                                && !el.closest(".ac-code, .ac-scroll"); });
            return {page: page.scrollWidth, width: width, wide: wide.slice(0, 5).map(function (el) {
                return el.tagName + "." + el.className; })};
        """)
        assert overflow["page"] <= overflow["width"] and overflow["wide"] == [], overflow
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = tmp_path / f"sphinx-{theme}-{width}.png"
        browser.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 20)",
                               view)
        assert browser.save_screenshot(str(shot))
        shutil.copyfile(shot, ARTIFACTS / shot.name)
