"""A traced graph as plain data: op counts per graph and per library function.

Control-flow ops name their bodies in function-valued attributes (``cond``/``body``,
``then_branch``/``else_branch``, ``f``, ``branches``), so every function reachable from the
top-level graph is listed under the node that uses it. Reading a GraphDef needs no tracing, so
the check's workers (which already hold the traced function) and ``autoconv graph`` share it.
"""
from __future__ import annotations

from collections import Counter
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

    def _repr_html_(self) -> str:
        from autoconv.render.embed import graph_html

        return graph_html(self)


def functions_of(node_def: Any) -> dict[str, str]:
    """Function-valued attributes of a node, e.g. {"cond": "while_cond_5", "body": "while_body_6"}."""
    found = {}
    for key in sorted(node_def.attr):
        value = node_def.attr[key]
        if value.HasField("func"):
            found[key] = value.func.name
        for index, function in enumerate(value.list.func):
            found[f"{key}[{index}]"] = function.name
    return found


def _node(node_def: Any) -> GraphNode:
    inputs = [i.split(":")[0] for i in node_def.input if not i.startswith("^")]
    control = [i[1:] for i in node_def.input if i.startswith("^")]
    return GraphNode(node_def.name, node_def.op, inputs, control, functions_of(node_def))


def _op_counts(node_defs: Any) -> dict[str, int]:
    return dict(sorted(Counter(node_def.op for node_def in node_defs).items()))


def graph_view(name: str, case_index: int, args: str, graph_def: Any) -> GraphView:
    """A GraphDef read into op counts, following function attributes from the top-level nodes down."""
    library = {function.signature.name: function for function in graph_def.library.function}
    view = GraphView(name, case_index, args, _op_counts(graph_def.node), nodes=[_node(n) for n in graph_def.node])
    pending = [f for node in view.nodes for f in node.functions.values()]
    while pending:
        function_name = pending.pop(0)
        if function_name in view.functions or function_name not in library:
            continue
        node_defs = library[function_name].node_def
        callers = [node for node in map(_node, node_defs) if node.functions]
        view.functions[function_name] = GraphFunction(_op_counts(node_defs), callers)
        pending.extend(f for node in callers for f in node.functions.values())
    return view
