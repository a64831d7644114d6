"""Graphviz formats of a traced graph: DOT source, and SVG drawn by Graphviz's ``dot``.

``SvgFormatter`` is the one renderer that starts a process (Graphviz); without it the SVG is
None and the caller falls back to text.
"""
from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

from autoconv.render import Formatter

if TYPE_CHECKING:
    from autoconv.model.graph import GraphView


class DotFormatter(Formatter):
    name = "dot"

    def graph(self, view: GraphView) -> str:
        return graph_dot(view)


class SvgFormatter(Formatter):
    """SVG needs Graphviz; ``graph`` raises ``GraphvizMissing`` without it, so a caller can say so."""

    name = "svg"

    def graph(self, view: GraphView) -> str:
        svg = graph_svg(graph_dot(view))
        if svg is None:
            raise GraphvizMissing("Graphviz 'dot' not found")
        return svg


class GraphvizMissing(Exception):
    pass


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def graph_dot(view: GraphView) -> str:
    """Graphviz DOT of the top-level graph: boxes by op type, control-flow ops named with their bodies."""
    out = [f"digraph {_dot_string(view.name)} {{", "  rankdir=TB;",
           '  node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="Helvetica"];']
    for node in view.nodes:
        label = node.op
        attributes = ""
        if node.functions:
            label += "\\n" + "\\n".join(f"{key}: {name}" for key, name in node.functions.items())
            attributes = ', fillcolor="#ffe9b3"'
        label_text = '"' + label.replace('"', '\\"') + '"'
        out.append(f"  {_dot_string(node.name)} [label={label_text}, tooltip={_dot_string(node.name)}{attributes}];")
    for node in view.nodes:
        for source in node.inputs:
            out.append(f"  {_dot_string(source)} -> {_dot_string(node.name)};")
        for source in node.control_inputs:
            out.append(f"  {_dot_string(source)} -> {_dot_string(node.name)} [style=dashed];")
    out.append("}")
    return "\n".join(out) + "\n"


def graph_svg(dot_source: str) -> str | None:
    """SVG drawn by Graphviz, or None when its ``dot`` program is not installed."""
    dot = shutil.which("dot")
    if dot is None:
        return None
    completed = subprocess.run([dot, "-Tsvg"], input=dot_source, capture_output=True, text=True, check=True)
    return completed.stdout
