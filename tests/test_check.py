"""The equivalence check, end to end with real TensorFlow and real worker processes."""
import json
import subprocess
import sys
import textwrap

import pytest

import autoconv

SAMPLES_FILE = "hazards.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import os
    import threading
    import numpy as np
    import tensorflow as tf
    from autoconv import sample, case

    counter = tf.Variable(0)

    @sample(inputs=[(5,), (tf.constant(5),), case(tf.constant(2), k=3)])
    def total(n, k=1):
        s = 0
        for i in tf.range(n):
            s += i * k
        return s

    @sample(inputs=[(tf.constant(7),)])
    def prints_with_tf_print(x):
        tf.print("value:", x)
        return x

    @sample(inputs=[(tf.constant(1),)], expect="mismatch")
    def prints_only_while_tracing(x):
        print("tracing")
        return x + 1

    @sample(inputs=[(tf.constant(1),)], calls=3)
    def bumps_global_variable(x):
        counter.assign_add(x)
        return counter.read_value()

    @sample(inputs=[(tf.constant(1.0),)], expect="mismatch")
    def numpy_random_frozen(x):
        return x + np.random.uniform()

    @sample(inputs=[(tf.constant(1),)], expect="timeout")
    def endless(x):
        while True:
            pass

    @sample(inputs=[(1,)], expect="crash")
    def exits_hard(x):
        os._exit(3)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def scalar_only(x):
        return x * 2

    sample(inputs=[(tf.constant(1.0),), (tf.constant([1.0, 2.0]),)], expect=["match", "graph-error"],
           name="scalar_only")(scalar_only)

    @sample(inputs=[(tf.constant(0.0),)])
    def nested_with_nan(x):
        return {"ratio": (x / x, [x, 1]), "label": "s"}

    class Counter(tf.Module):
        def __init__(self):
            self.v = tf.Variable(1.0)

        @tf.function
        def add(self, a):
            self.v.assign_add(a)
            return self.v

    module_counter = Counter()
    sample(inputs=[(tf.constant(1.0),)], name="module_add")(module_counter.add)

    @sample(inputs=[(tf.constant(1.0),)], expect="native-error")
    def only_graph_works(x):
        if tf.executing_eagerly():
            raise ValueError("eager only")
        return x

    @sample(inputs=[(tf.constant(1),)], expect="mismatch")
    def different_exceptions(x):
        if tf.executing_eagerly():
            raise KeyError("eager")
        raise ValueError("graph")

    @sample(inputs=[(1,)])
    def unpicklable_result(x):
        return threading.Lock() if False else (x, lambda: None) [0]

    @sample(inputs=[(1,)], expect="graph-error")
    def writes_a_lock(x):
        print("a lock", threading.Lock() is not None)
        return threading.Lock()

    @sample
    def view_only(x):
        return x
''')


@pytest.fixture(scope="module")
def report(run_autoconv, samples_file):
    result = run_autoconv("check", "--samples", str(samples_file), "--json", "--timeout", "8")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    return document, {s["name"]: s for s in document["samples"]}


def test_json_document_shape(report):
    document, by_name = report
    assert document["autoconv"] == autoconv.__version__
    assert document["tensorflow"].startswith("2.")
    total = by_name["total"]
    assert total["location"].endswith("hazards.py:11")  # the def line, not the @sample above it
    assert total["conversion"] == {"ok": True, "error": None}
    assert [c["args"] for c in total["cases"]] == ["5", "tf.constant(5)", "tf.constant(2), k=3"]
    case = total["cases"][2]
    assert set(case) >= {"args", "verdict", "expected", "first_difference", "seconds", "native", "graph", "traces",
                         "worker_recycled"}
    assert case["worker_recycled"] is None
    assert case["verdict"] == case["expected"] == "match" and case["first_difference"] is None
    first_call = dict(case["native"][0])
    assert isinstance(first_call.pop("seconds"), float)
    assert first_call == {"value": "<tf.Tensor: shape=(), dtype=int32, numpy=3>", "stdout": "",
                          "stderr": "", "error": None, "warnings": [], "type_change": None}
    assert len(case["graph"]) == 2 and case["traces"] == 1
    assert [s["name"] for s in document["samples"]][:3] == ["total", "prints_with_tf_print",
                                                             "prints_only_while_tracing"]


def test_every_call_has_its_own_seconds_inside_its_case(report):
    document, by_name = report
    cases = [case for sample in document["samples"] for case in sample["cases"]]
    for case in cases:
        calls = case["native"] + case["graph"] + (case.get("saved") or [])
        assert all(isinstance(call["seconds"], float) and call["seconds"] >= 0 for call in calls), case["args"]
        assert sum(call["seconds"] for call in calls) <= case["seconds"] + 1e-3  # the calls are within the case
    assert {len(case["native"]) for case in cases if case["verdict"] not in ("timeout", "crash")} >= {2, 3}
    assert all(case["native"] == [] for case in cases if case["verdict"] in ("timeout", "crash"))
    assert all("graph_view" not in case for case in cases)  # only the gallery asks for graphs


def test_the_report_round_trips_through_its_dicts(report):
    from autoconv.model.check import CheckReport

    document = report[0]
    assert CheckReport.from_dict(document).to_dict() == document
    call = CheckReport.from_dict(document).samples[0].cases[0].graph[0]
    assert call.seconds == document["samples"][0]["cases"][0]["graph"][0]["seconds"]


def _case(by_name, name, index=0):
    return by_name[name]["cases"][index]


def test_tf_print_is_captured_at_the_fd_level(report):
    case = _case(report[1], "prints_with_tf_print")
    assert case["verdict"] == "match"
    assert case["native"][0]["stderr"] == "value: 7\n" and case["graph"][1]["stderr"] == "value: 7\n"


def test_print_only_while_tracing_mismatches_at_call_2(report):
    case = _case(report[1], "prints_only_while_tracing")
    assert case["verdict"] == "mismatch"
    assert case["first_difference"] == {"call": 2, "what": "stdout", "detail": ""}
    assert [c["stdout"] for c in case["graph"]] == ["tracing\n", ""]
    assert [c["stdout"] for c in case["native"]] == ["tracing\n", "tracing\n"]


def test_global_variable_starts_fresh_for_each_side(report):
    case = _case(report[1], "bumps_global_variable")
    assert case["verdict"] == "match"
    assert [c["value"] for c in case["graph"]] == [f"<tf.Tensor: shape=(), dtype=int32, numpy={n}>" for n in (1, 2, 3)]


def test_numpy_random_is_frozen_at_trace_time(report):
    case = _case(report[1], "numpy_random_frozen")
    assert case["verdict"] == "mismatch" and case["first_difference"] == {"call": 2, "what": "value", "detail": "values differ"}
    assert case["graph"][0]["value"] == case["graph"][1]["value"]
    assert case["native"][0]["value"] == case["graph"][0]["value"]  # both seeded with 0


def test_timeout_and_crash_are_verdicts_and_the_run_goes_on(report):
    by_name = report[1]
    endless = _case(by_name, "endless")
    assert endless["verdict"] == "timeout" and "8 s timeout" in endless["detail"]
    crash = _case(by_name, "exits_hard")
    assert crash["verdict"] == "crash" and "exited with code 3" in crash["detail"]
    assert _case(by_name, "nested_with_nan")["verdict"] == "match"  # declared after both hazards


def test_input_signature_rejects_a_wrong_shape_as_graph_error(report):
    first, second = report[1]["scalar_only"]["cases"]
    assert first["verdict"] == "match"
    assert second["verdict"] == "graph-error" and second["first_difference"] == {"call": 1, "what": "error", "detail": ""}
    assert second["graph"][0]["error"]["type"] in ("TypeError", "ValueError")
    assert second["native"][0]["error"] is None


def test_bound_module_method_and_returned_variable_snapshots(report):
    case = _case(report[1], "module_add")
    assert case["verdict"] == "match"
    assert "numpy=2.0" in case["native"][0]["value"] and "3.0" in case["native"][1]["value"]


def test_native_error_and_different_exception_types(report):
    by_name = report[1]
    native = _case(by_name, "only_graph_works")
    assert native["verdict"] == "native-error"
    assert native["native"][0]["error"] == {"type": "ValueError", "message": "eager only"}
    different = _case(by_name, "different_exceptions")
    assert different["verdict"] == "mismatch" and different["first_difference"]["what"] == "error"


def test_unpicklable_results_are_compared_in_the_worker(report):
    by_name = report[1]
    assert _case(by_name, "unpicklable_result")["verdict"] == "match"
    lock = _case(by_name, "writes_a_lock")
    assert lock["verdict"] == "graph-error" and "<unlocked _thread.lock object" in lock["native"][0]["value"]


def test_a_sample_without_inputs_has_no_cases(report):
    assert report[1]["view_only"]["cases"] == []


def test_human_table_and_exit_codes(run_autoconv, samples_file):
    result = run_autoconv("check", "total", "prints_only_while_tracing", "--samples", str(samples_file))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["sample", "case", "verdict", "expected", "first", "difference"]
    assert any(line.startswith("prints_only_while_tracing") and "call 2: stdout" in line for line in lines)
    assert "4 as expected, 0 unexpected (2 samples, 4 cases" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_calls_option_overrides(run_autoconv, samples_file):
    result = run_autoconv("check", "prints_only_while_tracing", "--calls", "1", "--json", "--samples", str(samples_file))
    case = json.loads(result.stdout)["samples"][0]["cases"][0]
    assert case["verdict"] == "match" and len(case["native"]) == 1  # one call cannot show the difference
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("files", "names", "message"),
    [
        ({}, [], "no such file or directory"),
        ({"raises.py": "from autoconv import sample\nx = 1\nraise RuntimeError('boom')\n"}, [],
         "raises.py:3: loading raised RuntimeError: boom"),
        ({"syntax.py": "def f(:\n"}, [], "syntax.py:1: syntax error"),
        ({"malformed.py": "from autoconv import sample\n@sample(inputs=[5])\ndef f(x):\n    return x\n"}, [],
         "inputs[0] is 5"),
        ({"factory.py": "from autoconv import sample\n@sample(inputs=lambda: 7)\ndef f(x):\n    return x\n"}, [],
         "inputs must be a list"),
        ({"a.py": "from autoconv import sample\n@sample(inputs=[(1,)])\ndef f(x):\n    return x\n",
          "b.py": "from autoconv import sample\n@sample(inputs=[(1,)])\ndef f(x):\n    return x\n"}, [],
         "duplicate sample name 'f'"),
        ({"a.py": "from autoconv import sample\n@sample(inputs=[(1,)])\ndef f(x):\n    return x\n"}, ["nope"],
         "unknown sample or target: 'nope'"),
        ({"plain.py": "x = 1\n"}, [], "no samples declared in"),
    ],
    ids=["missing-file", "raises-on-import", "syntax-error", "malformed-inputs", "malformed-factory",
         "duplicate-names", "unknown-name", "no-samples"],
)
def test_bad_input_exits_2_with_one_line(run_autoconv, tmp_path, files, names, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    target = tmp_path if files else tmp_path / "missing.py"
    result = run_autoconv("check", *names, "--samples", str(target))
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("autoconv: error:") and result.stderr.count("\n") == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_api_check_runs_a_file_function_in_workers(samples_file):
    report = autoconv.check(f"{samples_file}:total", [(3,), autoconv.case(2, k=5)])
    assert not report.shared_state
    assert [(c.args, c.verdict) for c in report.samples[0].cases] == [("3", "match"), ("2, k=5", "match")]


def test_api_check_in_process_says_state_was_shared():
    def local(x):
        print("hi")
        return x * 2

    report = autoconv.check(local, [(4,)])
    assert report.shared_state and report.to_dict()["shared_state"] is True
    case = report.samples[0].cases[0]
    assert case.verdict == "mismatch" and case.first_difference.call == 2 and case.first_difference.what == "stdout"


def test_tensorflow_log_lines_are_warnings_not_stderr():
    from autoconv.equivalence.protocol import split_tf_log_lines

    stderr = (
        "user line\n"
        "W0000 00:00:1795628214.871069   26227 root_dataset.cc:364] Optimization loop failed\n"
        "\t [[{{node Assert/Assert}}]]\n"
        "2024-01-01 12:00:00.123456: W tensorflow/core/kernel.cc:1] old format\n"
        "  indented user line\n"
        "To enable the following instructions: mine, not after a log line\n"
        "I0000 00:00:1796417375.487128   15816 cpu_feature_guard.cc:227] This TensorFlow binary is optimized\n"
        "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow\n"
    )
    kept, logs = split_tf_log_lines(stderr.encode())
    # the user's part stays bytes: it is compared
    assert kept == b"user line\n  indented user line\nTo enable the following instructions: mine, not after a log line\n"
    # without time stamps or thread ids, so two runs report the same warnings
    assert logs == ["W root_dataset.cc:364] Optimization loop failed", "\t [[{{node Assert/Assert}}]]",
                    "W tensorflow/core/kernel.cc:1] old format",
                    "I cpu_feature_guard.cc:227] This TensorFlow binary is optimized",
                    "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow"]


def test_api_check_in_process_times_out_and_carries_on():
    def spins(x):
        if x > 0:
            while True:
                pass
        return x

    report = autoconv.check(spins, [(1,), (0,)], timeout=1)
    endless, quick = report.samples[0].cases
    assert report.shared_state
    assert endless.verdict == "timeout" and "1 s timeout" in endless.detail
    assert quick.verdict == "match"


def test_api_check_of_a_script_sample_runs_in_process(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent('''
        import tensorflow as tf
        import autoconv

        @autoconv.sample(inputs=[(tf.constant(3),)])
        def triple(x):
            return x * 3

        report = autoconv.check(triple)  # no main guard: reloading this file would run it again
        print(report.shared_state, [c.verdict for c in report.samples[0].cases])
    '''))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "True ['match']"


def test_error_messages_carry_no_terminal_codes(run_autoconv):
    """Keras 3 bolds words of its messages for a terminal; the check's data keeps the words only,
    so no page or JSON document shows the escape codes."""
    result = run_autoconv("check", "keras_call_python_if", "--json", "--timeout", "60")
    document = json.loads(result.stdout)
    (sample,) = document["samples"]
    messages = [call["error"]["message"] for case in sample["cases"] for call in case["graph"] if call["error"]]
    assert messages and all("Using a symbolic `tf.Tensor` as a Python `bool` is not allowed" in m for m in messages)
    assert not any("\x1b" in m for m in messages)
