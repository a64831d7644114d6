"""`autoconv docs` against `autoconv check` on the same samples, and a rebuild with nothing changed.

Figures (issue 5): a full gallery build at most 1.3x `autoconv check` on the same samples; a
rebuild with nothing changed at most a quarter of the first build, importing no TensorFlow.

    python benchmarks/bench_docs.py [--samples PATH] [--repeats N]
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import seconds

REBUILD_PROBE = (
    "import sys\nfrom pathlib import Path\nfrom autoconv.gallery.build import build_gallery\n"
    "build_gallery(Path(sys.argv[1]), sys.argv[2:] or None)\nprint('tensorflow' in sys.modules)"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", help="a samples folder (default: the built-in catalogue)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from autoconv.catalogue import builtin_path

    source = Path(args.samples) if args.samples else builtin_path()
    check_runs, first_runs, rebuild_runs = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        samples = Path(folder) / "samples"
        shutil.copytree(source, samples)
        for attempt in range(args.repeats):
            out = Path(folder) / f"gallery{attempt}"
            check, result = seconds([sys.executable, "-m", "autoconv", "check", "--samples", str(samples)], 1)
            check_runs.append(check)
            first, built = seconds([sys.executable, "-m", "autoconv", "docs", str(out), "--samples", str(samples)], 1)
            first_runs.append(first)
            started = time.perf_counter()
            probe = subprocess.run([sys.executable, "-c", REBUILD_PROBE, str(out), str(samples)],
                                   capture_output=True, text=True, check=True)
            rebuild_runs.append(time.perf_counter() - started)
            if built.returncode not in (0, 1):
                sys.exit(built.stderr)
    check, first, rebuild = (sorted(runs)[len(runs) // 2] for runs in (check_runs, first_runs, rebuild_runs))
    print(f"samples: {source} ({result.stdout.strip().splitlines()[-1]})")
    print(f"autoconv check:        {check:.2f} s (median of {args.repeats})")
    print(f"autoconv docs (first): {first:.2f} s -> {first / check:.2f}x check (figure: at most 1.3x -> "
          f"{'ok' if first <= 1.3 * check else 'OVER'})")
    print(f"autoconv docs (again): {rebuild:.2f} s -> {rebuild / first:.3f} of the first build (figure: at most "
          f"0.25 -> {'ok' if rebuild <= first / 4 else 'OVER'}); imported TensorFlow: {probe.stdout.strip()}")


if __name__ == "__main__":
    main()
