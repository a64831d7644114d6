"""How long ``autoconv lint`` takes on ~10,000 lines, against a bare interpreter start.

The lint runs as a pre-commit hook, so what matters is wall time of the whole
command, start-up included; the bare ``python -c pass`` shows how much of that
is just Python; pyflakes on the same files (when installed) is the yardstick for a
pure-AST checker.  Prints figures, asserts nothing.  Budget: < 2 s for the lint,
and within 2x of pyflakes.

    python benchmarks/bench_lint.py [--lines N] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_S = 2.0

HEADER = '''"""Generated module {index}: a model, its training steps and helpers."""
import time

import numpy as np
import tensorflow as tf

HISTORY = []
SETTINGS = {{"lr": 0.01, "steps": 100}}
'''

TF_FUNCTION = '''

@tf.function
def train_step_{i}(x, y, training=False):
    """A converted step: tensor loops, conditionals and a couple of pitfalls."""
    total = tf.constant(0.0)
    parts = []
    for k in range(3):
        parts.append(x * k)
    for j in tf.range(tf.shape(x)[0]):
        total += tf.reduce_sum(x[j])
        if total > 100.0:
            total = total / 2.0
        else:
            total = total + 1.0
    if training:
        total = total * 0.5
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    i = tf.constant(0)
    while i < 3:
        ta = ta.write(i, total)
        i += 1
    tf.print("step", total)
    {pitfall}
    return total + tf.add_n(parts) + ta.stack()[0] + tf.cast(y, tf.float32)
'''

PLAIN_FUNCTION = '''

def helper_{i}(values, scale=1.0):
    """A plain Python helper: never converted, so nothing in it is reported."""
    out = []
    for v in values:
        if v > 0:
            out.append(v * scale)
        else:
            out.append(-v)
    print(len(out), time.time(), np.random.rand())
    HISTORY.append(len(out))
    return out
'''

CLASS = '''

class Block{i}(tf.Module):
    """A tf.Module with variables made in __init__ and used in a converted method."""

    def __init__(self, units={i}):
        super().__init__()
        self.w = tf.Variable(tf.ones([units]))
        self.steps = tf.Variable(0, dtype=tf.int64)
        self.names = []

    @tf.function
    def __call__(self, x):
        self.steps.assign_add(1)
        y = x * self.w
        if tf.reduce_sum(y) > 0:
            y = tf.nn.relu(y)
        else:
            y = tf.zeros_like(y)
        return y

    def describe(self):
        self.names.append("block{i}")
        return {{"units": int(self.w.shape[0]), "names": list(self.names)}}
'''

# One in seven converted steps carries one of these (the rest stay clean).
PITFALLS = ('print("tracing")', "HISTORY.append(total)", "total += np.random.rand()", "t0 = time.time()")


def generate(folder: Path, lines: int) -> int:
    """Write modules of about 500 lines each until ``lines`` is reached; returns the real count."""
    written, index = 0, 0
    while written < lines:
        chunks = [HEADER.format(index=index)]
        n = 0
        while sum(c.count("\n") for c in chunks) < 500:
            i = index * 1000 + n
            pitfall = PITFALLS[i // 3 % len(PITFALLS)] if i % 7 == 0 else "pass"
            chunks.append((TF_FUNCTION, PLAIN_FUNCTION, CLASS)[n % 3].format(i=i, pitfall=pitfall))
            n += 1
        text = "".join(chunks)
        (folder / f"module_{index:03d}.py").write_text(text)
        written += text.count("\n")
        index += 1
    return written


def median_time(cmd: list[str], env: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    exe = shutil.which("autoconv")
    lint_cmd = [exe, "lint"] if exe else [sys.executable, "-m", "autoconv", "lint"]

    with tempfile.TemporaryDirectory(prefix="bench_lint_") as tmp:
        folder = Path(tmp)
        lines = generate(folder, args.lines)
        files = len(list(folder.glob("*.py")))
        baseline = median_time([sys.executable, "-c", "pass"], env, args.repeat)
        lint_s = median_time([*lint_cmd, str(folder)], env, args.repeat)
        probe = (
            "import autoconv.linter, sys; "
            f"found = autoconv.linter.lint_paths([{str(folder)!r}]); "
            "print(len(found)); print('tensorflow' in sys.modules)"
        )
        result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
        found, tf_imported = (result.stdout.split() + ["?", "?"])[:2]
        has_pyflakes = subprocess.run([sys.executable, "-c", "import pyflakes"], capture_output=True).returncode == 0
        pyflakes_s = median_time([sys.executable, "-m", "pyflakes", str(folder)], env, args.repeat) if has_pyflakes else None

    print(f"generated: {lines} lines in {files} files")
    print(f"command: {' '.join(lint_cmd)} DIR   (median of {args.repeat})")
    print(f"baseline python -c pass: {baseline:.3f} s")
    print(
        f"autoconv lint:           {lint_s:.3f} s  (budget {BUDGET_S:.1f} s: {'ok' if lint_s < BUDGET_S else 'OVER'})"
    )
    print(f"lint minus baseline:     {lint_s - baseline:.3f} s")
    if pyflakes_s is None:
        print("pyflakes: not installed, ratio skipped (pip install pyflakes)")
    else:
        verdict = "ok" if lint_s < 2 * pyflakes_s else "OVER"
        print(f"pyflakes on the same files: {pyflakes_s:.3f} s; lint / pyflakes = {lint_s / pyflakes_s:.2f} "
              f"(budget 2.0: {verdict})")
    print(f"findings: {found}")
    print(f"tensorflow imported by lint: {tf_imported}")


if __name__ == "__main__":
    main()
