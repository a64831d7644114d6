"""The text format: what a terminal shows of every kind of data.

The before-and-after of a conversion (side by side on a wide terminal), the check's verdict
table, an explanation's gutter of facts, trace, graph and bench tables, and lint findings in the
``path:line:col: CODE message`` shape editors parse.
"""
from __future__ import annotations

import functools
import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from autoconv.model.conversion import Folding
from autoconv.model.trace import RETRACE_CURES
from autoconv.render import Formatter, ViewOptions, document
from autoconv.render.assets import VERDICT_STYLES
from autoconv.render.document import location

if TYPE_CHECKING:
    from autoconv.model.check import CaseReport, CheckReport, SampleReport
    from autoconv.model.conversion import Conversion
    from autoconv.model.explanation import Explanation, Line
    from autoconv.model.graph import GraphNode, GraphView
    from autoconv.model.lint import Finding
    from autoconv.model.trace import BenchReport, TraceReport

SIDE_BY_SIDE_MIN_WIDTH = 140
GUTTER = " │ "


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


# C0 controls but newline and tab, DEL and C1 controls: ESC, BEL, a carriage return or a
# terminal's "operating system command" in a message must not move the cursor, clear the
# screen, retitle the window or plant a link; they are shown escaped instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character but newline and tab shown as a Python escape."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def counted(number: int, noun: str) -> str:
    """"1 case", "2 cases": the plural right."""
    return f"{number} {noun}{'s' * (number != 1)}"


def shortened_words(message: str, limit: int) -> str:
    """A message on one line, cut at a word boundary with a marker, never mid-word."""
    words = " ".join(message.split())
    if len(words) <= limit:
        return words
    cut = words[:limit].rfind(" ")
    return words[: cut if cut > limit // 2 else limit].rstrip() + " […]"


@functools.cache
def _terminal_highlighter() -> Callable[[str], str]:
    """Pygments, loaded only when a line is coloured: ``autoconv lint`` runs as a pre-commit hook,
    where its import (its lexer registry reads every installed plugin) is a large part of the start."""
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import PythonLexer

    lexer, formatter = PythonLexer(), TerminalFormatter()
    return lambda line: highlight(line, lexer, formatter)


class TextFormatter(Formatter):
    """Plain or colour text; side by side when the terminal is wide enough, else stacked.

    The ``@sample`` declaration is always one line (``show_all`` shows it); AutoGraph's machinery
    folds only with ``fold`` (``show --fold``), since a terminal cannot expand a line.
    """

    name = "text"

    def __init__(self, options: ViewOptions | None = None) -> None:
        super().__init__(options)
        self.color = self.options.color
        self.width = self.options.width or shutil.get_terminal_size((100, 24)).columns
        self.fold = bool(self.options.fold)
        self.show_all = self.options.show_all
        self._folding = Folding()

    def _code(self, line: str) -> str:
        line = terminal_safe(line)
        if not self.color:
            return line
        return _terminal_highlighter()(line).rstrip("\n")

    def _dim(self, text: str) -> str:
        text = terminal_safe(text)
        return f"\x1b[2m{text}\x1b[0m" if self.color else text

    def _original_rows(self, conversion: Conversion) -> list[tuple[str, str, int]]:
        """(plain, styled, file line) triples: the plain text is what widths are measured on.
        A folded declaration is one row, keyed by its last line."""
        rows = []
        for number, line in conversion.original_lines():
            shown = number
            fold = Folding.at(self._folding.original, number)
            if fold is not None:
                if number != fold.first:
                    continue
                numbers = f"{shown}-{fold.last}"
                rows.append((f"{numbers:>4}{GUTTER}{fold.label}", self._dim(f"{numbers:>4}{GUTTER}{fold.label}"),
                             fold.last))
                continue
            rows.append((f"{shown:4}{GUTTER}{line}", f"{shown:4}{GUTTER}{self._code(line)}", number))
        return rows

    def _note_rows(self, annotations: list, explained: dict, width: int,
                   pointed: set | None = None) -> list[tuple[str, str, None]]:
        """Each construct explained once; its first later use names the line that explains it
        (``pointed`` remembers which constructs already have that pointer in this view).

        Notes are the teaching content: drawn at normal weight, never dim."""
        rows: list[tuple[str, str, None]] = []
        pointed = set() if pointed is None else pointed
        again = []
        for annotation in annotations:
            first = explained[document.note_key(annotation)]
            if first is not annotation:
                if document.note_key(annotation) not in pointed:
                    pointed.add(document.note_key(annotation))
                    again.append(f"{annotation.kind} (line {first.converted_line})")
                continue
            wrap_width = max((width or self.width) - 13, 30)
            for i, part in enumerate(textwrap.wrap(f"{annotation.kind}: {annotation.text}", wrap_width)):
                note = f"{' ' * 11}{'↳ ' if i == 0 else '  '}{part}"
                rows.append((note, note, None))
        if again:
            note = f"{' ' * 11}↳ see above: {', '.join(again)}"
            rows.append((note, note, None))
        return rows

    def _converted_rows(self, conversion: Conversion, width: int) -> list[tuple[str, str, int | None]]:
        """(plain, styled, original file line) rows; annotation rows have no original line."""
        hidden = {line for fold in self._folding.converted for line in range(fold.first, fold.last + 1)}
        notes = conversion.notes
        explained = document.explaining(notes, hidden)
        by_line: dict[int, list] = {}
        for annotation in notes:
            by_line.setdefault(annotation.converted_line, []).append(annotation)
        rows: list[tuple[str, str, int | None]] = []
        pointed: set = set()
        for number, line in enumerate((conversion.converted or "").splitlines(), 1):
            fold = Folding.at(self._folding.converted, number)
            if fold is not None and number != fold.first:
                continue
            origin = fold.origin if fold is not None else conversion.line_map.get(number)
            link = f"◂{origin}" if origin else ""
            numbers = f"{fold.first}-{fold.last}" if fold is not None and fold.last > fold.first else str(number)
            prefix = f"{numbers:>5} {link:>5}{GUTTER}"
            if fold is not None:
                indent = " " * (len(line) - len(line.lstrip(" ")))
                code = _shorten(indent + fold.label, width - len(prefix)) if width else indent + fold.label
                rows.append((prefix + code, self._dim(prefix + code), origin))
                continue
            code = _shorten(line, width - len(prefix)) if width else line
            rows.append((prefix + code, self._dim(prefix) + self._code(code), origin))
            rows.extend(self._note_rows(by_line.get(number, []), explained, width, pointed))
        return rows

    def conversion(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        self._folding = conversion.folds.shown(machinery=self.fold and not self.show_all,
                                               declaration=not self.show_all)
        out = [f"autoconv: {conversion.name}"]
        if conversion.filename:
            out.append(f"from {location(conversion, self._folding)}")
        if conversion.ok and conversion.original is not None:
            out.append(document.size(conversion, self._folding))
        if conversion.original is None:
            out.append("\n(original source not available)")
        if not conversion.ok:
            out.append("\nOriginal:")
            out.extend(styled for _, styled, _ in self._original_rows(conversion))
            out.append("\nAutoGraph could not convert it:")
            out.extend(textwrap.wrap(conversion.error or "", max(self.width - 2, 40), initial_indent="  ",
                                     subsequent_indent="  "))
        elif self.width >= SIDE_BY_SIDE_MIN_WIDTH:
            out.append(self._side_by_side(conversion))
        else:
            out.append("\nOriginal:")
            out.extend(styled for _, styled, _ in self._original_rows(conversion))
            out.append("\nConverted by AutoGraph (◂N: from original line N):")
            out.extend(styled for _, styled, _ in self._converted_rows(conversion, 0))
        if report is not None:
            out.append("")
            out.append(check_table_rows([report], self.color))
        return "\n".join(out) + "\n"

    def _side_by_side(self, conversion: Conversion) -> str:
        """Each original line sits beside the first converted line it produced, like Compiler Explorer."""
        left = self._original_rows(conversion)
        index_of = {}
        for index, (_, _, number) in enumerate(left):
            index_of[number] = index
        fold_of = {line: fold.last for fold in self._folding.original for line in range(fold.first, fold.last + 1)}
        left_width = min(max((len(plain) for plain, _, _ in left), default=10), (self.width - 3) // 3)
        pairs: list[tuple[tuple[str, str] | None, str]] = []
        next_left = 0
        for _, styled_right, origin in self._converted_rows(conversion, self.width - left_width - 3):
            place = index_of.get(fold_of.get(origin, origin)) if origin is not None else None
            if place is not None and place >= next_left:
                pairs.extend((left[n][:2], "") for n in range(next_left, place))
                pairs.append((left[place][:2], styled_right))
                next_left = place + 1
            else:
                pairs.append((None, styled_right))
        pairs.extend((left[n][:2], "") for n in range(next_left, len(left)))
        lines = ["", f"{'Original'.ljust(left_width)} ┃ Converted by AutoGraph (◂N: from original line N)"]
        for original, styled_right in pairs:
            plain_left, styled_left = original or ("", "")
            if len(plain_left) > left_width:
                plain_left = styled_left = _shorten(plain_left, left_width)
            padding = " " * (left_width - len(plain_left))
            lines.append(f"{styled_left}{padding} ┃ {styled_right}".rstrip())
        return "\n".join(lines)


    def check_report(self, report: CheckReport) -> str:
        return format_check(report, color=self.color, verbose=self.options.verbose)

    # These views have no colour: every control character in them came from the user.
    def explanation(self, explanation: Explanation, conversion: Conversion | None = None,
                    helpers: Sequence[Conversion] = (), report: SampleReport | None = None) -> str:
        return terminal_safe(format_explanation(explanation))

    def trace(self, report: TraceReport) -> str:
        return terminal_safe(format_trace(report))

    def graph(self, view: GraphView) -> str:
        return terminal_safe(format_graph(view))

    def bench(self, report: BenchReport) -> str:
        return terminal_safe(format_bench(report))

    def findings(self, findings: Sequence[Finding]) -> str:
        return terminal_safe(format_findings(findings))


FIRST_DIFFERENCE_WIDTH = 90


def _case_line(sample_name: str, case: CaseReport, color: bool) -> tuple[str, ...]:
    verdict = case.verdict
    if color:
        verdict = f"\x1b[{VERDICT_STYLES[case.verdict].terminal}m{verdict}\x1b[0m"  # "ok"/"FAIL" is the mark
    mark = "ok" if case.ok else "FAIL"
    explanation = _shorten(terminal_safe(document.one_line(document.difference_phrase(case))), FIRST_DIFFERENCE_WIDTH)
    if case.first_difference is not None and case.detail:
        explanation += f"; {terminal_safe(case.detail)}"
    return terminal_safe(sample_name), _shorten(terminal_safe(case.args), 40), verdict, case.expected, mark, explanation


def check_table_rows(samples: list[SampleReport], color: bool) -> str:
    rows = [("sample", "case", "verdict", "expected", "", "first difference")]
    for sample_report in samples:
        if not sample_report.cases:
            status = "converted" if sample_report.conversion.ok else "not converted"
            rows.append((terminal_safe(sample_report.name), "(no inputs)", "-", "-", "", status))
        rows.extend(_case_line(sample_report.name, case, color) for case in sample_report.cases)
    plain_widths = [max(len(_strip_ansi(row[i])) for row in rows) for i in range(5)]
    out = []
    for row in rows:
        cells = [cell + " " * (plain_widths[i] - len(_strip_ansi(cell))) for i, cell in enumerate(row[:5])]
        out.append("  ".join([*cells, row[5]]).rstrip())
    return "\n".join(out)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _call_lines(case: CaseReport) -> list[str]:
    """Every call of every side, one field a line (``check -v``)."""
    out = []
    for side, records in document.sides(case):
        for number, record in enumerate(records, 1):
            fields = [("value", record.value), ("stdout", record.stdout), ("stderr", record.stderr),
                      ("error", f"{record.error.type}: {record.error.message}" if record.error else None),
                      ("type changed", getattr(record, "type_change", None))]
            shown = [f"{name} {document.shorten(repr(value) if name in ('stdout', 'stderr') else value, 160)}"
                     for name, value in fields if value]
            out.append(f"    call {number} {side:<5} " + ("; ".join(shown) or "(nothing)"))
    return out


def unexpected_details(report: CheckReport, verbose: bool = False) -> str:
    """Under the table, each unexpected case's difference side by side (and with ``verbose``
    every call): what a reader would otherwise need ``--json`` for."""
    out = []
    for sample_report in report.samples:
        for case in sample_report.cases:
            if case.ok:
                continue
            out.append(f"{sample_report.name} {case.args}: {case.verdict}, expected {case.expected}"
                       f" ({document.first_difference(case)})")
            out += [f"    {side:<6} {text}" for side, text in document.differed(case)]
            if verbose:
                out += _call_lines(case)
    return "\n".join(out)


def format_check(report: CheckReport, color: bool = False, verbose: bool = False) -> str:
    """The table plus one summary line, pytest-style: short on success, precise on failure."""
    cases = [c for s in report.samples for c in s.cases]
    failed = [c for c in cases if not c.ok]
    table = check_table_rows(report.samples, color)
    details = unexpected_details(report, verbose)
    summary = (
        f"{len(cases) - len(failed)} as expected, {len(failed)} unexpected "
        f"({counted(len(report.samples), 'sample')}, {counted(len(cases), 'case')}; TensorFlow {report.tensorflow})"
    )
    recycled = [(s.name, c) for s in report.samples for c in s.cases if getattr(c, "worker_recycled", None)]
    if recycled:
        summary += f"\n{len(recycled)} worker restart(s) after cases that left the process changed: " + "; ".join(
            f"{name} ({c.args}): {c.worker_recycled}" for name, c in recycled)
    if report.note:
        summary += f"\nnote: {report.note}"
    details, summary = terminal_safe(details), terminal_safe(summary)  # no colour in either
    return f"{table}\n\n" + (f"{details}\n\n" if details else "") + f"{summary}\n"


# Explanations

CODE_WIDTH = 60
OPS_WIDTH = 90


def _row(number: int, source: str, line: Line | None, width: int) -> list[str]:
    badges = line.badges if line else []
    gutter = "  ".join(badge.text for badge in badges)
    code = source if len(source) <= width else source[: width - 1] + "…"
    rows = [f"{number:>5} │ {code.ljust(width)} │ {gutter}".rstrip()]
    if line and line.ops:
        ops = document.op_counts(line.ops)
        rows.append(f"{'':>5} │ {'':{width}} │   {ops if len(ops) <= OPS_WIDTH else ops[: OPS_WIDTH - 1] + '…'}")
    return rows


def format_explanation(explanation: Explanation) -> str:
    # meaning first (what ran where, the calls and why they retraced), the numbers after
    out = [f"autoconv explain: {explanation.function} ({explanation.location})", ""]
    out += [f"  {sentence}" for sentence in explanation.summary]
    out.append("")
    out += [f"  {words}" for words in explanation.call_sentences]
    out.append("")
    out += [f"  {sentence}" for sentence in explanation.statistics]
    out.append("")
    source_lines = (explanation.original or "").splitlines()
    width = min(CODE_WIDTH, max((len(text) for text in source_lines), default=20))
    shown = set()
    for offset, text in enumerate(source_lines):
        number = explanation.first_line + offset
        shown.add(number)
        out += _row(number, text, explanation.line(number), width)
    others = [line for line in explanation.lines if line.line not in shown]
    if others:
        out += ["", "lines of helpers in the same file:"]
        for line in others:
            out += _row(line.line, line.source, line, width)
    return "\n".join(out) + "\n"


# Trace, graph and bench

WRAP = 96


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def format_trace(report: TraceReport) -> str:
    rows = [("call", "traced", "arguments", "signature")]
    for number, call in enumerate(report.calls, 1):
        traced = "raised" if call.error else ("TRACED" if call.traced else "reused")
        traced += f"×{call.new_traces}" if call.new_traces > 1 else ""
        signature = ", ".join(f"{name}={spec}" for name, spec in call.signature.items())
        rows.append((str(number), traced, _shorten(call.args, 40), signature))
    out = [f"autoconv trace: {report.name}", "", *_table(rows), ""]
    calls = len(report.calls)
    out.append(f"{counted(report.traces, 'trace')} for {counted(calls, 'call')} "
               "(tf.function's experimental_get_tracing_count)")
    if report.input_signature:
        out.append(f"input_signature: {report.input_signature}")
    out.append("")
    for number, call in enumerate(report.calls, 1):
        out.append(f"call {number}: {call.reason}")
        if call.error:
            out.append(f"  raised {call.error.type}: {shortened_words(call.error.message, 200)}")
        for line in call.trace_output.splitlines():
            out.append(f"  printed while tracing: {line}")
    explained = list(dict.fromkeys(cause for call in report.calls for cause in call.causes))
    if explained:
        out.append("\nWhy it traced, and the cure:")
        for cause in explained:
            out.extend(textwrap.wrap(f"{cause}: {RETRACE_CURES[cause]}", WRAP, initial_indent="  ",
                                     subsequent_indent="    "))
    return "\n".join(out) + "\n"


def _function_lines(view: GraphView, node: GraphNode, depth: int, seen: set[str]) -> list[str]:
    indent = "  " * depth
    out = [f"{indent}{node.name} ({node.op})"]
    for attribute, name in node.functions.items():
        function = view.functions.get(name)
        if function is None:
            out.append(f"{indent}  {attribute}: {name} (not in the graph's library)")
            continue
        total = sum(function.ops.values())
        out.append(f"{indent}  {attribute}: {name}, {total} op{'s' if total != 1 else ''}: {document.op_counts(function.ops)}")
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


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def format_bench(report: BenchReport) -> str:
    rows = [("case", "arguments", "eager (median ± IQR)", "graph (median ± IQR)", "speedup", "repeats")]
    for index, case in enumerate(report.cases, 1):
        if case.error:
            rows.append((str(index), _shorten(case.args, 40), f"skipped: {case.error.type}", "", "", ""))
            continue
        rows.append((
            str(index), _shorten(case.args, 40),
            f"{_seconds(case.eager_s)} ± {_seconds(case.eager_iqr_s)}",
            f"{_seconds(case.graph_s)} ± {_seconds(case.graph_iqr_s)}",
            f"{case.speedup:.2f}×", str(case.repeats),
        ))
    out = [f"autoconv bench: {report.name}", "", *_table(rows)]
    for index, case in enumerate(report.cases, 1):
        if case.error:
            out.append(f"case {index}: {shortened_words(case.error.message, 200)}")
    out.append("\nmedian seconds per call after warm-up calls (the graph's trace is not timed); "
               "speedup = eager / graph")
    return "\n".join(out) + "\n"


# Lint findings

def format_findings(findings: Sequence[Finding]) -> str:
    """``path:line:col: CODE message`` is the shape editors and pre-commit
    parse; the hint line is indented so such parsers skip it."""
    lines = []
    for f in findings:
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.code} {f.severity}: {f.message}")
        if f.chain:
            steps = [f.chain[0].function] + [f"{s.function} in {s.path}:{s.line}" for s in f.chain[1:]]
            lines.append(f"  traced via: {' ← '.join(steps)}")
        see = f" (see sample '{f.sample}', fixed in '{f.fixed_sample}')" if f.sample else ""
        lines.append(f"  hint: {f.hint}{see}")
    return "\n".join(lines)


def findings_summary(findings: Sequence[Finding]) -> str:
    files = len({f.path for f in findings})
    n = len(findings)
    return f"{n} finding{'s' * (n != 1)} in {files} file{'s' * (files != 1)}"
