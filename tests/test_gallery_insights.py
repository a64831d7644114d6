"""The gallery's graph and timing sections, taken from the check's own runs (real TensorFlow, real workers)."""
import html
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autoconv.cli import main
from autoconv.equivalence.runner import run_files
from autoconv.gallery import drawing, figures
from autoconv.gallery.build import render_pages
from autoconv.model.check import CallRecord, CaseReport, ConversionStatus, ErrorInfo, SampleReport
from autoconv.model.conversion import Conversion
from autoconv.model.gallery import Gallery, GalleryFile, GallerySample
from autoconv.model.graph import GraphNode, GraphView

SAMPLES_FILE = "loops.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(5),), (tf.constant(50),)], tags=["loops"], title="Tensor loop")
    def tensor_loop(n):
        total = tf.constant(0)
        for i in tf.range(n):
            total += i
        return total

    @sample(inputs=[(tf.constant(1),)], tags=["loops"], title="Python loop")
    def python_loop(x):
        total = x
        for i in range(5):
            total += i
        return total

    @sample(inputs=[(tf.constant(1),)], expect="graph-error", tags=["errors"], title="numpy in a graph")
    def numpy_only(x):
        return x.numpy()
''')

WHILE_OPS = ("StatelessWhile", "While")
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot (Debian package graphviz)")


@pytest.fixture(scope="module")
def samples(samples_file):
    """The folder holding SAMPLES alone: the gallery is built from a folder."""
    return samples_file.parent


@pytest.fixture(scope="module")
def gallery(samples):
    out = samples.parent / "out"
    assert main(["docs", str(out), "--samples", str(samples)]) == 0
    return out


def section(page: Path, heading: str) -> str:
    """One section of a gallery page: from its <h2> to the next one (or the end of the page)."""
    text = page.read_text()
    match = re.search(rf'<h2 id="{heading}">.*?(?=<h2|</main>)', text, re.S)
    assert match, f"no {heading} section in {page.name}"
    return match.group(0)


def visible(fragment: str) -> str:
    without_svg = re.sub(r"<svg.*?</svg>", "", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without_svg)).split())


def test_the_check_brings_back_case_0_graph_only_when_asked(samples):
    asked = run_files([str(samples / "loops.py")], graphs=True)
    by_name = {s.name: s for s in asked.report.samples}
    loop = by_name["tensor_loop"].cases
    assert set(WHILE_OPS) & set(loop[0].graph_view.ops) and loop[1].graph_view is None
    body = next(node for node in loop[0].graph_view.nodes if node.op in WHILE_OPS).functions["body"]
    assert "AddV2" in loop[0].graph_view.functions[body].ops
    unrolled = by_name["python_loop"].cases[0].graph_view
    assert unrolled.ops["AddV2"] == 5 and not set(WHILE_OPS) & set(unrolled.ops)
    assert by_name["numpy_only"].cases[0].verdict == "graph-error"
    assert by_name["numpy_only"].cases[0].graph_view is None  # it never traced: no graph, no crash
    assert CaseReport.from_dict(loop[0].to_dict()) == loop[0]
    assert GraphView.from_data(loop[0].graph_view.to_data()) == loop[0].graph_view
    assert all(case.graph_view is None for s in run_files([str(samples / "loops.py")]).report.samples
               for case in s.cases)


def test_check_json_has_no_graph_view(run_autoconv, samples):
    result = run_autoconv("check", "--samples", str(samples), "--json")
    assert result.returncode == 0, result.stderr
    assert "graph_view" not in result.stdout
    cases = [case for sample in json.loads(result.stdout)["samples"] for case in sample["cases"]]
    assert len(cases) == 4 and all(call["seconds"] >= 0 for case in cases for call in case["graph"])


def test_a_tensor_loop_page_shows_a_while_op_and_its_body(gallery):
    graph = section(gallery / "samples" / "tensor_loop.html", "graph")
    text = visible(graph)
    assert "The graph tf.function traced for case 1 (tf.constant(5))" in text  # cases count from 1
    assert re.search(r"Control flow stays in the graph: its (Stateless)?While op runs", text)
    top = re.search(r"top-level graph \d+ (.*?) (Stateless)?While body", text).group(1)
    assert re.search(r"\b(Stateless)?While\b", top) and "Range" in top
    assert re.search(r"(Stateless)?While body while_body_\d+ \d+ [^|]*AddV2", text)
    assert re.search(r"(Stateless)?While cond while_cond_\d+ \d+ [^|]*Less", text)


def test_what_happened_comes_after_the_code_meaning_first_indentation_kept(gallery):
    """Issue 19 item 3: the gallery's "What happened" sits under the view of the code, says what
    ran where (the unrolled loop and its iterations) before the graph's numbers, keeps each line's
    indentation, and is one box per case, not a box in a box."""
    page = (gallery / "samples" / "python_loop.html").read_text()
    explained = section(gallery / "samples" / "python_loop.html", "explain")
    assert page.index('ac-side ac-original') < page.index('<h2 id="explain">')
    text = visible(explained)
    places = [text.find(piece) for piece in ("control flow: 0 staged as graph ops, 1 run in Python while tracing",
                                             "run in Python: line", "(for) unrolled ×5", "trace-time effects: none",
                                             "call 1 (tf.constant(1)): traced", "graph: ")]
    assert -1 not in places and places == sorted(places), text
    assert '<code class="ac-source">        total += i</code>' in explained  # the loop body, indented under its for
    assert explained.count('class="autoconv"') == 1 and '<div class="autoconv"><div class="autoconv"' not in explained


def test_a_python_range_page_shows_repeated_ops_and_no_while(gallery):
    graph = section(gallery / "samples" / "python_loop.html", "graph")
    text = visible(graph)
    assert "No control-flow ops" in text
    assert re.search(r"top-level graph \d+ AddV2×5, Const×5", text)
    assert "While" not in text


@needs_graphviz
def test_with_graphviz_the_graph_is_inline_svg(gallery):
    for name in ("tensor_loop", "python_loop"):
        page = (gallery / "samples" / f"{name}.html").read_text()
        drawn = section(gallery / "samples" / f"{name}.html", "graph")
        assert re.search(r'<div class="g-drawing"><svg [^>]*viewBox=', drawn)
        assert "<?xml" not in page and "<!DOCTYPE svg" not in page
        assert drawn.count("<svg") == 1 and drawn.count("</svg>") == 1
    assert "StatelessWhile" in section(gallery / "samples" / "tensor_loop.html", "graph").split("<svg")[1]


def test_a_sample_that_never_traced_says_there_is_no_graph(gallery):
    graph = visible(section(gallery / "samples" / "numpy_only.html", "graph"))
    assert graph == "Graph " + figures.NO_GRAPH


def test_timings_table_has_eager_graph_speedup_and_first_call_per_case(gallery):
    timings = re.sub(r'<span class="ac-w">([^<]*)</span>', r"\1", section(gallery / "samples" / "tensor_loop.html", "timings"))
    assert re.findall(r"<th>([^<]+)</th>", timings) == [
        "case", "eager ms, one call", "graph ms, one call", "speedup", "graph first call ms (trace)"]
    assert "One warm call each, from the check, not a benchmark" in visible(timings)
    assert "<code>autoconv bench tensor_loop</code>" in timings
    rows = re.findall(r"<tr(?: class=\"g-slower\")?><td><code>([^<]+)</code></td>"
                      r"<td class=num>([\d.]+)</td><td class=num>([\d.]+)</td>"
                      r"<td class=num>([^<]+)</td><td class=num>([\d.]+)</td></tr>", timings)
    assert [row[0] for row in rows] == ["tf.constant(5)", "tf.constant(50)"]
    for _, eager, graph, speedup, first in rows:
        assert float(eager) > 0 and float(graph) > 0 and float(first) > 0
        if min(float(eager), float(graph)) < 1:  # a single call under 1 ms is noise: no speedup from it
            assert speedup == figures.UNDER_A_MILLISECOND
            continue
        ratio, slower = re.fullmatch(r"(\d+\.\d+)×( graph slower)?", speedup).groups()
        assert float(ratio) == pytest.approx(float(eager) / float(graph), rel=0.02, abs=0.01)
        assert bool(slower) == (float(ratio) < 1)
    raised = visible(section(gallery / "samples" / "numpy_only.html", "timings"))
    assert "- (a call raised)" in raised  # no speedup is claimed between a value and an error


def test_unchanged_rebuild_imports_no_tensorflow_and_keeps_the_drawings(gallery, samples):
    before = {p: p.read_text() for p in gallery.rglob("*.html")}
    probe = (
        "import sys\nfrom autoconv.cli import main\n"
        f"code = main(['docs', {str(gallery)!r}, '--samples', {str(samples)!r}])\n"
        "print('tensorflow imported:', 'tensorflow' in sys.modules)\nsys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "tensorflow imported: False" in result.stdout
    assert "0 files rebuilt, 1 cached; 0 pages written" in result.stdout
    assert {p: p.read_text() for p in gallery.rglob("*.html")} == before


@needs_graphviz  # its second half draws with the real dot
def test_without_graphviz_the_page_has_the_counts_and_a_note_and_graphviz_later_draws(samples, tmp_path,
                                                                                   monkeypatch, capsys):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))
    out = tmp_path / "out"
    assert main(["docs", str(out), "--samples", str(samples)]) == 0
    page = out / "samples" / "tensor_loop.html"
    graph = section(page, "graph")
    assert "<svg" not in page.read_text()
    text = visible(graph)
    assert re.search(r"(Stateless)?While body while_body_\d+ \d+", text)
    assert "No drawing: Graphviz's dot was not available when this gallery was built. " \
           "autoconv graph tensor_loop --format svg draws it." in text
    assert "<code>autoconv graph tensor_loop --format svg</code>" in graph

    monkeypatch.undo()  # Graphviz "installed": the cache key changed, so the file is checked again
    capsys.readouterr()
    assert main(["docs", str(out), "--samples", str(samples)]) == 0
    assert "1 file rebuilt, 0 cached" in capsys.readouterr().out
    assert '<div class="g-drawing"><svg' in section(page, "graph")


def test_markdown_pages_have_the_op_counts_the_command_and_the_timings(samples, tmp_path):
    out = tmp_path / "out"
    assert main(["docs", str(out), "--samples", str(samples), "--format", "markdown"]) == 0
    page = (out / "samples" / "python_loop.md").read_text()
    graph = page[page.index("\n## Graph\n"):]
    assert "| runs as | function | ops | op counts |" in graph
    assert re.search(r"\| top-level graph \|  \| \d+ \| AddV2×5, Const×5, Identity, Placeholder \|", graph)
    assert "\n\n`autoconv graph python_loop --format svg` draws it with Graphviz.\n" in graph
    assert "While" not in graph and "<svg" not in page
    loop = (out / "samples" / "tensor_loop.md").read_text()
    assert re.search(r"\| (Stateless)?While body \| `while_body_\d+` \| \d+ \| [^|]*AddV2", loop)
    timings = loop[loop.index("\n## Timings\n"):loop.index("\n## Graph\n")]
    assert "| case | eager ms, one call | graph ms, one call | speedup | graph first call ms (trace) |" in timings
    speedups = r"(\*\*)?\d+\.\d+×|- \(one call under 1 ms\)"
    assert len(re.findall(rf"\| `tf\.constant\(\d+\)` \| [\d.]+ \| [\d.]+ \| ({speedups})", timings)) == 2
    times = (out / "times.md").read_text()
    assert "| sample | cases | conversion s | eager ms, one call | graph ms, one call | speedup |" in times


def _call(seconds: float, error: bool = False) -> CallRecord:
    return CallRecord(value=None if error else "1", seconds=seconds, error=ErrorInfo("E", "m") if error else None)


def _sample(name: str, cases: list[CaseReport], graph_svg: str | None = None) -> GallerySample:
    conversion = Conversion(name=name, original="def f(x):\n    return x\n", converted=None, error="not converted")
    return GallerySample(name=name, title=name, tags=["timing"], note="", location=f"/x/{name}.py:1", has_inputs=True,
                         conversion=conversion, report=SampleReport(name, f"/x/{name}.py:1",
                                                                    ConversionStatus(False, "no"), cases),
                         graph_svg=graph_svg)


def test_slower_graphs_are_highlighted_and_one_call_or_an_error_claims_no_speedup():
    slow = CaseReport("1", "match", "match", eager=[_call(0.5), _call(0.0011)], graph=[_call(0.2), _call(0.0044)])
    fast = CaseReport("2", "match", "match", eager=[_call(0.5), _call(0.008)], graph=[_call(0.2), _call(0.002)])
    once = CaseReport("3", "match", "match", eager=[_call(0.001)], graph=[_call(0.2)])
    raised = CaseReport("4", "graph-error", "graph-error", eager=[_call(0.001)] * 2, graph=[_call(0.2, True)] * 2)
    timings = [figures.case_timing(case) for case in (slow, fast, once, raised)]
    assert [t.speedup for t in timings] == [0.25, 4.0, None, None]
    assert [t.slower for t in timings] == [True, False, False, False]
    assert [figures.speedup_text(t) for t in timings] == ["0.25× graph slower", "4.00×", "-", "- (a call raised)"]
    assert timings[2].graph is None and timings[2].first_graph == 0.2  # its one graph call traced
    # A single sub-millisecond call claims no speedup at all (the Times page once said 0.00×).
    tiny = figures.case_timing(CaseReport("5", "match", "match", eager=[_call(0.0)] * 2,
                                          graph=[_call(0.2), _call(0.000547)]))
    assert tiny.speedup is None and figures.milliseconds(tiny.eager) == "< 0.001"
    assert figures.speedup_text(tiny) == "- (one call under 1 ms)"
    tiny.eager = 0.000001
    assert figures.speedup_text(tiny) == "- (one call under 1 ms)" and figures.milliseconds(tiny.eager) == "0.001"
    total = figures.sample_timing(SampleReport("s", "x:1", ConversionStatus(True), [slow, fast, once, raised]))
    assert (total.eager, total.graph, total.speedup) == pytest.approx((0.0091, 0.0064, 0.0091 / 0.0064))
    with_tiny = figures.sample_timing(SampleReport("s", "x:1", ConversionStatus(True), [fast, CaseReport(
        "6", "match", "match", eager=[_call(0.5), _call(0.0002)], graph=[_call(0.2), _call(0.0001)])]))
    assert with_tiny.speedup is None and figures.speedup_text(with_tiny) == "- (one call under 1 ms)"

    gallery = Gallery([GalleryFile("/x/t.py", [_sample("mixed", [slow, fast]), _sample("slow", [slow])])], True, "2")
    pages = render_pages(gallery, "html")
    rows = re.findall(r"<tr( class=\"g-slower\")?><td><code>(\d)</code>", pages["samples/mixed.html"])
    assert rows == [(' class="g-slower"', "1"), ("", "2")]
    assert "<td class=num>1.100</td><td class=num>4.400</td><td class=num>0.25× graph slower</td>" \
           in pages["samples/mixed.html"]
    times = pages["times.html"]
    assert re.search(r'<tr><td><a href="samples/mixed.html">.*?<td class=num>1.42×</td>', times)
    assert re.search(r'<tr class="g-slower"><td><a href="samples/slow.html">.*?0.25× graph slower', times)
    markdown = render_pages(gallery, "markdown")
    assert "| `1` | 1.100 | 4.400 | **0.25× graph slower** | 200.000 |" in markdown["samples/mixed.md"]
    assert "**0.25× graph slower**" in markdown["times.md"] and "| 1.42× |" in markdown["times.md"]


def _chain(name: str, length: int) -> GraphView:
    nodes = [GraphNode(f"n{i}", "AddV2", [f"n{i - 1}"] if i else []) for i in range(length)]
    return GraphView(name, 0, "1", {"AddV2": length}, nodes=nodes)


@needs_graphviz
def test_one_dot_run_draws_every_graph_but_not_the_huge_ones(monkeypatch):
    small, huge = _chain("small", 3), _chain("huge", figures.MAX_DRAWN_NODES + 1)
    svgs = drawing.draw([small, huge, _chain("other", 2)])
    assert svgs[0].startswith("<svg") and svgs[0].endswith("</svg>") and "<title>small</title>" in svgs[0]
    assert svgs[1] is None and "<title>other</title>" in svgs[2]
    assert figures.drawing_note(huge).format(command="X") == (
        f"No drawing: {figures.MAX_DRAWN_NODES + 1} nodes is too many to draw usefully. X draws it anyway.")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert drawing.draw([small]) == [None]
