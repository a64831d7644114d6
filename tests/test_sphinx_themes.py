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


# -- the lesson's lines, any width, either mode ----------------------------------------------------

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# What a reader can see of each original line, of the panes, the gutters and the scroll cue.
MEASURE = """
const view = arguments[0], box = el => el.getBoundingClientRect();
const original = view.querySelector('.ac-original'), converted = view.querySelector('.ac-converted');
const pane = original.querySelector('.ac-code'), paneBox = box(pane);
const clipped = Array.from(original.querySelectorAll('.ac-line > code')).filter(code =>
    code.getClientRects().length && (code.scrollWidth > code.clientWidth + 1 || box(code).right > paneBox.right + 1)
).map(code => code.textContent);
const number = original.querySelector('.ac-line .ac-n'), digit = document.createElement('span');
digit.textContent = '0'; digit.style.font = getComputedStyle(number).font; document.body.appendChild(digit);
const digitWidth = box(digit).width; digit.remove();
const widest = Math.max(...Array.from(original.querySelectorAll('.ac-n')).map(n => n.textContent.length));
return {view: box(view).width, stacked: box(original).bottom <= box(converted).top,
        clipped: clipped, gutter: box(number).width / digitWidth, widest: widest,
        convertedClipped: converted.querySelector('.ac-code').scrollWidth
                          > converted.querySelector('.ac-code').clientWidth,
        cue: converted.querySelector('.ac-code').classList.contains('ac-clip-right')};
"""

COLOURS = """
const view = arguments[0];
function rgb(el, property) {
  let colour = getComputedStyle(el)[property];
  return colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
}
function light(c) { const [r, g, b] = c.map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; });
                    return .2126 * r + .7152 * g + .0722 * b; }
function contrast(a, b) { const [x, y] = [light(a), light(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); }
const kbd = view.querySelector('.ac-meta kbd'), code = view.querySelector('.ac-original .ac-line');
return {background: light(rgb(view, 'backgroundColor')), kbd: contrast(rgb(kbd, 'color'), rgb(kbd, 'backgroundColor')),
        code: contrast(rgb(code.querySelector('code'), 'color'), rgb(code, 'backgroundColor'))};
"""


def _dark(browser, theme: str, dark: bool) -> None:
    """The theme's own switch (furo's on <body>, pydata's on <html>), or the system's preference."""
    if theme == "furo":
        browser.execute_script("document.body.dataset.theme = arguments[0]", "dark" if dark else "light")
    elif theme == "pydata_sphinx_theme":
        browser.execute_script("document.documentElement.dataset.theme = arguments[0]", "dark" if dark else "light")
    else:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
            {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


@pytest.mark.parametrize("theme", ["alabaster", "furo", "pydata_sphinx_theme"])
def test_no_lesson_line_is_clipped_and_dark_mode_follows_the_theme(make_app, tmp_path, browser, theme):
    pytest.importorskip(theme)
    source = project(tmp_path / "docs", """
        Samples
        =======

        .. autoconv:: data_structures.py:list_append_in_tensor_loop
    """, **{"data_structures.py": (SAMPLES / "data_structures.py").read_text()})
    (source / "conf.py").write_text(f'extensions = ["autoconv.sphinx"]\nhtml_theme = "{theme}"\nproject = "Demo"\n')
    app = make_app("html", srcdir=source, warningiserror=True)
    app.build()
    # no machine path on a published page: the file is named from the docs source
    page = (app.outdir / "index.html").read_text()
    assert "data_structures.py:27" in page
    for private in (str(tmp_path), str(Path(__file__).resolve().parent.parent), "site-packages", "dist-packages"):
        assert private not in page, private
    browser.get((app.outdir / "index.html").as_uri())
    view = browser.find_element(By.CSS_SELECTOR, "section.autoconv")
    for width in WIDTHS:
        browser.set_window_size(width, 1000)
        seen = browser.execute_script(MEASURE, view)
        # the lines the lesson is about are whole: `squares.append(i * i)`, `return tf.stack(squares)`
        assert seen["clipped"] == [], seen
        assert "squares.append(i * i)" in view.find_element(By.CSS_SELECTOR, ".ac-original").text
        # a view narrower than 900 px puts the original above the converted code
        assert seen["stacked"] == (seen["view"] < 900), seen
        # a gutter holds its widest number and a little room, not a fixed 7 characters
        assert seen["gutter"] <= seen["widest"] + 2.5, seen
        # a converted pane wider than its box says so at its right edge
        assert seen["cue"] == seen["convertedClipped"] and (seen["cue"] or width > 390), seen
        for dark in (False, True):
            _dark(browser, theme, dark)
            colours = browser.execute_script(COLOURS, view)
            assert (colours["background"] < 0.1) == dark, (theme, width, dark, colours)
            assert colours["kbd"] >= 4.5 and colours["code"] >= 4.5, (theme, width, dark, colours)
            shot = tmp_path / f"lesson-{theme}-{width}-{'dark' if dark else 'light'}.png"
            browser.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 20)",
                                   view)
            assert browser.save_screenshot(str(shot))
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, ARTIFACTS / shot.name)
        _dark(browser, theme, False)


# Every piece of text in the views against the background it sits on (the first one, walking up,
# that is not transparent): a badge, a key hint, a line of "What happened".
TEXT_CONTRASTS = """
function rgba(colour) { return colour.match(/[\\d.]+/g).map(Number); }
function background(el) {
  for (; el; el = el.parentElement) {
    const colour = rgba(getComputedStyle(el).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) { return colour.slice(0, 3); }
  }
  return [255, 255, 255];
}
function light(c) { const [r, g, b] = c.map(v => { v /= 255; return v <= .03928 ? v / 12.92 : ((v + .055) / 1.055) ** 2.4; });
                    return .2126 * r + .7152 * g + .0722 * b; }
function contrast(a, b) { const [x, y] = [light(a), light(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); }
return Array.from(document.querySelectorAll(
    '.autoconv .ac-meta kbd, .autoconv .ac-badge, .autoconv .ac-explain-summary li, .autoconv .ac-explain-summary h3, '
    + '.autoconv .ac-original .ac-line code, .autoconv .ac-tools button'))
  .filter(el => el.getClientRects().length)
  .map(el => ({text: el.textContent.slice(0, 40), ratio: contrast(rgba(getComputedStyle(el).color).slice(0, 3),
                                                                  background(el)),
               dark: light(background(el)) < 0.1}));
"""


def test_alabaster_follows_a_dark_system_with_readable_badges_and_key_hints(make_app, tmp_path, browser):
    """Issue 19 item 6: alabaster has no dark switch of its own, so the views follow the reader's
    system (``prefers-color-scheme``), explain's badges and "What happened" included."""
    pytest.importorskip("alabaster")
    source = project(tmp_path / "docs", """
        Samples
        =======

        .. autoconv:: data_structures.py:list_append_in_tensor_loop
           :explain: tf.constant(3)
           :no-check:
    """, **{"data_structures.py": (SAMPLES / "data_structures.py").read_text()})
    (source / "conf.py").write_text('extensions = ["autoconv.sphinx"]\nhtml_theme = "alabaster"\nproject = "Demo"\n')
    app = make_app("html", srcdir=source, warningiserror=True)
    app.build()
    browser.get((app.outdir / "index.html").as_uri())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        browser.set_window_size(width, 1000)
        for dark in (False, True):
            _dark(browser, "alabaster", dark)
            seen = browser.execute_script(TEXT_CONTRASTS)
            kinds = " ".join(item["text"] for item in seen)
            assert "↑" in kinds and "⟳ tf.while_loop" in kinds and "control flow" in kinds, kinds  # all measured
            assert all(item["dark"] == dark for item in seen), [item for item in seen if item["dark"] != dark]
            assert all(item["ratio"] >= 4.5 for item in seen), [item for item in seen if item["ratio"] < 4.5]
            view = browser.find_element(By.CSS_SELECTOR, "section.autoconv")
            sticking_out = browser.execute_script("""
                const pane = arguments[0].querySelector('.ac-original .ac-code').getBoundingClientRect();
                return Array.from(arguments[0].querySelectorAll('.ac-original .ac-badge'))
                    .filter(badge => badge.getBoundingClientRect().right > pane.right + 1).map(b => b.textContent);
            """, view)
            assert sticking_out == [], sticking_out  # a long badge wraps between words, on a phone too
            browser.execute_script("window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 20)",
                                   view)
            shot = ARTIFACTS / f"alabaster-explain-{width}-{'dark' if dark else 'light'}.png"
            assert browser.save_screenshot(str(shot))
            assert view.find_element(By.CSS_SELECTOR, ".ac-meta").screenshot(str(shot.with_suffix(".hints.png")))
    _dark(browser, "alabaster", False)
