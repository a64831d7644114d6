"""What happened when a function traced, line by line, as plain data.

``Explanation.to_dict()`` is the ``autoconv explain --json`` contract (issue 12, section 3): other
tools parse it, so its keys, kinds and nesting change only with that contract. Fields that only
the views need (a loop body's op count, the user's file) stay out of ``to_dict``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One call of the explained function: did it trace, and if it traced again, why."""

    args: str
    traced: bool
    retrace_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"args": self.args, "traced": self.traced, "retrace_reason": self.retrace_reason}


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
class Explanation:
    """The calls made so far and what the latest trace did, per line of the user's file."""

    function: str
    location: str
    calls: list[Call] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    graph: GraphSummary = field(default_factory=lambda: GraphSummary(0, 0))
    converted: list[ConvertedFunction] = field(default_factory=list)
    filename: str | None = None
    first_line: int = 1
    original: str | None = None  # the function's source, dedented, for the views
    lines_from_call: int = 1  # the call whose trace ``lines`` describe: the latest that traced
    summary: list[str] = field(default_factory=list)  # what happened, in a few sentences
    call_sentences: list[str] = field(default_factory=list)  # one per call: traced or reused, and why

    def facts(self) -> dict[int, list[str]]:
        """The sentences for the notes, by file line: what happened on each line for the call."""
        return {line.line: [line.fact] for line in self.lines if line.fact}

    def line(self, number: int) -> Line | None:
        return next((line for line in self.lines if line.line == number), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "location": self.location,
            "calls": [call.to_dict() for call in self.calls],
            "lines": [line.to_dict() for line in self.lines],
            "graph": self.graph.to_dict(),
            "converted": [function.to_dict() for function in self.converted],
        }

    def to_data(self) -> dict[str, Any]:
        """Everything, view fields included: how a gallery caches an explanation (``to_dict`` is the
        ``--json`` contract and leaves those out)."""
        data = self.to_dict()
        for line, full in zip(data["lines"], self.lines, strict=True):
            if full.statement is not None:
                line["statement"]["body_ops"] = full.statement.body_ops
            line["badges"] = [vars(badge).copy() for badge in full.badges]
            line["fact"] = full.fact
        data["converted"] = [vars(function).copy() for function in self.converted]
        data.update(filename=self.filename, first_line=self.first_line, original=self.original,
                    lines_from_call=self.lines_from_call, summary=list(self.summary),
                    call_sentences=list(self.call_sentences))
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Explanation:
        """The explanation ``to_data`` wrote (``to_dict``'s output reads back too, without view fields)."""
        return cls(
            function=data["function"], location=data["location"],
            calls=[Call(**call) for call in data["calls"]],
            lines=[Line(line["line"], line["source"],
                        Statement(**line["statement"]) if line["statement"] else None, dict(line["ops"]),
                        [Effect(**effect) for effect in line["trace_time"]],
                        [Badge(**badge) for badge in line.get("badges", [])], line.get("fact"))
                   for line in data["lines"]],
            graph=GraphSummary(**data["graph"]),
            converted=[ConvertedFunction(**function) for function in data["converted"]],
            filename=data.get("filename"), first_line=data.get("first_line", 1), original=data.get("original"),
            lines_from_call=data.get("lines_from_call", 1), summary=list(data.get("summary", [])),
            call_sentences=list(data.get("call_sentences", [])),
        )

    def __repr__(self) -> str:
        ops = sum(sum(line.ops.values()) for line in self.lines)
        return (f"<Explanation {self.function}: {len(self.calls)} call{'s' * (len(self.calls) != 1)}, "
                f"{len(self.lines)} lines, {ops} ops>")


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
