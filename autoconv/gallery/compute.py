"""Conversions and verdicts for whatever changed.

Everything runs on one pool of the check's own workers: sample files are described and checked
(``run_files``), and their description already carries each sample's full conversion, so nothing
converts twice; other targets (a Sphinx page's ``pkg.mod:func``) are converted by the same
workers first (``describe_targets``). Neither this process nor its caller imports TensorFlow.
A file or target that cannot be loaded costs its own results, never the others'.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from autoconv.equivalence.pool import WorkerPool
from autoconv.equivalence.runner import CheckRun, describe_targets, run_files
from autoconv.model.check import SampleReport


@dataclass
class Computed:
    """``answers`` follow the requests; ``reports`` are keyed by (file as given, sample name)."""

    answers: list[dict[str, Any]]
    reports: dict[tuple[str, str], SampleReport] = field(default_factory=dict)
    check_errors: dict[str, str] = field(default_factory=dict)
    explanations: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)


@dataclass
class CheckOptions:
    """How the check runs: seconds per case, worker processes, a progress bar (on a terminal)."""

    timeout: float = 60
    jobs: int | None = None
    progress: bool = False
    isolation: str = "restore"  # or "fresh": see WorkerPool


def _file_answer(path: str, run: CheckRun) -> dict[str, Any]:
    """A file's answer, shaped as ``describe_target``'s for a target, from the workers' description."""
    if path in run.load_errors:
        return {"error": run.load_errors[path], "entries": []}
    return {"error": None, "entries": [
        {
            "sample": info["sample"],
            "conversion": info["conversion"],
            "seconds": info["convert_seconds"],
        }
        for (file, _), info in run.described.items() if file == path
    ]}


def _run_files(pool: WorkerPool, files: list[str], checks: dict[str, list[str] | None], options: CheckOptions,
               graphs: bool) -> CheckRun:
    wanted = [n for names in checks.values() for n in names or ()]
    every = all(names is None for names in checks.values())
    return run_files(files, names=None if every else wanted, timeout=options.timeout, progress=options.progress,
                     execute=bool(checks), keep_going=True, graphs=graphs, pool=pool)


def compute(requests: list[dict[str, str]], checks: dict[str, list[str] | None],
            options: CheckOptions, graphs: bool = False) -> Computed:
    """Answer every request and check ``checks`` (file -> sample names, None for all of them).

    A request is ``{"file": path}`` (every sample it declares) or ``{"target": target}``.
    With ``graphs``, each checked sample's first case also carries the graph its check traced.
    """
    targets = [r for r in requests if "target" in r]
    files = list(dict.fromkeys([*(r["file"] for r in requests if "file" in r), *checks]))
    with WorkerPool(options.jobs or os.cpu_count() or 1, options.isolation) as pool:  # no worker starts until a task needs it
        target_answers = iter(describe_targets(pool, targets, options.timeout) if targets else [])
        run = _run_files(pool, files, checks, options, graphs) if files else None
    computed = Computed(answers=[_file_answer(r["file"], run) if "file" in r else next(target_answers)
                                 for r in requests])
    if run is not None and checks:
        computed.reports = dict(zip(run.described, run.report.samples, strict=True))
        computed.explanations = run.explanations
        computed.check_errors = {path: f"not checked: {error}" for path, error in run.load_errors.items()}
    return computed
