"""``autoconv docs``: the gallery built from small samples folders, with real TensorFlow and workers."""
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autoconv.cli import main

BASICS = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(1),), (tf.constant(-2),)], tags=["control-flow"], title="Absolute value",
            note="An if on a tensor becomes tf.cond.")
    def absolute(x):
        if x > 0:
            return x
        return -x

    @sample(inputs=[(3,)], expect="mismatch", tags=["side-effects", "print"], title="print runs while tracing")
    def printer(n):
        print("tracing", n)
        return tf.constant(n)

    @sample(tags=["side-effects"])
    def no_inputs(x):
        return x
''')

LOOPS = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(4),)], tags=["control-flow", "loops"], title="Counting down")
    def count_down(n):
        total = 0
        while n > 0:
            total += n
            n -= 1
        return total
''')


def write_samples(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.py").write_text(text)
    return folder


def build(capsys, out: Path, samples: Path, *options: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    code = main(["docs", str(out), "--samples", str(samples), *options])
    seconds = time.perf_counter() - started
    return code, capsys.readouterr().out, seconds


def text_of(page: Path) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    visible = re.sub(r"<(style|script)>.*?</\1>", "", page.read_text(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", visible)).split())


def code_of(page: Path) -> str:
    """The page's text with tags dropped and nothing added: code split into spans reads whole."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    """One HTML build shared by the read-only tests: (out, samples, exit code, summary, seconds)."""
    root = tmp_path_factory.mktemp("gallery")
    samples = write_samples(root / "samples", basics=BASICS, loops=LOOPS)
    out = root / "out"
    started = time.perf_counter()
    code = main(["docs", str(out), "--samples", str(samples)])
    return out, samples, code, time.perf_counter() - started


def test_first_build_exits_0_and_writes_every_page(gallery, capsys):
    out, _, code, _ = gallery
    assert code == 0
    assert {p.name for p in out.iterdir()} >= {"index.html", "verdicts.html", "times.html", "samples"}
    assert sorted(p.name for p in (out / "samples").iterdir()) == [
        "absolute.html", "basics.py", "count_down.html", "loops.py", "no_inputs.html", "printer.html",
    ]


def test_a_sample_page_offers_its_file_and_its_neighbours_in_its_topic(gallery):
    out, samples, _, _ = gallery
    assert (out / "samples" / "basics.py").read_text() == (samples / "basics.py").read_text()
    page = (out / "samples" / "absolute.html").read_text()
    assert '<a href="basics.py" download>download basics.py</a>' in page
    # absolute and count_down share the topic control-flow, in file order
    assert '<a rel="next" href="count_down.html">Counting down →</a>' in page
    assert '<a rel="prev" href="absolute.html">← Absolute value</a>' in (out / "samples" / "count_down.html").read_text()
    # the printer's mismatch is the lesson: its badge says it is expected
    assert re.search(r'ac-v-mismatch"[^>]*>mismatch <span class="g-expected">✓\u00a0expected</span>',
                     (out / "samples" / "printer.html").read_text())


def test_index_groups_samples_by_first_tag_with_one_badge_per_case(gallery):
    out = gallery[0]
    page = (out / "index.html").read_text()
    sections = dict(re.findall(r'<h2 id="topic-([^"]+)">.*?</h2><div class="g-scroll">(<table.*?</table>)', page, re.S))
    assert list(sections) == ["control-flow", "side-effects"]
    assert "samples/absolute.html" in sections["control-flow"]
    assert "samples/count_down.html" in sections["control-flow"]
    assert "samples/printer.html" in sections["side-effects"]
    assert "samples/no_inputs.html" in sections["side-effects"]
    # A badge has its verdict's colour (ac-v-<verdict>); only an unexpected verdict carries the ✗ mark.
    badge = r'class="g-badge ac-v-([\w-]+)"[^>]*>((?:<span class="g-mark-bad"[^>]*>✗</span> )?)([^<]+)<'
    absolute_row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*absolute\.html.*?</tr>", page, re.S).group(0)
    assert re.findall(badge, absolute_row) == [("match", "", "match"), ("match", "", "match")]
    printer_row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*printer\.html.*?</tr>", page, re.S).group(0)
    assert re.findall(badge, printer_row) == [("mismatch", "", "mismatch ")]  # then "✓ expected"
    assert 'g-expected">✓\u00a0expected</span>' in printer_row
    # the filter matches the name, title, tags, verdicts and the code
    assert 'data-filter="printer print runs while tracing side-effects print mismatch ' in printer_row
    assert "print(&quot;tracing&quot;, n)" in printer_row
    no_inputs = re.search(r"<tr[^>]*>(?:(?!</tr>).)*no_inputs\.html.*?</tr>", page, re.S).group(0)
    assert re.findall(badge, no_inputs) == [("none", "", "no inputs")]
    assert "4 samples from 2 files" in text_of(out / "index.html")
    assert "4 cases: 4 as expected, 0 unexpected" in text_of(out / "index.html")


def test_sample_page_has_conversion_verdicts_and_note(gallery):
    out = gallery[0]
    text = text_of(out / "samples" / "absolute.html")
    assert "Absolute value" in text
    assert "An if on a tensor becomes tf.cond." in text
    assert "def tf__absolute(x):" in code_of(out / "samples" / "absolute.html")
    assert "ag__.if_stmt(ag__.ld(x) > 0, if_body, else_body" in code_of(out / "samples" / "absolute.html")
    assert "Check: eager against graph (2 cases: 2 as expected, 0 unexpected)" in text
    assert "tf.constant(-2)" in text


def test_sample_page_explains_what_tracing_did_for_each_case(gallery):
    out = gallery[0]
    page = (out / "samples" / "absolute.html").read_text()
    text = text_of(out / "samples" / "absolute.html")
    assert "What happened" in text and "case 1: tf.constant(1)" in text and "case 2: tf.constant(-2)" in text
    assert page.count("What happened: absolute") == 2  # one explanation per case
    assert "ac-x-staged" in page and "⇅ tf.cond" in html.unescape(page)  # case 1's badge on the view
    assert "For the call (tf.constant(1)): ⇅ tf.cond" in text  # and its fact among the notes
    printer = text_of(out / "samples" / "printer.html")
    assert "⚑ trace-time only: print" in printer and "▸ Python" not in printer
    loops = text_of(out / "samples" / "count_down.html")
    assert "⟳ tf.while_loop" in loops


def test_markdown_gallery_explains_each_case(tmp_path, capsys):
    samples = write_samples(tmp_path / "samples", loops=LOOPS)
    code, _, _ = build(capsys, tmp_path / "md", samples, "--format", "markdown")
    page = (tmp_path / "md" / "samples" / "count_down.md").read_text()
    assert code == 0 and "## What happened" in page and "### Case 1: `tf.constant(4)`" in page
    assert "| 8 | `while n > 0:` | ⟳ tf.while_loop" in page  # the file's own line number


def test_no_page_names_a_machine_path(gallery):
    """Published pages name files from the samples folder: not the builder's folders, nor where
    TensorFlow is installed (a traceback's frames), nor this checkout. Nor does anything else in
    OUT, which may be published whole: the cache keeps the samples folder as a mark."""
    out, samples, _, _ = gallery
    checkout = str(Path(__file__).resolve().parent.parent)
    pages = {page: page.read_text() for page in out.rglob("*") if page.is_file()}
    assert any(".autoconv-cache" in page.parts for page in pages)
    assert "basics.py:" in pages[out / "samples" / "absolute.html"]
    for page, text in pages.items():
        for private in (str(samples.parent), checkout, "site-packages", "dist-packages", os.path.expanduser("~")):
            assert private not in text, (page.name, private)


FAILING = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(1.0),)], expect="graph-error", tags=["variables"], title="Created inside",
            note="tf.function creates variables on its first trace only. Fix: create it outside, as in kept.")
    def variable_created_inside(x):
        v = tf.Variable(1.0)
        v.assign_add(x)
        return v.read_value()
''')


def test_what_happened_explains_a_case_whose_trace_failed(tmp_path, capsys):
    samples = write_samples(tmp_path / "samples", failing=FAILING)
    code, _, _ = build(capsys, tmp_path / "out", samples, "--jobs", "1")
    text = text_of(tmp_path / "out" / "samples" / "variable_created_inside.html")
    assert code == 0 and "case 1: tf.constant(1.0)" in text
    assert "the trace failed at line 8: a tf.Variable is created inside the function" in text
    assert "✗ raised ValueError here, while tracing" in text and "⚑ trace-time only: tf.Variable" in text
    assert "the fix is shown by the sample kept" in text  # the sample's own note names its fix
    assert "AutoGraph said: ValueError: tf.function only supports singleton tf.Variables" in text


def test_verdicts_page_lists_every_case(gallery):
    text = text_of(gallery[0] / "verdicts.html")
    assert text.count("as expected") >= 4
    assert "tf.constant(4) match match as expected none" in text
    assert "3 mismatch mismatch as expected call 2: stdout: eager stdout line 1: 'tracing 3'; graph stdout line 1: " \
           "(no such line)" in text


def test_times_page_has_a_row_per_sample_with_honest_labels(gallery):
    page = (gallery[0] / "times.html").read_text()
    assert "check s (eager + graph)" in page
    assert "single calls timed by the check" in html.unescape(page)
    assert "the graph&#x27;s first call includes its trace" in page and "<code>autoconv bench NAME</code>" in page
    rows = re.findall(r"<tr(?: class=\"g-slower\")?><td><a href=\"samples/(\w+)\.html\">.*?</a></td>"
                      r"<td class=num>(\d+)</td><td class=num>([\d.]+)</td>((?:<td class=num>[^<]*</td>){4})"
                      r"<td class=num>([\d.-]+)</td></tr>", page)
    assert {name: cases for name, cases, _, _, _ in rows} == {
        "absolute": "2", "printer": "1", "no_inputs": "0", "count_down": "1",
    }
    assert all(float(seconds) > 0 for name, _, _, _, seconds in rows if name != "no_inputs")
    calls = {name: re.findall(r"<td class=num>([^<]*)</td>", cells) for name, _, _, cells, _ in rows}
    assert calls["no_inputs"] == ["-", "-", "-", "-"]
    eager, graph, speedup, first = calls["count_down"]
    assert float(eager) > 0 and float(graph) > 0 and float(first) > 0
    assert re.fullmatch(r"\d+\.\d+×( graph slower)?|- \(one call under 1 ms\)", speedup)
    assert (speedup == "- (one call under 1 ms)") == (min(float(eager), float(graph)) < 1)


def test_unchanged_rebuild_imports_no_tensorflow_and_rewrites_nothing(gallery):
    out, samples, _, _ = gallery
    foreign = out / "my-notes.txt"
    foreign.write_text("mine")
    before = mtimes(out)
    probe = (
        "import sys\nfrom autoconv.cli import main\n"
        f"code = main(['docs', {str(out)!r}, '--samples', {str(samples)!r}])\n"
        "print('tensorflow imported:', 'tensorflow' in sys.modules)\nsys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "tensorflow imported: False" in result.stdout
    assert "0 files rebuilt, 2 cached; 0 pages written, 0 removed" in result.stdout
    assert mtimes(out) == before  # how fast it is: benchmarks/bench_docs.py, recorded in docs/performance.rst
    assert foreign.read_text() == "mine"


def test_changed_file_is_the_only_one_rerun_and_stale_pages_go_but_foreign_files_stay(tmp_path, capsys):
    samples = write_samples(tmp_path / "samples", basics=BASICS, loops=LOOPS)
    out = tmp_path / "out"
    assert build(capsys, out, samples)[0] == 0
    (out / "samples" / "mine.html").write_text("not autoconv's")
    (out / "README.txt").write_text("not autoconv's either")
    basics_page = out / "samples" / "absolute.html"
    basics_mtime = basics_page.stat().st_mtime_ns

    (samples / "loops.py").write_text(LOOPS.replace("tags=", 'expect="mismatch", tags='))
    code, summary, _ = build(capsys, out, samples)
    assert code == 1  # count_down matches, but the file now says it should not: unexpected
    assert "1 file rebuilt, 1 cached" in summary
    assert "unexpected: count_down tf.constant(4): match (expected mismatch)" in summary
    assert basics_page.stat().st_mtime_ns == basics_mtime
    assert "Counting down tf.constant(4) ✗ match mismatch unexpected none" in text_of(out / "verdicts.html")

    (samples / "loops.py").unlink()
    code, summary, _ = build(capsys, out, samples)
    assert code == 0
    assert "0 files rebuilt, 1 cached" in summary and "2 removed" in summary  # its page and its download
    assert not (out / "samples" / "count_down.html").exists() and not (out / "samples" / "loops.py").exists()
    assert (out / "samples" / "mine.html").read_text() == "not autoconv's"
    assert (out / "README.txt").read_text() == "not autoconv's either"
    assert basics_page.exists()


def test_broken_files_are_reported_and_the_rest_is_built(tmp_path, capsys):
    samples = write_samples(
        tmp_path / "samples", loops=LOOPS,
        syntax="from autoconv import sample\n\n@sample(inputs=[(1,)])\ndef f(x)\n    return x\n",
        raises="from autoconv import sample\nraise RuntimeError('broken on purpose')\n",
    )
    out = tmp_path / "out"
    code, summary, _ = build(capsys, out, samples)
    assert code == 1
    assert re.search(r"failed: \S*raises\.py: failed to load: \S*raises\.py:2: loading raised RuntimeError: "
                     r"broken on purpose", summary)
    assert re.search(r"failed: \S*syntax\.py: failed to load: \S*syntax\.py:4: syntax error", summary)
    assert "2 samples files failed; the rest was built (exit status 1)" in summary
    index = text_of(out / "index.html")
    assert "Files that failed" in index and "broken on purpose" in index and "syntax error" in index
    assert "Check: eager against graph (1 case: 1 as expected, 0 unexpected)" in text_of(
        out / "samples" / "count_down.html")


def test_markdown_gallery(tmp_path, capsys):
    samples = write_samples(tmp_path / "samples", basics=BASICS)
    out = tmp_path / "out"
    code, summary, _ = build(capsys, out, samples, "--format", "markdown")
    assert code == 0
    assert f"index: {out / 'index.md'}" in summary
    index = (out / "index.md").read_text()
    assert re.search(r"## control-flow\n\n\| sample \| name \| tags \| verdicts \|\n\|---\|---\|---\|---\|\n"
                     r"\| \[Absolute value\]\(samples/absolute\.md\) \| `absolute` \| control-flow \| "
                     r"✅ `match` ✅ `match` \|", index)
    assert "## side-effects" in index
    page = (out / "samples" / "absolute.md").read_text()
    assert page.startswith("[Index](../index.md)")
    assert "```python" in page and "def tf__absolute(x):" in page
    assert "| `tf.constant(-2)` | ✅ match | match | as expected | none |" in (out / "verdicts.md").read_text()
    assert "check s (eager + graph)" in (out / "times.md").read_text()


def test_no_exec_renders_conversions_only(tmp_path, capsys):
    samples = write_samples(tmp_path / "samples", basics=BASICS)
    out = tmp_path / "out"
    code, summary, _ = build(capsys, out, samples, "--no-exec")
    assert code == 0
    assert "not run (built with --no-exec)" in summary
    page = (out / "index.html").read_text()
    assert page.count(">not run<") == 3 and "g-badge g-ok" not in page
    absolute = text_of(out / "samples" / "absolute.html")
    assert "tf__absolute" in absolute and "Check: eager against graph" not in absolute
    assert "<tbody></tbody>" in (out / "verdicts.html").read_text()


def test_bad_input_exits_2(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert main(["docs", str(tmp_path / "file"), "--samples", str(tmp_path)]) == 2
    assert main(["docs", str(tmp_path / "out"), "--samples", str(tmp_path / "missing")]) == 2
    duplicates = write_samples(tmp_path / "dup", a=LOOPS, b=LOOPS)
    assert main(["docs", str(tmp_path / "out"), "--samples", str(duplicates)]) == 2
    assert "duplicate sample name 'count_down'" in capsys.readouterr().err


def test_cache_entries_are_json_keyed_by_content(gallery):
    out = gallery[0]
    entries = list((out / ".autoconv-cache" / "files").glob("*.json"))
    assert len(entries) == 2
    stored = json.loads(entries[0].read_text())
    assert re.fullmatch(r"[0-9a-f]{64}", stored["key"])
    assert {s["conversion"]["name"] for s in stored["file"]["samples"]} <= {
        "absolute", "printer", "no_inputs", "count_down"}
    manifest = json.loads((out / ".autoconv-cache" / "manifest.json").read_text())
    assert "index.html" in manifest["pages"] and "my-notes.txt" not in manifest["pages"]
    assert all(os.path.isfile(out / page) for page in manifest["pages"])
    assert manifest["pages"]["index.html"] == hashlib.sha256((out / "index.html").read_bytes()).hexdigest()
