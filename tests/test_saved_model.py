"""The check's third side: a tf.Module method saved as a SavedModel, loaded back and called.

Also the graph side's trace count that ``check --json`` reports for every case.
"""
import json
import textwrap
from pathlib import Path

import pytest

SAMPLES_FILE = "modules.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    class Counter(tf.Module):
        def __init__(self):
            self.count = tf.Variable(0)

        @tf.function
        def increment(self, step):
            self.count.assign_add(step)
            return self.count.read_value()

        def plain_add(self, step):
            return self.count + step

    counter = Counter()
    sample(inputs=[(tf.constant(1),), (tf.constant(5),)], name="counter")(counter.increment)
    sample(inputs=[(tf.constant(2),)], name="plain_method")(counter.plain_add)

    class Greeter(tf.Module):
        @tf.function
        def greet(self, x):
            print("tracing greet")
            return x + 1

    # print runs while tracing. With one call, the graph side traces during that call and prints,
    # like native; the SavedModel was traced before it was saved, and its loaded function runs
    # no Python at all, so it prints nothing: only the saved side tells the difference.
    greeter = Greeter()
    sample(inputs=[(tf.constant(1),)], calls=1, expect="mismatch", name="greet_once")(greeter.greet)
    # With two calls the graph side already differs (no print on call 2), and it decides first.
    sample(inputs=[(tf.constant(1),)], calls=2, expect="mismatch", name="greet_twice")(greeter.greet)

    ticks = tf.Variable(0)

    # A module-level variable belongs to no tf.Module, so saving the function fails.
    @sample(inputs=[(tf.constant(1),)], saved_model=True, expect="graph-error")
    @tf.function
    def tick(step):
        ticks.assign_add(step)
        return ticks.read_value()

    @sample(inputs=[(2,)], saved_model=True)
    def double(x):
        return tf.constant(x) * 2

    @sample(inputs=[(tf.constant(3),), (4,)])
    def no_module(x):
        return x * 2
''')


@pytest.fixture(scope="module")
def by_name(run_autoconv, samples_file):
    result = run_autoconv("check", "--samples", str(samples_file), "--json", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    return {s["name"]: s for s in json.loads(result.stdout)["samples"]}


def test_a_module_counter_agrees_after_the_round_trip(by_name):
    first, second = by_name["counter"]["cases"]
    assert first["verdict"] == second["verdict"] == "match" and first["detail"] == ""
    values = [f"<tf.Tensor: shape=(), dtype=int32, numpy={n}>" for n in (1, 2)]
    assert [c["value"] for c in first["native"]] == [c["value"] for c in first["saved"]] == values
    # tracing before saving ran no assign_add: the loaded counter starts at 0 too
    assert [c["value"] for c in second["saved"]] == [f"<tf.Tensor: shape=(), dtype=int32, numpy={n}>" for n in (5, 10)]
    assert set(first["saved"][0]) == set(first["native"][0]) == set(first["graph"][0])


def test_a_plain_method_of_a_module_is_saved_as_a_tf_function(by_name):
    case = by_name["plain_method"]["cases"][0]
    assert case["verdict"] == "match"
    assert case["saved"][0]["value"] == case["native"][0]["value"] == "<tf.Tensor: shape=(), dtype=int32, numpy=2>"


def test_printing_while_tracing_differs_only_on_the_saved_side(by_name):
    case = by_name["greet_once"]["cases"][0]
    assert case["graph"][0]["stdout"] == case["native"][0]["stdout"] == "tracing greet\n"
    assert case["saved"][0]["stdout"] == "" and case["saved"][0]["error"] is None
    assert case["verdict"] == "mismatch" and case["first_difference"] == {"call": 1, "what": "stdout", "detail": ""}
    assert "SavedModel" in case["detail"]


def test_the_graph_side_decides_first(by_name):
    case = by_name["greet_twice"]["cases"][0]
    assert case["verdict"] == "mismatch" and case["first_difference"] == {"call": 2, "what": "stdout", "detail": ""}
    assert case["detail"] == "" and [c["stdout"] for c in case["saved"]] == ["", ""]


def test_a_failed_save_is_a_result_of_the_saved_side(by_name):
    case = by_name["tick"]["cases"][0]
    assert case["graph"][0]["error"] is None
    assert case["verdict"] == "graph-error" and "SavedModel" in case["detail"]
    assert len(case["saved"]) == 2
    assert all(c["error"]["message"].startswith("SavedModel round trip failed:") for c in case["saved"])
    assert "not reachable from root" in case["saved"][0]["error"]["message"]


def test_saved_model_true_wraps_a_plain_function(by_name):
    case = by_name["double"]["cases"][0]
    assert case["verdict"] == "match"
    assert [c["value"] for c in case["saved"]] == ["<tf.Tensor: shape=(), dtype=int32, numpy=4>"] * 2


def test_other_samples_have_no_saved_side_and_report_traces(by_name):
    cases = by_name["no_module"]["cases"]
    assert all("saved" not in case for case in cases)
    assert [case["traces"] for case in cases] == [1, 1]  # each case traces its own fresh tf.function
    assert all(case["traces"] == 1 for sample in by_name.values() for case in sample["cases"])


def test_the_catalogue_saved_model_lesson_round_trips_and_keeps_only_its_signature(run_autoconv, tmp_path):
    """The seed lesson's SavedModel: the restored function agrees with Python for every case, and
    a call outside its traced signature fails on the restored object (no Python to retrace)."""
    variables = Path(__file__).resolve().parent.parent / "samples" / "variables.py"
    result = run_autoconv("check", "saved_model_round_trip", "--samples", str(variables), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    cases = json.loads(result.stdout)["samples"][0]["cases"]
    assert [case["verdict"] for case in cases] == ["match", "match"]
    assert all([c["value"] for c in case["saved"]] == [c["value"] for c in case["native"]] for case in cases)
    assert "array([3., 6.]" in cases[0]["saved"][0]["value"]

    import tensorflow as tf

    from samples.variables import Scaler

    tf.saved_model.save(Scaler(), str(tmp_path / "scaler"))
    restored = tf.saved_model.load(str(tmp_path / "scaler"))
    assert restored.scale(tf.constant([1.0, 2.0])).numpy().tolist() == [3.0, 6.0]
    with pytest.raises((TypeError, ValueError)):  # an int32 vector was never traced, so it cannot be called
        restored.scale(tf.constant([1, 2]))
