"""What every rich view says about a conversion and a check, as plain strings.

Markdown, RST and HTML lay these out and escape them each in their own way; deciding the words
in one place keeps the three views saying the same thing.
"""
from __future__ import annotations

import io
import os
import tokenize
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autoconv.annotations import Annotation
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import CallRecord, CaseReport, SampleReport

ORIGINAL_HEADING = "Original"
CONVERTED_HEADING = "Converted by AutoGraph"
ERROR_HEADING = "AutoGraph could not convert it"
NO_SOURCE = "(original source not available)"
COMMENT_COLUMN_LIMIT = 100


def location(conversion: Conversion) -> str | None:
    """``file:line``, relative to the current folder when the file is inside it (shorter, and no
    builder's home folder in a published page)."""
    if not conversion.filename:
        return None
    path = os.path.abspath(conversion.filename)
    inside = path.startswith(os.getcwd() + os.sep)
    return f"{os.path.relpath(path) if inside else path}:{conversion.first_line}"


def annotation_place(annotation: Annotation) -> str:
    """``line 27 (from original line 5)``; scaffolding with no origin says so."""
    origin = annotation.original_line
    return f"line {annotation.converted_line} " + (
        f"(from original line {origin})" if origin is not None else "(AutoGraph scaffolding)"
    )


def _unsafe_line_ends(source: str) -> set[int] | None:
    """Lines a trailing comment would break: inside multi-line strings, or continued by a backslash.

    None when the snippet does not tokenize (e.g. one line cut out of a larger call).
    """
    unsafe = {number for number, line in enumerate(source.splitlines(), 1) if line.endswith("\\")}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            unsafe.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError):
        return None
    return unsafe


def with_line_comments(source: str, labels: dict[int, str]) -> str:
    """``source`` with ``# label`` after each labelled non-blank line, aligned, where a comment is safe.

    Markdown and RST code blocks have no gutter, so this is how a reader finds "line 27" there.
    """
    lines = source.splitlines()
    unsafe = _unsafe_line_ends(source)
    labels = {number: label for number, label in labels.items() if lines[number - 1 : number] != [""]}
    if unsafe is None:
        return "\n".join(lines)
    # Align the comments, but not to a line so long the rest would drift off screen.
    column = max((len(line) for line in lines if len(line) <= COMMENT_COLUMN_LIMIT), default=0)
    return "\n".join(
        f"{line.ljust(column)}  # {labels[number]}" if number in labels and number not in unsafe else line
        for number, line in enumerate(lines, 1)
    )


def converted_labels(conversion: Conversion, numbered: bool = True) -> dict[int, str]:
    """``7 ◂3``: converted line 7 came from original line 3 (the text view's gutter, as comments)."""
    labels = {}
    for number in range(1, len((conversion.converted or "").splitlines()) + 1):
        origin = conversion.line_map.get(number)
        parts = ([str(number)] if numbered else []) + ([f"◂{origin}"] if origin else [])
        if parts:
            labels[number] = " ".join(parts)
    return labels


def sides(case: CaseReport) -> list[tuple[str, list[CallRecord]]]:
    """Each side that ran, with the name a reader knows it by."""
    named = [("eager", case.native), ("graph", case.graph)]
    if case.saved is not None:
        named.append(("saved", case.saved))
    return named


def has_saved(report: SampleReport) -> bool:
    return any(case.saved is not None for case in report.cases)


def first_difference(case: CaseReport) -> str:
    """Where the sides first disagreed, or why there is nothing to compare (timeout, crash)."""
    if case.first_difference is not None:
        return f"call {case.first_difference.call}: {case.first_difference.what}"
    return case.detail or "none"


def record_summary(record: CallRecord, what: str | None = None) -> str:
    """One call on one side in one phrase: the field that differed, else its error or value."""
    if what in ("stdout", "stderr"):
        return f"{what}: {getattr(record, what)!r}"
    if record.error is not None:
        return f"{record.error.type}: {record.error.message}"
    return f"{record.value}"


def call_at_difference(case: CaseReport, records: list[CallRecord]) -> str:
    """The summary of the call the verdict was decided at (the last call when they all agreed)."""
    if not records:
        return ""
    if case.first_difference is not None and case.first_difference.call <= len(records):
        return record_summary(records[case.first_difference.call - 1], case.first_difference.what)
    return record_summary(records[-1])


def one_line(text: str) -> str:
    """Table cells hold one line: newlines become a visible ↵."""
    return " ↵ ".join(text.splitlines()) if "\n" in text else text


def tally(report: SampleReport) -> str:
    unexpected = sum(not case.ok for case in report.cases)
    total = len(report.cases)
    return f"{total} case{'s' * (total != 1)}: {total - unexpected} as expected, {unexpected} unexpected"
