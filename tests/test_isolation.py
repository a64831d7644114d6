"""Every case gets the verdict it would get alone in a fresh process, whatever ran before it.

Polluting samples (each changes process-wide state a different way) run first on one worker
(``--jobs 1``), then samples whose verdicts that state would change; their verdicts must equal
those of each sample checked alone in a fresh process.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from autoconv import catalogue
from autoconv.equivalence.pool import WorkerPool
from autoconv.equivalence.runner import CaseTask, Progress, describe_files, run_cases

POLLUTERS = textwrap.dedent('''
    import builtins, logging, os, subprocess, sys, threading, time, warnings
    import numpy as np
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(1,)], expect="match")
    def eager_switch(x):
        tf.config.run_functions_eagerly(True)  # the debugging switch people forget to undo
        return x

    @sample(inputs=[(1,)], expect="match")
    def replaced_print(x):
        builtins.print = lambda *a, **k: None
        tf.print = lambda *a, **k: None
        return x

    @sample(inputs=[(1,)], expect="match")
    def warnings_as_errors(x):
        warnings.simplefilter("error")
        return x

    @sample(inputs=[(1,)], expect="match")
    def moved_away(x):
        os.chdir("/")
        return x

    @sample(inputs=[(1,)], expect="match")
    def numpy_behaviour(x):
        tf.experimental.numpy.experimental_enable_numpy_behavior()
        return x

    @sample(inputs=[(1,)], expect="match")
    def settings_changed(x):
        os.environ["AUTOCONV_POLLUTED"] = "1"
        sys.setrecursionlimit(200)
        logging.getLogger("tensorflow").setLevel(logging.CRITICAL)
        np.seterr(all="raise")
        sys.path.insert(0, "/nonexistent")
        return x

    @sample(inputs=[(1,)], expect="mismatch")
    def writing_thread(x):
        def spam():
            for _ in range(3000):
                os.write(1, b"garbage\\n")
                time.sleep(0.002)
        threading.Thread(target=spam, daemon=True).start()
        time.sleep(0.05)
        return x

    @sample(inputs=[(1,)], expect="match")
    def child_left_running(x):
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        return x

    @sample(inputs=[(1,)], expect="match")
    def forked(x):
        if os.fork() == 0:
            return x  # the child returns into autoconv's worker: it must leave, not reply
        return x
''')

SENSITIVE = textwrap.dedent('''
    import os
    import sys
    import warnings
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(1),)], expect="mismatch")
    def traced_print(x):
        print("tracing")
        return x + 1

    @sample(inputs=[(tf.constant(1),)], expect="graph-error")
    def variable_inside(x):
        v = tf.Variable(1)
        return v + x

    @sample(inputs=[(tf.constant(2),)], expect="match")
    def tf_print_loop(n):
        for i in tf.range(n):
            tf.print(i)
        return n

    @sample(inputs=[(tf.constant(1),)], expect="mismatch")  # print: the graph prints while tracing only
    def sees_the_process(x):
        warnings.warn("a warning is not an error")
        print(os.getcwd() == os.environ["EXPECTED_CWD"], "AUTOCONV_POLLUTED" in os.environ, sys.getrecursionlimit() > 500)
        return x
''')


@pytest.fixture
def check_json(run_autoconv):
    """``autoconv check --json ARGUMENTS...`` run in ``cwd``: the report it printed."""
    def check(cwd: Path, *arguments: str) -> dict:
        result = run_autoconv("check", "--json", *arguments, cwd=cwd, env={"EXPECTED_CWD": str(cwd)}, timeout=600)
        assert result.returncode in (0, 1), result.stderr[-2000:]
        return json.loads(result.stdout)

    return check


def _verdicts(report: dict) -> dict[str, list[str]]:
    return {s["name"]: [c["verdict"] for c in s["cases"]] for s in report["samples"]}


def test_polluting_samples_do_not_change_the_verdicts_of_later_cases(check_json, tmp_path: Path) -> None:
    (tmp_path / "a_polluters.py").write_text(POLLUTERS)
    (tmp_path / "b_sensitive.py").write_text(SENSITIVE)
    # Relative paths on purpose: one polluter changes the working folder.
    shared = check_json(tmp_path, "--samples", "a_polluters.py", "--samples", "b_sensitive.py", "--jobs", "1")
    alone = {}
    for name in ("traced_print", "variable_inside", "tf_print_loop", "sees_the_process"):
        alone.update(_verdicts(check_json(tmp_path, name, "--samples", "b_sensitive.py")))
    verdicts = _verdicts(shared)
    assert {name: verdicts[name] for name in alone} == alone
    assert alone == {"traced_print": ["mismatch"], "variable_inside": ["graph-error"],
                     "tf_print_loop": ["match"], "sees_the_process": ["mismatch"]}
    cases = {s["name"]: s["cases"][0] for s in shared["samples"]}
    assert all(cases[name]["verdict"] == cases[name]["expected"] for name in cases), cases
    seen = cases["sees_the_process"]["native"][0]["stdout"]
    assert seen == "True False True\n"
    recycled = {name: case["worker_recycled"] for name, case in cases.items() if case["worker_recycled"]}
    assert recycled == {"writing_thread": "a thread started by the sample is still running",
                        "child_left_running": "a process started by the sample is still running"}


def test_the_catalogue_gives_the_same_verdicts_forward_and_in_reverse() -> None:
    files = [str(f) for f in catalogue.sample_files(None)]
    with WorkerPool(1) as pool:
        samples = [(path, info) for path, described in describe_files(pool, files, 120, None)
                   for info in described["samples"]]
        tasks = [CaseTask((path, "sample", info["name"]), index, info["calls"], info["expected"][index], args)
                 for path, info in samples for index, args in enumerate(info["cases"])]
        forward = run_cases(pool, tasks, 60, Progress(len(tasks), False))
        backward = run_cases(pool, tasks[::-1], 60, Progress(len(tasks), False))[::-1]
    assert len(forward) == len(tasks) > 200
    assert [c.verdict for c in forward] == [c.verdict for c in backward]
    assert all(c.ok for c in forward), [(t.locator[2], c.verdict) for t, c in zip(tasks, forward, strict=True) if not c.ok]
    assert not any(c.worker_recycled for c in forward + backward)
