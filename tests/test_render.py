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
from autoconv.conversion import Conversion
from autoconv.equivalence.report import (
    CallRecord,
    CaseReport,
    ConversionStatus,
    Difference,
    ErrorInfo,
    SampleReport,
)
from autoconv.render import document, get_renderer
from autoconv.render.html import HtmlRenderer
from autoconv.render.markdown import MarkdownRenderer
from autoconv.render.rst import RstRenderer
from autoconv.render.text import TextRenderer


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
    assert conversion.ok and conversion.line_map == {1: 1}
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
    page = HtmlRenderer().format(loop)
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
            assert f"--h:{original[origin - 1]['attrs']['style'].split('--h:')[1]}" in attrs["style"]
        else:
            assert "data-orig" not in attrs and "ac-band" not in attrs["class"]
    bands = {line["attrs"].get("style") for line in original if "ac-band" in line["attrs"]["class"]}
    assert len(bands) == len(set(loop.line_map.values()))  # a colour of its own per original line
    assert all(line["attrs"]["tabindex"] == "0" for line in original)


def test_html_annotations_are_expandable_at_their_line(loop):
    page = HtmlRenderer().format(loop)
    parsed = Lines(page)
    assert parsed.summaries == [a.kind for a in loop.annotations]
    for kind in ("for_stmt", "if_stmt", "FunctionScope"):
        annotation = next(a for a in loop.annotations if a.kind == kind)
        line = f'data-line="{annotation.converted_line}"'
        after_line = page[page.index(line):]
        notes = after_line[after_line.index('class="ac-notes'):]
        assert notes.index(f">{kind}</summary>") < notes.index("</div></div>")  # under that very line
        assert annotation.text.replace("'", "&#x27;") in page


def test_html_page_is_self_contained(loop):
    page = HtmlRenderer().format(loop)
    assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page
    assert "<title>autoconv: loop_with_branch</title>" in page
    tags = Lines(page).tags
    assert not [attrs for _, attrs in tags if "src" in attrs or "href" in attrs]
    assert "http://" not in page and "https://" not in page and "@import" not in page


def test_html_fragment_css_js_and_page_for_a_gallery(loop, lam):
    renderer = get_renderer("html", standalone=False)
    fragment = renderer.format(loop)
    assert fragment.startswith('<section class="autoconv">') and fragment.endswith("</section>")
    assert "<!doctype" not in fragment and "<style>" not in fragment and "<script>" not in fragment
    assert "ac-hit" in renderer.css() and "ac-hit" in renderer.js()
    body = fragment + renderer.format(lam)
    page = renderer.page("Gallery <all>", body)
    assert page.startswith("<!doctype html>") and "<title>Gallery &lt;all&gt;</title>" in page
    assert body in page and renderer.css() in page and renderer.js() in page
    assert "<h2><code>&lt;lambda&gt;</code></h2>" in page


def test_html_failed_conversion_shows_original_and_why(failed):
    page = HtmlRenderer(standalone=False).format(failed)
    parsed = Lines(page)
    assert [line["code"] for line in parsed.lines] == failed.original.splitlines()
    assert "ac-converted" not in page and "ac-alone" in page
    assert "AutoGraph could not convert it" in page and "&#x27;match&#x27;" in page
    assert "&lt;zero&gt;" in page and "<zero>" not in page


def test_html_verdict_table(loop, report):
    page = HtmlRenderer().format(loop, report)
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
    html = HtmlRenderer(standalone=False).format(conversion)
    assert "(original source not available)" in html and "no source for &lt;built&gt;" in html
    markdown = MarkdownRenderer().format(conversion)
    assert "(original source not available)" in markdown and "no source for \\<built\\>" in markdown
    tree = _doctree(RstRenderer().format(conversion))
    assert "(original source not available)" in tree.astext() and "no source for <built>" in tree.astext()


def test_html_report_without_inputs(failed):
    report = SampleReport("with_match", "x.py:1", ConversionStatus(False, "no match support"))
    page = HtmlRenderer(standalone=False).format(failed, report)
    assert "0 cases" in page and "No inputs were declared" in page and "no match support" in page


def test_markdown_blocks_notes_and_table(loop, report):
    text = MarkdownRenderer().format(loop, report)
    assert text.startswith("## `loop_with_branch`\n")
    assert text.count("```python\n") == 2
    assert re.search(r"^def loop_with_branch\(n\): +# 1$", text, re.MULTILINE)
    for converted_line, original_line in loop.line_map.items():
        line = loop.converted.splitlines()[converted_line - 1]
        assert any(row.startswith(line) and row.endswith(f"# {converted_line} ◂{original_line}")
                   for row in text.splitlines())
    for annotation in loop.annotations:
        place = f"- line {annotation.converted_line} (from original line {annotation.original_line})"
        assert f"{place} — `{annotation.kind}`: " in text
    assert "| Case | Verdict | Expected |  | First difference | Eager | Graph | Saved |" in text
    assert "| `'a\\|b'` | mismatch | match | ✗ | call 2: stdout | `stdout: 'second eager\\n'` | `stdout: ''` |" in text
    assert "| `-1` | native-error | match | ✗ | call 1: error | `ValueError: negative` | `0` |" in text


def test_markdown_parses_as_gfm(loop, failed, report):
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table")
    rendered = parser.render(MarkdownRenderer().format(loop, report))
    assert "<script>" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    header = rendered[rendered.index("<thead>"):rendered.index("</thead>")]
    assert header.count("<th>") == 8
    body = rendered[rendered.index("<tbody>"):]
    assert body.count("<tr>") == len(report.cases) and "<code>'a|b'</code>" in body
    assert "a_b_ *x*" in parser.render(MarkdownRenderer().format(loop))
    failure = parser.render(MarkdownRenderer().format(failed))
    assert "<blockquote>" in failure and "'match'" in failure and "Converted by" not in failure


def _doctree(text):
    return docutils.core.publish_doctree(text, settings_overrides={"report_level": 2, "halt_level": 2})


def test_rst_parses_cleanly_for_every_shape(loop, failed, lam, report):
    empty = SampleReport("x", "x.py:1", ConversionStatus(True))
    for conversion in (loop, failed, lam):
        for sample_report in (None, report, empty):
            tree = _doctree(RstRenderer().format(conversion, sample_report))
            assert not list(tree.findall(docutils.nodes.system_message))


def test_rst_content(loop, failed, report):
    text = RstRenderer().format(loop, report)
    tree = _doctree(text)
    blocks = list(tree.findall(docutils.nodes.literal_block))
    numbered = blocks[0].astext().splitlines()  # :number-lines: puts each number before its line
    assert len(blocks) == 2 and numbered == [f"{n} {line}" for n, line in enumerate(loop.original.splitlines(), 1)]
    assert text.count(":number-lines:") == 2
    converted_rows = blocks[1].astext().splitlines()
    for converted_line, original_line in loop.line_map.items():
        assert converted_rows[converted_line - 1].endswith(f"# ◂{original_line}")
    words = tree.astext()
    for annotation in loop.annotations:
        assert f"line {annotation.converted_line} (from original line {annotation.original_line}) — " \
               f"{annotation.kind}: {' '.join(annotation.text.split())}" in words
    rows = list(next(iter(tree.findall(docutils.nodes.table))).findall(docutils.nodes.row))
    assert len(rows) == len(report.cases) + 1
    cells = [entry.astext() for entry in rows[2].findall(docutils.nodes.entry)]
    assert cells[:5] == ["'a|b'", "mismatch", "match", "✗", "call 2: stdout"]
    assert cells[5:] == ["stdout: 'second eager\\n'", "stdout: ''", ""]
    failure = _doctree(RstRenderer().format(failed)).astext()
    assert "AutoGraph could not convert it" in failure and "'match'" in failure


@pytest.mark.parametrize("text", [
    "retval_ holds ag__.ld and |subst| *em* `role` [1]_ ends with::",
    "1. not a list", "- not a bullet", ":field: not a field", "#. not auto", "(a) nor this", "x_ y__",
])
def test_rst_escape_keeps_text_as_written(text):
    from autoconv.render.rst import escape

    tree = _doctree(f"Title\n=====\n\n{escape(text)}\n")
    assert not list(tree.findall(docutils.nodes.system_message))
    assert list(tree.findall(docutils.nodes.paragraph))[0].astext() == text


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
    wide = TextRenderer(width=200).format(loop)
    row = next(line for line in wide.splitlines() if line.startswith("  3 │     for i in tf.range(n):"))
    assert "┃" in row
    assert any("◂3 │" in line and "┃" in line for line in wide.splitlines())
    narrow = TextRenderer(width=80).format(loop)
    assert "Original:" in narrow and "┃" not in narrow
    assert "  1 │ def loop_with_branch(n):" in narrow
    for converted_line, original_line in loop.line_map.items():
        assert any(line.startswith(f"{converted_line:3} {'◂' + str(original_line):>4} │")
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
    assert get_renderer(fmt).name == fmt
