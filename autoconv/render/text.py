"""Terminal views: the before-and-after of a conversion, and the check's verdict table."""
from __future__ import annotations

import re
import shutil
import textwrap
from typing import TYPE_CHECKING

from pygments import highlight
from pygments.formatters import TerminalFormatter
from pygments.lexers import PythonLexer

from autoconv.render.document import location

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import CaseReport, CheckReport, SampleReport

SIDE_BY_SIDE_MIN_WIDTH = 140
GUTTER = " │ "


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class TextRenderer:
    """Plain or colour text; side by side when the terminal is wide enough, else stacked."""

    name = "text"

    def __init__(self, color: bool = False, width: int | None = None) -> None:
        self.color = color
        self.width = width or shutil.get_terminal_size((100, 24)).columns
        self._lexer = PythonLexer()
        self._formatter = TerminalFormatter()

    def _code(self, line: str) -> str:
        if not self.color:
            return line
        return highlight(line, self._lexer, self._formatter).rstrip("\n")

    def _dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.color else text

    def _original_rows(self, conversion: Conversion) -> list[tuple[str, str]]:
        """(plain, styled) pairs: the plain text is what widths are measured on."""
        return [
            (f"{number:3}{GUTTER}{line}", f"{number:3}{GUTTER}{self._code(line)}")
            for number, line in enumerate((conversion.original or "").splitlines(), 1)
        ]

    def _converted_rows(self, conversion: Conversion, width: int) -> list[tuple[str, str, int | None]]:
        """(plain, styled, original line) rows; annotation rows have no original line."""
        explained: set[str] = set()
        by_line: dict[int, list] = {}
        for annotation in conversion.annotations:
            by_line.setdefault(annotation.converted_line, []).append(annotation)
        rows: list[tuple[str, str, int | None]] = []
        for number, line in enumerate((conversion.converted or "").splitlines(), 1):
            origin = conversion.line_map.get(number)
            prefix = f"{number:3} {'◂' + str(origin) if origin else '':>4}{GUTTER}"
            code = _shorten(line, width - len(prefix)) if width else line
            rows.append((prefix + code, self._dim(prefix) + self._code(code), origin))
            for annotation in by_line.get(number, []):
                if annotation.kind in explained:
                    note = f"{' ' * 9}↳ {annotation.kind} (explained above)"
                    rows.append((note, self._dim(note), None))
                    continue
                explained.add(annotation.kind)
                wrap_width = max((width or self.width) - 13, 30)
                for i, part in enumerate(textwrap.wrap(f"{annotation.kind}: {annotation.text}", wrap_width)):
                    note = f"{' ' * 9}{'↳ ' if i == 0 else '  '}{part}"
                    rows.append((note, self._dim(note), None))
        return rows

    def format(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        out = [f"autoconv: {conversion.name}"]
        if conversion.filename:
            out.append(f"from {location(conversion)}")
        if conversion.original is None:
            out.append("\n(original source not available)")
        if not conversion.ok:
            out.append("\nOriginal:")
            out.extend(styled for _, styled in self._original_rows(conversion))
            out.append("\nAutoGraph could not convert it:")
            out.extend(textwrap.wrap(conversion.error or "", max(self.width - 2, 40), initial_indent="  ",
                                     subsequent_indent="  "))
        elif self.width >= SIDE_BY_SIDE_MIN_WIDTH:
            out.append(self._side_by_side(conversion))
        else:
            out.append("\nOriginal:")
            out.extend(styled for _, styled in self._original_rows(conversion))
            out.append("\nConverted by AutoGraph (◂N: from original line N):")
            out.extend(styled for _, styled, _ in self._converted_rows(conversion, 0))
        if report is not None:
            out.append("")
            out.append(check_table_rows([report], self.color))
        return "\n".join(out) + "\n"

    def _side_by_side(self, conversion: Conversion) -> str:
        """Each original line sits beside the first converted line it produced, like Compiler Explorer."""
        left = self._original_rows(conversion)
        left_width = min(max((len(plain) for plain, _ in left), default=10), (self.width - 3) // 3)
        pairs: list[tuple[tuple[str, str] | None, str]] = []
        next_original = 1
        for _, styled_right, origin in self._converted_rows(conversion, self.width - left_width - 3):
            if origin is not None and next_original <= origin <= len(left):
                pairs.extend((left[n - 1], "") for n in range(next_original, origin))
                pairs.append((left[origin - 1], styled_right))
                next_original = origin + 1
            else:
                pairs.append((None, styled_right))
        pairs.extend((left[n - 1], "") for n in range(next_original, len(left) + 1))
        lines = ["", f"{'Original'.ljust(left_width)} ┃ Converted by AutoGraph (◂N: from original line N)"]
        for original, styled_right in pairs:
            plain_left, styled_left = original or ("", "")
            if len(plain_left) > left_width:
                plain_left = styled_left = _shorten(plain_left, left_width)
            padding = " " * (left_width - len(plain_left))
            lines.append(f"{styled_left}{padding} ┃ {styled_right}".rstrip())
        return "\n".join(lines)


VERDICT_COLOURS = {"match": "32", "mismatch": "33", "graph-error": "31", "native-error": "31",
                   "timeout": "35", "crash": "35"}


def _case_line(sample_name: str, case: CaseReport, color: bool) -> tuple[str, ...]:
    verdict = case.verdict
    if color:
        verdict = f"\x1b[{VERDICT_COLOURS.get(verdict, '0')}m{verdict}\x1b[0m"
    mark = "ok" if case.ok else "FAIL"
    where = ""
    if case.first_difference:
        where = f"call {case.first_difference.call}: {case.first_difference.what}"
    explanation = "; ".join(part for part in (where, case.detail) if part)
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


def format_check(report: CheckReport, color: bool = False) -> str:
    """The table plus one summary line, pytest-style: short on success, precise on failure."""
    cases = [c for s in report.samples for c in s.cases]
    failed = [c for c in cases if not c.ok]
    table = check_table_rows(report.samples, color)
    summary = (
        f"{len(cases) - len(failed)} as expected, {len(failed)} unexpected "
        f"({len(report.samples)} samples, {len(cases)} cases; TensorFlow {report.tensorflow})"
    )
    if report.shared_state:
        summary += "\nnote: ran in-process; both sides shared module state"
    return f"{table}\n\n{summary}\n"
