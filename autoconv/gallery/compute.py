"""Conversions and verdicts for whatever changed.

Sample files are described and checked by the check's own workers (``run_files``), whose
description already carries each sample's full conversion, so nothing converts twice. Other
targets (a Sphinx page's ``pkg.mod:func``) are converted in one ``collect`` child started first,
so its TensorFlow import overlaps the workers'. Neither this process nor its caller imports
TensorFlow. A file that cannot be loaded costs its own results, never the others'.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoconv import processes
from autoconv.equivalence.runner import CheckRun, run_files
from autoconv.errors import AutoconvError
from autoconv.model.check import SampleReport

COLLECT_SECONDS_PER_REQUEST = 60.0
COLLECT_STARTUP_SECONDS = 300.0


class Collector:
    """One ``python -m autoconv.gallery.collect`` child converting a batch of requests."""

    def __init__(self, requests: list[dict[str, str]]) -> None:
        self.requests = requests
        self.folder = tempfile.TemporaryDirectory(prefix="autoconv-collect-")
        self.result_path = Path(self.folder.name) / "result.json"
        requests_path = Path(self.folder.name) / "requests.json"
        requests_path.write_text(json.dumps(requests), encoding="utf-8")
        self.stderr = tempfile.TemporaryFile()
        environment = dict(os.environ)
        # the child finds what this process finds, the current folder ("" on sys.path) included
        environment["PYTHONPATH"] = os.pathsep.join(p or os.getcwd() for p in sys.path)
        self.process = processes.spawn(
            [sys.executable, "-m", "autoconv.gallery.collect", str(requests_path), str(self.result_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr, env=environment,
        )

    def answers(self) -> list[dict[str, Any]]:
        """Wait for the child; one answer per request, in order."""
        limit = COLLECT_STARTUP_SECONDS + COLLECT_SECONDS_PER_REQUEST * len(self.requests)
        try:
            code = self.process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            processes.end(self.process)
            raise AutoconvError(f"converting {len(self.requests)} file(s) took longer than {limit:g} s") from None
        finally:
            self.stderr.seek(0)
            last_words = self.stderr.read().decode("utf-8", errors="replace").strip().splitlines()[-1:]
            self.stderr.close()
        try:
            if code == 0:
                return json.loads(self.result_path.read_text(encoding="utf-8"))
        finally:
            self.folder.cleanup()
        raise AutoconvError(f"the conversion process exited with code {code}: {' '.join(last_words)}")

    def stop(self) -> None:
        """Kill the child if it still runs and remove its files; safe to call more than once."""
        processes.end(self.process)  # with whatever the user's files started in it
        self.stderr.close()
        self.folder.cleanup()


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


def _file_answer(path: str, run: CheckRun) -> dict[str, Any]:
    """The answer ``collect`` would give for a file, built from the workers' description."""
    if path in run.load_errors:
        return {"error": run.load_errors[path], "entries": []}
    return {"error": None, "entries": [
        {
            "sample": info["facts"],
            "conversion": info["conversion_view"],
            "seconds": info["convert_seconds"],
        }
        for (file, _), info in run.described.items() if file == path
    ]}


def _run_files(files: list[str], checks: dict[str, list[str] | None], options: CheckOptions,
               graphs: bool) -> CheckRun:
    wanted = [n for names in checks.values() for n in names or ()]
    every = all(names is None for names in checks.values())
    return run_files(files, names=None if every else wanted, timeout=options.timeout, jobs=options.jobs,
                     progress=options.progress, execute=bool(checks), keep_going=True, graphs=graphs)


def compute(requests: list[dict[str, str]], checks: dict[str, list[str] | None],
            options: CheckOptions, graphs: bool = False) -> Computed:
    """Answer every request and check ``checks`` (file -> sample names, None for all of them).

    A request is ``{"file": path}`` (every sample it declares) or ``{"target": target}``.
    With ``graphs``, each checked sample's first case also carries the graph its check traced.
    """
    targets = [r for r in requests if "target" in r]
    collector = Collector(targets) if targets else None  # started first: its import overlaps the check
    files = list(dict.fromkeys([*(r["file"] for r in requests if "file" in r), *checks]))
    try:
        run = _run_files(files, checks, options, graphs) if files else None
        target_answers = iter(collector.answers() if collector is not None else [])
    finally:
        if collector is not None:
            collector.stop()
    computed = Computed(answers=[_file_answer(r["file"], run) if "file" in r else next(target_answers)
                                 for r in requests])
    if run is not None and checks:
        computed.reports = dict(zip(run.described, run.report.samples, strict=True))
        computed.explanations = run.explanations
        computed.check_errors = {path: f"not checked: {error}" for path, error in run.load_errors.items()}
    return computed
