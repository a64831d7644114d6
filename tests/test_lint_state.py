"""State that traced code reads or writes, on the package tests/lint_state/ (written for these
tests, read and never imported): Python loops over structures, attributes rebound between
traces (Python values and tensors), a tf.Variable replaced by a tensor, counters a Keras call
reads, the body of a graph loop, and RNN wrappers made while tracing.  Each case has a twin of
the other verdict beside it."""

from __future__ import annotations

from pathlib import Path

from autoconv.linter import lint_paths

PACKAGE = Path(__file__).resolve().parent / "lint_state" / "state"


def _line(name: str, text: str) -> int:
    """The line of the package file ``name`` holding ``text``, so it can be edited without renumbering."""
    (line,) = [i for i, source in enumerate((PACKAGE / name).read_text().splitlines(), 1) if text in source]
    return line


def _found() -> set[tuple[str, int, str]]:
    return {(Path(f.path).name, f.line, f.code) for f in lint_paths([str(PACKAGE)])}


def test_zip_over_a_python_structure_is_an_unrolled_loop() -> None:
    found = _found()
    assert ("loops.py", _line("loops.py", "parts.append("), "AC302") not in found
    # enumerate over a dataset is a graph loop: the list still grows once
    assert ("loops.py", _line("loops.py", "sizes.append("), "AC302") in found


def test_tf_function_made_per_method_run_is_stale_only_while_it_lives() -> None:
    found = _found()
    assert ("learner.py", _line("learner.py", "/ self._iteration"), "AC306") not in found
    assert ("learner.py", _line("learner.py", "* self._scale"), "AC306") in found  # rebound in its lifetime
    messages = {f.line: f.message for f in lint_paths([str(PACKAGE / "learner.py")]) if f.code == "AC306"}
    assert f"rebound at line {_line('learner.py', 'self._scale = self._scale * 0.5')}" in messages[
        _line("learner.py", "* self._scale")
    ]


def test_tensor_attribute_rebound_outside_is_a_frozen_read() -> None:
    findings = [f for f in lint_paths([str(PACKAGE)]) if f.code == "AC306" and Path(f.path).name == "learner.py"]
    read = _line("learner.py", "self._model(xs, self._state)")
    (finding,) = [f for f in findings if f.line == read]
    assert "a tensor rebound at line " + str(_line("learner.py", "self._state = self._unroll(xs)")) in finding.message
    # a Variable attribute is updated in place: normalize() reading self._var is not frozen;
    # a reset to the first value leaves nothing stale
    assert not [f for f in findings if any(a in f.message for a in ("self._var", "self._offset", "self._total"))]
    (bias,) = [f for f in findings if "self._bias" in f.message]
    assert bias.line == _line("learner.py", "return x + self._total + self._bias")


def test_variable_rebound_to_a_tensor_under_a_guard_is_reported() -> None:
    found = _found()
    assert ("learner.py", _line("learner.py", "self._var = tf.clip_by_value("), "AC305") in found


def test_counter_read_by_a_keras_call_is_reported() -> None:
    found = _found()
    assert ("layers.py", _line("layers.py", "self.level += 1"), "AC303") in found
    assert ("layers.py", _line("layers.py", "self.calls += 1"), "AC303") not in found  # read for a log line only


def test_graph_loop_body_mutating_the_lists_around_it() -> None:
    found = _found()
    assert ("layers.py", _line("layers.py", "states[0] = tf.concat("), "AC301") in found
    assert ("layers.py", _line("layers.py", "history.append(y)"), "AC301") in found
    assert ("layers.py", _line("layers.py", "seen.append(t)"), "AC301") not in found  # an eager while_loop


def test_rnn_over_an_existing_cell_makes_no_variables() -> None:
    found = _found()
    assert ("layers.py", _line("layers.py", "forward = tf.keras.layers.RNN(cell"), "AC202") not in found
    stacked = _line("layers.py", "stacked = tf.keras.layers.RNN(")
    assert ("layers.py", stacked, "AC202") in found  # the cell made inline has variables


def test_attribute_converted_from_itself_once_is_not_a_frozen_read() -> None:
    findings = {f.message.split("'")[1]: f for f in lint_paths([str(PACKAGE)]) if f.code == "AC306"}
    # filled as NumPy, then tf.cast / tf.convert_to_tensor of itself: the same numbers, set once
    assert "self._weights" not in findings and "self._counts" not in findings
    # the twins: loaded from elsewhere before the conversion, and a tensor advanced on every tick()
    assert findings["self._table"].line == _line("prepared.py", "return fit + tf.reduce_sum(x * self._table)")
    assert f"rebound at line {_line('prepared.py', 'self._table = tf.cast(')}" in findings["self._table"].message
    assert findings["self._clock"].line == _line("prepared.py", "return fit + tf.reduce_sum(x * self._table)")
    assert f"rebound at line {_line('prepared.py', 'self._clock = tf.add(')}" in findings["self._clock"].message


def test_attribute_set_by_setup_methods_the_constructor_runs_is_an_initial_value() -> None:
    found = {(line, code) for name, line, code in _found() if name == "configured.py"}
    reads = [i for i, s in enumerate((PACKAGE / "configured.py").read_text().splitlines(), 1) if "if self.mixed:" in s]
    assert (reads[0], "AC306") not in found  # __init__ -> _prepare -> _choose_precision, only
    assert (reads[1], "AC306") in found  # _choose_precision also runs from reset(), after tracing


def test_constructor_parameter_rebound_by_a_setter_is_a_frozen_read() -> None:
    found = {(line, code) for name, line, code in _found() if name == "setters.py"}
    frozen = {line for line, code in found if code == "AC306"}
    assert _line("setters.py", "tf.strings.split(text, self.separator)") in frozen
    # a tf.Variable, a tf.function made anew, a one-way switch, a private method nobody calls
    for read in ("return x * self.weight", "return x * self.factor", "x if self.deploy", "return self.tokenizer(x)"):
        assert _line("setters.py", read) not in frozen
