"""`autoconv check` against a bare single-process script following the same protocol.

Figures (issue 10): on about 40 ordinary cases, check may take at most 1.0x the bare script,
both measured here in the same run, with every isolation check on; a sample that pollutes its
worker beyond repair costs at most one worker restart. Also times the whole built-in catalogue.
Issue 18: ``--isolation fresh`` (a process forked per case) at most 3x the bare script, and where
a forked case's time goes.

    python benchmarks/bench_check.py [--repeats N]
"""
import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

from _timing import seconds

ORDINARY = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample, case

    @sample(inputs=[(3,), (tf.constant(3),), (tf.constant(5),), case(tf.constant(2), k=4)])
    def total_{n}(n, k=1):
        s = 0
        for i in tf.range(n):
            s += i * k
        return s

    @sample(inputs=[(tf.constant(1.5),), (2.0,), (tf.constant(-1.0),)])
    def branch_{n}(x):
        if x > 0:
            y = x * 2.0
        else:
            y = -x
        return y

    @sample(inputs=[(tf.constant([1.0, 2.0, 3.0]),), (tf.constant([4.0]),), (tf.constant([0.5, 0.5]),)])
    def stats_{n}(v):
        tf.print("mean", tf.reduce_mean(v))
        return {{"sum": tf.reduce_sum(v), "max": tf.reduce_max(v)}}
''')


HAZARD = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(1),)], expect="timeout")
    def endless(x):
        while True:
            pass
''')
HAZARD_TIMEOUT = 2.0

# Left running after its case: no restore can undo a live thread, so its worker is replaced.
POLLUTER = textwrap.dedent('''
    import threading
    import time
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(1),)], expect="match")
    def leaves_a_thread(x):
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
        tf.config.run_functions_eagerly(True)  # restorable: put back, costs nothing
        return x
''')


def write_samples(folder: Path, files: int = 4) -> Path:
    for n in range(files):
        (folder / f"ordinary_{n}.py").write_text(ORDINARY.format(n=n))
    return folder


def compare(label: str, target: str, repeats: int, isolation: str = "restore") -> float:
    bare_seconds, bare = seconds([sys.executable, str(Path(__file__).parent / "bare_protocol.py"), target], repeats)
    check_seconds, check = seconds([sys.executable, "-m", "autoconv", "check", "--samples", target,
                                    "--isolation", isolation], repeats)
    if bare.returncode != 0 or check.returncode not in (0, 1):
        sys.exit(f"benchmark run failed:\n{bare.stderr[-2000:]}\n{check.stderr[-2000:]}")
    ratio = check_seconds / bare_seconds
    print(f"{label}, --isolation {isolation}: bare {bare_seconds:.2f} s ({bare.stdout.strip()}), "
          f"autoconv check {check_seconds:.2f} s, ratio {ratio:.2f}")
    print("   ", check.stdout.strip().splitlines()[-1])
    return ratio


FORK_BREAKDOWN = textwrap.dedent('''
    import os, statistics, sys, time
    from autoconv import _tf_internals
    from autoconv.equivalence import isolation, protocol
    from autoconv.equivalence.worker import _loader

    path, repeats = sys.argv[1], int(sys.argv[2])
    tf = _tf_internals.tensorflow()  # the warm parent: TensorFlow imported, no op run, no user code

    def forked(work):
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                isolation.adopt_this_process()
                work()
                os._exit(0)
            os.waitpid(pid, 0)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    def case():
        protocol.run_case(_loader(path, "sample", "total_0"), 1, 2, "match")

    def first_op():
        tf.constant(1) + 1

    nothing = forked(lambda: None)
    with_op = forked(first_op)
    with_case = forked(case)
    case()  # warm, as a restore worker is after its first case
    restored = []
    for _ in range(repeats):
        started = time.perf_counter()
        case()
        restored.append(time.perf_counter() - started)
    print(f"{nothing:.3f} {with_op:.3f} {with_case:.3f} {statistics.median(restored):.3f}")
''')


def fork_breakdown(samples: Path, repeats: int) -> None:
    """Where a forked case's time goes: the fork itself, TensorFlow's runtime starting in the child
    (its first op), and the case, against the same case in a warm worker (restore)."""
    import subprocess

    result = subprocess.run([sys.executable, "-c", FORK_BREAKDOWN, str(samples / "ordinary_0.py"), str(repeats)],
                            capture_output=True, text=True, check=True)
    nothing, with_op, with_case, restored = map(float, result.stdout.split()[-4:])
    print(f"one forked case (total_0, case 1; median of {repeats}): {with_case:.3f} s = fork and exit "
          f"{nothing:.3f} s + TensorFlow's runtime starting in the child {with_op - nothing:.3f} s + "
          f"the case {with_case - with_op:.3f} s; the same case in a warm worker (restore): {restored:.3f} s")


def hazard_cost(samples: Path, repeats: int) -> None:
    """A hang costs its timeout plus one worker restart, not a TensorFlow import per case."""
    command = [sys.executable, "-m", "autoconv", "check", "--samples", str(samples),
               "--timeout", str(HAZARD_TIMEOUT)]
    clean, _ = seconds(command, repeats)
    (samples / "zz_hazard.py").write_text(HAZARD)
    hazardous, _ = seconds(command, repeats)
    (samples / "zz_hazard.py").unlink()
    import_seconds, _ = seconds([sys.executable, "-c", "import tensorflow"], repeats)
    extra = hazardous - clean - HAZARD_TIMEOUT
    print(f"one endless loop among them: {hazardous:.2f} s vs {clean:.2f} s -> timeout {HAZARD_TIMEOUT:g} s "
          f"+ {extra:.2f} s (one worker restart; a TensorFlow import is {import_seconds:.2f} s)")


def pollution_cost(samples: Path, repeats: int) -> None:
    """A sample whose state cannot be undone costs one worker restart, and only one."""
    command = [sys.executable, "-m", "autoconv", "check", "--samples", str(samples), "--jobs", "1"]
    clean, _ = seconds(command, repeats)
    (samples / "zz_polluter.py").write_text(POLLUTER)
    polluted, result = seconds(command + ["--json"], repeats)
    (samples / "zz_polluter.py").unlink()
    import_seconds, _ = seconds([sys.executable, "-c", "import tensorflow"], repeats)
    import json

    recycles = sum(1 for s in json.loads(result.stdout)["samples"] for c in s["cases"] if c.get("worker_recycled"))
    extra = polluted - clean
    print(f"one polluting sample among them (--jobs 1): {polluted:.2f} s vs {clean:.2f} s -> + {extra:.2f} s, "
          f"{recycles} worker restart(s) (a TensorFlow import is {import_seconds:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        samples = write_samples(Path(folder))
        ratio = compare("40 ordinary cases", str(samples), args.repeats)
        print(f"    figure: at most 1.0x -> {'ok' if ratio <= 1.0 else 'OVER'}")
        ratio = compare("40 ordinary cases", str(samples), args.repeats, "fresh")
        print(f"    figure: at most 3.0x -> {'ok' if ratio <= 3.0 else 'OVER'}")
        fork_breakdown(samples, max(5, args.repeats))
        hazard_cost(samples, args.repeats)
        pollution_cost(samples, args.repeats)
    from autoconv.catalogue import builtin_path

    compare("built-in catalogue", str(builtin_path()), max(1, args.repeats - 2))
    compare("built-in catalogue", str(builtin_path()), max(1, args.repeats - 2), "fresh")


if __name__ == "__main__":
    main()
