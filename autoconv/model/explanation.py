"""What happened when a function traced, line by line, as plain data.

``Explanation.to_dict()`` is the ``autoconv explain --json`` contract (issue 12, section 3): other
tools parse it, so its keys, kinds and nesting change only with that contract. Fields that only
the views need (a loop body's op count, the user's file) stay out of ``to_dict``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TraceError:
    """Why a call failed: at which line of the user's file (None when no user line is known),
    the exception's type, AutoGraph's own first paragraph (user frames only, shortened at a word
    or line boundary), the same in plain words when autoconv knows the error, and the catalogue
    sample that shows the fix, when there is one."""

    line: int | None
    type: str
    message: str
    plain: str | None = None
    fix: str | None = None
    stage: str = "tracing"  # "tracing", "running" (the graph traced, then failed) or "arguments" (before tracing)

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "type": self.type, "message": self.message, "plain": self.plain,
                "fix": self.fix, "stage": self.stage}


@dataclass
class Call:
    """One call of the explained function: did it trace, and if it traced again, why.

    ``trace`` numbers (from 1) the trace the call ran, an index into ``Explanation.traces`` plus
    one; ``error`` is set when the call raised.
    """

    args: str
    traced: bool
    retrace_reason: str | None = None
    trace: int | None = None
    error: TraceError | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"args": self.args, "traced": self.traced, "retrace_reason": self.retrace_reason,
                "trace": self.trace, "error": self.error.to_dict() if self.error else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Call:
        error = data.get("error")
        return cls(data["args"], data["traced"], data.get("retrace_reason"), data.get("trace"),
                   TraceError(**error) if error else None)


@dataclass
class Statement:
    """An ``if``/loop/boolean operator: graph control flow (``staged``) or Python run while tracing.

    ``python`` is ``{"branch": "if"|"else"}`` for a branch taken in Python, ``{"iterations": n}``
    for a loop unrolled in Python, None when staged. ``body_ops`` counts the ops of the staged
    loop body or branches, for the views.
    """

    kind: str
    staged: bool
    ops: list[str] = field(default_factory=list)
    python: dict[str, Any] | None = None
    reason: str = ""
    body_ops: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "staged": self.staged, "ops": list(self.ops),
                "python": dict(self.python) if self.python is not None else None, "reason": self.reason}


@dataclass
class Effect:
    """Something a line did in Python while tracing, which a later call of the graph never repeats."""

    what: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "detail": self.detail}


@dataclass(frozen=True)
class Badge:
    """What a line did, in a few words; ``kind`` (staged, python, trace-time, ops) is what a view
    styles it by."""

    kind: str
    text: str


@dataclass
class Line:
    """One line of the user's file (``line`` is the file's own number) and what it did.

    ``badges`` and ``fact`` (the sentence this line adds to the notes) are its words, filled in
    by the explain engine (``explanation.facts.describe``) for the views.
    """

    line: int
    source: str
    statement: Statement | None = None
    ops: dict[str, int] = field(default_factory=dict)
    trace_time: list[Effect] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    fact: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "source": self.source,
                "statement": self.statement.to_dict() if self.statement else None,
                "ops": dict(self.ops), "trace_time": [effect.to_dict() for effect in self.trace_time]}


@dataclass
class GraphSummary:
    """Ops in the top-level graph and the number of library functions (bodies, branches) it calls."""

    ops: int
    functions: int

    def to_dict(self) -> dict[str, Any]:
        return {"ops": self.ops, "functions": self.functions}


@dataclass
class ConvertedFunction:
    """A function AutoGraph converted while tracing; ``first_line``/``last_line`` bound its lines."""

    name: str
    location: str
    filename: str | None = None
    first_line: int = 0
    last_line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "location": self.location}


@dataclass
class Trace:
    """What one trace did, per line: the trace that ``call`` (counted from 1) made. A trace that
    failed has ``error`` and the facts of everything that ran before the failing line."""

    call: int
    lines: list[Line] = field(default_factory=list)
    graph: GraphSummary = field(default_factory=lambda: GraphSummary(0, 0))
    converted: list[ConvertedFunction] = field(default_factory=list)
    error: TraceError | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"call": self.call, "lines": [line.to_dict() for line in self.lines], "graph": self.graph.to_dict(),
                "converted": [function.to_dict() for function in self.converted],
                "error": self.error.to_dict() if self.error else None}

    def to_data(self) -> dict[str, Any]:
        data = self.to_dict()
        data["lines"] = [_line_data(line) for line in self.lines]
        data["converted"] = [vars(function).copy() for function in self.converted]
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Trace:
        error = data.get("error")
        return cls(data["call"], [_line_from_data(line) for line in data["lines"]], GraphSummary(**data["graph"]),
                   [ConvertedFunction(**function) for function in data["converted"]],
                   TraceError(**error) if error else None)


def _line_data(line: Line) -> dict[str, Any]:
    """A line with its view fields (badges, fact, a staged body's size)."""
    data = line.to_dict()
    if line.statement is not None:
        data["statement"]["body_ops"] = line.statement.body_ops
    data["badges"] = [vars(badge).copy() for badge in line.badges]
    data["fact"] = line.fact
    return data


def _line_from_data(line: dict[str, Any]) -> Line:
    return Line(line["line"], line["source"], Statement(**line["statement"]) if line["statement"] else None,
                dict(line["ops"]), [Effect(**effect) for effect in line["trace_time"]],
                [Badge(**badge) for badge in line.get("badges", [])], line.get("fact"))


@dataclass
class Explanation:
    """The calls made so far, every trace they made (``traces``), and one trace shown per line:
    ``lines``, ``graph``, ``converted`` and ``error`` are those of the trace call
    ``lines_from_call`` ran (by default the latest trace)."""

    function: str
    location: str
    calls: list[Call] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    graph: GraphSummary = field(default_factory=lambda: GraphSummary(0, 0))
    converted: list[ConvertedFunction] = field(default_factory=list)
    filename: str | None = None
    first_line: int = 1
    original: str | None = None  # the function's source, dedented, for the views
    lines_from_call: int = 1  # the call whose trace ``lines`` describe
    summary: list[str] = field(default_factory=list)  # what happened, in a few sentences
    call_sentences: list[str] = field(default_factory=list)  # one per call: traced or reused, and why
    statistics: list[str] = field(default_factory=list)  # the numbers, shown after the meaning
    error: TraceError | None = None  # why the shown call failed, if it did
    traces: list[Trace] = field(default_factory=list)  # every trace, in the order the calls made them

    def facts(self) -> dict[int, list[str]]:
        """The sentences for the notes, by file line: what happened on each line for the call."""
        return {line.line: [line.fact] for line in self.lines if line.fact}

    def facts_of_every_trace(self) -> dict[int, list[str]]:
        """The notes of a view that lets the reader switch between calls: where the traces did
        different things on a line, each trace's sentence (each names its call), in the order the
        calls made them; where they all did the same, the shown trace's alone."""
        facts = self.facts()
        traces = [{line.line: line for line in trace.lines} for trace in self.traces]
        for number in sorted({number for lines in traces for number in lines}):
            lines = [lines.get(number) for lines in traces]
            said = {tuple(badge.text for badge in line.badges if badge.kind != "ops") if line else () for line in lines}
            if len(said) > 1:
                facts[number] = [line.fact for line in lines if line is not None and line.fact]
        return facts

    def line(self, number: int) -> Line | None:
        return next((line for line in self.lines if line.line == number), None)

    def trace_of_call(self, call: int) -> Trace | None:
        """The trace call ``call`` (from 1) ran, its lines described for that trace; None when the
        call failed before tracing. A view that switches between calls reads each call's facts here."""
        number = self.calls[call - 1].trace if 1 <= call <= len(self.calls) else None
        return self.traces[number - 1] if number and number <= len(self.traces) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "location": self.location,
            "calls": [call.to_dict() for call in self.calls],
            "call": self.lines_from_call,
            "lines": [line.to_dict() for line in self.lines],
            "graph": self.graph.to_dict(),
            "converted": [function.to_dict() for function in self.converted],
            "error": self.error.to_dict() if self.error else None,
            "traces": [trace.to_dict() for trace in self.traces],
        }

    def to_data(self) -> dict[str, Any]:
        """Everything, view fields included: how a gallery caches an explanation (``to_dict`` is the
        ``--json`` contract and leaves those out)."""
        data = self.to_dict()
        data["lines"] = [_line_data(line) for line in self.lines]
        data["converted"] = [vars(function).copy() for function in self.converted]
        data["traces"] = [trace.to_data() for trace in self.traces]
        data.update(filename=self.filename, first_line=self.first_line, original=self.original,
                    lines_from_call=self.lines_from_call, summary=list(self.summary),
                    call_sentences=list(self.call_sentences), statistics=list(self.statistics))
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Explanation:
        """The explanation ``to_data`` wrote (``to_dict``'s output reads back too, without view fields)."""
        error = data.get("error")
        return cls(
            function=data["function"], location=data["location"],
            calls=[Call.from_dict(call) for call in data["calls"]],
            lines=[_line_from_data(line) for line in data["lines"]],
            graph=GraphSummary(**data["graph"]),
            converted=[ConvertedFunction(**function) for function in data["converted"]],
            filename=data.get("filename"), first_line=data.get("first_line", 1), original=data.get("original"),
            lines_from_call=data.get("lines_from_call", data.get("call", 1)), summary=list(data.get("summary", [])),
            call_sentences=list(data.get("call_sentences", [])), statistics=list(data.get("statistics", [])),
            error=TraceError(**error) if error else None,
            traces=[Trace.from_data(trace) for trace in data.get("traces", [])],
        )

    def __repr__(self) -> str:
        ops = sum(sum(line.ops.values()) for line in self.lines)
        failed = f", failed at line {self.error.line}" if self.error else ""
        return (f"<Explanation {self.function}: {len(self.calls)} call{'s' * (len(self.calls) != 1)}, "
                f"{len(self.lines)} lines, {ops} ops{failed}>")


@dataclass
class CaseExplanation:
    """What one checked case's graph-side trace did, or why it could not be explained."""

    explanation: Explanation | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.explanation is not None:
            return {"explanation": self.explanation.to_data()}
        return {"error": self.error}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseExplanation:
        if "explanation" in data:
            return cls(Explanation.from_data(data["explanation"]))
        return cls(error=data.get("error", ""))
