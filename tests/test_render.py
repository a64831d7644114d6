"""The renderers on real conversions: HTML, Markdown, RST and text say the same, and escape it all."""
import re
import textwrap
from html.parser import HTMLParser

import docutils.core
import docutils.nodes
import pytest
import tensorflow as tf

import autoconv
from autoconv.cli import main
from autoconv.model.check import (
    CallRecord,
    CaseReport,
    ConversionStatus,
    Difference,
    ErrorInfo,
    SampleReport,
)
from autoconv.model.conversion import Conversion
from autoconv.render import ViewOptions, document, get_formatter
from autoconv.render.html import HtmlFormatter
from autoconv.render.markdown import MarkdownFormatter
from autoconv.render.rst import RstFormatter
from autoconv.render.text import TextFormatter


def loop_with_branch(n):
    total = tf.constant(0)
    for i in tf.range(n):
        if i % 2 == 0:
            total += i
    tf.print("<script>alert(1)</script> | a_b_ *x*")
    return total


def with_match(x):
    match x:
        case 0:
            return "<zero>"
        case _:
            return "other"


doubled = lambda x: x * 2 if x > 0 else -x  # noqa: E731 - a lambda is what is being converted


@pytest.fixture(scope="module")
def loop():
    conversion = autoconv.convert(loop_with_branch)
    assert conversion.ok and "ag__.for_stmt" in conversion.converted and "ag__.if_stmt" in conversion.converted
    return conversion


@pytest.fixture(scope="module")
def failed():
    conversion = autoconv.convert(with_match)
    assert not conversion.ok and "match" in conversion.error
    return conversion


@pytest.fixture(scope="module")
def lam():
    conversion = autoconv.convert(doubled)
    assert conversion.ok and conversion.line_map == {1: conversion.first_line}
    return conversion


def _tensor(value):
    return f"<tf.Tensor: shape=(), dtype=int32, numpy={value}>"


@pytest.fixture(scope="module")
def report():
    """One case of every verdict, hand-built as the worker would report them."""
    same = [CallRecord(_tensor(6), "total | 6\n"), CallRecord(_tensor(6), "total | 6\n")]
    return SampleReport("loop_with_branch", "test_render.py:27", ConversionStatus(True), [
        CaseReport("tf.constant(5)", "match", "match", None, 0.25, same, same, traces=1,
                   saved=[CallRecord(_tensor(6), "from saved\n")]),
        CaseReport("'a|b'", "mismatch", "match", Difference(2, "stdout"), 0.5,
                   [CallRecord("1", "first\n"), CallRecord("1", "second eager\n")],
                   [CallRecord("1", "first\n", warnings=["retracing warning"]), CallRecord("1", "")], traces=2),
        CaseReport("[1, 2]", "graph-error", "graph-error", Difference(1, "error"), 1.0, [CallRecord("3")],
                   [CallRecord(error=ErrorInfo("OperatorNotAllowedInGraphError", "no Python bool"))]),
        CaseReport("-1", "native-error", "match", Difference(1, "error"), 0.1,
                   [CallRecord(error=ErrorInfo("ValueError", "negative"))], [CallRecord("0", stderr="oops\n")]),
        CaseReport("10**9", "timeout", "timeout", None, 60.0, detail="timed out after 60 s"),
        CaseReport("None", "crash", "match", None, 2.0, detail="worker died: signal 11"),
    ])


class Lines(HTMLParser):
    """Each ``.ac-line``: its attributes and the text of its code, as a browser would read it."""

    def __init__(self, page):
        super().__init__()
        self.lines, self.tags, self.summaries = [], [], []
        self._line = self._in_code = self._in_summary = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "div" and "ac-line" in attrs.get("class", "").split():
            self._line = {"attrs": attrs, "code": ""}
        self._in_code = self._in_code or (tag == "code" and self._line is not None)
        if tag == "summary":
            self._in_summary = True
            self.summaries.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False
        elif tag == "summary":
            self._in_summary = False
        elif tag == "div" and self._line is not None:
            self.lines.append(self._line)
            self._line = None

    def handle_data(self, data):
        if self._in_code:
            self._line["code"] += data
        if self._in_summary:
            self.summaries[-1] += data

    def side(self, converted):
        return [line for line in self.lines if ("data-line" in line["attrs"]) == converted]


def test_html_every_line_escaped_and_tied_to_its_origin(loop):
    page = HtmlFormatter().conversion(loop)
    parsed = Lines(page)
    original, converted = parsed.side(False), parsed.side(True)
    assert [line["code"] for line in original] == loop.original.splitlines()
    assert [line["code"] for line in converted] == loop.converted.splitlines()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert [tag for tag, _ in parsed.tags].count("script") == 1  # only the page's own script
    for number, line in enumerate(converted, 1):
        attrs = line["attrs"]
        assert attrs["tabindex"] == "0" and attrs["data-line"] == str(number)
        if number in loop.line_map:
            origin = loop.line_map[number]
            assert attrs["data-orig"] == str(origin) and "ac-band" in attrs["class"]
            assert f"--h:{original[origin - loop.first_line]['attrs']['style'].split('--h:')[1]}" in attrs["style"]
        else:
            assert "data-orig" not in attrs and "ac-band" not in attrs["class"]
    bands = {line["attrs"].get("style") for line in original if "ac-band" in line["attrs"]["class"]}
    assert len(bands) == len(set(loop.line_map.values()))  # a colour of its own per original line
    assert all(line["attrs"]["tabindex"] == "0" for line in original)


def test_html_annotations_are_expandable_at_their_line(loop):
    page = HtmlFormatter().conversion(loop)
    parsed = Lines(page)
    explained = document.explaining(loop.notes)
    notes = [summary for summary in parsed.summaries if "⋯" not in summary]  # folds are summaries too
    assert sorted(notes) == sorted(a.kind for a in explained.values())
    assert len(notes) < len(loop.annotations)  # each construct said once; later uses link to it
    for kind in ("for_stmt", "if_stmt", "FunctionScope"):
        annotation = next(a for a in loop.annotations if a.kind == kind)
        line = f'data-line="{annotation.converted_line}"'
        after_line = page[page.index(line):]
        notes = after_line[after_line.index('class="ac-notes'):]
        assert notes.index(f">{kind}</summary>") < notes.index("</div></div>")  # under that very line
        assert annotation.text.replace("'", "&#x27;") in page


def test_html_page_is_self_contained(loop):
    page = HtmlFormatter().conversion(loop)
    assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page
    assert "<title>autoconv: loop_with_branch</title>" in page
    tags = Lines(page).tags
    assert not [attrs for _, attrs in tags if "src" in attrs or ("href" in attrs and not attrs["href"].startswith("#"))]
    assert "http://" not in page and "https://" not in page and "@import" not in page


def test_html_fragment_css_js_and_page_for_a_gallery(loop, lam):
    renderer = get_formatter("html", ViewOptions(standalone=False))
    fragment = renderer.conversion(loop)
    assert fragment.startswith('<section class="autoconv" id="ac-') and fragment.endswith("</section>")
    assert "<!doctype" not in fragment and "<style>" not in fragment and "<script>" not in fragment
    assert "ac-hit" in renderer.css() and "ac-hit" in renderer.js()
    body = fragment + renderer.conversion(lam)
    page = renderer.page("Gallery <all>", body)
    assert page.startswith("<!doctype html>") and "<title>Gallery &lt;all&gt;</title>" in page
    assert body in page and renderer.css() in page and renderer.js() in page
    assert "<h2><code>&lt;lambda&gt;</code></h2>" in page


def test_html_failed_conversion_shows_original_and_why(failed):
    page = HtmlFormatter(ViewOptions(standalone=False)).conversion(failed)
    parsed = Lines(page)
    assert [line["code"] for line in parsed.lines] == failed.original.splitlines()
    assert "ac-converted" not in page and "ac-alone" in page
    assert "AutoGraph could not convert it" in page and "&#x27;match&#x27;" in page
    assert "&lt;zero&gt;" in page and "<zero>" not in page


def unwrapped(page):
    """The page without the spans that keep punctuated words on one line (html_report.unbroken)."""
    return re.sub(r'<span class="ac-w">([^<]*)</span>', r"\1", page)


def test_html_verdict_table(loop, report):
    page = unwrapped(HtmlFormatter().conversion(loop, report))
    assert "6 cases: 3 as expected, 3 unexpected" in page
    rows = page.split('<tr class="ac-case')[1:]
    assert len(rows) == len(report.cases)
    for row, case in zip(rows, report.cases, strict=True):
        assert f'ac-v-{case.verdict}">{case.verdict}</span>' in row
        assert f'ac-v-{case.expected}">{case.expected}</span>' in row
        assert ("✓ as expected" in row) == case.ok and ("ac-unexpected" in row) == (not case.ok)
    mismatch = rows[1]
    assert "<code>&#x27;a|b&#x27;</code>" in mismatch and "call 2: stdout" in mismatch
    assert "<details open>" in mismatch and "traced 2 times" in mismatch
    assert '<td class="ac-diff">second eager\n</td>' in mismatch
    assert '<td class="ac-diff"><span class="ac-empty">(empty)</span></td>' in mismatch
    assert "<summary>1 warning</summary><ul><li>retracing warning</li></ul>" in mismatch
    assert "<details>" in rows[0] and "<td>saved</td>" in rows[0] and "from saved\n" in rows[0]
    assert "total | 6\n" in rows[0] and "&lt;tf.Tensor: shape=(), dtype=int32, numpy=6&gt;" in rows[0]
    assert "OperatorNotAllowedInGraphError: no Python bool" in rows[2]
    assert "ValueError: negative" in rows[3] and "<td>oops\n</td>" in rows[3]
    assert "timed out after 60 s" in rows[4] and "worker died: signal 11" in rows[5]


def test_every_format_without_original_source():
    """A function whose source inspect cannot find still renders, saying so."""
    conversion = Conversion("built", None, None, "no source for <built>")
    html = HtmlFormatter(ViewOptions(standalone=False)).conversion(conversion)
    assert "(original source not available)" in html and "no source for &lt;built&gt;" in html
    markdown = MarkdownFormatter().conversion(conversion)
    assert "(original source not available)" in markdown and "no source for \\<built\\>" in markdown
    tree = _doctree(RstFormatter().conversion(conversion))
    assert "(original source not available)" in tree.astext() and "no source for <built>" in tree.astext()


def test_html_report_without_inputs(failed):
    report = SampleReport("with_match", "x.py:1", ConversionStatus(False, "no match support"))
    page = HtmlFormatter(ViewOptions(standalone=False)).conversion(failed, report)
    assert "0 cases" in page and "No inputs were declared" in page and "no match support" in page


def test_markdown_blocks_notes_and_table(loop, report):
    text = MarkdownFormatter().conversion(loop, report)
    assert text.startswith("## `loop_with_branch`\n")
    assert text.count("```python\n") == 2
    first = loop.first_line
    assert re.search(rf"^def loop_with_branch\(n\): +# {first}$", text, re.MULTILINE)
    for converted_line, original_line in loop.line_map.items():
        line = loop.converted.splitlines()[converted_line - 1]
        assert any(row.startswith(line) and row.endswith(f"# {converted_line} ◂{original_line}")
                   for row in text.splitlines())
    for annotation in document.explaining(loop.notes).values():
        place = f"- line {annotation.converted_line} (from original line {annotation.original_line})"
        assert f"{place} — `{annotation.kind}`: " in text
    assert text.count("`for_stmt`: ") == 1 and "- Used again, explained above: " in text
    assert "| Case | Verdict | Expected |  | First difference | Eager | Graph | Saved |" in text
    assert ("| `'a\\|b'` | mismatch | match | ✗ | call 2: stdout: eager stdout line 1: 'second eager'; graph stdout "
            "line 1: (no such line) | `stdout: 'second eager\\n'` | `stdout: ''` |") in text
    assert ("| `-1` | native-error | match | ✗ | call 1: error: eager raised ValueError: negative; graph returned 0 "
            "| `ValueError: negative` | `0` |") in text


def test_markdown_parses_as_gfm(loop, failed, report):
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    rendered = parser.render(MarkdownFormatter().conversion(loop, report))
    assert "<script>" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    header = rendered[rendered.index("<thead>"):rendered.index("</thead>")]
    assert header.count("<th>") == 8
    body = rendered[rendered.index("<tbody>"):]
    assert body.count("<tr>") == len(report.cases) and "<code>'a|b'</code>" in body
    assert "a_b_ *x*" in parser.render(MarkdownFormatter().conversion(loop))
    failure = parser.render(MarkdownFormatter().conversion(failed))
    assert "<blockquote>" in failure and "'match'" in failure and "Converted by" not in failure


def _doctree(text):
    return docutils.core.publish_doctree(text, settings_overrides={"report_level": 2, "halt_level": 2})


def test_rst_parses_cleanly_for_every_shape(loop, failed, lam, report):
    empty = SampleReport("x", "x.py:1", ConversionStatus(True))
    for conversion in (loop, failed, lam):
        for sample_report in (None, report, empty):
            tree = _doctree(RstFormatter().conversion(conversion, sample_report))
            assert not list(tree.findall(docutils.nodes.system_message))


def test_rst_content(loop, failed, report):
    text = RstFormatter().conversion(loop, report)
    tree = _doctree(text)
    blocks = list(tree.findall(docutils.nodes.literal_block))
    numbered = blocks[0].astext().splitlines()  # :number-lines: puts each number before its line, the file's
    first = loop.first_line
    assert len(blocks) == 2
    assert numbered == [f"{n} {line}" for n, line in enumerate(loop.original.splitlines(), first)]
    assert text.count(":number-lines:") == 2 and f":number-lines: {first}\n" in text
    converted_rows = blocks[1].astext().splitlines()
    for converted_line, original_line in loop.line_map.items():
        assert converted_rows[converted_line - 1].endswith(f"# ◂{original_line}")
    words = tree.astext()
    for annotation in document.explaining(loop.notes).values():
        assert f"line {annotation.converted_line} (from original line {annotation.original_line}) — " \
               f"{annotation.kind}: {' '.join(annotation.text.split())}" in words
    rows = list(next(iter(tree.findall(docutils.nodes.table))).findall(docutils.nodes.row))
    assert len(rows) == len(report.cases) + 1
    cells = [entry.astext() for entry in rows[2].findall(docutils.nodes.entry)]
    assert cells[:4] == ["'a|b'", "mismatch", "match", "✗"] and cells[4].startswith("call 2: stdout: eager stdout")
    assert cells[5:] == ["stdout: 'second eager\\n'", "stdout: ''", ""]
    failure = _doctree(RstFormatter().conversion(failed)).astext()
    assert "AutoGraph could not convert it" in failure and "'match'" in failure


@pytest.mark.parametrize("text", [
    "retval_ holds ag__.ld and |subst| *em* `role` [1]_ ends with::",
    "1. not a list", "- not a bullet", ":field: not a field", "#. not auto", "(a) nor this", "x_ y__",
    "raised ``ValueError``: javascript:alert(1)", "see http://evil.example/x or me@evil.example",
    "a `link <javascript:alert(1)>`_ and :raw:`x`",
])
def test_rst_escape_keeps_text_as_written(text):
    from autoconv.render.rst import escape

    tree = _doctree(f"Title\n=====\n\n{escape(text)}\n")
    assert not list(tree.findall(docutils.nodes.system_message))
    assert list(tree.findall(docutils.nodes.paragraph))[0].astext() == text
    assert not list(tree.findall(docutils.nodes.reference))  # no link, live or not


@pytest.mark.parametrize("text", ["javascript:alert(1)", "see https://evil.example/x", "www.evil.example",
                                  "me@evil.example", "[a](javascript:alert(1))", "<https://evil.example>"])
def test_markdown_escape_never_makes_a_link(text):
    markdown_it = pytest.importorskip("markdown_it")
    from autoconv.render.markdown import escape

    assert "<a " not in markdown_it.MarkdownIt("commonmark").render(escape(text))
    try:  # GitHub's bare-URL links need linkify-it-py
        import linkify_it  # noqa: F401
    except ImportError:
        return
    assert "<a " not in markdown_it.MarkdownIt("gfm-like").render(escape(text))


def test_control_characters_are_escaped_in_the_terminal():
    from autoconv.render.text import terminal_safe

    assert terminal_safe("red \x1b[31m bell \x07 back\r ok\tand\nnext") == \
        "red \\x1b[31m bell \\x07 back\\r ok\tand\nnext"


def test_line_comments_only_where_safe():
    source = textwrap.dedent('''\
        def f(x):
            doc = """one
            two"""
            y = x + \\
                1
            return y
    ''')
    labelled = document.with_line_comments(source, {n: str(n) for n in range(1, 7)}).splitlines()
    assert labelled[0].endswith("# 1") and labelled[5].endswith("# 6")
    assert labelled[1] == '    doc = """one' and re.fullmatch(r' +two""" +# 3', labelled[2])
    assert labelled[3] == "    y = x + \\" and labelled[4].endswith("# 5")
    assert document.with_line_comments("f(1,\n", {1: "1"}) == "f(1,"  # a fragment: no comments at all


def test_text_side_by_side_and_stacked(loop):
    first = loop.first_line  # the file's own numbers, as a traceback gives them
    wide = TextFormatter(ViewOptions(width=200)).conversion(loop)
    row = next(line for line in wide.splitlines() if line.startswith(f"{first + 2:4} │     for i in tf.range(n):"))
    assert "┃" in row
    assert any(f"◂{first + 2} │" in line and "┃" in line for line in wide.splitlines())
    narrow = TextFormatter(ViewOptions(width=80)).conversion(loop)
    assert "Original:" in narrow and "┃" not in narrow
    assert f"{first:4} │ def loop_with_branch(n):" in narrow
    for converted_line, original_line in loop.line_map.items():
        assert any(line.startswith(f"{converted_line:5} {'◂' + str(original_line):>5} │")
                   for line in narrow.splitlines())


@pytest.mark.parametrize(("fmt", "start"), [
    ("markdown", "## `f`\n"), ("rst", "f\n=\n"), ("html", "<!doctype html>"),
])
def test_show_format_through_the_cli(tmp_path, capsys, fmt, start):
    path = tmp_path / "mod.py"
    path.write_text("import tensorflow as tf\n\n\ndef f(n):\n    for i in tf.range(n):\n        n -= 1\n    return n\n")
    assert main(["show", f"{path}:f", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out.startswith(start) and "for_stmt" in out and "def tf__f(n):" in re.sub("<[^>]+>", "", out)
    assert get_formatter(fmt).name == fmt


# -- views that teach: lessons, folds and notes ----------------------------------------------------

def accumulate(x, n):
    s = 0
    i = 0
    history = []
    while i < n:
        s += x
        history.append(s)
        i += 1
    if x > 0:
        y = 1
    else:
        y = 2
    print(s)
    tf.print(s)
    return s + y


@pytest.fixture(scope="module")
def list_append():
    """The catalogue's list-append sample: a 13-line @sample declaration above a 5-line function."""
    from autoconv.targets import resolve

    conversion = autoconv.convert(resolve("list_append_in_tensor_loop", None).obj)
    file_lines = open(conversion.filename, encoding="utf-8").read().splitlines()
    function_line = file_lines.index("def list_append_in_tensor_loop(n):") + 1
    assert file_lines[conversion.first_line - 1].startswith("@sample(") and function_line > conversion.first_line + 1
    return conversion, function_line


def _fold_rows(page):
    """(numbers, ◂link, label, data-fold, data-orig) of each folded line."""
    return re.findall(r'<span class="ac-line ac-folded[^"]*"(?: data-orig="(\d+)")?[^>]*?(?: data-fold="([\d-]+)")?'
                      r' title="folded[^"]*"><span class="ac-n">([^<]+)</span>(?:<span class="ac-from">([^<]*)</span>)?'
                      r'<code> *<span class="ac-fold-mark">([^<]+)</span>', page)


def test_html_shows_the_function_with_file_lines_and_folds_the_declaration_and_machinery(list_append):
    conversion, def_line = list_append
    page = HtmlFormatter(ViewOptions(standalone=False)).conversion(conversion)
    folds = _fold_rows(page)
    declaration = folds[0]
    assert declaration[2] == f"{conversion.first_line}–{def_line - 1}" and declaration[4].startswith("@sample(...)")
    # the original's numbers are the file's; ◂N links point at them
    assert f'<span class="ac-n" title="#L{def_line}: a link to this line">{def_line}</span><code><span class="ac-t-k">def' \
           '</span>' in page
    squares = next(n for n, text in enumerate(conversion.converted.splitlines(), 1) if text.strip() == "squares = []")
    assert re.search(rf'data-line="{squares}" data-orig="{def_line + 1}"[^>]*><span class="ac-n">{squares}</span>'
                     rf'<span class="ac-from">◂{def_line + 1}</span>', page)
    by_label = {label: (orig, span, numbers, link) for orig, span, numbers, link, label in folds}
    loop_state = by_label["⋯ loop state: () carries nothing"]
    first, last = map(int, loop_state[1].split("-"))
    assert "get_state" in conversion.converted.splitlines()[first - 1] and loop_state[2] == f"{first}–{last}"
    assert loop_state[0] == str(def_line + 2) and loop_state[3] == f"◂{def_line + 2}"  # the for line
    assert "⋯ function scope (fscope)" in by_label and "⋯ return bookkeeping: do_return, retval_" in by_label
    assert any(label.startswith("⋯ return ag__.converted_call(ag__.ld(tf).stack") for label in by_label)
    # hidden lines are still there, inside the fold, with their own numbers and links
    assert page.count('data-line="') == len(conversion.converted.splitlines())
    assert "5 lines became 24 (14 of them AutoGraph&#x27;s machinery, folded)" in page
    assert f"from <code>samples/data_structures.py:{def_line}</code>" in page or f"data_structures.py:{def_line}" in page
    everything = HtmlFormatter(ViewOptions(standalone=False, show_all=True)).conversion(conversion)
    assert "ac-fold" not in everything.replace("ac-folded", "") and "5 lines became 24, " in everything


def test_text_fold_and_all_through_the_cli(capsys, list_append):
    conversion, def_line = list_append
    assert main(["show", "list_append_in_tensor_loop", "--no-color", "--fold"]) == 0
    folded = capsys.readouterr().out
    assert f"{conversion.first_line}-{def_line - 1} │ @sample(...)  # ⋯ inputs, expect, tags, title, note" in folded
    assert f"{def_line:4} │ def list_append_in_tensor_loop(n):" in folded
    assert re.search(rf"\d+-\d+ +◂{def_line + 2} │ +⋯ loop state: \(\) carries nothing", folded)
    assert "def get_state" not in folded and "5 lines became 24" in folded
    assert "(explained above)" not in folded and "↳ see above: converted_call (line" in folded
    assert main(["show", "list_append_in_tensor_loop", "--no-color", "--all"]) == 0
    everything = capsys.readouterr().out
    assert "def get_state" in everything and "⋯" not in everything and "inputs=[(4,), (tf.constant(4),)]" in everything
    assert main(["show", "list_append_in_tensor_loop", "--no-color"]) == 0
    default = capsys.readouterr().out  # text folds only the declaration unless asked
    assert "def get_state" in default and "@sample(...)" in default


def test_markdown_and_rst_fold_into_comments_that_keep_it_python(list_append):
    conversion, def_line = list_append
    markdown = MarkdownFormatter(ViewOptions(fold=True)).conversion(conversion)
    assert re.search(rf"^@sample\(\.\.\.\)  # ⋯ inputs, expect, tags, title, note +# {conversion.first_line}–{def_line - 1}$",
                     markdown, re.MULTILINE)
    assert re.search(rf"^ +# ⋯ loop state: \(\) carries nothing +# \d+–\d+ ◂{def_line + 2}$", markdown, re.MULTILINE)
    code = markdown.split("```python\n")[2].split("\n```")[0]
    assert "    with ag__.FunctionScope(...) as fscope:  # ⋯ function scope (fscope)" in code
    compile(code, "converted", "exec")  # still Python, folds and all
    rst = RstFormatter(ViewOptions(fold=True)).conversion(conversion)
    assert f"Declared with ``@sample(...)`` on lines {conversion.first_line}–{def_line - 1} (folded)." in rst
    assert f":number-lines: {def_line}\n" in rst
    tree = _doctree(rst)
    assert not list(tree.findall(docutils.nodes.system_message))


def test_the_loop_state_note_for_the_list_append_sample(list_append):
    from autoconv.model.conversion import LOOP_STATE

    conversion, def_line = list_append
    notes = [note for note in conversion.notes if note.kind == LOOP_STATE]
    assert len(notes) == 1
    note = notes[0]
    assert "ag__.for_stmt(" in conversion.converted.splitlines()[note.converted_line - 1]
    assert note.original_line == def_line + 2  # the file's own line
    assert note.text.startswith("Nothing is carried (get_state returns ())")
    assert "squares is a Python list appended inside the loop, not loop state" in note.text
    assert "it appends once" in note.text and "while tracing" in note.text
    page = HtmlFormatter(ViewOptions(standalone=False)).conversion(conversion)
    assert re.search(r'<details class="ac-note ac-teach" id="ac-[0-9a-f]+-note-loop-state-\d+" open>', page)


def test_notes_teach_this_code_loops_ifs_and_print():
    from autoconv.model.conversion import BRANCH_STATE, LOOP_STATE, PRINTS, WHAT_HAPPENED

    conversion = autoconv.convert(accumulate)
    by_kind = {}
    for note in conversion.notes:
        by_kind.setdefault(note.kind, []).append(note)
    loop = by_kind[LOOP_STATE][0]
    assert loop.text.startswith("AutoGraph carries (s, i) from one iteration to the next")
    assert "history is a Python list appended inside the loop, not loop state" in loop.text
    assert by_kind[BRANCH_STATE][0].text.startswith("Both branches must define y:")
    assert len(by_kind[PRINTS]) == 2 and "print is Python: it runs while tracing" in by_kind[PRINTS][0].text
    text = TextFormatter(ViewOptions(width=100)).conversion(conversion)
    assert text.count("print is Python: it runs while") == 1  # once; the tf.print line points at it
    assert re.search(r"see above: print vs tf\.print \(line \d+\)", text)
    # explain's facts join the notes at the first converted line of their file line
    tf_print_line = next(n for n, line in conversion.original_lines() if "tf.print" in line)
    joined = conversion.with_facts({tf_print_line: ["staged: PrintV2 runs every call"]})
    fact = next(note for note in joined.notes if note.kind == WHAT_HAPPENED)
    assert not any(note.kind == WHAT_HAPPENED for note in conversion.notes)  # a copy: the original is unchanged
    assert fact.text == "staged: PrintV2 runs every call" and conversion.line_map[fact.converted_line] == tf_print_line


def test_html_is_scoped_and_ids_are_unique_per_view(loop):
    from autoconv.render.assets import CSS

    rules = [rule.split("{")[0].strip() for rule in CSS.split("}") if "{" in rule]
    selectors = [s.strip() for rule in rules if not rule.startswith("@media") for s in rule.split(",")]
    selectors += [rule.split("{")[-1] for rule in rules if rule.startswith("@media")]
    assert selectors and all(s.startswith(".autoconv") for s in selectors if s and not s.startswith("@")), [
        s for s in selectors if s and not s.startswith((".autoconv", "@"))]
    renderer = HtmlFormatter(ViewOptions(standalone=False))
    first, second = renderer.conversion(loop), renderer.conversion(loop)
    classes = {c for page in (first, second) for attr in re.findall(r'class="([^"]+)"', page) for c in attr.split()}
    assert classes - {"autoconv"} and all(c.startswith("ac-") for c in classes - {"autoconv"})
    ids = re.findall(r' id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) and len(ids) > 2
    assert re.search(r'href="#([^"]+)"', second).group(1) in re.findall(r' id="([^"]+)"', second)


def test_check_text_says_what_differed_and_verbose_lists_every_call(report):
    from autoconv.model.check import CheckReport
    from autoconv.render.text import format_check

    mismatch = report.cases[1]
    mismatch.graph[1].type_change = "int -> Tensor"  # the lead's engine adds these; read when present
    report.cases[3].worker_recycled = "it changed os.environ"
    check = CheckReport("0", "2.21", [report])
    out = format_check(check)
    row = next(line for line in out.splitlines() if line.startswith("loop_with_branch  -1 "))
    assert "call 1: error: eager raised ValueError: negative; graph returned 0" in row
    assert "graph raised OperatorNotAllowedInGraphError: no Python bool" in out
    details = out.split("\n\n")[1]  # under the table: each unexpected case, side by side
    assert "loop_with_branch 'a|b': mismatch, expected match (call 2: stdout)" in details
    assert "    eager  stdout line 1: 'second eager'" in details and "    graph  stdout line 1: (no such line)" in details
    assert "    graph  type changed: int -> Tensor" in details and "    worker recycled: it changed os.environ" in details
    assert "call 1 eager" not in out
    verbose = format_check(check, verbose=True)
    assert "    call 1 eager value 1; stdout 'first\\n'" in verbose and "    call 2 graph value 1" in verbose
    assert "    call 1 eager error ValueError: negative" in verbose


def test_an_autograph_error_shows_its_headline_and_the_user_line():
    from autoconv.model.check import ErrorInfo

    message = ("in user code:\n\n    File \"samples/data_structures.py\", line 31, in f  *\n        return x\n\n"
               "    InaccessibleTensorError: <tf.Tensor 'while/mul:0'> is out of scope.\n    Please see ...")
    error = ErrorInfo("InaccessibleTensorError", message)
    assert document.error_headline(error) == "<tf.Tensor 'while/mul:0'> is out of scope."
    assert document.error_line(error) == "31"
    assert document.error_headline(ErrorInfo("ValueError", "\nbad value\nmore")) == "bad value"
    assert document.error_line(ErrorInfo("ValueError", "bad value")) is None


def test_html_check_shows_the_difference_itself(loop, report):
    raw = HtmlFormatter(ViewOptions(standalone=False)).conversion(loop, report)
    assert '<span class="ac-w">graph-error</span>' not in raw and '<span class="ac-w">OperatorNotAllowedInGraphError:</span>' in raw
    page = unwrapped(raw)
    rows = page.split('<tr class="ac-case')[1:]
    assert ('<span class="ac-side-name">graph</span> <code>raised OperatorNotAllowedInGraphError: no Python bool'
            '</code>') in rows[2]
    assert '<span class="ac-side-name">eager</span> <code>raised ValueError: negative</code>' in rows[3]
    assert '<span class="ac-side-name">graph</span> <code>returned 0</code>' in rows[3]
    assert "stdout line 1: &#x27;second eager&#x27;" in rows[1]
    assert all('data-label="first difference"' in row for row in rows)


def test_one_colour_per_verdict():
    from autoconv.model.verdicts import Verdict
    from autoconv.render.assets import VERDICT_STYLES
    from autoconv.render.html_report import badge

    assert set(VERDICT_STYLES) == set(Verdict)
    html = {(style.background, style.text, style.border) for style in VERDICT_STYLES.values()}
    assert len(html) == len(Verdict)  # no two verdicts look alike
    assert len({style.terminal for style in VERDICT_STYLES.values()}) == len(Verdict)
    assert badge("graph-error") == '<span class="ac-badge ac-v-graph-error">graph-error</span>'


def test_a_retracing_sample_shows_its_retraces_through_trace(capsys):
    assert main(["trace", "python_scalar_retraces"]) == 0
    out = capsys.readouterr().out
    assert "4 traces for 6 calls" in out
    assert "call 2: x is the new Python value 2 (traced before with 1)" in out
    assert re.search(r"^5 +reused +tf\.constant\(2\)", out, re.MULTILINE)


def test_gallery_index_teaches_filters_and_links_siblings(loop):
    from autoconv.gallery.build import render_pages
    from autoconv.model.gallery import Gallery, GalleryFile, GallerySample
    from autoconv.render.gallery import INTRODUCTION

    report = SampleReport("loop_with_branch", "x.py:1", ConversionStatus(True), [
        CaseReport("1", "graph-error", "match", Difference(1, "error"), 0.1, [CallRecord("1")],
                   [CallRecord(error=ErrorInfo("TypeError", "no"))])])
    first = GallerySample("loop_with_branch", "A loop", ["loops", "tensor"], "Fixed in sibling_fix; not in loop_with_branch.",
                          "x.py:1", True, loop, report)
    sibling = GallerySample("sibling_fix", "The fix", ["loops"], "", "x.py:9", False, loop)
    pages = render_pages(Gallery([GalleryFile("x.py", [first, sibling])], True, "2"), "html")
    index = pages["index.html"]
    assert INTRODUCTION.replace("'", "&#x27;") in index and '<a href="#topic-loops">loops</a>&nbsp;(2)' in index
    assert '<input type="search" id="g-filter"' in index and "<script>" in index.split("</main>")[1]
    assert 'data-filter="loop_with_branch a loop loops tensor graph-error def ' in index  # and the code
    assert index.count('class="g-badge ac-v-') >= 6 + 2  # the legend's six verdicts, then the samples'
    assert '<span class="g-badge ac-v-graph-error" title="1: graph-error, expected match"><span class="g-mark-bad"' in index
    page = pages["samples/loop_with_branch.html"]
    assert 'Fixed in <a href="sibling_fix.html"><code>sibling_fix</code></a>; not in loop_with_branch.' in page
    markdown = render_pages(Gallery([GalleryFile("x.py", [first, sibling])], True, "2"), "markdown")
    assert "Fixed in [`sibling_fix`](sibling_fix.md); not in loop_with_branch." in markdown["samples/loop_with_branch.md"]
    assert "Topics: [loops](#loops) (2)" in markdown["index.md"]
    assert "# ⋯ loop state: (total)" in markdown["samples/loop_with_branch.md"]  # the gallery folds


def test_check_cli_prints_the_error_itself_and_verbose_every_call(tmp_path, capsys):
    path = tmp_path / "leaky.py"
    path.write_text(textwrap.dedent('''
        import tensorflow as tf
        from autoconv import sample

        @sample(inputs=[(3,)], tags=["pitfall"])
        def leaky(n):
            squares = []
            for i in tf.range(n):
                squares.append(i * i)
            return tf.stack(squares)
    '''))
    assert main(["check", "--samples", str(path), "--no-color"]) == 1
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("leaky"))
    assert "call 1: error: graph raised InaccessibleTensorError at line 10: <tf.Tensor" in row  # not just "error"
    assert "leaky 3: graph-error, expected match (call 1: error)" in out
    assert re.search(r"^    graph  raised InaccessibleTensorError at line 10: .* is out of scope", out, re.M)
    assert re.search(r"^    eager  returned <tf.Tensor: shape=\(3,\)", out, re.M)
    assert "call 1 graph error" not in out
    assert main(["check", "--samples", str(path), "--no-color", "-v"]) == 1
    verbose = capsys.readouterr().out
    assert re.search(r"^    call 1 eager value <tf.Tensor: shape=\(3,\)", verbose, re.M)
    assert re.search(r"^    call 1 graph error InaccessibleTensorError: in user code:", verbose, re.M)


class _Tally(tf.Module):
    """A module whose method's state is made in __init__."""

    def __init__(self):
        super().__init__()
        self.total = tf.Variable(0)

    def helper(self):
        return 1

    @tf.function
    def add(self, step):
        self.total.assign_add(step)
        return self.total.read_value()


def test_a_method_is_shown_under_its_class_and_the_init_that_makes_its_state():
    conversion = autoconv.convert(_Tally().add)
    assert conversion.context.startswith("class _Tally(tf.Module):")
    assert "def __init__(self):" in conversion.context and "self.total = tf.Variable(0)" in conversion.context
    assert "def helper" not in conversion.context and conversion.method_indent == 4
    assert Conversion.from_dict(conversion.to_dict()) == conversion
    page = HtmlFormatter(ViewOptions(standalone=False)).conversion(conversion)
    context_rows = re.findall(r'<div class="ac-line ac-context"[^>]*data-orig="(\d+)"', page)
    assert [int(n) for n in context_rows] == list(range(conversion.context_first_line,
                                                        conversion.context_first_line + len(context_rows)))
    assert "⋯ 3 lines of the class" in page  # helper, and the blank line after it
    # the method sits inside its class
    first = conversion.first_line
    assert re.search(rf'data-orig="{first}"[^>]*><span class="ac-n"[^>]*>{first}</span><code[^>]*>(<span[^>]*>)?    ',
                     page)
    assert autoconv.convert(sum_of_squares_for_context).context is None


def sum_of_squares_for_context(n):
    return n * n


def test_the_print_lesson_is_in_view_and_a_failed_trace_says_where():
    from autoconv.render.html_report import report_html

    # print on stdout, tf.print on stderr: the expected mismatch shows both, its calls open
    printed = CaseReport("3", "mismatch", "mismatch", Difference(2, "stdout"), 0.1,
                         [CallRecord("3", "tracing\n", "3\n"), CallRecord("3", "tracing\n", "3\n")],
                         [CallRecord("3", "tracing\n", "3\n"), CallRecord("3", "", "3\n")], traces=1)
    assert document.differed(printed) == [("eager", "stdout line 1: 'tracing'"),
                                          ("graph", "stdout line 1: (no such line)")]
    printed.graph[1].stderr = ""  # a tf.print that did not run on call 2 shows too
    assert ("graph", "stderr line 1: (no such line)") in document.differed(printed)
    html = report_html(SampleReport("p", "p.py:1", ConversionStatus(True), [printed]))
    assert '<tr class="ac-calls"><td colspan="5"><details open>' in html
    # a trace that failed: where, not "traced 0 times"
    failed = CaseReport("[1]", "graph-error", "graph-error", Difference(1, "error"), 0.1, [CallRecord("1")],
                        [CallRecord(error=ErrorInfo("ValueError", 'in user code:\n\n    File "s.py", line 31, in f  *\n'
                                                                  "        v = tf.Variable(1.0)\n\n    ValueError: no"))],
                        traces=0)
    html = report_html(SampleReport("f", "s.py:28", ConversionStatus(True), [failed]))
    assert "the trace failed at line 31" in html and "traced 0 times" not in html
