"""The gallery's graph drawings: one Graphviz ``dot`` run for every graph a build computed.

``dot`` reads many graphs from one input and writes one SVG document per graph, so a build pays
for one process (about 0.1 s for the catalogue's 89 graphs) rather than one per sample (about
1.2 s). The graphs come from the check's own traces (``CaseReport.graph_view``); nothing traces
here. Without Graphviz, or when it fails, there are no drawings and the pages say so.
"""
from __future__ import annotations

import shutil
import subprocess

from autoconv.gallery.figures import MAX_DRAWN_NODES
from autoconv.model.graph import GraphView

DOT_TIMEOUT_SECONDS = 120.0
SVG_PROLOG = "<?xml"


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def inline_svg(document: str) -> str:
    """The ``<svg>`` element alone: an XML prolog, doctype or comment before it has no place inside HTML."""
    return document[document.index("<svg"):].strip()


def draw(views: list[GraphView]) -> list[str | None]:
    """Inline SVG per graph, in order; None for a graph too large to draw, and for all of them
    when Graphviz is not installed or fails."""
    from autoconv.render.dot import graph_dot

    drawn = [index for index, view in enumerate(views) if len(view.nodes) <= MAX_DRAWN_NODES]
    svgs: list[str | None] = [None] * len(views)
    dot = shutil.which("dot")
    if dot is None or not drawn:
        return svgs
    source = "".join(graph_dot(views[index]) for index in drawn)
    try:
        completed = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True,
                                   timeout=DOT_TIMEOUT_SECONDS, check=True)
    except (OSError, subprocess.SubprocessError):
        return svgs
    documents = [SVG_PROLOG + part for part in completed.stdout.split(SVG_PROLOG)[1:]]
    if len(documents) != len(drawn):  # a graph dot refused: which one is unknowable, so none
        return svgs
    for index, document in zip(drawn, documents, strict=True):
        svgs[index] = inline_svg(document)
    return svgs
