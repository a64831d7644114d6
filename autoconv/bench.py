"""``autoconv bench``: how long one call takes eagerly and as a graph, case by case.

The graph's first call traces, which costs far more than running, so it is made before timing
starts, and a few more calls of each side estimate how many repetitions fit a small time budget
(within a floor and a ceiling). Each side then runs its repetitions back to back, as a loop in
user code would call it, and the median is reported with its interquartile range: one slow
call should not move it.
What the calls print is captured and dropped; this module measures and never formats.
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from autoconv.equivalence import protocol
from autoconv.equivalence.compare import describe_call
from autoconv.equivalence.messages import clean_message, shortened_message
from autoconv.fdcapture import capture_fds
from autoconv.model.check import ErrorInfo
from autoconv.model.trace import BenchCase, BenchReport
from autoconv.model.verdicts import Side
from autoconv.processes import raised_by_user_code
from autoconv.samples import Case, Sample
from autoconv.tracing import sample_target

BUDGET_SECONDS = 0.2
MIN_REPEATS = 5
MAX_REPEATS = 200
WARM_UP_ROUNDS = 3  # the fastest of these estimates a round; the first calls after a trace run slow


class SideFailed(Exception):
    def __init__(self, side: str, error: BaseException) -> None:
        super().__init__(side)
        self.info = ErrorInfo(type(error).__name__, shortened_message(clean_message(f"{side} call raised: {error}"), protocol.MESSAGE_LIMIT))


def _seconds_per_call(function: Callable[..., Any], case: Case, side: str) -> float:
    started = time.perf_counter()
    try:
        function(*case.args, **case.kwargs)
    except BaseException as error:  # SystemExit and a raised KeyboardInterrupt are the call's result too
        if not raised_by_user_code(error):
            raise
        raise SideFailed(side, error) from error
    return time.perf_counter() - started


def _quartile_range(samples: list[float]) -> float:
    first, _, third = statistics.quantiles(samples, n=4)
    return third - first


def repeats_for(seconds_per_round: float) -> int:
    """As many rounds as fit the time budget, within the floor and the ceiling."""
    fitting = int(BUDGET_SECONDS / seconds_per_round) if seconds_per_round > 0 else MAX_REPEATS
    return max(MIN_REPEATS, min(MAX_REPEATS, fitting))


def time_case(eager: Callable[..., Any], graph: Callable[..., Any], case: Case) -> BenchCase:
    """Warm both sides up (the graph's trace is not timed), then time each side in a run of calls."""
    result = BenchCase(describe_call(case.args, case.kwargs))
    try:
        with capture_fds():
            _seconds_per_call(eager, case, "eager")
            _seconds_per_call(graph, case, "graph")  # the trace
            repeats = repeats_for(min(
                _seconds_per_call(eager, case, "eager") + _seconds_per_call(graph, case, "graph")
                for _ in range(WARM_UP_ROUNDS)
            ))
            eager_times = [_seconds_per_call(eager, case, "eager") for _ in range(repeats)]
            graph_times = [_seconds_per_call(graph, case, "graph") for _ in range(repeats)]
    except SideFailed as failed:
        result.error = failed.info
        return result
    result.repeats = repeats
    result.eager_s, result.graph_s = statistics.median(eager_times), statistics.median(graph_times)
    result.speedup = result.eager_s / result.graph_s
    result.eager_iqr_s, result.graph_iqr_s = _quartile_range(eager_times), _quartile_range(graph_times)
    result.eager_min_s, result.graph_min_s = min(eager_times), min(graph_times)
    return result


def bench_sample(declared: Sample) -> BenchReport:
    protocol.seed_everything(0)
    eager = protocol.side_callable(declared.obj, Side.EAGER)
    graph = protocol.side_callable(declared.obj, Side.GRAPH)
    return BenchReport(declared.name, [time_case(eager, graph, case) for case in declared.cases()])


def bench(target: str, sample_paths: list[str] | None = None) -> BenchReport:
    return bench_sample(sample_target(target, sample_paths))
