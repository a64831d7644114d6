"""A traced graph as plain data: op counts per graph and per library function.

Control-flow ops name their bodies in function-valued attributes (``cond``/``body``,
``then_branch``/``else_branch``, ``f``, ``branches``), so every function reachable from the
top-level graph is listed under the node that uses it. ``autoconv.graph_reading`` fills it from
a GraphDef; renderers draw it.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class GraphNode:
    """One node: its op type, the nodes it reads (``control`` for ^control inputs), the functions it runs."""

    name: str
    op: str
    inputs: list[str] = field(default_factory=list)
    control_inputs: list[str] = field(default_factory=list)
    functions: dict[str, str] = field(default_factory=dict)  # attribute ("body", "then_branch") -> function


@dataclass
class GraphFunction:
    """A library function (a loop body, a branch): op counts and the nodes that call further functions."""

    ops: dict[str, int]
    calls: list[GraphNode] = field(default_factory=list)


@dataclass
class GraphView:
    name: str
    case: int
    args: str
    ops: dict[str, int]
    functions: dict[str, GraphFunction] = field(default_factory=dict)
    nodes: list[GraphNode] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "case": self.case,
            "ops": self.ops,
            "functions": {name: function.ops for name, function in self.functions.items()},
        }

    def to_data(self) -> dict[str, Any]:
        """Everything, nodes included: how the check carries case 0's graph to the gallery, which
        draws it without tracing again (``to_dict`` is the shorter ``autoconv graph --json``)."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> GraphView:
        return cls(
            name=data["name"], case=data["case"], args=data["args"], ops=dict(data["ops"]),
            functions={name: GraphFunction(dict(function["ops"]), [GraphNode(**node) for node in function["calls"]])
                       for name, function in data["functions"].items()},
            nodes=[GraphNode(**node) for node in data["nodes"]],
        )

    def __repr__(self) -> str:
        return (f"<GraphView {self.name} case {self.case}: {sum(self.ops.values())} ops, "
                f"{len(self.functions)} functions>")
