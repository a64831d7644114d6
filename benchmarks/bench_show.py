"""`autoconv show` on one function against TensorFlow's own import time, in the same run.

Figure (issue 2): under TensorFlow's import time plus 0.5 s.

    python benchmarks/bench_show.py [--repeats N]
"""
import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

from _timing import seconds

EXAMPLE = textwrap.dedent('''
    import tensorflow as tf

    @tf.function
    def total(n):
        s = 0
        for i in tf.range(n):
            if i % 2 == 0:
                s += i
        return s
''')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        example = Path(folder) / "example.py"
        example.write_text(EXAMPLE)
        import_seconds, _ = seconds([sys.executable, "-c", "import tensorflow"], args.repeats)
        show_seconds, result = seconds([sys.executable, "-m", "autoconv", "show", f"{example}:total"], args.repeats)
        help_seconds, _ = seconds([sys.executable, "-m", "autoconv", "--help"], args.repeats)
        list_seconds, _ = seconds([sys.executable, "-m", "autoconv", "list"], args.repeats)
    assert result.returncode == 0, result.stderr
    print(f"import tensorflow: {import_seconds:.2f} s (median of {args.repeats})")
    print(f"autoconv show:     {show_seconds:.2f} s -> import + {show_seconds - import_seconds:.2f} s "
          f"(figure: under import + 0.5 s -> {'ok' if show_seconds < import_seconds + 0.5 else 'OVER'})")
    print(f"autoconv --help:   {help_seconds:.3f} s (figure: median under 0.5 s -> "
          f"{'ok' if help_seconds < 0.5 else 'OVER'})")
    print(f"autoconv list:     {list_seconds:.3f} s (figure: median under 0.5 s -> "
          f"{'ok' if list_seconds < 0.5 else 'OVER'})")


if __name__ == "__main__":
    main()
