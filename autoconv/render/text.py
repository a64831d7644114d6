"""Terminal views: the before-and-after of a conversion, and the check's verdict table."""
from __future__ import annotations

import re
import shutil
import textwrap
from typing import TYPE_CHECKING

from pygments import highlight
from pygments.formatters import TerminalFormatter
from pygments.lexers import PythonLexer

from autoconv import folding
from autoconv.render import document
from autoconv.render.document import location

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import CaseReport, CheckReport, SampleReport

SIDE_BY_SIDE_MIN_WIDTH = 140
GUTTER = " │ "


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class TextRenderer:
    """Plain or colour text; side by side when the terminal is wide enough, else stacked.

    The ``@sample`` declaration is always one line (``show_all`` shows it); AutoGraph's machinery
    folds only with ``fold`` (``show --fold``), since a terminal cannot expand a line.
    """

    name = "text"

    def __init__(self, color: bool = False, width: int | None = None, fold: bool = False,
                 show_all: bool = False) -> None:
        self.color = color
        self.width = width or shutil.get_terminal_size((100, 24)).columns
        self.fold = fold
        self.show_all = show_all
        self._lexer = PythonLexer()
        self._formatter = TerminalFormatter()
        self._folding = folding.Folding()

    def _code(self, line: str) -> str:
        if not self.color:
            return line
        return highlight(line, self._lexer, self._formatter).rstrip("\n")

    def _dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.color else text

    def _original_rows(self, conversion: Conversion) -> list[tuple[str, str, int]]:
        """(plain, styled, snippet line) triples: the plain text is what widths are measured on.
        Numbers are the file's; a folded declaration is one row, keyed by its last line."""
        rows = []
        for number, line in enumerate((conversion.original or "").splitlines(), 1):
            shown = document.file_line(conversion, number)
            fold = folding.Folding.at(self._folding.original, number)
            if fold is not None:
                if number != fold.first:
                    continue
                numbers = f"{shown}-{document.file_line(conversion, fold.last)}"
                rows.append((f"{numbers:>4}{GUTTER}{fold.label}", self._dim(f"{numbers:>4}{GUTTER}{fold.label}"),
                             fold.last))
                continue
            rows.append((f"{shown:4}{GUTTER}{line}", f"{shown:4}{GUTTER}{self._code(line)}", number))
        return rows

    def _note_rows(self, annotations: list, explained: dict, width: int) -> list[tuple[str, str, None]]:
        """Each construct explained once; later uses name the line that explains them."""
        rows: list[tuple[str, str, None]] = []
        again = []
        for annotation in annotations:
            first = explained[document.note_key(annotation)]
            if first is not annotation:
                again.append(f"{annotation.kind} (line {first.converted_line})")
                continue
            wrap_width = max((width or self.width) - 13, 30)
            for i, part in enumerate(textwrap.wrap(f"{annotation.kind}: {annotation.text}", wrap_width)):
                note = f"{' ' * 11}{'↳ ' if i == 0 else '  '}{part}"
                rows.append((note, self._dim(note), None))
        if again:
            note = f"{' ' * 11}↳ see above: {', '.join(again)}"
            rows.append((note, self._dim(note), None))
        return rows

    def _converted_rows(self, conversion: Conversion, width: int) -> list[tuple[str, str, int | None]]:
        """(plain, styled, original snippet line) rows; annotation rows have no original line."""
        hidden = {line for fold in self._folding.converted for line in range(fold.first, fold.last + 1)}
        notes = document.notes(conversion)
        explained = document.explaining(notes, hidden)
        by_line: dict[int, list] = {}
        for annotation in notes:
            by_line.setdefault(annotation.converted_line, []).append(annotation)
        rows: list[tuple[str, str, int | None]] = []
        for number, line in enumerate((conversion.converted or "").splitlines(), 1):
            fold = folding.Folding.at(self._folding.converted, number)
            if fold is not None and number != fold.first:
                continue
            origin = fold.origin if fold is not None else conversion.line_map.get(number)
            link = f"◂{document.file_line(conversion, origin)}" if origin else ""
            numbers = f"{fold.first}-{fold.last}" if fold is not None and fold.last > fold.first else str(number)
            prefix = f"{numbers:>5} {link:>5}{GUTTER}"
            if fold is not None:
                indent = " " * (len(line) - len(line.lstrip(" ")))
                code = _shorten(indent + fold.label, width - len(prefix)) if width else indent + fold.label
                rows.append((prefix + code, self._dim(prefix + code), origin))
                continue
            code = _shorten(line, width - len(prefix)) if width else line
            rows.append((prefix + code, self._dim(prefix) + self._code(code), origin))
            rows.extend(self._note_rows(by_line.get(number, []), explained, width))
        return rows

    def format(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        self._folding = folding.fold(conversion, machinery=self.fold and not self.show_all,
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


# One colour per verdict, as in the HTML views (assets.VERDICT_COLOURS); "ok"/"FAIL" is the mark.
VERDICT_COLOURS = {"match": "32", "mismatch": "33", "graph-error": "31", "native-error": "38;5;208",
                   "timeout": "35", "crash": "95"}
FIRST_DIFFERENCE_WIDTH = 90


def _case_line(sample_name: str, case: CaseReport, color: bool) -> tuple[str, ...]:
    verdict = case.verdict
    if color:
        verdict = f"\x1b[{VERDICT_COLOURS.get(verdict, '0')}m{verdict}\x1b[0m"
    mark = "ok" if case.ok else "FAIL"
    explanation = _shorten(document.one_line(document.difference_phrase(case)), FIRST_DIFFERENCE_WIDTH)
    if case.first_difference is not None and case.detail:
        explanation += f"; {case.detail}"
    return sample_name, _shorten(case.args, 40), verdict, case.expected, mark, explanation


def check_table_rows(samples: list[SampleReport], color: bool) -> str:
    rows = [("sample", "case", "verdict", "expected", "", "first difference")]
    for sample_report in samples:
        if not sample_report.cases:
            status = "converted" if sample_report.conversion.ok else "not converted"
            rows.append((sample_report.name, "(no inputs)", "-", "-", "", status))
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
        f"({len(report.samples)} samples, {len(cases)} cases; TensorFlow {report.tensorflow})"
    )
    recycled = [(s.name, c) for s in report.samples for c in s.cases if getattr(c, "worker_recycled", None)]
    if recycled:
        summary += f"\n{len(recycled)} worker restart(s) after cases that left the process changed: " + "; ".join(
            f"{name} ({c.args}): {c.worker_recycled}" for name, c in recycled)
    if report.shared_state:
        summary += "\nnote: ran in-process; both sides shared module state"
    return f"{table}\n\n" + (f"{details}\n\n" if details else "") + f"{summary}\n"
