"""Grow and split the judged corpus of ``benchmarks/lint_real/`` (files.csv and split.csv).

    python benchmarks/lint_real_corpus.py add MIRRORS OWNER/NAME...   # append files of new repos
    python benchmarks/lint_real_corpus.py split --seed 20261204       # write split.csv once
    python benchmarks/lint_real_corpus.py fresh MIRRORS OWNER/NAME... # a fresh held-out set

``add`` reads each repository's bare mirror (``MIRRORS/owner+name/repo``, as the ``fetch`` tool
leaves it) at its HEAD and lists, in files.csv, up to ``--per-repo`` Python files (tests,
setup and docs builds left out) that use ``tf.function``, ``train_step`` or ``def call(``,
chosen by a seeded sample so the choice does not depend on the order of the tree.

``split`` splits by repository, once.  Repositories judged before the split (the corpus the
rules were tuned on, before 2026-12-04) cannot be held out: they all go to the development
half, and the held-out half is a seeded random draw from the new repositories, as many as
make two halves of equal size (±1).  The file records the date and the seed.

``fresh`` is for after the held-out half has been used: once its findings have told anyone what
to fix, it can no longer measure those fixes.  It adds repositories never listed before (chosen,
fetched and listed before any of them is linted) and holds out all of them; every repository
held out before joins the development half.  split.csv keeps the history in its comment lines.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "lint_real"
TRACED_HINT = re.compile(rb"tf\.function|def train_step|def test_step|def call\(")
SKIPPED = re.compile(r"(^|/)(tests?|testing|docs?|setup\.py|conftest\.py)($|/)|_test\.py$|test_[^/]*\.py$")
TUNED_BEFORE_SPLIT = "2026-12-04"


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True, check=True).stdout


def mirror_dir(mirrors: Path, repo: str) -> Path:
    base = mirrors / repo.replace("/", "+") / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def candidate_files(git_dir: Path, commit: str) -> list[str]:
    paths = git(git_dir, "ls-tree", "-r", "--name-only", commit).decode().splitlines()
    chosen = []
    for path in paths:
        if not path.endswith(".py") or SKIPPED.search(path):
            continue
        if TRACED_HINT.search(git(git_dir, "show", f"{commit}:{path}")):
            chosen.append(path)
    return chosen


def add(mirrors: Path, repos: list[str], per_repo: int, seed: int) -> list[str]:
    """Append up to ``per_repo`` files of each repository to files.csv; the repositories that had any."""
    with open(HERE / "files.csv", newline="") as fh:
        known = {row["repo"] for row in csv.DictReader(fh)}
    listed = []
    with open(HERE / "files.csv", "a", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for repo in repos:
            if repo in known:
                print(f"{repo}: already listed", file=sys.stderr)
                continue
            git_dir = mirror_dir(mirrors, repo)
            commit = git(git_dir, "rev-parse", "HEAD").decode().strip()
            files = candidate_files(git_dir, commit)
            picked = sorted(random.Random(f"{seed}:{repo}").sample(files, min(per_repo, len(files))))
            for path in picked:
                writer.writerow([repo, commit, path])
            if picked:
                listed.append(repo)
            print(f"{repo}: {len(picked)} of {len(files)} candidate files", file=sys.stderr)
    return listed


def split(seed: int, tuned_repos: set[str]) -> None:
    with open(HERE / "files.csv", newline="") as fh:
        repos = sorted({row["repo"] for row in csv.DictReader(fh)})
    new = [repo for repo in repos if repo not in tuned_repos]
    held_out_count = len(repos) // 2
    if held_out_count > len(new):
        raise SystemExit(f"only {len(new)} new repositories for a held-out half of {held_out_count}")
    held_out = set(random.Random(seed).sample(new, held_out_count))
    with open(HERE / "split.csv", "w", newline="") as fh:
        fh.write(f"# split by repository on {TUNED_BEFORE_SPLIT}, random.Random({seed}).sample of the repositories "
                 f"added that day; the earlier corpus is all development (the rules were tuned on it)\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["repo", "half"])
        for repo in repos:
            writer.writerow([repo, "held-out" if repo in held_out else "development"])


def fresh(mirrors: Path, repos: list[str], per_repo: int, seed: int, date: str, rules: str) -> None:
    with open(HERE / "split.csv", newline="") as fh:
        lines = fh.read().splitlines()
    history = [line for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    known = {row["repo"] for row in rows}
    already = sorted(set(repos) & known)
    if already:
        raise SystemExit(f"already judged, cannot be held out: {', '.join(already)}")
    listed = add(mirrors, repos, per_repo, seed)
    without = sorted(set(repos) - set(listed))
    used = sorted(row["repo"] for row in rows if row["half"] == "held-out")
    history.append(f"# {date}: the held-out half above was used once (its findings were judged and told what to fix), "
                   f"so its {len(used)} repositories are development now; a fresh held-out set of {len(listed)} "
                   f"repositories never listed before, all held out, --per-repo {per_repo} --seed {seed}, "
                   f"chosen and listed before linting, rules frozen at commit {rules}; also fetched but without "
                   f"a candidate file: {', '.join(without) or 'none'}")
    with open(HERE / "split.csv", "w", newline="") as fh:
        fh.write("\n".join(history) + "\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["repo", "half"])
        for row in rows:
            writer.writerow([row["repo"], "development"])
        for repo in sorted(listed):
            writer.writerow([repo, "held-out"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_parser = commands.add_parser("add")
    add_parser.add_argument("mirrors", type=Path)
    add_parser.add_argument("repos", nargs="+")
    add_parser.add_argument("--per-repo", type=int, default=40)
    add_parser.add_argument("--seed", type=int, default=20261204)
    split_parser = commands.add_parser("split")
    split_parser.add_argument("--seed", type=int, default=20261204)
    fresh_parser = commands.add_parser("fresh")
    fresh_parser.add_argument("mirrors", type=Path)
    fresh_parser.add_argument("repos", nargs="+")
    fresh_parser.add_argument("--per-repo", type=int, default=25)
    fresh_parser.add_argument("--seed", type=int, required=True)
    fresh_parser.add_argument("--date", required=True, help="the day the set is chosen, written into split.csv")
    fresh_parser.add_argument("--rules", required=True, help="the commit whose rules the set will measure")
    args = parser.parse_args()
    if args.command == "add":
        add(args.mirrors, args.repos, args.per_repo, args.seed)
    elif args.command == "fresh":
        fresh(args.mirrors, args.repos, args.per_repo, args.seed, args.date, args.rules)
    else:
        with open(HERE / "files.csv", newline="") as fh:
            listed = [row["repo"] for row in csv.DictReader(fh)]
        split(args.seed, set(listed[:ROWS_BEFORE_SPLIT]))
    return 0


ROWS_BEFORE_SPLIT = 1163  # files.csv rows before 2026-12-04: the corpus the rules were tuned on

if __name__ == "__main__":
    sys.exit(main())
