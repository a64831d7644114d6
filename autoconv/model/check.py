"""The check's results as plain data, shaped exactly like ``autoconv check --json``.

Workers build these, the runner collects them, renderers and JSON read them. Values travel as
``repr`` strings: the comparison already happened inside the worker, next to the real objects.
``to_dict``/``from_dict`` are the one place each type becomes JSON and back.
"""
from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field
from typing import Any

from autoconv.model.explanation import CaseExplanation
from autoconv.model.graph import GraphView
from autoconv.model.verdicts import Side, Verdict


@dataclass
class ErrorInfo:
    type: str
    message: str


@dataclass
class CallRecord:
    """One call on one side: what it returned, printed and raised, and its wall time in seconds
    (the call alone: loading, seeding and capturing are not in it)."""

    value: str | None = None
    stdout: str = ""
    stderr: str = ""
    error: ErrorInfo | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    type_change: str | None = None  # "int -> int32 tensor": the other side gave an equal value of another type

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallRecord:
        error = data.get("error")
        return cls(
            value=data.get("value"),
            stdout=data.get("stdout", ""),
            stderr=data.get("stderr", ""),
            error=ErrorInfo(**error) if error else None,
            warnings=list(data.get("warnings", [])),
            seconds=data.get("seconds", 0.0),
            type_change=data.get("type_change"),
        )


@dataclass
class Difference:
    """Where the sides first disagreed: ``call`` counts from 1; ``what`` is value|stdout|stderr|error;
    ``detail`` says how, when the comparison knows more ("dtype int32 against float32")."""

    call: int
    what: str
    detail: str = ""


@dataclass
class CaseReport:
    """One case's verdict and every call of every side.

    ``graph_view`` is the graph the graph side traced (nodes included) and ``explanation`` what
    its trace did; both are only asked for (by the gallery), so ``check --json`` never has them.
    """

    args: str
    verdict: Verdict
    expected: Verdict
    first_difference: Difference | None = None
    seconds: float = 0.0
    eager: list[CallRecord] = field(default_factory=list)
    graph: list[CallRecord] = field(default_factory=list)
    detail: str = ""
    traces: int | None = None
    saved: list[CallRecord] | None = None
    graph_view: GraphView | None = None
    explanation: CaseExplanation | None = None
    worker_recycled: str | None = None  # why the worker was replaced after this case, if it was

    def __post_init__(self) -> None:
        self.verdict, self.expected = Verdict(self.verdict), Verdict(self.expected)

    @property
    def ok(self) -> bool:
        return self.verdict == self.expected

    def calls(self, side: Side) -> list[CallRecord] | None:
        return {Side.EAGER: self.eager, Side.GRAPH: self.graph, Side.SAVED: self.saved}[side]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(dataclasses.replace(self, graph_view=None, explanation=None))
        data = {Side.EAGER.value if key == "eager" else key: value for key, value in data.items()}
        data["graph_view"] = self.graph_view.to_data() if self.graph_view is not None else None
        data["explanation"] = self.explanation.to_dict() if self.explanation is not None else None
        data["verdict"], data["expected"] = str(self.verdict), str(self.expected)
        for optional in ("saved", "graph_view", "explanation"):
            if data[optional] is None:
                del data[optional]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseReport:
        difference = data.get("first_difference")
        saved = data.get("saved")
        return cls(
            args=data["args"],
            verdict=Verdict(data["verdict"]),
            expected=Verdict(data["expected"]),
            first_difference=Difference(**difference) if difference else None,
            seconds=data.get("seconds", 0.0),
            eager=[CallRecord.from_dict(c) for c in data.get(Side.EAGER.value, [])],
            graph=[CallRecord.from_dict(c) for c in data.get("graph", [])],
            detail=data.get("detail", ""),
            traces=data.get("traces"),
            saved=[CallRecord.from_dict(c) for c in saved] if saved is not None else None,
            graph_view=GraphView.from_data(data["graph_view"]) if data.get("graph_view") else None,
            explanation=CaseExplanation.from_dict(data["explanation"]) if data.get("explanation") else None,
            worker_recycled=data.get("worker_recycled"),
        )


@dataclass
class ConversionStatus:
    ok: bool
    error: str | None = None


@dataclass
class SampleReport:
    name: str
    location: str
    conversion: ConversionStatus
    cases: list[CaseReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cases)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "location": self.location,
            "conversion": asdict(self.conversion),
            "cases": [c.to_dict() for c in self.cases],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SampleReport:
        return cls(
            name=data["name"],
            location=data["location"],
            conversion=ConversionStatus(**data["conversion"]),
            cases=[CaseReport.from_dict(c) for c in data["cases"]],
        )

    def __repr__(self) -> str:
        unexpected = sum(not case.ok for case in self.cases)
        return (f"<SampleReport {self.name}: {len(self.cases)} case{'s' * (len(self.cases) != 1)}, "
                f"{unexpected} unexpected>")


RAN_FROM_FILES = "files"  # each side loaded the file afresh in a worker: ``autoconv check``
RAN_FROM_CELLS = "cells"  # each side loaded the notebook cells' source afresh in a worker
RAN_HERE = "here"  # both sides ran in the caller's process, on a fresh copy of a tf.function


@dataclass
class CheckReport:
    """``ran`` says how the sides were kept apart (one of the ``RAN_*``), and ``cells`` which
    notebook cells (execution counts) the program came from; ``shared_state`` is ``ran == "here"``."""

    autoconv: str
    tensorflow: str
    samples: list[SampleReport] = field(default_factory=list)
    shared_state: bool = False
    ran: str = RAN_FROM_FILES
    cells: list[int] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        """How the check ran, in one sentence, when it was not as ``autoconv check`` runs a file."""
        if self.ran == RAN_FROM_CELLS:
            named = ", ".join(f"In [{count}]" for count in self.cells)
            return (f"ran the source of the notebook's cells {named} in a fresh worker process for each "
                    "side, as autoconv check runs a file: no earlier trace or state of this kernel took part")
        if self.shared_state:
            return ("the function could not be reloaded from a file, so both sides ran in this process "
                    "and shared its module state (a tf.function was traced afresh from a copy)")
        return None

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.samples)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "autoconv": self.autoconv,
            "tensorflow": self.tensorflow,
            "samples": [s.to_dict() for s in self.samples],
        }
        if self.shared_state:
            data["shared_state"] = True
        if self.ran != RAN_FROM_FILES:
            data["ran"], data["cells"], data["note"] = self.ran, list(self.cells), self.note
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CheckReport:
        return cls(
            autoconv=data["autoconv"],
            tensorflow=data["tensorflow"],
            samples=[SampleReport.from_dict(s) for s in data["samples"]],
            shared_state=data.get("shared_state", False),
            ran=data.get("ran", RAN_HERE if data.get("shared_state") else RAN_FROM_FILES),
            cells=list(data.get("cells", [])),
        )

    def __repr__(self) -> str:
        cases = [case for sample in self.samples for case in sample.cases]
        unexpected = sum(not case.ok for case in cases)
        return (f"<CheckReport: {len(self.samples)} sample{'s' * (len(self.samples) != 1)}, "
                f"{len(cases)} case{'s' * (len(cases) != 1)}, {unexpected} unexpected>")
