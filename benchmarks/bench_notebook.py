"""``%%autoconv`` on a 10-line function against a bare ``tf.autograph.to_code`` in the same kernel.

Figure (issue 14): a ``%%autoconv`` cell answers within 0.5 s of a cell that defines the same
function and calls ``tf.autograph.to_code`` on it, TensorFlow already imported. Each repeat
defines a function of its own name, so neither side finds AutoGraph's cache warm; the two kinds
of cell alternate, so a busy machine slows both alike.

    python benchmarks/bench_notebook.py [--repeats N]
"""
import argparse
import os
import statistics
import time

from jupyter_client.manager import start_new_kernel

FUNCTION = '''
def running_total_{n}(values, limit):
    total = tf.constant(0.0)
    count = 0
    for value in tf.range(values):
        if tf.cast(value, tf.float32) > limit:
            total += tf.cast(value, tf.float32)
        else:
            total -= 1.0
        count += 1
    return total
'''


def _timed(client, code: str) -> float:
    started = time.perf_counter()
    reply = client.execute_interactive(code, timeout=600, output_hook=lambda message: None)
    elapsed = time.perf_counter() - started
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"the cell failed: {reply['content']}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        _timed(client, "import tensorflow as tf\n%load_ext autoconv")
        _timed(client, "%%autoconv\n" + FUNCTION.format(n="warm"))  # autoconv's own modules loaded once
        bare, magic = [], []
        for n in range(args.repeats):
            bare.append(_timed(client, FUNCTION.format(n=f"b{n}") + f"\ntf.autograph.to_code(running_total_b{n})"))
            magic.append(_timed(client, "%%autoconv\n" + FUNCTION.format(n=f"m{n}")))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    bare_median, magic_median = statistics.median(bare), statistics.median(magic)
    print(f"bare tf.autograph.to_code cell (median of {args.repeats}): {bare_median:.3f} s")
    print(f"%%autoconv cell (median of {args.repeats}): {magic_median:.3f} s")
    print(f"difference: {magic_median - bare_median:+.3f} s (budget +0.5 s); "
          f"ratio {magic_median / bare_median:.2f}")


if __name__ == "__main__":
    main()
