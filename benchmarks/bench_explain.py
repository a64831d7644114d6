"""`autoconv.explain` against a plain tf.function trace-and-call of the same inputs, in one process.

Figure (issue 12): explain costs at most 2x the plain trace-and-call. Each repeat makes fresh
function objects on both sides (a new ``tf.function``, a new ``Explainer``), so both really trace;
the two sides alternate, so drift in the machine's load falls on both.

    python benchmarks/bench_explain.py [--repeats N]
"""
import argparse
import statistics
import time

import numpy as np
import tensorflow as tf

from autoconv.explanation.api import Explainer
from autoconv.fdcapture import capture_fds

SEEN = []


def loops_and_branches(x, n):
    print("tracing")
    for i in tf.range(10):
        if x > 0:
            x = x + tf.cast(i, x.dtype)
        else:
            x = x - 1.0
    for _ in range(n):
        x = x * 1.01
    while x < 1000.0:
        x = x * 2.0
    SEEN.append(n)
    return x + np.random.normal()


def dense_layers(x):
    for width in (64, 32, 16, 8):
        w = tf.ones([x.shape[-1], width])
        x = tf.nn.relu(x @ w)
        if width > 16:
            x = x / tf.reduce_max(x)
    return tf.reduce_sum(x)


def scan(xs):
    total = tf.constant(0.0)
    out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in tf.range(tf.shape(xs)[0]):
        total += xs[i]
        out = out.write(i, total)
    return out.stack()


CASES = [
    ("loops_and_branches", loops_and_branches, (tf.constant(1.0), 5)),
    ("dense_layers", dense_layers, (tf.ones([4, 128]),)),
    ("scan", scan, (tf.range(100, dtype=tf.float32),)),
]


def seconds(run) -> float:
    started = time.perf_counter()
    with capture_fds():
        run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    for _, function, inputs in CASES:  # warm AutoGraph's conversion cache and TF's op registry
        Explainer(function)(*inputs)
        tf.function(function)(*inputs)
    print(f"{'function':<20} {'tf.function':>12} {'explain':>12} {'ratio':>7}   (median of {args.repeats})")
    ratios = []
    for name, function, inputs in CASES:
        plain, explained = [], []
        for _ in range(args.repeats):
            plain.append(seconds(lambda f=function, i=inputs: tf.function(f)(*i)))
            explained.append(seconds(lambda f=function, i=inputs: Explainer(f)(*i)))
        ratio = statistics.median(explained) / statistics.median(plain)
        ratios.append(ratio)
        print(f"{name:<20} {statistics.median(plain) * 1e3:>9.1f} ms {statistics.median(explained) * 1e3:>9.1f} ms "
              f"{ratio:>6.2f}x")
    print(f"worst ratio {max(ratios):.2f}x (figure: at most 2x)")


if __name__ == "__main__":
    main()
