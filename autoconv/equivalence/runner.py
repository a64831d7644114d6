"""``autoconv check``: describe the sample files, run every case on the worker pool, collect.

The same pool converts other targets too (``describe_targets``: a Sphinx page's ``pkg.mod:func``).
This process never imports TensorFlow; the workers do, once each.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from autoconv import catalogue
from autoconv._version import __version__
from autoconv.equivalence.messages import shown_location
from autoconv.equivalence.pool import Outcome, WorkerPool
from autoconv.errors import AutoconvError
from autoconv.model.check import CaseReport, CheckReport, ConversionStatus, SampleReport
from autoconv.model.explanation import CaseExplanation
from autoconv.model.verdicts import Verdict


@dataclass
class CaseTask:
    """What the pool runs for one case; ``locator`` is (path, kind, key) as the worker reads it."""

    locator: tuple[str, str, str]
    case_index: int
    calls: int
    expected: str
    args: str
    inputs_blob: bytes | None = None
    with_graph: bool = False  # also bring back the graph the graph side traced
    explain: bool = False  # and what its trace did, line by line
    call_texts: tuple[str, ...] | None = None  # --args: built by each side from its own load
    source: str | None = None  # the program that defines the function (a notebook's cells), not a file

    def request(self) -> tuple[str, tuple[Any, ...]]:
        if self.source is not None:
            return "case_text", (self.source, self.locator[2], self.case_index, self.calls, self.expected,
                                 self.inputs_blob)
        return "case", (*self.locator, self.case_index, self.calls, self.expected, self.inputs_blob,
                        self.with_graph, self.explain, self.call_texts)


def case_report(task: CaseTask, outcome: Outcome) -> CaseReport:
    """The case's report; a case the worker could not run or answer for (its result could not be
    sent back, something escaped every guard) is a ``crash`` that says why: one case never costs
    the run."""
    if outcome.status == "ok":
        report = CaseReport.from_dict(outcome.value)
        report.args = report.args or task.args
        return report
    verdict = Verdict.CRASH if outcome.status == "error" else Verdict(outcome.status)
    detail = f"the case could not be run: {outcome.value}" if outcome.status == "error" else str(outcome.value)
    return CaseReport(
        args=task.args, verdict=verdict, expected=Verdict(task.expected),
        seconds=round(outcome.seconds, 4), detail=" ".join(detail.split()), worker_recycled=outcome.recycled,
    )


class Progress:
    """A one-line bar on a terminal's stderr, and nothing at all elsewhere."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.done, self.enabled = total, 0, enabled and total > 0

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            filled = int(30 * self.done / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} cases")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def run_cases(pool: WorkerPool, tasks: list[CaseTask], timeout: float,
              progress: Progress) -> list[CaseReport]:
    reports: list[CaseReport | None] = [None] * len(tasks)
    for index, outcome in pool.run([t.request() for t in tasks], timeout):
        reports[index] = case_report(tasks[index], outcome)
        progress.step()
    progress.close()
    return [r for r in reports if r is not None]


def describe_files(pool: WorkerPool, files: list[str], timeout: float,
                   load_errors: dict[str, str] | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each file's description, in order. A file that fails to load raises, or, when
    ``load_errors`` is given, is recorded there and skipped (a gallery keeps building)."""
    described: dict[int, dict[str, Any]] = {}
    for index, outcome in pool.run([("describe", (f,)) for f in files], max(timeout, 120.0)):
        if outcome.status == "ok":
            described[index] = outcome.value
            continue
        message = f"{files[index]}: loading it {outcome.value}" if outcome.status == "timeout" else str(outcome.value)
        if load_errors is None:
            raise AutoconvError(message)
        load_errors[files[index]] = " ".join(message.split())
    for index, path in enumerate(files):
        if index in described:
            yield path, described[index]


def describe_targets(pool: WorkerPool, requests: list[dict[str, str | None]],
                     timeout: float) -> list[dict[str, Any]]:
    """Each ``{"target": target, "explain": ARGS | None}`` request's conversion (``worker.describe_target``),
    in order; a target that fails costs its own answer, ``{"error": message, "entries": []}``."""
    tasks = [("target", (request["target"], request.get("explain"))) for request in requests]
    answers: list[dict[str, Any]] = [{}] * len(tasks)
    for index, outcome in pool.run(tasks, max(timeout, 120.0)):
        if outcome.status == "ok":
            answers[index] = outcome.value
        else:
            message = str(outcome.value) if outcome.status == "error" else f"converting it {outcome.value}"
            answers[index] = {"error": " ".join(message.split()), "entries": []}
    return answers


def _select(infos: Iterable[tuple[str, dict[str, Any]]], names: list[str] | None) -> list[tuple[str, dict]]:
    chosen, seen = [], {}
    for path, info in infos:
        if info["name"] in seen:
            raise AutoconvError(f"duplicate sample name {info['name']!r}: {seen[info['name']]} and {info['location']}")
        seen[info["name"]] = info["location"]
        if not names or info["name"] in names:
            chosen.append((path, info))
    unknown = [n for n in names or [] if n not in seen]
    if unknown:
        raise AutoconvError(f"unknown sample name(s): {', '.join(unknown)} (see 'autoconv list')")
    return chosen


@dataclass
class CheckRun:
    """A check plus what the workers learnt on the way: each sample's description (title, tags,
    note, full conversion) by (file, name), and the files that failed to load."""

    report: CheckReport
    described: dict[tuple[str, str], dict[str, Any]]
    load_errors: dict[str, str]
    explanations: dict[tuple[str, str], list[CaseExplanation]] = field(default_factory=dict)  # per case


def _take_explanation(case: CaseReport) -> CaseExplanation:
    """A case's explanation, moved out of its report (the gallery keeps it beside the report)."""
    explanation, case.explanation = case.explanation, None
    return explanation or CaseExplanation(error=f"not explained: the case ended as {case.verdict}")


def run_files(files: list[str], *, names: list[str] | None = None, timeout: float = 60,
              calls: int | None = None, jobs: int | None = None, progress: bool = False,
              execute: bool = True, keep_going: bool = False, graphs: bool = False,
              pool: WorkerPool | None = None, isolation: str = "restore") -> CheckRun:
    """Describe ``files`` and, with ``execute``, run every case; ``keep_going`` records load errors;
    ``graphs`` brings back each sample's case 0 graph, taken from the trace its check made, and
    what tracing did for each case (the gallery shows both). ``pool`` is the caller's own, whose
    workers have served other requests already (else one of ``jobs`` workers is made and ended,
    isolating cases by ``isolation``: see ``WorkerPool``)."""
    load_errors: dict[str, str] = {}
    with nullcontext(pool) if pool is not None else WorkerPool(jobs or os.cpu_count() or 1, isolation) as pool:
        described = list(describe_files(pool, files, timeout, load_errors if keep_going else None))
        tensorflow = described[0][1]["tensorflow"] if described else "unknown"
        infos = [(path, info) for path, file_info in described for info in file_info["samples"]]
        chosen = _select(infos, names)
        tasks = [
            CaseTask((path, "sample", info["name"]), index, calls or info["calls"], info["expected"][index], args,
                     with_graph=graphs and index == 0, explain=graphs)
            for path, info in chosen
            for index, args in enumerate(info["cases"])
        ] if execute else []
        reports = iter(run_cases(pool, tasks, timeout, Progress(len(tasks), progress)))
    samples = [
        SampleReport(
            name=info["name"], location=shown_location(info["location"]), conversion=ConversionStatus(
                info["conversion"]["converted"] is not None, info["conversion"]["error"]),
            cases=[next(reports) for _ in info["cases"]] if execute else [],
        )
        for _, info in chosen
    ]
    return CheckRun(
        report=CheckReport(autoconv=__version__, tensorflow=tensorflow, samples=samples),
        described={(path, info["name"]): info for path, info in chosen},
        load_errors=load_errors,
        explanations={key: [_take_explanation(case) for case in sample.cases]
                      for key, sample in zip(((p, i["name"]) for p, i in chosen), samples, strict=True)
                      if graphs and sample.cases},
    )


def run_check(paths: list[str] | None, *, names: list[str] | None = None, timeout: float = 60,
              calls: int | None = None, jobs: int | None = None, progress: bool = False,
              isolation: str = "restore") -> CheckReport:
    # Absolute before any worker starts: a sample may change the working folder.
    files = [os.path.abspath(f) for f in catalogue.sample_files(paths)]
    report = run_files(files, names=names, timeout=timeout, calls=calls, jobs=jobs, progress=progress,
                       isolation=isolation).report
    if not report.samples:
        raise AutoconvError(f"no samples declared in {', '.join(paths or files) or 'the given paths'}")
    return report
