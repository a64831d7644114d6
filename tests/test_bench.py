"""`autoconv bench`: the fields and their relations; timings are measured, never asserted on."""
import json
import textwrap

import pytest

from autoconv.bench import MAX_REPEATS, MIN_REPEATS, bench
from autoconv.cli import main

SAMPLES_FILE = "timed.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(5),), (tf.constant(50),)])
    def tensor_loop(n):
        total = tf.constant(0)
        for i in tf.range(n):
            total += i
        return total

    @sample(inputs=[(tf.constant(1.0),), (tf.constant(-1.0),)])
    def refuses_negatives(x):
        print("printed output is not bench output")
        if tf.executing_eagerly() and x < 0:
            raise ValueError("negative")
        return x * 2
''')


def test_json_fields_are_positive_and_consistent(samples_file, capsys):
    assert main(["bench", "tensor_loop", "--samples", str(samples_file), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"autoconv", "name", "cases"} and document["name"] == "tensor_loop"
    assert [case["args"] for case in document["cases"]] == ["tf.constant(5)", "tf.constant(50)"]
    for case in document["cases"]:
        assert set(case) >= {"args", "eager_s", "graph_s", "speedup", "repeats", "eager_iqr_s", "graph_iqr_s"}
        assert case["eager_s"] > 0 and case["graph_s"] > 0 and case["speedup"] > 0
        assert case["speedup"] == pytest.approx(case["eager_s"] / case["graph_s"])
        assert MIN_REPEATS <= case["repeats"] <= MAX_REPEATS
        assert case["eager_iqr_s"] >= 0 and case["graph_iqr_s"] >= 0
        assert 0 < case["eager_min_s"] <= case["eager_s"] and 0 < case["graph_min_s"] <= case["graph_s"]
        assert case["error"] is None


def test_a_raising_case_is_reported_and_skipped(samples_file):
    first, refused = bench("refuses_negatives", [str(samples_file)]).cases
    assert first.error is None and first.speedup is not None
    assert refused.error.type == "ValueError" and refused.error.message == "eager call raised: negative"
    assert refused.eager_s is refused.graph_s is refused.speedup is None and refused.repeats == 0


def test_text_view_without_the_functions_output(run_autoconv, samples_file):
    result = run_autoconv("bench", "refuses_negatives", "--samples", str(samples_file))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "printed output" not in out and "printed output" not in result.stderr
    assert "eager (median ± IQR)" in out and "speedup" in out
    assert "skipped: ValueError" in out and "case 2: eager call raised: negative" in out  # cases count from 1
    assert "×" in out


def test_a_target_without_inputs_exits_2(samples_file, capsys):
    assert main(["bench", f"{samples_file}:sample", "--samples", str(samples_file)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
