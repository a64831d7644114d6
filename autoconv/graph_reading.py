"""Reading a GraphDef into ``GraphView`` data: op counts, following function attributes down.

Reading needs no tracing, so the check's workers (which already hold the traced function) and
``autoconv graph`` share it.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from autoconv.model.graph import GraphFunction, GraphNode, GraphView


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


def read_graph_def(name: str, case_index: int, args: str, graph_def: Any) -> GraphView:
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
