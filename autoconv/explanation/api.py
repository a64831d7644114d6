"""``autoconv.explain(fn)(*args)``: call a function as a ``tf.function`` and explain what happened.

The returned ``Explainer`` keeps one ``tf.function`` (a fresh one with the user's settings when
``fn`` is already a ``tf.function``, so the user's own trace cache is neither read nor filled), so
calling it again explains a further call and shows a retrace with its reason. This module runs
the call and assembles plain data; it never formats.
"""
from __future__ import annotations

import inspect
import linecache
from collections import Counter
from typing import Any

from autoconv import _tf_internals
from autoconv.conversion import dedent_source, python_function
from autoconv.equivalence.compare import describe_call
from autoconv.equivalence.messages import shown_path
from autoconv.errors import AutoconvError
from autoconv.explanation.facts import describe
from autoconv.explanation.failures import failing_line, trace_error
from autoconv.explanation.trace_hooks import Recorder, Site, function_source, function_span, outermost_graph
from autoconv.explanation.writes import changed_writes, snapshot, write_targets
from autoconv.fdcapture import capture_fds
from autoconv.model.explanation import (
    Call,
    ConvertedFunction,
    Explanation,
    GraphSummary,
    Line,
    Trace,
    TraceError,
)
from autoconv.processes import raised_by_user_code
from autoconv.samples import Case
from autoconv.trace_keys import ArgumentSpec, call_signature, declared_signature, explain_trace


def traced_function(obj: Any) -> Any:
    """The ``tf.function`` to explain ``obj`` through, with ``obj``'s own settings when it has any."""
    if _tf_internals.is_tf_function(obj):
        return _tf_internals.fresh_tf_function(obj)
    return _tf_internals.tensorflow().function(obj)


def _arguments(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any], owner: Any) -> dict[str, Any]:
    """Parameter name -> value, ``self`` included for a method, for the write snapshots."""
    try:
        bound = inspect.signature(function).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return {}
    named = dict(bound.arguments)
    if owner is not None:
        named["self"] = owner
    return named


class Explainer:
    """Explains successive calls of one function; each call returns the explanation so far.

    Every trace is kept (``traces``), so any call's facts can be shown (``explanation(call=N)``),
    a failed trace too: its facts up to the line that raised, and the error.
    """

    def __init__(self, obj: Any, fix: str | None = None) -> None:
        self.obj = obj
        self.function = traced_function(obj)
        self.python = python_function(obj)
        self.owner = getattr(obj, "__self__", None) if inspect.ismethod(obj) else None
        if _tf_internals.is_tf_function(obj):
            self.owner = _tf_internals.unwrap_tf_function(obj)[1]
        filename, first, last = function_span(self.python)
        self.filename, self.first_line, self.last_line = filename, first, last
        self.fix = fix  # the catalogue sample that shows the fix, when the target is a sample that names one
        self.calls: list[Call] = []
        self.traces: list[Trace] = []
        self.trace_graphs: list[tuple[Any, int]] = []  # each successful trace's graph and number, to know which one a call reused
        self.traced_signatures: list[dict[str, ArgumentSpec]] = []
        self.helpers: list[Any] = []  # the converted helpers of the latest trace, to view them
        self.targets = write_targets(self.python)
        self.function_errors = _tf_internals.tensorflow().errors.OpError  # what a graph raises as it runs

    def __repr__(self) -> str:
        return f"<Explainer {self.python.__qualname__}: {len(self.calls)} calls explained>"

    def __call__(self, *args: Any, **kwargs: Any) -> Explanation:
        return self.observe(*args, **kwargs)[1]

    def observe(self, *args: Any, **kwargs: Any) -> tuple[Any, Explanation]:
        """The call's own result, and its explanation: how the check's graph side explains the
        call it makes anyway, instead of tracing a second time.

        The call's exceptions propagate, after the failed call (and its partial trace) is kept:
        ``explanation()`` then shows it."""
        case = Case(tuple(args), dict(kwargs))
        signature = declared_signature(self.function) or call_signature(self.function, case)
        recorder = Recorder()
        arguments = _arguments(self.python, args, kwargs, self.owner)
        before_state = snapshot(self.targets, arguments, self.python.__globals__)
        traces_before = self.function.experimental_get_tracing_count()
        call = Call(describe_call(case.args, case.kwargs), False)
        number = len(self.calls) + 1
        try:
            with recorder.hooks():
                value = self.function(*args, **kwargs)
        except BaseException as error:
            if raised_by_user_code(error):  # SystemExit and a raised KeyboardInterrupt too
                self._keep_failure(call, error, recorder, signature, (args, kwargs), traces_before,
                                   lambda: self._writes(recorder, arguments, before_state))
            raise
        call.traced = self.function.experimental_get_tracing_count() > traces_before
        if call.traced:
            if self.traced_signatures:
                call.retrace_reason = explain_trace(signature, self.traced_signatures)[1]
            self.traced_signatures.append(signature)
            self._writes(recorder, arguments, before_state)
            trace = self._trace(recorder, args, kwargs, number)
            assert trace is not None
            self.traces.append(trace)
            self.helpers = [entity for site, entity in recorder.converted_objects.items()
                            if site != (self.filename, self.first_line)]
            call.trace = len(self.traces)
        else:
            call.trace = self._reused_trace(args, kwargs)
        self.calls.append(call)
        return value, self.explanation()

    def explanation(self, call: int | None = None) -> Explanation:
        """The calls so far, with the lines of the trace that call ``call`` (from 1) ran; by
        default the latest trace."""
        if call is not None and not 1 <= call <= len(self.calls):
            raise AutoconvError(f"there is no call {call}: {_plural(len(self.calls), 'call')} were explained"
                                if len(self.calls) != 1 else f"there is no call {call}: 1 call was explained")
        chosen = self.calls[call - 1].trace if call is not None else (len(self.traces) or None)
        trace = self.traces[chosen - 1] if chosen else Trace(call or 1)
        if not chosen and self.calls:  # no trace at all: the call failed before tracing (its arguments)
            trace.error = self.calls[(call or len(self.calls)) - 1].error
        location = f"{shown_path(self.filename)}:{self.first_line}" if self.filename else "?"
        explanation = Explanation(
            function=self.python.__qualname__, location=location, calls=list(self.calls), lines=trace.lines,
            graph=trace.graph, converted=trace.converted, filename=self.filename, first_line=self.first_line,
            original=_function_source(self.python), lines_from_call=trace.call, error=trace.error,
            traces=list(self.traces))
        return describe(explanation)

    def _keep_failure(self, call: Call, error: BaseException, recorder: Recorder,
                      signature: dict[str, ArgumentSpec], arguments: tuple[tuple[Any, ...], dict[str, Any]],
                      traces_before: int, writes: Any) -> None:
        """Keep a call that raised: a failed trace with its facts up to the error, or (when the graph
        traced, or was reused, and failed as it ran) the trace it ran, with the error."""
        traced = self.function.experimental_get_tracing_count() > traces_before
        ran_python = bool(recorder.graphs or recorder.converted)  # a reused graph runs no Python
        # AutoGraph marks what converted code raised while tracing; a first call that creates
        # variables traces twice, so a count that went up can still end in a failed trace
        while_tracing = ran_python and (hasattr(error, "ag_error_metadata") or not traced)
        stage = "tracing" if while_tracing else "running" if traced or isinstance(
            error, self.function_errors) else "arguments"
        call.traced = traced or ran_python
        if call.traced and self.traced_signatures:
            call.retrace_reason = explain_trace(signature, self.traced_signatures)[1]
        trace = None
        if call.traced:
            writes()
            trace = self._trace(recorder, *arguments, len(self.calls) + 1, failed=while_tracing)
            if trace is None:  # traced, but its graph cannot be had again: the facts the hooks saw
                trace = self._trace(recorder, *arguments, len(self.calls) + 1, failed=True)
            if traced and not while_tracing:
                self.traced_signatures.append(signature)
        call.error = failure_of(error, self, recorder, stage)
        if trace is not None:
            trace.error = call.error
            self.traces.append(trace)
            call.trace = len(self.traces)
        else:
            call.trace = self._reused_trace(*arguments)
        self.calls.append(call)

    def _writes(self, recorder: Recorder, arguments: dict[str, Any], before_state: list[Any]) -> None:
        for line, what, detail in changed_writes(
                self.targets, before_state, snapshot(self.targets, arguments, self.python.__globals__)):
            recorder.add_effect((self.filename or "", line), what, detail)

    def _reused_trace(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int | None:
        """The number of the trace a call that did not trace ran: its concrete function's graph."""
        try:
            with capture_fds():
                graph = self.function.get_concrete_function(*args, **kwargs).graph
        except Exception:
            return len(self.traces) or None
        found = next((number for known, number in self.trace_graphs if known is graph), None)
        return found or len(self.traces) or None

    def _trace(self, recorder: Recorder, args: tuple[Any, ...], kwargs: dict[str, Any], call: int,
               failed: bool = False) -> Trace | None:
        """What this call's trace did; for a failed trace, from the graphs the hooks saw being built."""
        if failed:
            top, graphs = _failed_graphs(recorder)
        else:
            try:
                with capture_fds():  # a retrace here would print again; it is not the user's output
                    concrete = self.function.get_concrete_function(*args, **kwargs)
            except Exception:
                return None
            top = concrete.graph
            graphs = [top, *_tf_internals.library_graphs(top)]
            self.trace_graphs.append((top, len(self.traces) + 1))  # the trace is kept next
        own = self._own_functions(recorder)
        op_counts = _ops_per_line(graphs, own, self.filename)
        body_sizes = {graph.name: len(graph.get_operations()) for graph in graphs}
        for site, statement in recorder.statements.items():
            names = recorder.bodies.get(site, [])
            if statement.staged and names and all(name in body_sizes for name in names):
                statement.body_ops = sum(body_sizes[name] for name in names)  # tf.data's are not FuncGraphs here
        sites = {site for site in [*recorder.statements, *recorder.effects] if _inside(site, own)}
        sites |= {site for site in op_counts if site[0] == self.filename}
        lines = [Line(line, _source_line(filename, line, own), recorder.statements.get((filename, line)),
                      dict(sorted(op_counts.get((filename, line), Counter()).items())),
                      list(recorder.effects.get((filename, line), [])))
                 for filename, line in sorted(sites, key=lambda site: site[1])]
        summary = GraphSummary(len(top.get_operations()), len(graphs) - 1) if top is not None else GraphSummary(0, 0)
        return Trace(call, lines, summary, list(recorder.converted.values()))

    def _own_functions(self, recorder: Recorder) -> list[ConvertedFunction]:
        """The explained function and the converted helpers in its file: their lines get entries."""
        own = [f for f in recorder.converted.values() if f.filename == self.filename]
        if self.filename and not any(f.first_line == self.first_line for f in own):
            own.append(ConvertedFunction(self.python.__qualname__, "", self.filename, self.first_line,
                                         self.last_line))
        return own


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _failed_graphs(recorder: Recorder) -> tuple[Any, list[Any]]:
    """The graph of the trace that failed (the last top-level one the hooks ran in) and the loop
    bodies and branches built inside it before the error."""
    graphs = [graph for graph in recorder.graphs.values() if getattr(graph, "outer_graph", None) is not None]
    if not graphs:
        return None, []
    top = outermost_graph(graphs[-1])
    return top, [top, *[graph for graph in graphs if graph is not top and outermost_graph(graph) is top]]


def failure_of(error: BaseException, explainer: Explainer, recorder: Recorder, stage: str) -> TraceError:
    """The error of a failed call, at the innermost line of the user's own functions."""
    own = explainer._own_functions(recorder)

    def in_user_code(path: str, line: int) -> bool:
        return _inside((path, line), own) or (path == explainer.filename and explainer.filename is not None
                                             and _in_file_function(path, line))

    def mapped(path: str, line: int) -> tuple[str, int] | None:
        return recorder.source_map.get((path, line))

    return trace_error(error, failing_line(error, in_user_code, mapped), stage, explainer.fix)


def _in_file_function(path: str, line: int) -> bool:
    """A line inside some function of the file (not its top level): where a helper's ops come from."""
    text = linecache.getline(path, line)
    return bool(text) and text[:1] in (" ", "\t")


def _inside(site: Site, functions: list[ConvertedFunction]) -> bool:
    filename, line = site
    return any(f.filename == filename and f.first_line <= line <= f.last_line for f in functions)


def _ops_per_line(graphs: list[Any], functions: list[ConvertedFunction],
                  filename: str | None) -> dict[Site, Counter[str]]:
    """Op types per user line, from each op's creation traceback: the innermost frame in the user's
    converted functions, or in any function of the explained file (a helper AutoGraph does not
    convert, such as a body passed to ``tf.while_loop``, gets its own lines)."""
    files = {f.filename for f in functions}
    counts: dict[Site, Counter[str]] = {}
    for graph in graphs:
        for op in graph.get_operations():
            frames = op.traceback
            # From the innermost frame out, reading each frame only when reached: an op's stack
            # holds every frame down from the worker's loop, and making them all (``list``) was
            # most of an explanation's own time. Only ops the traced code made count: an op whose
            # stack never passes through the converted functions (an input placeholder, made for
            # the caller's line) belongs to no line.
            site: Site | None = None
            for index in range(len(frames) - 1, -1, -1) if frames else ():
                frame = frames[index]
                own = frame.filename in files and _inside((frame.filename, frame.lineno), functions)
                if site is None and (own or (frame.filename == filename
                                             and _in_file_function(frame.filename, frame.lineno))):
                    site = (frame.filename, frame.lineno)
                if own:
                    counts.setdefault(site or (frame.filename, frame.lineno), Counter())[op.type] += 1
                    break
    return counts


def _source_line(filename: str, line: int, functions: list[ConvertedFunction]) -> str:
    """The line as written, less the indentation of the ``def`` it belongs to."""
    text = linecache.getline(filename, line).rstrip()
    owner = next((f for f in functions if f.filename == filename and f.first_line <= line <= f.last_line), None)
    if owner is not None:
        first = linecache.getline(filename, owner.first_line)
        indent = len(first) - len(first.lstrip())
        if text[:indent].strip() == "":
            text = text[indent:]
    return text


def _function_source(function: Any) -> str | None:
    lines = function_source(function)[2]
    return dedent_source("".join(lines)) if lines else None


def explain_cases(obj: Any, cases: list[Case], call: int | None = None,
                  fix: str | None = None) -> tuple[Explainer, Explanation]:
    """Every case through one explainer, quietly (what tracing prints is an effect, not output).

    A call that raises is the user's code failing, which is an answer: the explanation keeps it,
    with its trace's facts up to the failing line and the error (``Explanation.error`` for the
    call shown, ``Call.error`` for each). ``call`` (from 1) picks the call whose trace the lines
    show; ``fix`` is the sample that shows the fix, when the target names one.
    """
    if not cases:
        raise AutoconvError("nothing to explain: give --args \"...\" (one call's arguments)")
    if call is not None and not 1 <= call <= len(cases):
        raise AutoconvError(f"--call {call}: there {'is 1 call' if len(cases) == 1 else f'are {len(cases)} calls'}"
                            " (counted from 1)")
    explainer = Explainer(obj, fix=fix)
    for case in cases:
        try:
            with capture_fds():
                explainer(*case.args, **case.kwargs)
        except BaseException as error:  # the user's function failing to trace or run: kept in the explanation
            if not raised_by_user_code(error):
                raise
    return explainer, explainer.explanation(call)
