"""`autoconv trace`: TensorFlow's own trace count, call by call, with the reason for each trace."""
import json
import textwrap

import pytest

from autoconv.cli import main
from autoconv.model.trace import RETRACE_CURES
from autoconv.tracing import trace

SAMPLES_FILE = "retracing.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(1,), (2,), (2,), (3,)])
    def python_scalars(n):
        print("tracing for", n)
        return tf.constant(n) * 2

    @sample(inputs=[(tf.constant(1),), (tf.constant(2),), (tf.constant(1.0),), (tf.constant([1, 2]),)])
    def tensors(x):
        print("tracing", x.dtype.name)
        return x + x

    @sample(inputs=[(True,), (False,), (True,)])
    def flags(flag):
        return tf.constant(1) if flag else tf.constant(0)

    @sample(inputs=[(1,), (True,)])
    def equal_values(x):
        return tf.constant(x is True)

    @sample(inputs=[(tf.constant([1, 2]),), (tf.constant([1, 2, 3]),), (tf.constant([4]),)])
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
    def with_signature(x):
        return tf.reduce_sum(x)

    @sample(inputs=[(1,), (9,), (2,)])
    def refuses_nine(n):
        if n == 9:
            raise ValueError("nine is refused")
        return tf.constant(n)

    class Lazy(tf.Module):
        def __init__(self):
            self.scale = None

        @tf.function
        def apply(self, x):
            if self.scale is None:
                self.scale = tf.Variable(2.0)
            return x * self.scale

    lazy = Lazy()  # a bound tf.function holds its instance weakly: keep one alive
    sample(inputs=[(tf.constant(1.0),), (tf.constant(2.0),)], name="lazy_variable")(lazy.apply)

    @sample
    def no_inputs(x):
        return x

    def not_a_sample(x):
        return x
''')


def _trace(samples_file, name):
    return trace(name, [str(samples_file)])


def test_python_scalars_trace_once_per_distinct_value(samples_file):
    report = _trace(samples_file, "python_scalars")
    assert report.traces == 3
    assert [c.traced for c in report.calls] == [True, True, False, True]
    assert [c.signature for c in report.calls] == [{"n": "1"}, {"n": "2"}, {"n": "2"}, {"n": "3"}]
    assert report.calls[0].causes == ["first"]
    assert report.calls[1].causes == ["python-value"]
    assert report.calls[1].reason == "n is the new Python value 2 (traced before with 1)"
    assert report.calls[2].reason == "reused the graph traced by call 2"


def test_tensors_trace_once_per_dtype_and_shape(samples_file):
    report = _trace(samples_file, "tensors")
    assert report.traces == 3 == sum(c.traced for c in report.calls)
    assert [c.traced for c in report.calls] == [True, False, True, True]
    assert report.calls[0].signature == {"x": "TensorSpec(shape=(), dtype=tf.int32)"}
    assert report.calls[2].causes == ["dtype"]
    assert report.calls[2].reason == "x has the new dtype float32 (traced before with int32)"
    assert report.calls[3].causes == ["shape"]  # explained against the int32 scalar, its closest trace
    assert report.calls[3].signature == {"x": "TensorSpec(shape=(2,), dtype=tf.int32)"}


def test_bools_are_python_values(samples_file):
    report = _trace(samples_file, "flags")
    assert report.traces == 2
    assert [c.traced for c in report.calls] == [True, True, False]
    assert report.calls[1].causes == ["python-value"]


def test_python_values_that_compare_equal_share_a_trace(samples_file):
    report = _trace(samples_file, "equal_values")
    assert report.traces == 1  # True == 1 and hash(True) == hash(1): the same trace key
    assert report.calls[1].signature == {"x": "True"} and not report.calls[1].traced
    assert report.calls[1].reason.startswith("reused the graph traced by call 1: Python values that compare equal")


def test_input_signature_traces_once_for_every_length(samples_file):
    report = _trace(samples_file, "with_signature")
    assert report.traces == 1
    assert [c.traced for c in report.calls] == [True, False, False]
    # every call is shown with the declared signature, the one it is traced (or refused) with
    assert {c.signature["x"] for c in report.calls} == {"TensorSpec(shape=(None,), dtype=tf.int32)"}
    assert "input_signature" in report.calls[0].reason
    assert report.calls[1].reason == report.calls[2].reason == "reused the graph traced by call 1"


def test_a_raising_call_is_reported_and_tracing_goes_on(samples_file):
    report = _trace(samples_file, "refuses_nine")
    first, refused, last = report.calls
    assert refused.error.type == "ValueError" and "nine is refused" in refused.error.message
    assert not refused.traced  # TensorFlow does not count a trace that raised
    assert refused.trace_output == "" and refused.reason.startswith("raised ValueError, and no trace was kept")
    assert first.traced and last.traced and report.traces == 2


def test_a_call_that_creates_variables_traces_twice(samples_file):
    report = _trace(samples_file, "lazy_variable")
    assert [c.new_traces for c in report.calls] == [2, 0]
    assert report.traces == 2 and "traced 2 times in this one call" in report.calls[0].reason


def test_json_and_what_tracing_printed(run_autoconv, samples_file):
    result = run_autoconv("trace", "python_scalars", "--samples", str(samples_file), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert set(document) == {"autoconv", "name", "traces", "calls"}
    assert document["name"] == "python_scalars" and document["traces"] == 3
    assert all(set(call) >= {"args", "traced", "signature", "trace_output", "reason"} for call in document["calls"])
    assert [c["trace_output"] for c in document["calls"]] == [
        "tracing for 1\n", "tracing for 2\n", "", "tracing for 3\n"
    ]
    assert document["calls"][0]["error"] is None


def test_text_view_has_the_table_and_the_cures(samples_file, capsys):
    assert main(["trace", "tensors", "--samples", str(samples_file)]) == 0
    out = capsys.readouterr().out
    assert "call  traced  arguments" in out
    assert "2     reused  tf.constant(2)" in out
    assert "3 traces for 4 calls" in out
    assert RETRACE_CURES["dtype"][:40] in out.replace("\n    ", " ")
    assert "call 3: x has the new dtype float32 (traced before with int32)" in out


@pytest.mark.parametrize("target, message", [
    ("no_inputs", "is not a sample with inputs"),
    ("{file}:not_a_sample", "is not a sample with inputs"),
    ("missing_sample", "unknown sample or target"),
])
def test_bad_targets_exit_2_with_one_line(samples_file, capsys, target, message):
    assert main(["trace", target.format(file=samples_file), "--samples", str(samples_file)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err and captured.err.startswith("autoconv: error:")
