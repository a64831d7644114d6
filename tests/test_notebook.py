"""Notebooks: the rich display, the IPython extension on a real kernel, and the quickstart notebook
executed by nbclient, converted by nbconvert and hovered in headless Chromium."""
import html
import json
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


def _execute(notebook, allow_errors: bool = False, path: Path = REPO_ROOT):
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path)}})
    # the kernel's environment is a user's: TensorFlow's C++ logging as it is by default, and what
    # reaches fd 2 shown as output (ipykernel does not capture fds under pytest, which it detects by
    # PYTEST_CURRENT_TEST)
    client.execute(env={key: value for key, value in os.environ.items()
                        if key not in ("TF_CPP_MIN_LOG_LEVEL", "PYTEST_CURRENT_TEST")})
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
    # print ran while tracing only, so the graph side printed less: the check says so, as the
    # lesson declares, from the cells' source in fresh workers (not the trace the calls above left)
    check = html.unescape(re.sub(r"<[^>]+>", " ", views[1][views[1].index("</style>"):]))
    assert "Check: eager against graph (1 case: 1 as expected, 0 unexpected)" in check
    assert re.search(r"mismatch\s+mismatch\s+✓ as expected\s+call\s+1:\s+stdout", check), check
    assert "Ran the source of the notebook's cells In [1], In [2] in a fresh worker process" in check
    assert "shared its module state" not in check and "unexpected call" not in check
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert printed.count("tracing: i is") == 1 and printed.count("running: i = 2") == 2
    # the list appended inside the loop: Python counts 3, the graph 1, as its declaration expects
    assert "Check: eager against graph (1 case: 1 as expected, 0 unexpected)" in views[3]
    assert "Ran the source of the notebook's cells In [1], In [6] in a fresh worker" in html.unescape(views[3])
    # cells are named as the notebook names them, and tables read from the left
    assert "In [2]:" in views[0] and "ipykernel" not in "".join(views) and "/tmp/" not in "".join(views)


def test_the_executed_quickstart_shows_no_tensorflow_log_line(quickstart):
    """TensorFlow's C++ start-up and device lines (oneDNN, cuInit, absl's preamble) are not output."""
    texts = [o.get("text", "") + "".join(str(v) for v in o.get("data", {}).values())
             for cell in quickstart.cells if cell.cell_type == "code" for o in cell.outputs]
    logged = [line for text in texts for line in text.splitlines()
              if re.match(r"[IWEF]\d{4} \d\d:\d\d:|WARNING: All log messages before absl", line)
              or "port.cc" in line or "cuInit" in line or "cuda_platform" in line or "oneDNN" in line]
    assert texts and not logged, logged


def test_the_kernel_still_shows_the_users_own_stderr_and_drops_only_tensorflow_lines():
    """The filter on the kernel's fd 2 keeps what the user writes there, C-level writes included."""
    notebook = new_notebook(cells=[
        new_code_cell("import os, sys\nimport autoconv"),
        new_code_cell("os.write(2, b'mine on fd 2\\nI0000 00:00:1796417375.390008   15816 port.cc:153] oneDNN\\n"
                      "still mine\\n')\nimport time; time.sleep(0.5)"),
        new_code_cell("print('python stderr', file=sys.stderr)"),
    ])
    cells = _execute(notebook).cells
    streams = ["".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr")
               for cell in cells]
    assert streams[1] == "mine on fd 2\nstill mine\n" and streams[2] == "python stderr\n", [c.outputs for c in cells]


LESSON = """seen = []


@tf.function
def greet(x):
    print("tracing greet")
    seen.append(1)
    return x + len(seen)


class Box:
    def __init__(self, value):
        self.value = value


@tf.function
def shout(box):
    print("tracing shout")
    return box.value + 1
"""


def _cli_case(path: Path, target: str, args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "autoconv", "check", f"{path}:{target}", "--args", args, "--json"],
                          capture_output=True, text=True, cwd=REPO_ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["samples"][0]["cases"][0]


def test_a_notebook_check_gives_the_clis_verdict_whatever_the_kernel_traced(tmp_path):
    """A function whose verdict depends on trace-time state (a print, a module list appended while
    tracing), called once in the kernel first so its trace is cached: ``autoconv.check`` in the
    kernel says what ``autoconv check`` says of the same code in a file."""
    notebook = new_notebook(cells=[
        new_code_cell("import json\n\nimport autoconv\nimport tensorflow as tf"),
        new_code_cell(LESSON),
        new_code_cell("greet(tf.constant(1))\nshout(Box(tf.constant(1)))"),
        new_code_cell("print(json.dumps(autoconv.check(greet, inputs=[(tf.constant(1),)]).to_dict()))"),
        new_code_cell("print(json.dumps(autoconv.check(shout, inputs=[(Box(tf.constant(1)),)]).to_dict()))"),
        new_code_cell("autoconv.check(greet, inputs=[(tf.constant(1),)])"),
        new_code_cell("for scale in (2,):\n    pass\n\n\ndef scaled(x):\n    return x * scale\n\n\n"
                      "print(autoconv.check(scaled, inputs=[(3,)]).ran)"),
    ])
    cells = _execute(notebook, path=tmp_path).cells
    greet, shout = (json.loads("".join(o.text for o in cells[i].outputs if o.output_type == "stream"
                                       and o.name == "stdout")) for i in (3, 4))
    source = tmp_path / "lesson.py"
    source.write_text("import tensorflow as tf\n\n\n" + LESSON, encoding="utf-8")
    for report, target, args in ((greet, "greet", "tf.constant(1)"), (shout, "shout", "Box(tf.constant(1))")):
        mine, cli = report["samples"][0]["cases"][0], _cli_case(source, target, args)
        assert (mine["verdict"], mine["first_difference"]) == (cli["verdict"], cli["first_difference"]), target
        assert [c["stdout"] for c in mine["graph"]] == [c["stdout"] for c in cli["graph"]], target
    # the cached trace would have printed nothing on call 1: this is the trace of a fresh load
    assert greet["samples"][0]["cases"][0]["graph"][0]["stdout"] == "tracing greet\n"
    # the cells' source ran in fresh workers; only the cells that define greet and what it uses
    assert (greet["ran"], greet["cells"]) == ("cells", [1, 2]) and "shared_state" not in greet
    assert "In [1], In [2] in a fresh worker process" in greet["note"]
    # a Box of the notebook cannot travel to a worker: here, on a fresh copy of the tf.function
    assert shout["ran"] == "here" and shout["shared_state"] and "traced afresh from a copy" in shout["note"]
    # a name set by a loop of the notebook is not in any program of its cells: here, and said so
    assert [o.text for o in cells[6].outputs if o.output_type == "stream"] == ["here\n"]
    shown = html.unescape(re.sub(r"<[^>]+>", " ", cells[5].outputs[0].data["text/html"]))
    assert "Ran the source of the notebook's cells In [1], In [2]" in shown


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
    # nbconvert's page right-aligns table cells; the views' own tables read from the left
    cells = browser.find_elements(By.CSS_SELECTOR, "section.autoconv td, section.autoconv th")
    assert cells and {browser.execute_script("return getComputedStyle(arguments[0]).textAlign", cell)
                      for cell in cells} == {"left"}
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
