"""Conversions and verdicts for whatever changed, computed side by side.

The conversions run in one child process (``collect``) started first, so TensorFlow's import
there overlaps the check's own workers (``run_check``). Neither this process nor its caller
imports TensorFlow. A file that cannot be loaded costs its own results, never the others'.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoconv.equivalence.report import SampleReport
from autoconv.errors import AutoconvError

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
        environment["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "autoconv.gallery.collect", str(requests_path), str(self.result_path)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr, env=environment,
        )

    def answers(self) -> list[dict[str, Any]]:
        """Wait for the child; one answer per request, in order."""
        limit = COLLECT_STARTUP_SECONDS + COLLECT_SECONDS_PER_REQUEST * len(self.requests)
        try:
            code = self.process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
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
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stderr.close()
        self.folder.cleanup()


@dataclass
class Computed:
    """``answers`` follow the requests; ``reports`` are keyed by (file as given, sample name)."""

    answers: list[dict[str, Any]]
    reports: dict[tuple[str, str], SampleReport] = field(default_factory=dict)
    check_errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class CheckOptions:
    timeout: float = 60
    jobs: int | None = None
    progress: bool = False


def _reports_by_file(samples: list[SampleReport], files: list[str]) -> dict[tuple[str, str], SampleReport]:
    """A SampleReport's location is ``path:line`` as the worker loaded it; map it back to ours."""
    ours = {str(Path(f).resolve()): f for f in files}
    found = {}
    for sample_report in samples:
        path = str(Path(sample_report.location.rpartition(":")[0]).resolve())
        found[(ours.get(path, path), sample_report.name)] = sample_report
    return found


def _run(checks: dict[str, list[str] | None], options: CheckOptions) -> dict[tuple[str, str], SampleReport]:
    from autoconv.equivalence.runner import run_check

    wanted = [n for names in checks.values() for n in names or ()]
    every = all(names is None for names in checks.values())
    report = run_check(list(checks), names=None if every else wanted, timeout=options.timeout,
                       jobs=options.jobs, progress=options.progress)
    return _reports_by_file(report.samples, list(checks))


def _check_isolating_failures(checks: dict[str, list[str] | None], options: CheckOptions,
                              collector: Collector | None, computed: Computed) -> None:
    """One run for everything. If a file breaks it, rerun without the files that failed to load,
    and as a last resort once per file, so each failure is pinned on its own file."""
    try:
        computed.reports.update(_run(checks, options))
        return
    except AutoconvError as error:
        if len(checks) == 1:
            computed.check_errors.update(dict.fromkeys(checks, str(error)))
            return
    broken: set[str] = set()
    if collector is not None:
        computed.answers = collector.answers()
        broken = {request["file"] for request, answer in zip(collector.requests, computed.answers, strict=True)
                  if "file" in request and answer["error"] is not None}
    computed.check_errors.update(dict.fromkeys(broken & checks.keys(), "not checked: the file failed to load"))
    remaining = {file: names for file, names in checks.items() if file not in broken}
    try:
        computed.reports.update(_run(remaining, options) if remaining else {})
        return
    except AutoconvError:
        pass
    for file, names in remaining.items():
        try:
            computed.reports.update(_run({file: names}, options))
        except AutoconvError as error:
            computed.check_errors[file] = str(error)


def compute(requests: list[dict[str, str]], checks: dict[str, list[str] | None],
            options: CheckOptions) -> Computed:
    """Convert every request and check ``checks`` (file -> sample names, None for all of them)."""
    started = time.perf_counter()
    collector = Collector(requests) if requests else None  # started first: its import overlaps the check
    computed = Computed(answers=[])
    try:
        if checks:
            _check_isolating_failures(checks, options, collector, computed)
        if collector is not None and not computed.answers:
            computed.answers = collector.answers()
    finally:
        if collector is not None:
            collector.stop()
    computed.seconds = time.perf_counter() - started
    return computed
