"""Hostile or unlucky inputs, each probed by a test: what one used to do, and must not do again.

Every probe runs autoconv as a user would (``python -m autoconv ...`` in a subprocess) and asserts
the promise: bad input is one line on stderr starting ``autoconv: error:``, exit code 2, never a
traceback; ``autoconv docs OUT`` never deletes or overwrites a file it did not write; the check's
verdicts follow the comparison rules, odd results never end a run, a signal leaves no process
behind, the temp folder holds nothing new, and two runs give the same JSON.
"""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CliResult

LATIN1_SAMPLE = (
    "# -*- coding: latin-1 -*-\n"
    "import tensorflow as tf\n"
    "from autoconv import sample\n\n"
    '@sample(inputs=[(tf.constant(1),)], title="caf\xe9 au lait")\n'
    "def cafe(x):\n"
    '    """Un caf\xe9, s\'il vous pla\xeet."""\n'
    "    return x + 1\n"
).encode("latin-1")

# Names that one page file would hold: a<b and a>b were both "a_b"; Foo and foo are one file on
# case-insensitive disks (macOS, Windows).
CLASHING_NAMES = textwrap.dedent('''
    from autoconv import sample

    @sample(name="a<b")
    def less(x):
        return x

    @sample(name="a>b")
    def more(x):
        return x

    @sample(name="Foo")
    def upper(x):
        return x

    @sample(name="foo")
    def lower(x):
        return x
''')


def assert_bad_input(result: CliResult, *words: str) -> None:
    """Exit 2 and one line on stderr, ``autoconv: error: ...``, holding ``words``; no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("autoconv: error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- autoconv docs OUT ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(run_autoconv, tmp_path_factory):
    """One --no-exec gallery of a Latin-1 file and clashing names: (samples folder, OUT).

    Tests copy OUT before changing it; the copy is a cached rebuild, which starts no TensorFlow.
    """
    root = tmp_path_factory.mktemp("hazards")
    samples = root / "samples"
    samples.mkdir()
    (samples / "latin.py").write_bytes(LATIN1_SAMPLE)
    (samples / "clashing.py").write_text(CLASHING_NAMES)
    out = root / "out"
    result = run_autoconv("docs", str(out), "--samples", str(samples), "--no-exec")
    assert result.returncode == 0, result.stderr
    return samples, out


@pytest.fixture
def gallery(built, tmp_path):
    """A private copy of the built gallery, and a file outside it that nothing may touch."""
    samples, template = built
    out = tmp_path / "out"
    shutil.copytree(template, out, symlinks=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file, outside OUT")
    return samples, out, victim


@pytest.fixture
def rebuild(run_autoconv):
    """``autoconv docs OUT --samples SAMPLES --no-exec OPTIONS...``, a CliResult."""
    def run(samples: Path, out: Path, *options: str) -> CliResult:
        return run_autoconv("docs", str(out), "--samples", str(samples), "--no-exec", *options)

    return run


def edit_manifest(out: Path, section: str, entries: dict[str, str]) -> None:
    path = out / ".autoconv-cache" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest[section].update(entries)
    path.write_text(json.dumps(manifest))


def test_docs_latin1_file_and_clashing_names_get_their_own_pages(built):
    _, out = built
    pages = sorted(p.name for p in (out / "samples").iterdir() if p.suffix == ".html")
    assert len(pages) == 5, pages  # cafe, a<b, a>b, Foo, foo: five samples, five files
    assert len({page.lower() for page in pages}) == 5  # distinct on a case-insensitive disk too
    assert "cafe.html" in pages and "foo.html" in pages
    titles = {(out / "samples" / page).read_text().split("<title>")[1].split("</title>")[0] for page in pages}
    assert {"a&lt;b · autoconv gallery", "a&gt;b · autoconv gallery", "Foo · autoconv gallery"} <= titles
    assert "café au lait" in (out / "samples" / "cafe.html").read_text()
    index = (out / "index.html").read_text()
    for page in pages:
        assert f'href="samples/{page}"' in index


@pytest.mark.parametrize("kind", ["parent", "absolute", "symlinked folder", "symlinked file", "cache entry"])
def test_docs_manifest_entries_outside_out_are_never_deleted(rebuild, gallery, kind):
    samples, out, victim = gallery
    digest = sha256(victim)  # the right hash, so only the path can protect the victim
    if kind == "parent":
        edit_manifest(out, "pages", {"../victim.txt": digest})
    elif kind == "absolute":
        edit_manifest(out, "pages", {str(victim): digest})
    elif kind == "symlinked folder":
        (out / "escape").symlink_to(victim.parent, target_is_directory=True)
        edit_manifest(out, "pages", {"escape/victim.txt": digest})
    elif kind == "symlinked file":
        (out / "samples" / "old.html").symlink_to(victim)
        edit_manifest(out, "pages", {"samples/old.html": digest})
    else:
        edit_manifest(out, "entries", {"../../victim.txt": digest})
    result = rebuild(samples, out)
    assert result.returncode == 0, result.stderr
    assert "0 removed" in result.stdout
    assert victim.read_text() == "the user's own file, outside OUT"
    if kind == "symlinked file":
        assert (out / "samples" / "old.html").is_symlink()


def test_docs_stale_page_changed_since_is_kept_and_unchanged_one_removed(run_autoconv, gallery):
    samples, out, _ = gallery
    (samples.parent / "fewer").mkdir(exist_ok=True)
    fewer = samples.parent / "fewer" / "latin.py"
    shutil.copy(samples / "latin.py", fewer)  # the same file elsewhere: the clashing samples are gone
    edited = out / "samples" / "foo.html"
    edited.write_text("the user edited this page")
    result = run_autoconv("docs", str(out), "--samples", str(fewer.parent), "--no-exec")
    assert result.returncode == 0, result.stderr
    assert "4 removed" in result.stdout  # a<b, a>b, Foo and clashing.py's download; not the edited foo
    assert edited.read_text() == "the user edited this page"
    assert sorted(p.name for p in (out / "samples").iterdir()) == ["cafe.html", "foo.html", "latin.py"]


def test_docs_foreign_index_is_kept_exit_2_and_force_overwrites_it(rebuild, gallery):
    samples, out, _ = gallery
    index = out / "index.html"
    index.write_text("<h1>my own home page</h1>")  # listed in the manifest, but its hash changed
    result = rebuild(samples, out)
    assert_bad_input(result, str(index), "--force")
    assert index.read_text() == "<h1>my own home page</h1>"

    manifest = json.loads((out / ".autoconv-cache" / "manifest.json").read_text())
    del manifest["pages"]["index.html"]  # not listed at all: a file autoconv never wrote
    (out / ".autoconv-cache" / "manifest.json").write_text(json.dumps(manifest))
    assert_bad_input(rebuild(samples, out), str(index))
    assert index.read_text() == "<h1>my own home page</h1>"

    result = rebuild(samples, out, "--force")
    assert result.returncode == 0, result.stderr
    assert "autoconv gallery" in index.read_text() and "my own home page" not in index.read_text()
    assert rebuild(samples, out).returncode == 0  # written by autoconv now: no --force needed


def marking_samples(tmp_path: Path) -> tuple[Path, Path]:
    """A samples folder whose one file, once loaded by a worker, leaves a marker file behind."""
    samples = tmp_path / "samples"
    samples.mkdir()
    marker = tmp_path / "loaded.txt"
    (samples / "marks.py").write_text(
        f"open({str(marker)!r}, 'w').write('a worker loaded me')\n"
        "from autoconv import sample\n\n@sample(inputs=[(1,)])\ndef mine(x):\n    return x\n"
    )
    return samples, marker


def test_docs_foreign_sample_page_stops_the_build_before_any_case_runs(run_autoconv, tmp_path):
    samples, marker = marking_samples(tmp_path)
    out = tmp_path / "out"
    (out / "samples").mkdir(parents=True)
    (out / "samples" / "mine.html").write_text("my notes on mine")
    assert_bad_input(run_autoconv("docs", str(out), "--samples", str(samples)), "mine.html")
    assert (out / "samples" / "mine.html").read_text() == "my notes on mine"
    assert not marker.exists()


@pytest.mark.parametrize("blocked", ["file in the way", "samples is a file", "cache leads outside"])
def test_docs_out_that_cannot_be_written_is_exit_2_before_any_case_runs(run_autoconv, tmp_path, blocked):
    # The tests may run as root, for whom a read-only folder is still writable; a regular file
    # where a folder must go fails for every user, so it stands in for "cannot be written".
    samples, marker = marking_samples(tmp_path)
    (tmp_path / "a_file").write_text("not a folder")
    out = tmp_path / "out"
    if blocked == "file in the way":
        out = tmp_path / "a_file" / "gallery"
    elif blocked == "samples is a file":
        out.mkdir()
        (out / "samples").write_text("not a folder")
    else:
        out.mkdir()
        (tmp_path / "elsewhere").mkdir()
        (out / ".autoconv-cache").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = run_autoconv("docs", str(out), "--samples", str(samples))
    assert_bad_input(result)
    assert not marker.exists()  # no worker loaded the sample, so no case ran
    if blocked == "cache leads outside":
        assert list((tmp_path / "elsewhere").iterdir()) == []


# --- bad input, everywhere ------------------------------------------------------------------------

@pytest.fixture
def package(tmp_path):
    """A folder on PYTHONPATH holding modules whose import fails in every way a user's can."""
    (tmp_path / "userpkg").mkdir()
    (tmp_path / "userpkg" / "__init__.py").write_text("")
    (tmp_path / "userpkg" / "exits.py").write_text("import sys\n\nsys.exit(3)\n\ndef f(x):\n    return x\n")
    (tmp_path / "userpkg" / "raises.py").write_text("def f(x):\n    return x\n\nraise ValueError('no config')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    return tmp_path, env


@pytest.mark.parametrize("command", ["show", "trace", "graph", "bench"])
@pytest.mark.parametrize(("module", "words"), [
    ("userpkg.exits", ["exits.py:3:", "importing 'userpkg.exits' raised SystemExit: 3"]),
    ("userpkg.raises", ["raises.py:4:", "importing 'userpkg.raises' raised ValueError: no config"]),
])
def test_bad_input_module_whose_import_fails(run_autoconv, package, command, module, words):
    folder, env = package
    assert_bad_input(run_autoconv(command, f"{module}:f", cwd=folder, env=env), *words)


def test_workers_find_the_users_modules_and_no_folder_on_sys_path_shadows_the_standard_library(
        tmp_path, monkeypatch):
    """A Sphinx page's ``pkg.mod:func`` is found in the folder ``conf.py`` put on sys.path, while a
    ``collections.py`` beside it (a sample folder's) shadows nothing: the workers start with only
    autoconv's own PYTHONPATH and append the caller's sys.path after their standard library."""
    from autoconv.gallery.compute import CheckOptions, compute

    (tmp_path / "collections.py").write_text("raise ImportError('the standard collections was shadowed')\n")
    (tmp_path / "docpkg").mkdir()
    (tmp_path / "docpkg" / "__init__.py").write_text("")
    (tmp_path / "docpkg" / "mod.py").write_text(
        "import collections\n\nassert collections.OrderedDict\n\ndef twice(x):\n    return x * 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    computed = compute([{"target": "docpkg.mod:twice", "explain": "3"}, {"target": "docpkg.missing:f"}],
                       {}, CheckOptions(jobs=1))
    found, missing = computed.answers
    assert found["error"] is None, found
    [entry] = found["entries"]
    assert entry["sample"] is None and "def tf__twice(x):" in entry["conversion"]["converted"]
    assert "explanation" in entry["explained"], entry["explained"]
    assert missing["entries"] == [] and "cannot import 'docpkg.missing'" in missing["error"]


def test_bad_input_samples_file_that_exits_on_import_in_check(run_autoconv, tmp_path):
    path = tmp_path / "exits.py"
    path.write_text("import sys\nfrom autoconv import sample\n\n@sample(inputs=[(1,)])\ndef f(x):\n"
                    "    return x\n\nsys.exit(3)\n")
    assert_bad_input(run_autoconv("check", "f", "--samples", str(path), "--jobs", "1"),
                     f"{path}:8: loading raised SystemExit: 3")


def test_bad_input_latin1_file_lists_and_shows(run_autoconv, tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes(LATIN1_SAMPLE)
    listed = run_autoconv("list", "--samples", str(path), "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["title"] == "café au lait"
    shown = run_autoconv("show", f"{path}:cafe", "--format", "markdown")
    assert shown.returncode == 0, shown.stderr
    assert "Un café, s'il vous plaît." in shown.stdout and "def tf__cafe(x):" in shown.stdout


@pytest.mark.parametrize("command", [["list", "--samples", "{path}"], ["show", "{path}:f"]])
def test_bad_input_binary_file_is_not_a_python_source_file(run_autoconv, tmp_path, command):
    path = tmp_path / "blob.py"
    path.write_bytes(bytes(range(256)) * 4)
    assert_bad_input(run_autoconv(*[part.format(path=path) for part in command]), f"{path}: not a Python source file")


def test_bad_input_binary_file_in_a_gallery_is_a_failed_file_and_the_rest_is_built(run_autoconv, tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "blob.py").write_bytes(bytes(range(256)) * 4)
    (samples / "latin.py").write_bytes(LATIN1_SAMPLE)
    result = run_autoconv("docs", str(tmp_path / "out"), "--samples", str(samples), "--no-exec")
    assert result.returncode == 1, result.stderr  # a broken samples file costs its own pages only
    assert "Traceback" not in result.stderr
    assert f"failed: {samples / 'blob.py'}: failed to load: {samples / 'blob.py'}: not a Python source file" \
        in result.stdout
    assert (tmp_path / "out" / "samples" / "cafe.html").is_file()


@pytest.mark.parametrize("command", [["show", "{path}:f"], ["trace", "{path}:f"]])
def test_bad_input_folder_where_a_file_is_expected(run_autoconv, tmp_path, command):
    path = tmp_path / "looks_like.py"
    path.mkdir()
    result = run_autoconv(*[part.format(path=path) for part in command])
    assert_bad_input(result, f"{path}: is a folder")
    assert "no such file" not in result.stderr


@pytest.mark.parametrize("argv", [
    ["check", "--calls", "0"], ["check", "--calls", "-1"], ["check", "--jobs", "-2"],
    ["check", "--timeout", "0"], ["check", "--timeout", "-1"], ["check", "--timeout", "nan"],
    ["check", "--timeout", "inf"], ["check", "--timeout", "soon"], ["docs", "out", "--jobs", "0"],
    ["docs", "out", "--timeout", "nan"], ["show", "x", "--timeout", "0"], ["check", "--timeout", "1e10"],
    ["check", "--calls", "1e9"], ["check", "--jobs", "100000"], ["docs", "out", "--timeout", "1e300"],
    ["graph", "x", "--case", "-1"], ["explain", "x", "--case", "99999999999"],
])
def test_bad_input_numbers_are_refused_by_argparse(run_autoconv, tmp_path, argv):
    result = run_autoconv(*argv, cwd=tmp_path)
    assert_bad_input(result, f"argument {argv[-2]}: ")
    assert not (tmp_path / "out").exists()  # refused before anything ran


NOISY = textwrap.dedent('''
    import os
    import tensorflow as tf
    from autoconv import sample

    print("printed on import")
    os.write(1, b"written to fd 1 on import\\n")

    @sample(inputs=[(tf.constant(1),)], expect="mismatch")  # the graph prints once, while tracing
    def loud(x):
        print("printed while running")
        os.write(1, b"written to fd 1 while running\\n")
        return x + 1
''')


@pytest.mark.parametrize("command", [["check"], ["list"], ["trace", "loud"], ["graph", "loud"], ["bench", "loud"]])
def test_bad_input_user_output_never_reaches_json_stdout(run_autoconv, tmp_path, command):
    (tmp_path / "noisy.py").write_text(NOISY)
    result = run_autoconv(*command, "--samples", str(tmp_path / "noisy.py"), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)  # nothing but the document
    assert document
    if command[0] in ("trace", "graph", "bench"):  # these load the file in this very process
        assert "printed on import" in result.stderr and "written to fd 1 on import" in result.stderr


# ---------------------------------------------------------------- the check engine

COMPARISONS = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    def in_graph():
        return tf.inside_function()

    @sample(inputs=[()], expect="mismatch")
    def int32_against_float32():
        return tf.constant(6.0) if in_graph() else tf.constant(6)

    @sample(inputs=[()], expect="mismatch")
    def true_against_int_tensor():
        return tf.constant(1) if in_graph() else True

    @sample(inputs=[()], expect="match")
    def python_int_becomes_a_tensor():
        return tf.constant(10) if in_graph() else 10

    @sample(inputs=[()], expect="match")
    def equal_sparse_tensors():
        return tf.SparseTensor(indices=[[0, 1]], values=[3], dense_shape=[2, 2])

    @sample(inputs=[()], expect="mismatch")
    def different_sparse_tensors():
        return tf.SparseTensor(indices=[[0, 1]], values=[4 if in_graph() else 3], dense_shape=[2, 2])

    @sample(inputs=[()], expect="match")
    def ragged_result():
        return tf.ragged.constant([[1, 2], [3]])

    @sample(inputs=[()], expect="mismatch")
    def different_ragged():
        return tf.ragged.constant([[1], [2, 3]]) if in_graph() else tf.ragged.constant([[1, 2], [3]])

    @sample(inputs=[()], expect="mismatch")
    def bytes_ff_against_fe():
        return tf.constant(b"\\xfe") if in_graph() else tf.constant(b"\\xff")

    @sample(inputs=[()], expect="mismatch")
    def both_raise_but_print_differently():
        print("graph" if in_graph() else "eager")
        raise ValueError("boom")

    @sample(inputs=[()], expect="mismatch")
    def stdout_bytes_differ():
        import os
        os.write(1, b"\\xfe\\n" if in_graph() else b"\\xff\\n")
        return 1
''')


@pytest.fixture(scope="module")
def comparisons(run_autoconv, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("comparisons")
    (folder / "comparisons.py").write_text(COMPARISONS)
    result = run_autoconv("check", "--samples", "comparisons.py", "--json", cwd=folder)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return {s["name"]: s["cases"][0] for s in json.loads(result.stdout)["samples"]}


def test_every_comparison_rule_gives_its_true_verdict(comparisons: dict) -> None:
    assert {name: case["verdict"] for name, case in comparisons.items()} == {
        name: case["expected"] for name, case in comparisons.items()}
    assert comparisons["int32_against_float32"]["first_difference"] == {
        "call": 1, "what": "value", "detail": "dtype int32 against float32"}
    assert "a bool is not an int" in comparisons["true_against_int_tensor"]["first_difference"]["detail"]


def test_a_type_change_is_recorded_on_the_call_and_does_not_decide(comparisons: dict) -> None:
    case = comparisons["python_int_becomes_a_tensor"]
    assert case["verdict"] == "match"
    assert [call["type_change"] for call in case["graph"]] == ["int -> int32 tensor"] * 2
    assert all(call["type_change"] is None for call in comparisons["ragged_result"]["graph"])


def test_both_sides_raising_agree_only_when_they_print_the_same(comparisons: dict) -> None:
    case = comparisons["both_raise_but_print_differently"]
    assert case["first_difference"]["what"] == "stdout"
    assert case["native"][0]["error"] == {"type": "ValueError", "message": "boom"}
    assert case["graph"][0]["error"]["type"] == "ValueError"
    assert (case["native"][0]["stdout"], case["graph"][0]["stdout"]) == ("eager\n", "graph\n")


def test_output_is_compared_as_the_bytes_written(comparisons: dict) -> None:
    case = comparisons["stdout_bytes_differ"]
    assert case["first_difference"]["what"] == "stdout"
    assert case["native"][0]["stdout"] == case["graph"][0]["stdout"] == "\ufffd\n"  # shown with replacement


def test_a_sample_that_changes_folder_with_a_relative_samples_path_still_reports(run_autoconv, tmp_path: Path) -> None:
    (tmp_path / "moves.py").write_text(textwrap.dedent('''
        import os
        from autoconv import sample

        @sample(inputs=[(1,), (2,)], expect="match")
        def moves(x):
            os.chdir("/")
            return x
    '''))
    result = run_autoconv("check", "--samples", "moves.py", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 as expected, 0 unexpected" in result.stdout


HANGS_WITH_A_CHILD = textwrap.dedent('''
    import os, subprocess, sys
    from autoconv import sample

    @sample(inputs=[(1,)], expect="match")
    def hangs(x):
        marker = os.environ["AUTOCONV_TEST_MARKER"]
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", marker])
        with open(marker, "w") as file:
            file.write(str(os.getpid()))
        while True:
            pass
''')


def _processes_with(text: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find processes")
@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_a_signal_ends_the_run_with_no_process_left(tmp_path: Path, signum: int, code: int) -> None:
    (tmp_path / "hangs.py").write_text(HANGS_WITH_A_CHILD)
    marker = tmp_path / f"marker-{signum}"
    env = {**os.environ, "AUTOCONV_TEST_MARKER": str(marker)}
    run = subprocess.Popen([sys.executable, "-m", "autoconv", "check", "--samples", "hangs.py"],
                           cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and run.poll() is None, "the sample never started"
        time.sleep(0.2)
    worker = int(marker.read_text())
    assert _alive(worker) and _processes_with(str(marker))
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=10)
    assert run.returncode == code
    assert stderr.strip().splitlines() == [f"autoconv: {'interrupted' if signum == signal.SIGINT else 'stopped by ' + signal.Signals(signum).name}"]
    deadline = time.monotonic() + 2
    while (_alive(worker) or any(_alive(p) for p in _processes_with(str(marker)))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker), "the worker outlived the run"
    assert not [p for p in _processes_with(str(marker)) if _alive(p)], "the sample's child outlived the run"


LEAVES_FILES = textwrap.dedent('''
    import tempfile
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(3),)], expect="match")
    def loops(n):
        tempfile.NamedTemporaryFile(delete=False, suffix=".left-by-the-sample")
        s = 0
        for i in tf.range(n):
            s += i
        return s

    @sample(inputs=[(tf.constant(1),)], expect="timeout")
    def endless(x):
        while True:
            pass
''')


@pytest.mark.parametrize("command", [
    ["check", "--timeout", "3"], ["trace", "loops"], ["graph", "loops"], ["bench", "loops"],
    ["docs", "site", "--timeout", "3"],
])
def test_the_temp_folder_holds_nothing_new_afterwards(run_autoconv, tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "leaves.py").write_text(LEAVES_FILES)
    temp = tmp_path / "temp"
    temp.mkdir()
    result = run_autoconv(*command, "--samples", "leaves.py", cwd=tmp_path, env={**os.environ, "TMPDIR": str(temp)})
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert list(temp.iterdir()) == []


STABLE = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant([1, 2]), range), (tf.constant([1]), len)], expect="graph-error")
    def fails_in_the_graph(x, how):
        if tf.inside_function():  # only the graph checks, so only the graph fails, at run time
            tf.debugging.assert_equal(tf.size(x), 3, message="size must be 3")
        return x

    @sample(inputs=[(tf.constant(1),)], expect="graph-error")
    def variable_inside(x):
        return tf.Variable(1) + x
''')


def test_two_runs_give_the_same_json_apart_from_times_and_no_addresses(run_autoconv, tmp_path: Path) -> None:
    (tmp_path / "stable.py").write_text(STABLE)

    def without_times(value: object) -> object:
        if isinstance(value, dict):
            return {k: without_times(v) for k, v in value.items() if k != "seconds"}
        if isinstance(value, list):
            return [without_times(v) for v in value]
        return value

    runs = [run_autoconv("check", "--samples", "stable.py", "--json", cwd=tmp_path) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stdout[-3000:]
    first, second = (without_times(json.loads(r.stdout)) for r in runs)
    assert first == second
    assert "0x" not in runs[0].stdout
    text = runs[0].stdout
    assert "autoconv/equivalence" not in text and "site-packages" not in text and "__autograph_generated" not in text
    assert str(tmp_path) not in text.replace(json.loads(text)["samples"][0]["location"], "")
    message = json.loads(text)["samples"][0]["cases"][0]["graph"][0]["error"]["message"]
    assert 'File "stable.py", line' in message and "size must be 3" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", [["list", "--samples", "."], ["check", "--samples", "."], ["lint", "."],
                                     ["lint", "fifo.py"]])
def test_bad_input_a_fifo_named_like_a_python_file_is_skipped_with_a_note(run_autoconv, tmp_path, command):
    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "real.py").write_text(
        "import tensorflow as tf\nfrom autoconv import sample\n\n"
        "@sample(inputs=[(1,)], expect='match')\ndef real(x):\n    return x\n")
    result = run_autoconv(*command, cwd=tmp_path, timeout=300)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    notes = [line for line in result.stderr.splitlines() if "fifo.py" in line]
    assert len(notes) == 1 and notes[0].startswith("autoconv: note: skipped "), result.stderr[-2000:]
    assert notes[0].endswith("fifo.py: not a regular file")


# Installs its own handlers as it loads, and leaves a double-forked daemon (a session of its own,
# reparented away from whoever started it) behind each call.
DAEMON_AND_HANDLERS = textwrap.dedent('''
    import atexit, os, signal, subprocess, sys, time
    from autoconv import sample

    signal.signal(signal.SIGTERM, lambda *a: print("ignored SIGTERM"))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    atexit.register(lambda: print("printed at exit"))
    DAEMON = "import os, sys, time\\nif os.fork():\\n    os._exit(0)\\nos.setsid()\\ntime.sleep(120)"

    def start_daemon():
        subprocess.run([sys.executable, "-c", DAEMON, os.environ["AUTOCONV_TEST_MARKER"]])

    @sample(inputs=[(1,)], expect="match")
    def hangs(x):
        start_daemon()
        with open(os.environ["AUTOCONV_TEST_MARKER"], "w") as file:
            file.write(str(os.getpid()))
        while True:
            time.sleep(0.01)

    @sample(inputs=[(1,)], expect="match")
    def detaches(x):
        start_daemon()
        return x

    class Holder:  # a bound method cannot be loaded again by a worker: checked in-process
        def hangs(self, x):
            return hangs(x)

        def detaches(self, x):
            return detaches(x)

    holder = Holder()
''')

IN_PROCESS_COMMANDS = {
    "trace": ["trace", "hangs", "--samples", "daemon.py"],
    "bench": ["bench", "hangs", "--samples", "daemon.py"],
    "explain": ["explain", "hangs", "--samples", "daemon.py"],
    "check in-process": ["check", "daemon.py:holder.hangs", "--args", "1"],
    "check": ["check", "hangs", "--samples", "daemon.py"],
}


def _none_left(marker: Path) -> bool:
    deadline = time.monotonic() + 3
    while [p for p in _processes_with(str(marker)) if _alive(p)] and time.monotonic() < deadline:
        time.sleep(0.05)
    return not [p for p in _processes_with(str(marker)) if _alive(p)]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find processes")
@pytest.mark.parametrize("command", list(IN_PROCESS_COMMANDS))
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_every_command_ends_on_a_signal_whatever_the_user_installed_and_leaves_no_daemon(
        tmp_path: Path, command: str, signum: int, code: int) -> None:
    (tmp_path / "daemon.py").write_text(DAEMON_AND_HANDLERS)
    marker = tmp_path / f"marker-{signum}"
    env = {**os.environ, "AUTOCONV_TEST_MARKER": str(marker)}
    run = subprocess.Popen([sys.executable, "-m", "autoconv", *IN_PROCESS_COMMANDS[command]],
                           cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and run.poll() is None, "the sample never started"
        time.sleep(0.2)
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=20)
    assert run.returncode == code, stderr[-2000:]
    said = "autoconv: interrupted" if signum == signal.SIGINT else f"autoconv: stopped by {signal.Signals(signum).name}"
    assert stderr.strip().splitlines()[-1] == said
    assert _none_left(marker), "the sample's daemon outlived the run"


RAISES_WHAT_STOPS_PROGRAMS = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(1),)])
    def raises_interrupt(x):
        raise KeyboardInterrupt("raised by the sample")

    @sample(inputs=[(tf.constant(1),)])
    def raises_exit(x):
        raise SystemExit(3)

    class Holder:  # checked in-process: a bound method cannot be loaded again by a worker
        def raises_interrupt(self, x):
            raise KeyboardInterrupt("raised by the sample")

    holder = Holder()
''')


@pytest.mark.parametrize("argv, code, said", [
    (["explain", "raises_interrupt"], 1, "raised KeyboardInterrupt here"),
    (["explain", "raises_exit"], 1, "raised SystemExit here"),
    (["trace", "raises_interrupt"], 0, "raised KeyboardInterrupt: raised by the sample"),
    (["bench", "raises_exit"], 0, "skipped: SystemExit"),
    (["bench", "raises_interrupt"], 0, "skipped: KeyboardInterrupt"),
    (["check", "raises_interrupt"], 0, "as expected"),
    (["check", "stops.py:holder.raises_interrupt", "--args", "1"], 0, "match"),
])
def test_a_call_raising_keyboardinterrupt_or_systemexit_is_reported_not_obeyed(run_autoconv, tmp_path, argv, code, said):
    """What the user's code raises is its result, whatever it is; only a real Ctrl-C (130) or a
    signal stops autoconv."""
    (tmp_path / "stops.py").write_text(RAISES_WHAT_STOPS_PROGRAMS)
    samples = [] if ":" in argv[1] else ["--samples", "stops.py"]
    result = run_autoconv(*argv, *samples, cwd=tmp_path)
    assert result.returncode == code, result.stderr[-2000:]
    assert said in result.stdout
    assert "interrupted" not in result.stderr


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find processes")
@pytest.mark.parametrize("command", [["check", "detaches", "--samples", "daemon.py", "--json"],
                                     ["trace", "detaches", "--samples", "daemon.py", "--json"],
                                     ["explain", "detaches", "--samples", "daemon.py", "--json"],
                                     ["check", "daemon.py:holder.detaches", "--args", "1", "--json"]])
def test_a_daemon_never_outlives_a_run_and_atexit_output_never_reaches_json(tmp_path: Path, command: list) -> None:
    (tmp_path / "daemon.py").write_text(DAEMON_AND_HANDLERS)
    marker = tmp_path / "marker"
    env = {**os.environ, "AUTOCONV_TEST_MARKER": str(marker)}
    result = subprocess.run([sys.executable, "-m", "autoconv", *command], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    json.loads(result.stdout)  # the document and nothing else
    assert _none_left(marker), "the sample's daemon outlived the run"


MODULE_OBJECTS = textwrap.dedent('''
    import tensorflow as tf

    def double(v):
        return v * 2

    class Scaler:
        def __init__(self, k):
            self.k = k

        def __call__(self, v):
            return v * self.k

    def make_scaler(k):
        return Scaler(k)

    def apply(f, x):
        return f(x) + 1
''')


def test_args_may_name_objects_of_the_target_module_and_run_isolated(run_autoconv, tmp_path):
    (tmp_path / "mod.py").write_text(MODULE_OBJECTS)
    result = run_autoconv("check", "mod.py:apply", "--args", "double, tf.constant(3)",
                          "--args", "make_scaler(2), tf.constant(3)", "--args", "lambda v: v, 4", "--json",
                          cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert "shared_state" not in report or not report["shared_state"]  # in the workers, not in-process
    cases = report["samples"][0]["cases"]
    assert [c["verdict"] for c in cases] == ["match", "match", "match"]
    assert cases[1]["native"][0]["value"] == "<tf.Tensor: shape=(), dtype=int32, numpy=7>"
