"""`autoconv show` end to end, and the bad inputs every command shares."""
import subprocess
import sys
import textwrap

import pytest

from autoconv.cli import main

SAMPLES_FILE = "demo.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import tensorflow as tf

    @tf.function
    def total(n):
        s = 0
        for i in tf.range(n):
            if i % 2 == 0:
                s += i
        return s

    def matcher(x):
        match x:
            case 0:
                return "<zero>"
            case _:
                return "other"

    not_callable = 42

    class Counter(tf.Module):
        def __init__(self):
            self.count = tf.Variable(0)

        @tf.function
        def add(self, a):
            self.count.assign_add(a)
            return self.count
''')


@pytest.fixture
def demo(samples_file):
    """The demo module, a file of functions to show (no samples in it)."""
    return samples_file


def test_show_text_stacked(demo, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["show", f"{demo}:total", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert "Original:" in out and "Converted by AutoGraph" in out
    assert " 7 │     for i in tf.range(n):" in out  # the file's own line numbers
    assert "◂7 │         ag__.for_stmt(" in out
    assert "↳ for_stmt: Your for loop." in out
    assert "\x1b[" not in out


def test_show_text_side_by_side(demo, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    assert main(["show", f"{demo}:total"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.lstrip().startswith("5 │ def total(n):"))
    assert "┃" in row and "def tf__total(n):" in row


def test_show_class_method_target(demo, capsys):
    assert main(["show", f"{demo}:Counter.add", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "def add(self, a):" in out and "def tf__add(self, a):" in out
    assert "bound_method_wrapper" not in out


def test_show_package_module_target(capsys):
    assert main(["show", "json:dumps", "--format", "rst"]) == 0
    out = capsys.readouterr().out
    assert "def dumps(" in out and "def tf__dumps(" in out


def test_show_conversion_failure_is_a_result(demo, capsys):
    assert main(["show", f"{demo}:matcher"]) == 0
    out = capsys.readouterr().out
    assert "match x:" in out and "AutoGraph could not convert it" in out and "'match'" in out


def test_show_html_escapes_user_code(demo, capsys):
    assert main(["show", f"{demo}:matcher", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert "&lt;zero&gt;" in out and "<zero>" not in out


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("{tmp}/missing.py:f", "no such file"),
        ("{demo}:nothere", "has no 'nothere'"),
        ("{demo}:not_callable", "is a int, not a function"),
        ("{bad}:f", "syntax error"),
        ("{raises}:f", "loading raised ZeroDivisionError"),
        ("no_such_module_xyz:f", "cannot import 'no_such_module_xyz'"),
        ("math:sin", "not a Python function"),
        ("no_such_sample_name", "unknown sample or target"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_autoconv, tmp_path, demo, target, message):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n    pass\n")
    raises = tmp_path / "raises.py"
    raises.write_text("x = 1\ny = x / 0\n\n\ndef f():\n    pass\n")
    target = target.format(tmp=tmp_path, demo=demo, bad=bad, raises=raises)
    result = run_autoconv("show", target)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("autoconv: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    if target.startswith(str(bad)):
        assert f"{bad}:1:" in result.stderr
    if target.startswith(str(raises)):
        assert f"{raises}:2:" in result.stderr


def test_help_and_version(run_autoconv):
    result = run_autoconv("--help")
    assert result.returncode == 0 and "show" in result.stdout and "check" in result.stdout
    result = run_autoconv("--version")
    assert result.stdout.startswith("autoconv ")


# --- saying no fast, and a quieter view (issue 19 item 11) -------------------------------------------

@pytest.mark.parametrize(("argv", "message"), [
    (["check", "variable_created_insde"], "did you mean 'variable_created_inside'"),
    (["explain", "myad"], "did you mean 'myadd'"),
    (["show", "{demo}:totl"], "has no 'totl'; did you mean 'total'"),
    (["trace", "{tmp}/missing.py:f"], "no such file"),
])
def test_unknown_names_fail_before_tensorflow_loads_with_did_you_mean(run_autoconv, demo, tmp_path, argv, message):
    fake = tmp_path / "no_tf" / "tensorflow"  # a TensorFlow that fails loudly if anything imports it
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise SystemExit('tensorflow was imported')\n")
    argv = [arg.format(demo=demo, tmp=tmp_path) for arg in argv]
    result = run_autoconv(*argv, env={"PYTHONPATH": str(fake.parent)})
    assert result.returncode == 2 and message in result.stderr and "tensorflow was imported" not in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.fixture
def packages(tmp_path):
    """A folder with a package of a traced function, the same under a package whose ``__init__`` raises."""
    function = "import tensorflow as tf\n\n\n@tf.function\ndef double(x):\n    return x * 2\n"
    for name, init in (("goodpkg", ""), ("badpkg", "raise RuntimeError('badpkg.__init__ ran')\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(init)
        (tmp_path / name / "mod.py").write_text(function)
    return tmp_path


REFUSE_AND_REPORT = """
import sys, time
start = time.perf_counter()
from autoconv.cli import main
try:
    code = main({argv!r})
except SystemExit as stop:
    code = stop.code
print(code, time.perf_counter() - start, "tensorflow" in sys.modules)
"""


@pytest.mark.parametrize(("argv", "message"), [
    (["show", "goodpkg.mdo:double"], "cannot import 'goodpkg.mdo': no module named 'goodpkg.mdo'; "
                                      "did you mean 'goodpkg.mod'?"),
    (["explain", "goodpak.mod:double"], "cannot import 'goodpak.mod': no module named 'goodpak'; "
                                        "did you mean 'goodpkg'?"),
    (["trace", "goodpkg.mod:doubel"], "module 'goodpkg.mod' has no 'doubel'; did you mean 'double'?"),
    (["graph", "badpkg.mod:doubel"], "module 'badpkg.mod' has no 'doubel'; did you mean 'double'?"),
    (["bench", "json:dumpz"], "module 'json' has no 'dumpz'; did you mean 'dump' or 'dumps'?"),
])
def test_a_module_target_that_names_nothing_is_refused_by_reading(packages, python_env, argv, message):
    """Issue 19 item 11: found on sys.path and in the working folder, read, not imported (no
    package ``__init__`` runs, TensorFlow never loads), one line, exit 2, in under half a second."""
    # timed from importing autoconv to the refusal: Python's own start (a fifth of a second on a
    # busy machine) is not autoconv's to shorten
    result = subprocess.run([sys.executable, "-c", REFUSE_AND_REPORT.format(argv=argv)], cwd=packages,
                            env=python_env, capture_output=True, text=True, timeout=60)
    code, seconds, imported_tensorflow = result.stdout.split()
    assert code == "2" and imported_tensorflow == "False" and float(seconds) < 0.5, (code, seconds)
    assert result.stderr == f"autoconv: error: {message}\n"


def test_a_module_target_reading_cannot_decide_is_left_to_loading(packages, run_autoconv):
    """A module that may make names at run time, or one that is no Python source, is loaded, and
    loading says what is wrong; a valid ``pkg.mod:func`` works."""
    (packages / "lazy.py").write_text("def __getattr__(name):\n    return len\n")
    result = run_autoconv("show", "lazy:anything", cwd=packages)
    assert result.returncode == 2 and "not a Python function" in result.stderr  # loaded: len is a builtin
    (packages / "nspkg").mkdir()  # a namespace package: other portions could hold the module
    result = run_autoconv("show", "nspkg.mod:f", cwd=packages)
    assert result.returncode == 2 and "No module named 'nspkg.mod'" in result.stderr
    result = run_autoconv("show", "badpkg.mod:double", cwd=packages)  # exists: loading runs the __init__
    assert result.returncode == 2 and "badpkg.__init__ ran" in result.stderr
    result = run_autoconv("show", "goodpkg.mod:double", "--format", "rst", cwd=packages)
    assert result.returncode == 0 and "def tf__double(x):" in result.stdout


def test_a_class_method_target_says_how_to_give_the_instance(run_cli, demo):
    code, out, err = run_cli("explain", f"{demo}:Counter.add", "--args", "tf.constant(1)")
    assert code == 2 and out == "" and "is a method of Counter: give the instance as the first argument" in err
    code, out, _ = run_cli("explain", f"{demo}:Counter.add", "--args", "Counter(), tf.constant(1)")
    assert code == 0 and "call 1 (" in out


def _one_branch(x):
    if x > 0:
        y = x * 2
    return y


def test_notes_are_normal_weight_specific_and_pointed_at_once():
    import autoconv
    from autoconv.render import ViewOptions
    from autoconv.render.text import TextFormatter

    conversion = autoconv.convert(_one_branch)
    text = TextFormatter(ViewOptions(color=True, width=100)).conversion(conversion)
    note_rows = [row for row in text.splitlines() if "↳" in row]
    assert note_rows and not any("\x1b[2m" in row for row in note_rows)  # the teaching content is never dim
    plain = TextFormatter(ViewOptions(width=100)).conversion(conversion)
    assert "y is assigned in only one branch" in plain and "such as a loop target" not in plain
    pointers = [row for row in plain.splitlines() if "see above:" in row]
    named = [name.strip() for row in pointers for name in row.split("see above:")[1].split(",")]
    assert len(named) == len(set(named))  # each construct pointed back to once


DECORATED = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample


    @sample(inputs=[(tf.constant(1),)])
    @tf.function
    def decorated(x):
        return x + 1
''')


def test_every_view_names_the_def_line_of_a_decorated_function(run_autoconv, tmp_path):
    """One counting rule: a file:line is the ``def`` line, in the views as in check --json."""
    (tmp_path / "deco.py").write_text(DECORATED)
    def_line = DECORATED.splitlines().index("def decorated(x):") + 1
    text = run_autoconv("show", "decorated", "--samples", "deco.py", cwd=tmp_path)
    html = run_autoconv("show", "deco.py:decorated", "--format", "html", cwd=tmp_path)
    check = run_autoconv("check", "decorated", "--samples", "deco.py", "--json", cwd=tmp_path)
    assert f"from deco.py:{def_line}\n" in text.stdout
    assert f"from <code>deco.py:{def_line}</code>" in html.stdout
    assert f'"location": "deco.py:{def_line}"' in check.stdout
