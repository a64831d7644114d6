"""Guards that make a pitfall-shaped line legal, on the package tests/lint_guards/ (written for
these tests, read and never imported): ``tf.init_scope()`` (in any spelling, and around a helper
of another module), a create-once flag, a scratch attribute read only further down, and a branch
that every traced caller asserts away.  Each has a twin beside it that still fires."""

from __future__ import annotations

from pathlib import Path

from autoconv.linter import lint, lint_paths

PACKAGE = Path(__file__).resolve().parent / "lint_guards" / "guards"
MODEL = PACKAGE / "model.py"


def _line(path: Path, text: str) -> int:
    """The line of ``path`` holding ``text``, so the package can be edited without renumbering."""
    (line,) = [i for i, source in enumerate(path.read_text().splitlines(), 1) if text in source]
    return line


def _found() -> set[tuple[str, int, str]]:
    return {(Path(f.path).name, f.line, f.code) for f in lint_paths([str(PACKAGE)])}


def test_keras_objects_made_under_init_scope_are_not_reported() -> None:
    found = _found()
    builders = PACKAGE / "builders.py"
    assert ("model.py", _line(MODEL, "inner = tf.keras.layers.Dense(3)"), "AC202") not in found  # ops.init_scope()
    assert ("builders.py", _line(builders, "return tf.keras.layers.Dense(3)"), "AC202") not in found
    # the helper of another module called with no init_scope around it still fires
    assert ("builders.py", _line(builders, "return tf.keras.layers.Embedding(10, 3)"), "AC202") in found


def test_create_once_flag_is_not_a_frozen_read() -> None:
    found = _found()
    assert ("model.py", _line(MODEL, "if not self._built:"), "AC306") not in found
    # a flag some other method flips for later calls is frozen into the graph
    assert ("model.py", _line(MODEL, "if self.training:"), "AC306") in found


def test_scratch_attribute_read_further_down_is_not_a_leak() -> None:
    found = _found()
    assert ("model.py", _line(MODEL, "self._scratch = tf.reduce_sum(x)"), "AC305") not in found
    # read by another method, outside the trace: the graph tensor leaks
    assert ("model.py", _line(MODEL, "self.last_loss = tf.reduce_sum(x)"), "AC305") in found


def test_branch_the_traced_caller_asserts_away_is_not_traced() -> None:
    found = _found()
    numpy_lines = [i for i, s in enumerate(MODEL.read_text().splitlines(), 1) if "return y.numpy()" in s]
    asserted_away, unguarded = numpy_lines
    assert ("model.py", asserted_away, "AC105") not in found  # to_host, under the caller's assert
    assert ("model.py", unguarded, "AC105") in found  # peek: nobody asserts self._debug away


def test_assert_in_the_function_itself_and_one_file_alone() -> None:
    source = (
        "import tensorflow as tf\n\n"
        "DEBUG = False\n\n"
        "@tf.function\n"
        "def step(x):\n"
        "    assert not DEBUG\n"
        "    if DEBUG:\n"
        "        print(x.numpy())\n"
        "    y = x * 2\n"
        "    if DEBUG:\n"
        "        y = y + 1\n"
        "    return y.numpy()\n"
    )
    assert [(f.line, f.code) for f in lint(source)] == [(13, "AC105")]
    # the pre-commit hook lints one file: the sibling's init_scope guard still holds
    assert [(f.line, f.code) for f in lint(PACKAGE / "builders.py")] == [
        (_line(PACKAGE / "builders.py", "Embedding"), "AC202")
    ]


def test_flag_read_by_an_assert_is_not_a_frozen_read() -> None:
    found = _found()
    assert ("model.py", _line(MODEL, "assert not self._eager"), "AC306") not in found
    # the same kind of flag read for what the graph computes is frozen into it
    assert ("model.py", _line(MODEL, "if self._debug:"), "AC306") in found


def test_truth_of_a_tuple_of_tensors_is_its_length() -> None:
    found = _found()
    sequences = PACKAGE / "sequences.py"
    assert ("sequences.py", _line(sequences, "widened = bool(past)"), "AC106") not in found
    # the same bool() of a tensor has no Python value while tracing
    assert ("sequences.py", _line(sequences, "if bool(total):"), "AC106") in found


def test_branch_ruled_out_by_a_module_constant_is_dead_code() -> None:
    path = PACKAGE / "debugging.py"
    found = {line for name, line, code in _found() if name == "debugging.py" and code == "AC105"}
    for dead in ('"dead", y.numpy()', '"dead too"', '"dead as well"', '"the else of a true constant"', "y.numpy() if"):
        assert _line(path, dead) not in found
    assert _line(path, '"may run"') in found  # LOGGING is bound twice
    assert _line(path, '"runs"') in found  # a parameter shadows the constant
