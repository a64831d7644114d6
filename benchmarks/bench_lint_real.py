"""``autoconv lint`` on real TensorFlow 2 code nobody here wrote: precision, recall and time.

The corpus is the files listed in ``benchmarks/lint_real/files.csv`` (repository, commit, path:
files of public TF2 projects that use tf.function, Keras ``call``/``train_step`` or ``.map``).
Every finding the lint made on them was judged by reading the code, in
``benchmarks/lint_real/judged.csv`` (``true``: a real pitfall in traced code; ``false``: a false
alarm, and why), together with the pitfalls found there by hand (``origin`` manual) for recall; a pitfall found by
hand that no rule covers has the code ``none`` and is counted apart.

    python benchmarks/bench_lint_real.py CORPUS [--extract MIRRORS] [--half HALF] [--judged CSV] [--repeat N]
                                         [--leave-out CODES]

``--extract`` first writes the files into CORPUS from bare git mirrors (``MIRRORS/owner+name/repo``,
as the ``fetch`` tool leaves them), read with ``git show COMMIT:PATH``; a notebook becomes the
``.py`` of its code cells (IPython magics and shell lines commented out), named ``PATH.py``; the
root files where a project declares its TensorFlow (requirements, setup, pyproject, Dockerfile)
come along, since some findings hold only under the Keras a project can run.
A held-out set is judged in a file of its own (``--judged benchmarks/lint_real/judged-heldout-2.csv``
for the fresh set of split.csv), so its judgements never mix with the development half's.
Precision counts findings not in the judged file as wrong, so a rule change that finds new things
shows up as lower precision until they are judged. ``--leave-out AC101`` gives the figures without
some codes, found and known alike (AC101, an info-level print, can outnumber the rest in one
project). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lint_real"
REPO = HERE.parent.parent


def notebook_to_python(data: bytes) -> str:
    cells = json.loads(data.decode("utf-8")).get("cells", [])
    chunks = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        if text.lstrip().startswith("%%"):  # a cell magic: the cell is not Python
            text = "\n".join(f"# {line}" for line in text.splitlines())
        chunks.append("\n".join(_python_line(line) for line in text.splitlines()))
    return "\n\n".join(chunks) + "\n"


def _python_line(line: str) -> str:
    """``!pip ...``, ``%timeit ...`` and ``obj?`` are IPython, not Python: keep the line
    count and the indentation (it may be the body of an ``if``), drop the command."""
    stripped = line.lstrip()
    if stripped.startswith(("%", "!")) or (stripped.endswith("?") and not stripped.startswith("#")):
        return f"{line[: len(line) - len(stripped)]}pass  # {stripped}"
    return line


def local_name(path: str) -> str:
    return path + ".py" if path.endswith(".ipynb") else path


def halves() -> dict[str, str]:
    """Repository -> ``development`` or ``held-out``, from split.csv (its first line is a comment)."""
    with open(HERE / "split.csv", newline="") as fh:
        return {row["repo"]: row["half"] for row in csv.DictReader(line for line in fh if not line.startswith("#"))}


# What a project declares its TensorFlow in (autoconv/linter/pins.py reads them), at its root
PIN_FILES = ("setup.py", "setup.cfg", "pyproject.toml", "Dockerfile", "docker/Dockerfile")


def _git_dir(mirrors: Path, repo: str) -> Path:
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    return git_dir / ".git" if (git_dir / ".git").is_dir() else git_dir


def _write_pins(corpus: Path, git_dir: Path, repo: str, commit: str) -> None:
    """The repository's root files that declare its TensorFlow, as a user's checkout has them, so
    that version-dependent findings see the same project as there."""
    root = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "--name-only", commit],
                          capture_output=True, text=True, check=True).stdout.split()
    for name in [*root, "docker/Dockerfile"]:
        if name in PIN_FILES or (name.startswith("requirements") and name.endswith(".txt")):
            shown = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{name}"],
                                   capture_output=True)
            if shown.returncode:  # docker/Dockerfile is only tried
                continue
            target = corpus / repo.replace("/", "+") / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(shown.stdout)


def extract(corpus: Path, mirrors: Path, half: str | None = None) -> None:
    split = halves()
    pinned: set[str] = set()
    with open(HERE / "files.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if half is not None and split.get(row["repo"]) != half:
                continue
            git_dir = _git_dir(mirrors, row["repo"])
            if row["repo"] not in pinned:
                _write_pins(corpus, git_dir, row["repo"], row["commit"])
                pinned.add(row["repo"])
            data = subprocess.run(
                ["git", "--git-dir", str(git_dir), "show", f"{row['commit']}:{row['path']}"],
                capture_output=True, check=True,
            ).stdout
            target = corpus / row["repo"].replace("/", "+") / local_name(row["path"])
            target.parent.mkdir(parents=True, exist_ok=True)
            if row["path"].endswith(".ipynb"):
                target.write_text(notebook_to_python(data), encoding="utf-8")
            else:
                target.write_bytes(data)


def run_lint(corpus: Path) -> tuple[float, list[dict[str, object]]]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "autoconv", "lint", "--format", "json", str(corpus)],
        capture_output=True, text=True, env=env,
    )
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"autoconv lint failed ({result.returncode}): {result.stderr.strip()}")
    return seconds, json.loads(result.stdout)


def run_pyflakes(corpus: Path) -> float | None:
    if shutil.which("pyflakes") is None and subprocess.run(
        [sys.executable, "-c", "import pyflakes"], capture_output=True
    ).returncode:
        return None
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pyflakes", str(corpus)], capture_output=True)
    return time.perf_counter() - started


def key_of(corpus: Path, finding: dict[str, object]) -> tuple[str, str, int, str]:
    relative = Path(str(finding["path"])).resolve().relative_to(corpus.resolve()).as_posix()
    repo_dir, _, path = relative.partition("/")
    path = path[: -len(".py")] if path.endswith(".ipynb.py") else path
    return repo_dir.replace("+", "/"), path, int(finding["line"]), str(finding["code"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--extract", type=Path, metavar="MIRRORS", help="write the corpus from git mirrors first")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--leave-out", default="", metavar="CODES",
                        help="comma-separated codes to leave out of the figures, found and known alike")
    parser.add_argument("--half", choices=("development", "held-out"),
                        help="only that half of split.csv (with --extract); tune on development only")
    parser.add_argument("--judged", type=Path, default=HERE / "judged.csv",
                        help="the judgements to score against (default: the development corpus's judged.csv)")
    args = parser.parse_args()
    if args.extract:
        extract(args.corpus, args.extract, args.half)
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus}; pass --extract MIRRORS to write it")

    with open(args.judged, newline="") as fh:
        judged = {(r["repo"], r["path"], int(r["line"]), r["code"]): r for r in csv.DictReader(fh)}
    # a pitfall found by hand that no rule covers is judged with code "none": it counts apart, not in recall
    left_out = {code.strip() for code in args.leave_out.split(",") if code.strip()}
    known = {k for k, r in judged.items() if r["judgement"] == "true" and k[3] not in left_out | {"none"}}
    uncovered = sum(1 for k, r in judged.items() if r["judgement"] == "true" and k[3] == "none")

    timings, findings = [], []
    for _ in range(args.repeat):
        seconds, findings = run_lint(args.corpus)
        timings.append(seconds)
    unchecked = [f for f in findings if f["code"] in ("AC000", "AC001")]
    found = {key_of(args.corpus, f) for f in findings if f not in unchecked and f["code"] not in left_out}
    # a finding judged doubtful (the evidence does not settle it) counts nowhere, as a doubtful pitfall does
    doubtful = {k for k in found if judged.get(k, {}).get("judgement") == "doubtful"}
    found -= doubtful
    true_found = found & known
    unjudged = sorted(found - set(judged))
    # the corpus's own files, not a project's setup.py that came along for its pins
    files = [f for f in args.corpus.rglob("*.py") if f.relative_to(args.corpus).parts[1:] != ("setup.py",)]
    lines = sum(len(f.read_bytes().splitlines()) for f in files)
    lint_s = statistics.median(timings)
    flakes = [run_pyflakes(args.corpus) for _ in range(args.repeat)]
    flakes_s = None if None in flakes else statistics.median(flakes)

    print(f"corpus: {len(files)} files, {lines} lines")
    print(f"findings: {len(found)}  true: {len(true_found)}  false: {len(found & set(judged)) - len(true_found)}"
          f"  unjudged: {len(unjudged)}  (doubtful, counted nowhere: {len(doubtful)})")
    print(f"precision: {len(true_found) / len(found):.2f}" if found else "precision: n/a (no findings)")
    print(f"recall: {len(true_found) / max(len(known), 1):.2f}  ({len(true_found)} of {len(known)} known pitfalls"
          f" that a rule covers)")
    print(f"real pitfalls no rule covers: {uncovered}")
    print(f"files not checked (AC000 syntax error / AC001): {len(unchecked)}")
    per_10k = lint_s * 10_000 / lines
    print(f"time: autoconv lint {lint_s:.3f} s (median of {args.repeat}), {per_10k:.3f} s per 10,000 lines")
    if flakes_s is None:
        print("pyflakes: not installed, ratio skipped (pip install pyflakes)")
    else:
        print(f"pyflakes on the same files: {flakes_s:.3f} s; autoconv lint / pyflakes = {lint_s / flakes_s:.2f}")
    for key in unjudged:
        print("unjudged:", *key)
    for key in sorted(known - found):
        print("missed:", *key)
    return 0


if __name__ == "__main__":
    sys.exit(main())
