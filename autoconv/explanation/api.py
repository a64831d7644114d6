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
from autoconv.explanation.trace_hooks import Recorder, Site, function_source, function_span
from autoconv.explanation.writes import changed_writes, snapshot, write_targets
from autoconv.fdcapture import capture_fds
from autoconv.model.explanation import Call, ConvertedFunction, Explanation, GraphSummary, Line
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
    """Explains successive calls of one function; each call returns the explanation so far."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.function = traced_function(obj)
        self.python = python_function(obj)
        self.owner = getattr(obj, "__self__", None) if inspect.ismethod(obj) else None
        if _tf_internals.is_tf_function(obj):
            self.owner = _tf_internals.unwrap_tf_function(obj)[1]
        filename, first, last = function_span(self.python)
        self.filename, self.first_line, self.last_line = filename, first, last
        self.calls: list[Call] = []
        self.traced_signatures: list[dict[str, ArgumentSpec]] = []
        self.latest: Explanation | None = None
        self.helpers: list[Any] = []  # the converted helpers of the latest trace, to view them
        self.targets = write_targets(self.python)

    def __repr__(self) -> str:
        return f"<Explainer {self.python.__qualname__}: {len(self.calls)} calls explained>"

    def __call__(self, *args: Any, **kwargs: Any) -> Explanation:
        return self.observe(*args, **kwargs)[1]

    def observe(self, *args: Any, **kwargs: Any) -> tuple[Any, Explanation]:
        """The call's own result, and its explanation: how the check's graph side explains the
        call it makes anyway, instead of tracing a second time (the call's exceptions propagate)."""
        case = Case(tuple(args), dict(kwargs))
        signature = declared_signature(self.function) or call_signature(self.function, case)
        recorder = Recorder()
        arguments = _arguments(self.python, args, kwargs, self.owner)
        before_state = snapshot(self.targets, arguments, self.python.__globals__)
        traces_before = self.function.experimental_get_tracing_count()
        with recorder.hooks():
            value = self.function(*args, **kwargs)
        traced = self.function.experimental_get_tracing_count() > traces_before
        call = Call(describe_call(case.args, case.kwargs), traced)
        if traced:
            if self.traced_signatures:
                call.retrace_reason = explain_trace(signature, self.traced_signatures)[1]
            self.traced_signatures.append(signature)
            for line, what, detail in changed_writes(
                    self.targets, before_state, snapshot(self.targets, arguments, self.python.__globals__)):
                recorder.add_effect((self.filename or "", line), what, detail)
            self.latest = self._explanation(recorder, args, kwargs)
            self.latest.lines_from_call = len(self.calls) + 1
            self.helpers = [entity for site, entity in recorder.converted_objects.items()
                            if site != (self.filename, self.first_line)]
        self.calls.append(call)
        explanation = self.latest or self._explanation(recorder, args, kwargs)
        explanation.calls = list(self.calls)
        return value, describe(explanation)

    def _explanation(self, recorder: Recorder, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Explanation:
        with capture_fds():  # a retrace here would print again; it is not the user's output
            concrete = self.function.get_concrete_function(*args, **kwargs)
        graphs = [concrete.graph, *_tf_internals.library_graphs(concrete.graph)]
        own = self._own_functions(recorder)
        op_counts = _ops_per_line(graphs, own)
        body_sizes = {graph.name: len(graph.get_operations()) for graph in graphs}
        for site, statement in recorder.statements.items():
            names = recorder.bodies.get(site, [])
            if statement.staged and names and all(name in body_sizes for name in names):
                statement.body_ops = sum(body_sizes[name] for name in names)  # tf.data's are not FuncGraphs here
        sites = {site for site in [*recorder.statements, *recorder.effects, *op_counts] if _inside(site, own)}
        lines = [Line(line, _source_line(filename, line, own), recorder.statements.get((filename, line)),
                      dict(sorted(op_counts.get((filename, line), Counter()).items())),
                      list(recorder.effects.get((filename, line), [])))
                 for filename, line in sorted(sites, key=lambda site: site[1])]
        location = f"{shown_path(self.filename)}:{self.first_line}" if self.filename else "?"
        return Explanation(
            function=self.python.__qualname__, location=location, lines=lines,
            graph=GraphSummary(len(concrete.graph.get_operations()), len(graphs) - 1),
            converted=list(recorder.converted.values()), filename=self.filename, first_line=self.first_line,
            original=_function_source(self.python),
        )

    def _own_functions(self, recorder: Recorder) -> list[ConvertedFunction]:
        """The explained function and the converted helpers in its file: their lines get entries."""
        own = [f for f in recorder.converted.values() if f.filename == self.filename]
        if self.filename and not any(f.first_line == self.first_line for f in own):
            own.append(ConvertedFunction(self.python.__qualname__, "", self.filename, self.first_line,
                                         self.last_line))
        return own


def _inside(site: Site, functions: list[ConvertedFunction]) -> bool:
    filename, line = site
    return any(f.filename == filename and f.first_line <= line <= f.last_line for f in functions)


def _ops_per_line(graphs: list[Any], functions: list[ConvertedFunction]) -> dict[Site, Counter[str]]:
    """Op types per user line, from each op's creation traceback (innermost frame in the user's code)."""
    files = {f.filename for f in functions}
    counts: dict[Site, Counter[str]] = {}
    for graph in graphs:
        for op in graph.get_operations():
            for frame in reversed(op.traceback or []):
                site = (frame.filename, frame.lineno)
                if frame.filename in files and _inside(site, functions):
                    counts.setdefault(site, Counter())[op.type] += 1
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


def explain_cases(obj: Any, cases: list[Case]) -> tuple[Explainer, Explanation, list[str]]:
    """Every case through one explainer, quietly (what tracing prints is an effect, not output).

    A call that raises is the user's code failing, which is an answer: it is left out of the
    explanation and said in one line each (the second list). Only when every call raises is
    there nothing to explain, and that is an AutoconvError.
    """
    if not cases:
        raise AutoconvError("nothing to explain: give --args \"...\" (one call's arguments)")
    explainer = Explainer(obj)
    explanation, failures = None, []
    for number, case in enumerate(cases, 1):
        try:
            with capture_fds():
                explanation = explainer(*case.args, **case.kwargs)
        except Exception as error:  # the user's function failing to trace or run
            message = " ".join(str(error).split())[:300]
            failures.append(f"call {number} ({describe_call(case.args, case.kwargs)}) raised "
                            f"{type(error).__name__}: {message}")
    if explanation is None:
        raise AutoconvError(failures[0] + (f" (and {len(failures) - 1} more calls raised)" if len(failures) > 1 else ""))
    return explainer, explanation, failures
