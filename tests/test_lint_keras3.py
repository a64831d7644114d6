"""AC403 on the package tests/lint_keras3/ (written for these tests, read and never imported):
Python control flow on a tensor in a Keras ``call``, or in a helper only ``call`` reaches, fails
under Keras 3, which does not convert ``call``; the shapes beside it stay silent (a static shape
test, a Python flag, a ``tf.function`` call, ``tf_keras``, a layer class made inside traced code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autoconv.linter import lint_paths

PACKAGE = Path(__file__).resolve().parent / "lint_keras3" / "layers"
MIXING = PACKAGE / "mixing.py"
HELPERS = PACKAGE / "helpers.py"


def _line(path: Path, text: str) -> int:
    """The line of ``path`` holding ``text``, so the package can be edited without renumbering."""
    (line,) = [i for i, source in enumerate(path.read_text().splitlines(), 1) if text in source]
    return line


@pytest.fixture(scope="module")
def found() -> dict[tuple[str, int], set[str]]:
    out: dict[tuple[str, int], set[str]] = {}
    for f in lint_paths([str(PACKAGE)]):
        out.setdefault((Path(f.path).name, f.line), set()).add(f.code)
    return out


@pytest.mark.parametrize(("text", "construct"), [
    ("if tf.shape(x)[1] > 1:", "if"),
    ("for t in range(seq_len):", "range() loop"),
    ("while i < seq_len:", "while"),
    ("scale = 2.0 if tf.reduce_sum(x) > 0 else 1.0", "conditional expression"),
])
def test_tensor_control_flow_in_call_is_reported(text: str, construct: str) -> None:
    findings = [f for f in lint_paths([str(PACKAGE)]) if f.code == "AC403" and f.line == _line(MIXING, text)]
    (finding,) = findings
    assert finding.message.startswith(f"Python {construct} on a tensor in a Keras call")
    assert "Keras 3 (TF >= 2.16)" in finding.message and "Keras 2 did" in finding.message
    assert "tf.cond" in finding.hint and "keras.ops.cond" in finding.hint
    assert finding.severity == "error" and finding.sample == "keras_call_python_if"


def test_helpers_only_call_reaches_are_reported(found) -> None:
    assert "AC403" in found[("mixing.py", _line(MIXING, "if tf.reduce_max(x) > 0:"))]  # self._normalise
    helper_if = _line(HELPERS, "if tf.reduce_max(v) > 1.0:")  # clip_if_large, in another file
    assert "AC403" in found[("helpers.py", helper_if)]


@pytest.mark.parametrize("text", [
    "if x.shape[1] is None:",  # a static shape: a Python value while tracing
    "if training:",  # a Python flag parameter: being a parameter is no evidence
    "if mask is not None:",
    "if K.int_shape(x)[-1] > 4:",  # K.int_shape returns Python ints
    "for _ in range(width):",  # len() of a Python list
])
def test_python_values_in_call_are_not_reported(found, text: str) -> None:
    assert "AC403" not in found.get(("mixing.py", _line(MIXING, text)), set())


def test_bool_of_a_tensor_is_left_to_ac106(found) -> None:
    assert found[("mixing.py", _line(MIXING, "if bool(tf.reduce_any(x > 0)):"))] == {"AC106"}


def test_converted_and_keras2_calls_are_not_reported(found) -> None:
    lines = MIXING.read_text().splitlines()
    compiled = lines.index("class CompiledCall(tf.keras.layers.Layer):") + 1
    local = lines.index("    class Local(tf.keras.layers.Layer):") + 1
    ac403 = {line for (name, line), codes in found.items() if name == "mixing.py" and "AC403" in codes}
    python_tests = lines.index("class PythonTests(tf.keras.layers.Layer):") + 1
    # @tf.function call; a class made in a tf.function
    assert not {line for line in ac403 if compiled < line < python_tests}
    assert compiled < local
    assert "AC403" not in found.get(("mixing.py", _line(MIXING, "if inputs:")), set())  # a structure's truth
    # a helper a tf.function also calls is converted there: silent
    assert not found.get(("helpers.py", _line(HELPERS, "if tf.reduce_max(v) > 2.0:")))
    assert not [key for key in found if key[0] == "legacy.py"]  # tf_keras is Keras 2, which converts call


@pytest.mark.parametrize("text", [
    "if name not in features:",  # a key of the inputs, which may be a dict
    "if not repetitions > 0:",  # a Python int here; the name becomes a tensor only further down
    "if not tf.is_tensor(repetitions) and repetitions == 1:",  # the type test keeps the tensor out
    "if batch != self.batch_size:",  # tf.compat.dimension_value gives a Python int (or None)
])
def test_python_tests_on_inputs_are_not_reported(found, text: str) -> None:
    assert "AC403" not in found.get(("mixing.py", _line(MIXING, text)), set())


def test_call_rebound_to_a_converted_function_is_not_reported(found) -> None:
    lines = MIXING.read_text().splitlines()
    start = lines.index("class ConvertedByAssignment(tf.keras.layers.Layer):") + 1
    assert not [line for (name, line), codes in found.items() if name == "mixing.py" and line > start]
