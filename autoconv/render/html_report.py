"""The HTML verdict table: one row per case, and under it every call of every side.

Cases that went as expected keep their calls collapsed; an unexpected one opens them, with the
cell where the sides first disagreed marked.
"""
from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from autoconv.render import document

if TYPE_CHECKING:
    from autoconv.model.check import CallRecord, CaseReport, SampleReport

CALL_FIELDS = ("value", "stdout", "stderr", "error")
CASE_HEADER = ("case", "verdict", "expected", "first difference", "time")
EMPTY = '<span class="ac-empty">(empty)</span>'


_WORDS = re.compile(r"(\S+)")


def unbroken(text: str) -> str:
    """``text`` escaped, each word that holds punctuation kept on one line: browsers break lines
    after ``-``, ``/`` or ``(``, which would split ``graph-error`` or a tensor's repr in a table
    cell. A word wider than its cell widens the table instead, which scrolls in its pane."""
    return "".join(
        f'<span class="ac-w">{escape(piece)}</span>' if index % 2 and not piece.isalnum() else escape(piece)
        for index, piece in enumerate(_WORDS.split(text))
    )


def badge(verdict: str) -> str:
    """A verdict in its own colour, everywhere (``assets.VERDICT_STYLES``)."""
    return f'<span class="ac-badge ac-v-{escape(verdict)}">{escape(verdict)}</span>'


def _field(record: CallRecord, name: str) -> str:
    if name == "error":
        return f"{record.error.type}: {record.error.message}" if record.error else ""
    if name == "value":
        value = "" if record.value is None else record.value
        type_change = getattr(record, "type_change", None)
        return f"{value}\n(type changed: {type_change})" if type_change else value
    return getattr(record, name)


def _warnings(record: CallRecord) -> str:
    if not record.warnings:
        return ""
    count = len(record.warnings)
    items = "".join(f"<li>{unbroken(w)}</li>" for w in record.warnings)
    return f"<details><summary>{count} warning{'s' * (count != 1)}</summary><ul>{items}</ul></details>"


def _call_rows(case: CaseReport) -> str:
    difference = case.first_difference
    rows = []
    named_sides = document.sides(case)
    for call in range(1, max((len(records) for _, records in named_sides), default=0) + 1):
        for side, records in named_sides:
            if call > len(records):
                continue
            record = records[call - 1]
            cells = []
            for name in CALL_FIELDS:
                differs = difference is not None and difference.call == call and difference.what == name
                text = unbroken(_field(record, name))
                if differs:
                    cells.append(f'<td class="ac-diff">{text or EMPTY}</td>')
                else:
                    cells.append(f"<td>{text}</td>")
            rows.append(
                f"<tr><td>{call}</td><td>{side}</td>{''.join(cells)}<td>{_warnings(record)}</td></tr>"
            )
    return "".join(rows)


def _calls(case: CaseReport, columns: int) -> str:
    rows = _call_rows(case)
    if not rows:
        return ""
    calls = max(len(records) for _, records in document.sides(case))
    summary = f"{calls} call{'s' * (calls != 1)} per side"
    if case.traces is not None:
        summary += f", {document.traced_phrase(case)}"
    header = "".join(f"<th>{name}</th>" for name in ("call", "side", *CALL_FIELDS, "warnings"))
    table = (f'<div class="ac-scroll"><table class="ac-call-table"><thead><tr>{header}</tr></thead>'
             f"<tbody>{rows}</tbody></table></div>")
    opened = "" if case.ok and case.verdict != "mismatch" else " open"  # a mismatch shows its calls: the lesson
    return (
        f'<tr class="ac-calls"><td colspan="{columns}"><details{opened}><summary>{summary}</summary>'
        f"{table}</details></td></tr>"
    )


def _case_rows(case: CaseReport) -> str:
    mark = (
        '<span class="ac-mark-ok">✓ as expected</span>' if case.ok
        else '<span class="ac-mark-bad">✗ unexpected</span>'
    )
    cells = [
        f"<code>{unbroken(case.args)}</code>",
        badge(case.verdict),
        f"{badge(case.expected)} {mark}",
        _difference(case),
        f"{case.seconds:.2f}\u00a0s",
    ]
    row_class = "ac-case" if case.ok else "ac-case ac-unexpected"
    labelled = zip(CASE_HEADER, cells, strict=True)  # the labels name each cell when rows become cards
    row = "".join(f'<td data-label="{label}">{cell}</td>' for label, cell in labelled)
    row = f'<tr class="{row_class}">{row}</tr>'
    return row + _calls(case, len(cells))


def _difference(case: CaseReport) -> str:
    """Where the sides first disagreed, then what each side did there (the error, the values, the
    first differing line of output)."""
    details = "".join(
        f'<p class="ac-differed"><span class="ac-side-name">{escape(side)}</span> <code>{unbroken(text)}</code></p>'
        for side, text in document.differed(case)
    )
    return unbroken(document.first_difference(case)) + details


def report_html(report: SampleReport, prefix: str | None = None) -> str:
    """The check's verdicts for one sample: eager against graph, case by case.

    ``prefix`` is the id of the view it belongs to, so its ids stay unique on a page of many views.
    """
    heading = f"Check: eager against graph ({escape(document.tally(report))})"
    notes = []
    if not report.conversion.ok and report.conversion.error:
        notes.append(f'<p class="ac-meta">The check saw the conversion fail: {escape(report.conversion.error)}</p>')
    if not report.cases:
        notes.append('<p class="ac-meta">No inputs were declared, so nothing ran.</p>')
        return f'<div class="ac-report"><h3>{heading}</h3>{"".join(notes)}</div>'
    header = "".join(f"<th>{name}</th>" for name in CASE_HEADER)
    body = "".join(_case_rows(case) for case in report.cases)
    anchor = f' id="{escape(prefix)}-check"' if prefix else ""
    return (
        f'<div class="ac-report"{anchor}><h3>{heading}</h3>{"".join(notes)}'
        f'<div class="ac-scroll"><table class="ac-verdicts"><thead><tr>{header}</tr></thead>'
        f"<tbody>{body}</tbody></table></div></div>"
    )
