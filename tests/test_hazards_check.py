"""The check engine's hazards (issue 10): odd results, signals, leftovers, and reproducible reports."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

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


def _autoconv(*arguments: str, cwd: Path | None = None, env: dict | None = None,
              timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "autoconv", *arguments], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("comparisons")
    (folder / "comparisons.py").write_text(COMPARISONS)
    result = _autoconv("check", "--samples", "comparisons.py", "--json", cwd=folder)
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


def test_a_sample_that_changes_folder_with_a_relative_samples_path_still_reports(tmp_path: Path) -> None:
    (tmp_path / "moves.py").write_text(textwrap.dedent('''
        import os
        from autoconv import sample

        @sample(inputs=[(1,), (2,)], expect="match")
        def moves(x):
            os.chdir("/")
            return x
    '''))
    result = _autoconv("check", "--samples", "moves.py", "--jobs", "1", cwd=tmp_path)
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
def test_the_temp_folder_holds_nothing_new_afterwards(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "leaves.py").write_text(LEAVES_FILES)
    temp = tmp_path / "temp"
    temp.mkdir()
    result = _autoconv(*command, "--samples", "leaves.py", cwd=tmp_path, env={**os.environ, "TMPDIR": str(temp)})
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


def test_two_runs_give_the_same_json_apart_from_times_and_no_addresses(tmp_path: Path) -> None:
    (tmp_path / "stable.py").write_text(STABLE)

    def without_times(value: object) -> object:
        if isinstance(value, dict):
            return {k: without_times(v) for k, v in value.items() if k != "seconds"}
        if isinstance(value, list):
            return [without_times(v) for v in value]
        return value

    runs = [_autoconv("check", "--samples", "stable.py", "--json", cwd=tmp_path) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stdout[-3000:]
    first, second = (without_times(json.loads(r.stdout)) for r in runs)
    assert first == second
    assert "0x" not in runs[0].stdout
    text = runs[0].stdout
    assert "autoconv/equivalence" not in text and "site-packages" not in text and "__autograph_generated" not in text
    assert str(tmp_path) not in text.replace(json.loads(text)["samples"][0]["location"], "")
    message = json.loads(text)["samples"][0]["cases"][0]["graph"][0]["error"]["message"]
    assert 'File "stable.py", line' in message and "size must be 3" in message
