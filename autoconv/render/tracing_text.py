"""Text, Graphviz DOT and SVG views of ``trace``, ``graph`` and ``bench`` results.

These read the plain data of ``autoconv.tracing``, ``autoconv.graphs`` and ``autoconv.bench`` and
never run user code. ``graph_svg`` hands DOT to Graphviz's ``dot`` program, the one thing here
that starts a process; without Graphviz it answers None, so callers can fall back to text.
"""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autoconv.bench import BenchReport
    from autoconv.graph_view import GraphNode, GraphView
    from autoconv.tracing import TraceReport

WRAP = 96


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_trace(report: TraceReport) -> str:
    from autoconv.tracing import RETRACE_CURES

    rows = [("call", "traced", "arguments", "signature")]
    for number, call in enumerate(report.calls, 1):
        traced = "raised" if call.error else ("TRACED" if call.traced else "reused")
        traced += f"×{call.new_traces}" if call.new_traces > 1 else ""
        signature = ", ".join(f"{name}={spec}" for name, spec in call.signature.items())
        rows.append((str(number), traced, _shorten(call.args), signature))
    out = [f"autoconv trace: {report.name}", "", *_table(rows), ""]
    calls = len(report.calls)
    out.append(f"{report.traces} trace(s) for {calls} call(s) (tf.function's experimental_get_tracing_count)")
    if report.input_signature:
        out.append(f"input_signature: {report.input_signature}")
    out.append("")
    for number, call in enumerate(report.calls, 1):
        out.append(f"call {number}: {call.reason}")
        if call.error:
            out.append(f"  raised {call.error.type}: {' '.join(call.error.message.split())[:200]}")
        for line in call.trace_output.splitlines():
            out.append(f"  printed while tracing: {line}")
    explained = list(dict.fromkeys(cause for call in report.calls for cause in call.causes))
    if explained:
        out.append("\nWhy it traced, and the cure:")
        for cause in explained:
            out.extend(textwrap.wrap(f"{cause}: {RETRACE_CURES[cause]}", WRAP, initial_indent="  ",
                                     subsequent_indent="    "))
    return "\n".join(out) + "\n"


def _counts(ops: dict[str, int]) -> str:
    return ", ".join(f"{op}×{count}" if count > 1 else op for op, count in ops.items())


def _function_lines(view: GraphView, node: GraphNode, depth: int, seen: set[str]) -> list[str]:
    indent = "  " * depth
    out = [f"{indent}{node.name} ({node.op})"]
    for attribute, name in node.functions.items():
        function = view.functions.get(name)
        if function is None:
            out.append(f"{indent}  {attribute}: {name} (not in the graph's library)")
            continue
        total = sum(function.ops.values())
        out.append(f"{indent}  {attribute}: {name}, {total} op{'s' if total != 1 else ''}: {_counts(function.ops)}")
        if name not in seen:
            seen.add(name)
            for caller in function.calls:
                out.extend(_function_lines(view, caller, depth + 2, seen))
    return out


def format_graph(view: GraphView) -> str:
    total = sum(view.ops.values())
    out = [f"autoconv graph: {view.name}, case {view.case} ({view.args})", "",
           f"top-level graph, {total} ops:"]
    out.extend("  " + line for line in _table([(op, str(count)) for op, count in view.ops.items()]))
    control_flow = [node for node in view.nodes if node.functions]
    if control_flow:
        out.append("\nfunctions run by control-flow and call ops (loop bodies, branches):")
        seen: set[str] = set()
        for node in control_flow:
            out.extend("  " + line for line in _function_lines(view, node, 0, seen))
    else:
        out.append("\nno control-flow ops: any Python loop or branch ran while tracing and left only its ops behind")
    return "\n".join(out) + "\n"


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


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def format_bench(report: BenchReport) -> str:
    rows = [("case", "arguments", "eager (median ± IQR)", "graph (median ± IQR)", "speedup", "repeats")]
    for index, case in enumerate(report.cases):
        if case.error:
            rows.append((str(index), _shorten(case.args), f"skipped: {case.error.type}", "", "", ""))
            continue
        rows.append((
            str(index), _shorten(case.args),
            f"{_seconds(case.eager_s)} ± {_seconds(case.eager_iqr_s)}",
            f"{_seconds(case.graph_s)} ± {_seconds(case.graph_iqr_s)}",
            f"{case.speedup:.2f}×", str(case.repeats),
        ))
    out = [f"autoconv bench: {report.name}", "", *_table(rows)]
    for index, case in enumerate(report.cases):
        if case.error:
            out.append(f"case {index}: {' '.join(case.error.message.split())[:200]}")
    out.append("\nmedian seconds per call after warm-up calls (the graph's trace is not timed); "
               "speedup = eager / graph")
    return "\n".join(out) + "\n"
