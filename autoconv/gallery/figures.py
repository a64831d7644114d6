"""What a sample page says about its graph and its timings, as plain rows and words.

The HTML and Markdown pages lay these out each in their own way (as ``render/document.py`` does
for conversions and checks). Everything comes from the check's own runs: the graph its first
case traced, and the seconds of each call. Nothing here runs or traces anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autoconv.model.check import CaseReport, SampleReport
    from autoconv.model.graph import GraphNode, GraphView

MAX_DRAWN_NODES = 600  # Graphviz takes seconds past this, and the drawing would be unreadable anyway

TIMINGS_NOTE = (
    "One warm call each, from the check, not a benchmark: eager is the eager side's last call, graph "
    "is the graph side's last call (already traced), and the graph's first call includes its trace. "
    "A speedup (eager / graph) is given only when both calls took at least 1 ms: a single shorter call "
    "is mostly noise. For medians over many repeats after warm-up calls, with their spread, run {command}."
)
# A single call shorter than this says more about the machine's noise than about the graph.
MIN_SINGLE_CALL_SECONDS = 1e-3
UNDER_A_MILLISECOND = "- (one call under 1 ms)"
GRAPH_NOTE = "The graph tf.function traced for case 1 ({args}), taken from the check's own run."
NO_CONTROL_FLOW = (
    "No control-flow ops: any Python loop or branch ran while tracing and left only its ops behind, "
    "so a loop shows as the same ops repeated."
)
CONTROL_FLOW = (
    "Control flow stays in the graph: {runners} the functions listed below (loop bodies, branches) "
    "on every call, rather than Python running them once while tracing."
)
NOT_DRAWN = "No drawing: Graphviz's dot was not available when this gallery was built. {command} draws it."
TOO_LARGE = "No drawing: {nodes} nodes is too many to draw usefully. {command} draws it anyway."
NO_GRAPH = "No graph: the graph side of case 1 did not trace (see the check's verdicts)."


def graph_command(name: str) -> str:
    return f"autoconv graph {name} --format svg"


def bench_command(name: str) -> str:
    return f"autoconv bench {name}"


def graph_of(report: SampleReport | None) -> GraphView | None:
    """Case 0's graph, as ``GraphView`` data, when the check brought one back."""
    return report.cases[0].graph_view if report and report.cases else None


@dataclass
class GraphRow:
    """One graph or function: where it runs (``StatelessWhile body``, nested with ›), its ops."""

    where: str
    function: str
    ops: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.ops.values())


def _function_rows(view: GraphView, nodes: list[GraphNode], path: str, seen: set[str]) -> list[GraphRow]:
    rows = []
    for node in nodes:
        for attribute, name in node.functions.items():
            function = view.functions.get(name)
            if function is None or name in seen:
                continue
            seen.add(name)
            where = f"{path} › {node.op} {attribute}" if path else f"{node.op} {attribute}"
            rows.append(GraphRow(where, name, function.ops))
            rows += _function_rows(view, function.calls, where, seen)
    return rows


def graph_rows(view: GraphView) -> list[GraphRow]:
    """The top-level graph, then every loop body, branch and called function under the op that runs it."""
    return [GraphRow("top-level graph", "", view.ops), *_function_rows(view, view.nodes, "", set())]


def control_flow_summary(view: GraphView) -> str:
    runners = list(dict.fromkeys(node.op for node in view.nodes if node.functions))
    if not runners:
        return NO_CONTROL_FLOW
    ops = ", ".join(runners)
    return CONTROL_FLOW.format(runners=f"its {ops} op runs" if len(runners) == 1 else f"its {ops} ops run")


def drawing_note(view: GraphView) -> str:
    """Why a page has no drawing of its graph; ``{command}`` is left for the page to mark up as code."""
    if len(view.nodes) > MAX_DRAWN_NODES:
        return TOO_LARGE.format(nodes=len(view.nodes), command="{command}")
    return NOT_DRAWN


@dataclass
class Timing:
    """Seconds of single calls: eager's last, the graph's last (traced already) and first (tracing).

    ``raised``: a timed call raised, so its seconds are how long it took to fail, and no speedup
    is claimed; nor is one from a sum holding a call under ``MIN_SINGLE_CALL_SECONDS``
    (``has_short_call``). ``graph`` is None when the graph side made one call only: that call traced.
    """

    eager: float | None
    graph: float | None
    first_graph: float | None
    raised: bool = False
    has_short_call: bool = False

    @property
    def too_short(self) -> bool:
        """A call this short is noise: no speedup is claimed from it."""
        return self.has_short_call or any(
            seconds is not None and seconds < MIN_SINGLE_CALL_SECONDS for seconds in (self.eager, self.graph))

    @property
    def speedup(self) -> float | None:
        if self.raised or self.eager is None or not self.graph or self.too_short:
            return None
        return self.eager / self.graph

    @property
    def slower(self) -> bool:
        """The graph took longer than eager: AutoGraph bought nothing for this input."""
        return self.speedup is not None and self.speedup < 1


def case_timing(case: CaseReport) -> Timing:
    native, graph = case.eager, case.graph
    timed = [records[-1] for records in (native, graph) if records]
    return Timing(
        eager=native[-1].seconds if native else None,
        graph=graph[-1].seconds if len(graph) > 1 else None,
        first_graph=graph[0].seconds if graph else None,
        raised=any(record.error is not None for record in timed),
    )


def sample_timing(report: SampleReport) -> Timing | None:
    """Sums over the cases that have both warm figures (a speedup of sums, not an average of ratios)."""
    timings = [case_timing(case) for case in report.cases]
    compared = [t for t in timings if not t.raised and t.eager is not None and t.graph]
    firsts = [t.first_graph for t in timings if t.first_graph is not None]
    if not compared and not firsts:
        return None
    return Timing(
        eager=sum(t.eager for t in compared) if compared else None,
        graph=sum(t.graph for t in compared) if compared else None,
        first_graph=sum(firsts) if firsts else None,
        has_short_call=any(t.too_short for t in compared),
    )


def milliseconds(seconds: float | None) -> str:
    """Milliseconds to the microsecond the check records; 0 means faster than that, not free."""
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.3f}" if seconds > 0 else "< 0.001"


def speedup_text(timing: Timing) -> str:
    speedup = timing.speedup
    if speedup is None:
        if timing.raised:
            return "- (a call raised)"
        return UNDER_A_MILLISECOND if timing.too_short and timing.graph is not None else "-"
    shown = f"{speedup:.2f}" if speedup >= 0.1 or speedup == 0 else f"{speedup:.2g}"  # 0.0018, not 0.00
    return f"{shown}×" + (" graph slower" if timing.slower else "")
