"""Issue 10's probes, each a test: what a hostile or unlucky input used to do, and must not do again.

Every probe runs autoconv as a user would (``python -m autoconv ...`` in a subprocess) and asserts
the promise: bad input is one line on stderr starting ``autoconv: error:``, exit code 2, never a
traceback; ``autoconv docs OUT`` never deletes or overwrites a file it did not write.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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


def autoconv(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autoconv", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def assert_bad_input(result: subprocess.CompletedProcess, *words: str) -> None:
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
def built(tmp_path_factory):
    """One --no-exec gallery of a Latin-1 file and clashing names: (samples folder, OUT).

    Tests copy OUT before changing it; the copy is a cached rebuild, which starts no TensorFlow.
    """
    root = tmp_path_factory.mktemp("hazards")
    samples = root / "samples"
    samples.mkdir()
    (samples / "latin.py").write_bytes(LATIN1_SAMPLE)
    (samples / "clashing.py").write_text(CLASHING_NAMES)
    out = root / "out"
    result = autoconv("docs", str(out), "--samples", str(samples), "--no-exec")
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


def rebuild(samples: Path, out: Path, *options: str) -> subprocess.CompletedProcess:
    return autoconv("docs", str(out), "--samples", str(samples), "--no-exec", *options)


def edit_manifest(out: Path, section: str, entries: dict[str, str]) -> None:
    path = out / ".autoconv-cache" / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest[section].update(entries)
    path.write_text(json.dumps(manifest))


def test_docs_latin1_file_and_clashing_names_get_their_own_pages(built):
    _, out = built
    pages = sorted(p.name for p in (out / "samples").iterdir())
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
def test_docs_manifest_entries_outside_out_are_never_deleted(gallery, kind):
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


def test_docs_stale_page_changed_since_is_kept_and_unchanged_one_removed(gallery):
    samples, out, _ = gallery
    (samples.parent / "fewer").mkdir(exist_ok=True)
    fewer = samples.parent / "fewer" / "latin.py"
    shutil.copy(samples / "latin.py", fewer)  # the same file elsewhere: the clashing samples are gone
    edited = out / "samples" / "foo.html"
    edited.write_text("the user edited this page")
    result = autoconv("docs", str(out), "--samples", str(fewer.parent), "--no-exec")
    assert result.returncode == 0, result.stderr
    assert "3 removed" in result.stdout  # a<b, a>b, Foo; not the edited foo
    assert edited.read_text() == "the user edited this page"
    assert sorted(p.name for p in (out / "samples").iterdir()) == ["cafe.html", "foo.html"]


def test_docs_foreign_index_is_kept_exit_2_and_force_overwrites_it(gallery):
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


def test_docs_foreign_sample_page_stops_the_build_before_any_case_runs(tmp_path):
    samples, marker = marking_samples(tmp_path)
    out = tmp_path / "out"
    (out / "samples").mkdir(parents=True)
    (out / "samples" / "mine.html").write_text("my notes on mine")
    assert_bad_input(autoconv("docs", str(out), "--samples", str(samples)), "mine.html")
    assert (out / "samples" / "mine.html").read_text() == "my notes on mine"
    assert not marker.exists()


@pytest.mark.parametrize("blocked", ["file in the way", "samples is a file", "cache leads outside"])
def test_docs_out_that_cannot_be_written_is_exit_2_before_any_case_runs(tmp_path, blocked):
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
    result = autoconv("docs", str(out), "--samples", str(samples))
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
def test_bad_input_module_whose_import_fails(package, command, module, words):
    folder, env = package
    assert_bad_input(autoconv(command, f"{module}:f", cwd=folder, env=env), *words)


def test_bad_input_samples_file_that_exits_on_import_in_check(tmp_path):
    path = tmp_path / "exits.py"
    path.write_text("import sys\nfrom autoconv import sample\n\n@sample(inputs=[(1,)])\ndef f(x):\n"
                    "    return x\n\nsys.exit(3)\n")
    assert_bad_input(autoconv("check", "f", "--samples", str(path), "--jobs", "1"),
                     f"{path}:8: loading raised SystemExit: 3")


def test_bad_input_latin1_file_lists_and_shows(tmp_path):
    path = tmp_path / "latin.py"
    path.write_bytes(LATIN1_SAMPLE)
    listed = autoconv("list", "--samples", str(path), "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["title"] == "café au lait"
    shown = autoconv("show", f"{path}:cafe", "--format", "markdown")
    assert shown.returncode == 0, shown.stderr
    assert "Un café, s'il vous plaît." in shown.stdout and "def tf__cafe(x):" in shown.stdout


@pytest.mark.parametrize("command", [["list", "--samples", "{path}"], ["show", "{path}:f"]])
def test_bad_input_binary_file_is_not_a_python_source_file(tmp_path, command):
    path = tmp_path / "blob.py"
    path.write_bytes(bytes(range(256)) * 4)
    assert_bad_input(autoconv(*[part.format(path=path) for part in command]), f"{path}: not a Python source file")


def test_bad_input_binary_file_in_a_gallery_is_a_failed_file_and_the_rest_is_built(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "blob.py").write_bytes(bytes(range(256)) * 4)
    (samples / "latin.py").write_bytes(LATIN1_SAMPLE)
    result = autoconv("docs", str(tmp_path / "out"), "--samples", str(samples), "--no-exec")
    assert result.returncode == 1, result.stderr  # a broken samples file costs its own pages only
    assert "Traceback" not in result.stderr
    assert f"failed: {samples / 'blob.py'}: failed to load: {samples / 'blob.py'}: not a Python source file" \
        in result.stdout
    assert (tmp_path / "out" / "samples" / "cafe.html").is_file()


@pytest.mark.parametrize("command", [["show", "{path}:f"], ["trace", "{path}:f"]])
def test_bad_input_folder_where_a_file_is_expected(tmp_path, command):
    path = tmp_path / "looks_like.py"
    path.mkdir()
    result = autoconv(*[part.format(path=path) for part in command])
    assert_bad_input(result, f"{path}: is a folder")
    assert "no such file" not in result.stderr


@pytest.mark.parametrize("argv", [
    ["check", "--calls", "0"], ["check", "--calls", "-1"], ["check", "--jobs", "-2"],
    ["check", "--timeout", "0"], ["check", "--timeout", "-1"], ["check", "--timeout", "nan"],
    ["check", "--timeout", "inf"], ["check", "--timeout", "soon"], ["docs", "out", "--jobs", "0"],
    ["docs", "out", "--timeout", "nan"], ["show", "x", "--timeout", "0"],
])
def test_bad_input_numbers_are_refused_by_argparse(tmp_path, argv):
    result = autoconv(*argv, cwd=tmp_path)
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
def test_bad_input_user_output_never_reaches_json_stdout(tmp_path, command):
    (tmp_path / "noisy.py").write_text(NOISY)
    result = autoconv(*command, "--samples", str(tmp_path / "noisy.py"), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)  # nothing but the document
    assert document
    if command[0] in ("trace", "graph", "bench"):  # these load the file in this very process
        assert "printed on import" in result.stderr and "written to fd 1 on import" in result.stderr
