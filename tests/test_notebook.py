"""Notebooks: the rich display, the IPython extension on a real kernel, and the quickstart notebook
executed by nbclient, converted by nbconvert and hovered in headless Chromium."""
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import tensorflow as tf
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

import autoconv
from autoconv.model.check import CallRecord, CaseReport, CheckReport, ConversionStatus, SampleReport
from autoconv.model.conversion import Conversion
from autoconv.notebook import html_view

REPO_ROOT = Path(__file__).resolve().parent.parent
QUICKSTART = REPO_ROOT / "docs" / "examples" / "quickstart.ipynb"
ARTIFACTS = REPO_ROOT / "artifacts" / "browser"


def absolute(x):
    if x > 0:
        return x
    return -x


def _report() -> SampleReport:
    return SampleReport("absolute", "test_notebook.py:27", ConversionStatus(True), [
        CaseReport("tf.constant(-2)", "match", "match", eager=[CallRecord("2")], graph=[CallRecord("2")]),
        CaseReport("3", "mismatch", "match", eager=[CallRecord("3", "x\n")], graph=[CallRecord("3")]),
    ])


def test_reprs_are_one_line_summaries():
    conversion = autoconv.convert(absolute)
    converted_lines = len(conversion.converted.splitlines())
    assert repr(conversion) == f"<Conversion absolute: 4 lines → {converted_lines}, {len(conversion.annotations)} notes>"
    assert repr(_report()) == "<SampleReport absolute: 2 cases, 1 unexpected>"
    assert repr(CheckReport("0.1.0", tf.__version__, [_report()])) == (
        "<CheckReport: 1 sample, 2 cases, 1 unexpected>")
    failed = Conversion("f", "def f(x):\n    match x: ...\n", None, "AutoGraph cannot convert match\nsecond line")
    assert repr(failed) == "<Conversion f: not converted: AutoGraph cannot convert match>"


def test_notebook_html_view_is_self_contained_with_unique_ids():
    conversion = autoconv.convert(absolute)
    fragment = html_view(conversion)
    assert fragment.startswith('<div class="autoconv-embed"><style>') and fragment.endswith("</script></div>")
    assert re.search(r'<section class="autoconv" id="ac-\w+">', fragment) and 'class="ac-line' in fragment
    ids = re.findall(r' id="([^"]+)"', fragment + html_view(conversion))
    assert len(ids) == len(set(ids))  # the same function shown twice in one notebook: ids still unique
    assert "if_stmt" in fragment and "def tf__absolute(x):" not in fragment  # highlighted, so split in spans
    assert not re.search(r"""(src|href)=["']?https?:""", fragment) and "@import" not in fragment
    # every rule of the stylesheet is scoped to the view, so none restyles the notebook around it
    style = fragment[fragment.index("<style>") + 7:fragment.index("</style>")]
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", re.sub(r"@(media|container)[^{]+\{", "", style))
                 for s in re.split(r",(?![^()]*\))", block)]  # not the commas inside :is(...)
    # (a host's light/dark switch, ``[data-theme="dark"] .autoconv``, styles the view only)
    assert selectors and all(s.startswith(".autoconv") or s.endswith(" .autoconv") for s in selectors), [
        s for s in selectors if not s.startswith(".autoconv")]

    report = html_view(CheckReport("0.1.0", tf.__version__, [_report()], shared_state=True))
    assert "Check: eager against graph (2 cases: 1 as expected, 1 unexpected)" in report
    assert "shared its module state" in report and report.count('<section class="autoconv"') == 2
    assert html_view(_report()).count("ac-v-mismatch") >= 1


def test_import_autoconv_imports_neither_ipython_nor_tensorflow():
    code = ("import sys, autoconv; assert callable(autoconv.load_ipython_extension); "
            "print(sorted(m for m in ('IPython', 'tensorflow') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"


def _execute(notebook, allow_errors: bool = False):
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(REPO_ROOT)}})
    # no TensorFlow start-up chatter on the kernel's stderr, which would read as output
    client.execute(env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return notebook


def test_magics_on_a_real_kernel_show_check_and_refuse_bad_input():
    notebook = new_notebook(cells=[
        new_code_cell("import tensorflow as tf\n%load_ext autoconv"),
        new_code_cell('%%autoconv --check "tf.constant(-2)" --check "3"\n'
                      "def absolute(x):\n    if x > 0:\n        return x\n    return -x\n\n"
                      "def helper(x):\n    return x + 1\n\nvalue = 7"),
        new_code_cell("%%autoconv --only helper\ndef absolute(x):\n    return x\n\ndef helper(x):\n    return x * 2"),
        new_code_cell("%autoconv absolute"),
        new_code_cell("%autoconv nothing_here"),
        new_code_cell('%%autoconv --check "nope("\ndef f(x):\n    return x'),
        new_code_cell("%%autoconv\nvalue = 1"),
        new_code_cell("value"),
        new_code_cell('%%autoconv --explain "tf.constant(3)"\ndef total(n):\n    s = tf.constant(0)\n'
                      "    for i in tf.range(n):\n        s += i\n    return s"),
    ])
    cells = _execute(notebook, allow_errors=True).cells
    shown = [o for o in cells[1].outputs if o.output_type == "display_data"]
    assert [o.data["text/plain"].split(":")[0] for o in shown] == ["<Conversion absolute", "<Conversion helper"]
    assert "Check: eager against graph (2 cases: 2 as expected, 0 unexpected)" in shown[0].data["text/html"]
    # the function comes from the notebook's cell, named as the notebook names it, not a temp file
    assert "In [2]:1" in shown[0].data["text/html"] and "ipykernel" not in shown[0].data["text/html"]
    verdicts = html.unescape(re.sub(r"<[^>]+>", "", shown[0].data["text/html"]))
    assert "tf.constant(-2)" in verdicts and "'tf.constant(-2)'" not in verdicts  # a tensor, not a string
    assert "Check: eager against graph (2 cases" in shown[1].data["text/html"]  # every function, checked
    only = [o for o in cells[2].outputs if o.output_type == "display_data"]
    assert len(only) == 1 and "x * 2" in re.sub(r"<[^>]+>", "", only[0].data["text/html"])
    assert cells[3].outputs[0].data["text/plain"].startswith("<Conversion absolute: 2 lines")  # the redefinition

    def said(cell) -> str:
        """Bad input is one line on stderr, as IPython prints a UsageError: no traceback."""
        assert [o.output_type for o in cell.outputs] == ["stream"], cell.outputs
        return cell.outputs[0].text

    assert said(cells[4]) == "UsageError: autoconv: no 'nothing_here' in this notebook\n"
    assert said(cells[5]).startswith("UsageError: autoconv: cannot evaluate arguments 'nope(': SyntaxError")
    assert said(cells[6]) == "UsageError: autoconv: this cell defines no function to show\n"
    assert cells[7].outputs[0].data["text/plain"] == "1"  # the cell ran all the same
    explained = [o for o in cells[8].outputs if o.output_type == "display_data"]
    assert len(explained) == 1, cells[8].outputs
    overlay = explained[0].data["text/html"]
    # one view: the explanation's facts as badges on the side-by-side code, with its CSS and JS
    assert "What happened: total" in overlay and "ac-x-staged" in overlay and "ag__.for_stmt" in overlay.replace(
        '<span class="ac-t-ag">ag__</span>', "ag__").replace('<span class="ac-t-ag">', "")
    assert overlay.startswith('<div class="autoconv-embed"><style>') and "</script></div>" in overlay


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    return _execute(nbformat.read(QUICKSTART, as_version=4))


def test_the_quickstart_notebook_runs_clean_and_shows_the_views(quickstart):
    outputs = [o for cell in quickstart.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    views = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(views) == 4 and all('<section class="autoconv"' in view for view in views)
    assert "ag__.for_stmt" in re.sub(r"<[^>]+>", "", views[0])
    # print ran while tracing only, so the graph side printed less: the check says so
    assert "mismatch" in views[1] and "stdout" in views[1] and "shared its module state" in views[1]
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert printed.count("tracing: i is") == 1 and printed.count("running: i = 2") == 2
    # the list appended inside the loop: Python counts 3, the graph 1
    assert "Check: eager against graph (1 case: 0 as expected, 1 unexpected)" in views[3]


def test_the_quickstart_as_html_links_lines_on_hover(quickstart, browser, tmp_path):
    page = tmp_path / "quickstart.html"
    body, _ = HTMLExporter().from_notebook_node(quickstart)
    page.write_text(body, encoding="utf-8")
    browser.get(page.as_uri())
    sections = [section for section in browser.find_elements(By.CSS_SELECTOR, "section.autoconv")
                if section.find_elements(By.CSS_SELECTOR, ".ac-original")]
    assert len(sections) == 3  # count_up, absolute, collect; the check report has no code
    lesson = sections[0]
    loop = next(line for line in lesson.find_elements(By.CSS_SELECTOR, ".ac-converted .ac-line")
                if "ag__.for_stmt" in line.text)
    origin = loop.get_attribute("data-orig")
    original = lesson.find_element(By.CSS_SELECTOR, f'.ac-original .ac-line[data-orig="{origin}"]')
    assert "for i in tf.range(n):" in original.text
    assert "ac-hit" not in original.get_attribute("class")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", loop)
    ActionChains(browser).move_to_element(loop).perform()
    assert "ac-hit" in original.get_attribute("class").split()
    other = sections[1].find_element(By.CSS_SELECTOR, '.ac-original .ac-line[data-orig="1"]')
    assert "ac-hit" not in other.get_attribute("class")  # each view lights up its own lines only
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(tmp_path / "notebook.png"))
    shutil.copyfile(tmp_path / "notebook.png", ARTIFACTS / "notebook.png")


def test_nbconvert_keeps_the_indentation_of_every_code_line():
    """nbconvert re-serialises its page with BeautifulSoup, which shrinks a text node of spaces
    alone to one space; the view must not carry indentation in one (as ``<code>    <span>``)."""
    from bs4 import BeautifulSoup

    conversion = autoconv.convert(absolute)
    notebook = new_notebook(cells=[new_code_cell("autoconv.convert(absolute)", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": html_view(conversion), "text/plain": repr(conversion)})])])
    body, _ = HTMLExporter().from_notebook_node(notebook)
    page = BeautifulSoup(body, features="html.parser")
    shown = {int(line["data-line"]): line.find("code").get_text()
             for line in page.select(".ac-converted .ac-line[data-line]")}
    expected = dict(enumerate(conversion.converted.splitlines(), 1))
    assert shown and all(text == expected[number] for number, text in shown.items()), [
        (number, text, expected[number]) for number, text in shown.items() if text != expected[number]][:3]


def test_plain_evaluation_in_a_kernel_shows_the_rich_view_without_load_ext():
    """Importing autoconv inside a kernel registers its views with IPython's HTML formatter."""
    notebook = new_notebook(cells=[
        new_code_cell("import autoconv\n\ndef absolute(x):\n    if x > 0:\n        return x\n    return -x"),
        new_code_cell("autoconv.convert(absolute)"),
    ])
    _execute(notebook)
    [shown] = notebook.cells[1].outputs
    assert shown["output_type"] == "execute_result"
    assert shown["data"]["text/plain"].startswith("<Conversion absolute:")
    view = shown["data"]["text/html"]
    assert view.startswith('<div class="autoconv-embed"><style>') and "ac-original" in view
