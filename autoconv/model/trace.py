"""When a tf.function traced and how long its calls took, as plain data.

``autoconv.tracing`` fills ``TraceReport`` (TensorFlow's own tracing count, call by call) and
``autoconv.bench`` fills ``BenchReport``; ``RETRACE_CURES`` is the knowledge a view quotes for each
cause of a retrace, kept beside the data that names the causes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from autoconv.model.check import ErrorInfo

# Why a call traced again, and how to stop it: one entry per cause, read by the renderers.
RETRACE_CURES = {
    "first": "The first call traces: TensorFlow runs the Python body once to build a graph, "
             "and later calls with the same signature reuse it.",
    "python-value": "Python values (ints, floats, bools, strings) are part of the trace key, so every "
                    "new value traces a new graph. Pass a tensor (tf.constant(...)) instead, or fix the "
                    "signature with input_signature=[tf.TensorSpec(...)].",
    "dtype": "A tensor of a new dtype needs a new graph. Cast arguments to one dtype before the call, "
             "or declare an input_signature so that other dtypes are refused.",
    "shape": "A tensor of a new shape traces again. Declare an input_signature with None for the "
             "dimensions that vary (tf.TensorSpec(shape=[None], ...)), or use "
             "tf.function(reduce_retracing=True).",
    "structure": "The argument changed between a Python value and a tensor, or its nesting changed. "
                 "Pass each argument as the same kind of value with the same structure every time.",
    "unexplained": "The arguments look like an earlier trace's, yet TensorFlow traced again: the trace "
                   "key also holds what autoconv cannot show here (object identity, captured state).",
}


@dataclass
class TraceCall:
    """One call of the tf.function: did it trace, with what signature, and what tracing printed."""

    args: str
    traced: bool
    signature: dict[str, str]
    trace_output: str
    reason: str
    causes: list[str] = field(default_factory=list)
    error: ErrorInfo | None = None
    new_traces: int = 0  # usually 0 or 1; 2 when the first trace created tf.Variables

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TraceReport:
    name: str
    traces: int
    calls: list[TraceCall] = field(default_factory=list)
    input_signature: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "traces": self.traces, "calls": [c.to_dict() for c in self.calls]}

    def __repr__(self) -> str:
        return f"<TraceReport {self.name}: {len(self.calls)} calls, {self.traces} traces>"


@dataclass
class BenchCase:
    """Median seconds per call on each side; ``error`` set (and timings None) when a call raised."""

    args: str
    eager_s: float | None = None
    graph_s: float | None = None
    speedup: float | None = None
    repeats: int = 0
    eager_iqr_s: float | None = None
    graph_iqr_s: float | None = None
    eager_min_s: float | None = None
    graph_min_s: float | None = None
    error: ErrorInfo | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class BenchReport:
    name: str
    cases: list[BenchCase] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "cases": [c.to_dict() for c in self.cases]}
