"""The check protocol for one case, run in the current process.

Each side gets its own fresh load of the sample (``load``), is seeded with 0, builds its inputs
from that load, and is called ``calls`` times with fd-level capture. A method of a ``tf.Module``
(or a sample declaring ``saved_model=True``) has a third side, ``saved``: its module is saved as
a SavedModel, loaded back, and the loaded function is called, since that is how it will be served. The caller decides whether
"the current process" is an isolated worker (the normal path) or the user's own process.
"""
from __future__ import annotations

import inspect
import logging
import random
import re
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from autoconv import _tf_internals
from autoconv.equivalence.compare import compare, describe, describe_call, snapshot, without_addresses
from autoconv.equivalence.isolation import leave_if_forked, restored_afterwards
from autoconv.equivalence.messages import clean_message, shortened_message
from autoconv.fdcapture import capture_fds
from autoconv.graph_reading import read_graph_def
from autoconv.model.check import CallRecord, CaseReport, Difference, ErrorInfo
from autoconv.model.explanation import CaseExplanation
from autoconv.model.graph import GraphView
from autoconv.model.verdicts import Side, Verdict
from autoconv.processes import Stop, raised_by_user_code
from autoconv.samples import Case, Sample
from autoconv.tf_log_lines import is_log_line

MESSAGE_LIMIT = 2000

TF_LOGGERS = ("tensorflow", "absl")


class CaseTimeout(Stop):
    """Raised into user code when an in-process case runs out of time; never recorded as its result."""


class Superseded(CaseTimeout):
    """Raised into a worker's request when its answer is no longer wanted (``autoconv serve``: a
    newer edit came); like a timeout it unwinds the request, never a call's result, and the
    request's isolation puts the process back, so the worker stays warm for the newer edit."""


def exception_text(error: BaseException) -> str:
    """``str(error)``, or a note when the exception's own ``__str__`` fails."""
    try:
        return str(error)
    except BaseException as failure:  # noqa: BLE001 - any user __str__, KeyboardInterrupt included
        return f"<unprintable {type(error).__name__}: its __str__ raised {type(failure).__name__}>"


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(f"{record.levelname}: {record.getMessage()}")
        except Exception:  # a log call with bad arguments is still not the user's output
            self.messages.append(f"{record.levelname}: {record.msg}")


@contextmanager
def tensorflow_logs_collected() -> Iterator[list[str]]:
    """TensorFlow's Python loggers write to a list instead of stderr for the duration."""
    collector = _Collector()
    saved = []
    for name in TF_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.handlers[:], logger.propagate))
        logger.handlers = [collector]
        logger.propagate = False
    try:
        yield collector.messages
    finally:
        for logger, handlers, propagate in saved:
            logger.handlers, logger.propagate = handlers, propagate


_LOG_STAMP = re.compile(r"^([IWEF])\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ |^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: ([IWEF]) ")


def _without_stamp(log_line: str) -> str:
    """A log line without its time and thread id, so two runs report the same warnings."""
    return _LOG_STAMP.sub(lambda m: f"{m.group(1) or m.group(2)} ", log_line)


def split_tf_log_lines(stderr: bytes) -> tuple[bytes, list[str]]:
    """Separate TensorFlow's log lines (and their tab-indented node context lines) from user output.

    The user's part stays bytes, exactly as written: it is compared, and only shown decoded.
    """
    kept: list[bytes] = []
    logs: list[str] = []
    in_log = False
    for line in stderr.splitlines(keepends=True):
        text = line.decode("utf-8", errors="replace")
        in_log = is_log_line(text, in_log)
        if in_log:
            logs.append(_without_stamp(text.rstrip("\n")))
        else:
            kept.append(line)
    return b"".join(kept), logs


def seed_everything(seed: int = 0) -> None:
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    _tf_internals.tensorflow().random.set_seed(seed)


def side_callable(obj: Any, side: Side) -> Any:
    """Eager: the plain Python function (bound if it was a method). Graph: a tf.function."""
    is_function = _tf_internals.is_tf_function(obj)
    if side is Side.EAGER:
        if not is_function:
            return obj
        function, instance = _tf_internals.unwrap_tf_function(obj)
        return types.MethodType(function, instance) if instance is not None else function
    return obj if is_function else _tf_internals.tensorflow().function(obj)


@dataclass
class SideRun:
    args: str
    records: list[CallRecord] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    outputs: list[tuple[bytes, bytes]] = field(default_factory=list)  # each call's stdout and stderr, exactly
    explanation: CaseExplanation | None = None  # what the first call's trace did, when asked
    traces: int | None = None
    round_trip: bool = False  # the sample also has a saved side
    graph_view: GraphView | None = None


def call_captured(function: Callable[..., Any], case: Case) -> tuple[Any, CallRecord, tuple[bytes, bytes]]:
    """One call: its frozen value, its record, and exactly what it wrote to stdout and stderr."""
    with tensorflow_logs_collected() as python_logs, capture_fds() as captured:
        value, error = None, None
        started = time.perf_counter()
        try:
            value = function(*case.args, **case.kwargs)
        except BaseException as raised:  # SystemExit and a raised KeyboardInterrupt are results too
            if not raised_by_user_code(raised):
                raise
            error = ErrorInfo(type(raised).__name__, shortened_message(clean_message(exception_text(raised)), MESSAGE_LIMIT))
        finally:
            leave_if_forked()
        seconds = time.perf_counter() - started
    stderr, cpp_logs = split_tf_log_lines(captured.stderr_bytes)
    record = CallRecord(
        value=None if error else describe(value),
        stdout=captured.stdout,
        stderr=stderr.decode("utf-8", errors="replace"),
        error=error,
        warnings=[without_addresses(m) for m in python_logs] + cpp_logs,
        seconds=round(seconds, 6),
    )
    return snapshot(value), record, (captured.stdout_bytes, stderr)


def _call_repeatedly(run: SideRun, function: Callable[..., Any], case: Case, calls: int) -> None:
    for _ in range(calls):
        value, record, output = call_captured(function, case)
        run.values.append(value)
        run.records.append(record)
        run.outputs.append(output)


def saved_model_owner(declared: Sample) -> tuple[Any, str] | None:
    """(the tf.Module to save, the attribute to call once loaded), or None when there is no saved side.

    A method of a tf.Module is saved with its instance; any other sample that declares
    ``saved_model=True`` is carried by a bare tf.Module (instance None) under ``function``.
    """
    obj = declared.obj
    if _tf_internals.is_tf_function(obj):
        function, instance = _tf_internals.unwrap_tf_function(obj)
    elif inspect.ismethod(obj):
        function, instance = obj.__func__, obj.__self__
    else:
        function, instance = obj, None
    if isinstance(instance, _tf_internals.tensorflow().Module):
        return instance, function.__name__
    return (None, "function") if declared.saved_model else None


def saved_round_trip(declared: Sample, case: Case, directory: str) -> tuple[Any, Callable[..., Any]]:
    """Save the sample's module to ``directory``, load it back: the loaded module and its function.

    The caller must hold on to the loaded module: its functions keep only weak references to
    its variables, so calling them after it is collected fails.
    """
    tf = _tf_internals.tensorflow()
    instance, attribute = saved_model_owner(declared) or (None, "function")
    instance = instance if instance is not None else tf.Module()
    if not _tf_internals.is_tf_function(getattr(instance, attribute, None)):
        setattr(instance, attribute, side_callable(declared.obj, Side.GRAPH))
    # A SavedModel keeps only the traces made so far; tracing (unlike calling) changes no variable.
    getattr(instance, attribute).get_concrete_function(*case.args, **case.kwargs)
    tf.saved_model.save(instance, directory)
    loaded = tf.saved_model.load(directory)
    return loaded, getattr(loaded, attribute)


def _call_saved(declared: Sample, case: Case, run: SideRun, calls: int) -> SideRun:
    """The saved side; a failing save or load is this side's result for every call, not a crash."""
    with tempfile.TemporaryDirectory(prefix="autoconv-saved-") as directory:
        try:
            with tensorflow_logs_collected(), capture_fds():  # saving's chatter is no call's output
                loaded, function = saved_round_trip(declared, case, directory)
        except Exception as error:
            message = shortened_message(clean_message(f"SavedModel round trip failed: {error}"), MESSAGE_LIMIT)
            run.records = [CallRecord(error=ErrorInfo(type(error).__name__, message)) for _ in range(calls)]
            run.values = [None] * calls
            run.outputs = [(b"", b"")] * calls
            return run
        _call_repeatedly(run, function, case, calls)
        del loaded  # alive until the last call
    return run


def traced_graph(name: str, case_index: int, function: Any, case: Case) -> GraphView | None:
    """The graph ``function`` traced for ``case``, as ``GraphView`` data; None if there is none.

    ``get_concrete_function`` with the same arguments finds the trace the calls made, so this
    costs no tracing; when the calls failed to trace it tries again, and failing means no graph.
    """
    try:
        with tensorflow_logs_collected(), capture_fds():
            graph_def = function.get_concrete_function(*case.args, **case.kwargs).graph.as_graph_def()
    except Exception:
        return None
    return read_graph_def(name, case_index, describe_call(case.args, case.kwargs), graph_def)


def _explained_first_call(run: SideRun, declared: Sample) -> tuple[Any, Callable[..., Any]]:
    """The graph side's function, and a stand-in for its first call that also records what that
    call's trace did (``autoconv explain``'s facts, into ``run.explanation``): one trace, not two."""
    from autoconv.explanation.api import Explainer
    from autoconv.explanation.failures import fix_named_in

    explainer = Explainer(declared.obj, fix=fix_named_in(declared.note))

    def first_call(*args: Any, **kwargs: Any) -> Any:
        try:
            value, explanation = explainer.observe(*args, **kwargs)
        except Exception:  # the explanation keeps the failed call: its facts up to the error
            run.explanation = CaseExplanation(explainer.explanation())
            raise
        run.explanation = CaseExplanation(explanation)
        return value

    return explainer.function, first_call


def _explain_first_call(run: SideRun, declared: Sample, case: Case) -> Any:
    """The graph side's first call, explained into ``run.explanation`` (the error that stopped it
    when there is no trace); the graph side's function, for its further calls."""
    function, first_call = _explained_first_call(run, declared)
    _call_repeatedly(run, first_call, case, 1)
    if run.explanation is None:
        error = run.records[0].error
        run.explanation = CaseExplanation(
            error=f"{error.type}: {error.message.splitlines()[0]}" if error else "no trace")
    return function


def explain_call(load: Callable[[], Sample], case: Case) -> CaseExplanation:
    """What the graph side's first call of ``case`` does, alone: the same fresh load, seed and
    explained trace-and-call as ``run_side``'s, without the rest of the case, so an editor can show
    the explanation before the verdict (``autoconv serve``). The caller puts the process back."""
    declared = load()
    leave_if_forked()
    seed_everything(0)
    run = SideRun(args=describe_call(case.args, case.kwargs))
    _explain_first_call(run, declared, case)
    assert run.explanation is not None
    return run.explanation


def run_side(load: Callable[[], Sample], case_index: int, calls: int, side: Side,
             inputs: list[Case] | None = None, with_graph: bool = False, explain: bool = False) -> SideRun:
    """One side's calls; on the graph side, ``with_graph`` also keeps the graph they ran and
    ``explain`` what its trace did, line by line."""
    declared = load()
    leave_if_forked()  # the file's own top level may have forked
    seed_everything(0)
    case = (inputs if inputs is not None else declared.cases())[case_index]
    run = SideRun(args=describe_call(case.args, case.kwargs), round_trip=saved_model_owner(declared) is not None)
    if side is Side.SAVED:
        return _call_saved(declared, case, run, calls)
    if side is Side.GRAPH and explain:
        function = _explain_first_call(run, declared, case)
        _call_repeatedly(run, function, case, calls - 1)
    else:
        function = side_callable(declared.obj, side)
        _call_repeatedly(run, function, case, calls)
    if side is Side.GRAPH:
        run.traces = function.experimental_get_tracing_count()
        if with_graph:
            run.graph_view = traced_graph(declared.name, case_index + 1, function, case)  # views count from 1
    return run


def _outputs_differ(eager: SideRun, other: SideRun, index: int) -> str | None:
    """"stdout" or "stderr" when that stream's bytes differ at call ``index``, else None."""
    for stream, (mine, theirs) in zip(("stdout", "stderr"), zip(eager.outputs[index], other.outputs[index],
                                                               strict=True), strict=True):
        if mine != theirs:
            return stream
    return None


def first_difference(eager: SideRun, other: SideRun) -> tuple[Verdict, Difference | None]:
    """The verdict and where it was decided: the first call at which the sides differ.

    Records each call's type change (an int that became an int32 tensor) on the other side's record.
    """
    for index, (mine, theirs) in enumerate(zip(eager.records, other.records, strict=True)):
        call = index + 1
        if mine.error and theirs.error:
            if mine.error.type != theirs.error.type:
                return Verdict.MISMATCH, Difference(call, "error", f"{mine.error.type} against {theirs.error.type}")
            stream = _outputs_differ(eager, other, index)
            if stream:
                return Verdict.MISMATCH, Difference(call, stream, "both raised, but printed differently")
            continue
        if theirs.error:
            return Verdict.GRAPH_ERROR, Difference(call, "error")
        if mine.error:
            return Verdict.EAGER_ERROR, Difference(call, "error")
        comparison = compare(eager.values[index], other.values[index])
        theirs.type_change = comparison.type_change
        if not comparison.equal:
            return Verdict.MISMATCH, Difference(call, "value", comparison.reason)
        stream = _outputs_differ(eager, other, index)
        if stream:
            return Verdict.MISMATCH, Difference(call, stream)
    return Verdict.MATCH, None


def _failed_side(error: BaseException, calls: int, args: str) -> SideRun:
    """A side that could not run at all (its sample no longer loads, its inputs fail to build):
    that is each of its calls' result."""
    message = clean_message(exception_text(error))[:MESSAGE_LIMIT]
    run = SideRun(args=args)
    run.records = [CallRecord(error=ErrorInfo(type(error).__name__, message)) for _ in range(calls)]
    run.values = [None] * calls
    run.outputs = [(b"", b"")] * calls
    return run


def _isolated_side(reasons: list[str], load: Callable[[], Sample], case_index: int, calls: int, side: Side,
                   *arguments: Any, **options: Any) -> SideRun:
    """A side run with the process put back afterwards (working folder, builtins, tf.config...)."""
    with restored_afterwards(reasons):
        try:
            return run_side(load, case_index, calls, side, *arguments, **options)
        except BaseException as error:
            if not raised_by_user_code(error):
                raise
            return _failed_side(error, calls, "")


def run_case(load: Callable[[], Sample], case_index: int, calls: int, expected: Verdict,
             inputs: list[Case] | None = None, with_graph: bool = False, explain: bool = False) -> CaseReport:
    started = time.perf_counter()
    unrestorable: list[str] = []
    eager = _isolated_side(unrestorable, load, case_index, calls, Side.EAGER, inputs)
    graph = _isolated_side(unrestorable, load, case_index, calls, Side.GRAPH, inputs, with_graph, explain)
    verdict, difference = first_difference(eager, graph)
    saved, detail = None, ""
    if eager.round_trip:
        saved = _isolated_side(unrestorable, load, case_index, calls, Side.SAVED, inputs)
        if verdict is Verdict.MATCH:  # the graph side decides first; the SavedModel only when it agreed
            verdict, difference = first_difference(eager, saved)
            if difference is not None:
                detail = (f"decided by the SavedModel round trip: call {difference.call}'s "
                          f"{difference.what} differs from eager")
    return CaseReport(
        args=eager.args or graph.args,
        verdict=verdict,
        expected=Verdict(expected),
        first_difference=difference,
        seconds=round(time.perf_counter() - started, 4),
        eager=eager.records,
        graph=graph.records,
        detail=detail,
        traces=graph.traces,
        saved=saved.records if saved else None,
        graph_view=graph.graph_view,
        worker_recycled=unrestorable[0] if unrestorable else None,
        explanation=graph.explanation,
    )
