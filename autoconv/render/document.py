"""What every rich view says about a conversion and a check, as plain strings.

Markdown, RST and HTML lay these out and escape them each in their own way; deciding the words
in one place keeps the three views saying the same thing.
"""
from __future__ import annotations

import io
import os
import re
import tokenize
from collections.abc import Callable
from typing import TYPE_CHECKING

from autoconv.model.conversion import BRANCH_STATE, LOOP_STATE, WHAT_HAPPENED, Folding
from autoconv.model.verdicts import Side

if TYPE_CHECKING:
    from autoconv.model.check import CallRecord, CaseReport, ErrorInfo, SampleReport
    from autoconv.model.conversion import Annotation, Conversion, Fold, Folding

ORIGINAL_HEADING = "Original"
CONVERTED_HEADING = "Converted by AutoGraph"
ERROR_HEADING = "AutoGraph could not convert it"
NO_SOURCE = "(original source not available)"
COMMENT_COLUMN_LIMIT = 100


def op_counts(ops: dict[str, int]) -> str:
    """``AddV2×5, Const×5, Identity``: a repeated op is a loop unrolled, a While op one that was not."""
    return ", ".join(f"{op}×{count}" if count > 1 else op for op, count in ops.items())


def location(conversion: Conversion, folding: Folding | None = None) -> str | None:
    """``file:line`` of the function's ``def`` line, as every ``file:line`` autoconv writes,
    relative to the current folder when the file is inside it (shorter, and no builder's home
    folder in a page)."""
    if not conversion.filename:
        return None
    path = os.path.abspath(conversion.filename)
    inside = path.startswith(os.getcwd() + os.sep)
    start = folding.def_line if folding else conversion.first_line
    return f"{os.path.relpath(path) if inside else path}:{start}"


# A file's absolute path in free text (a traceback's ``File "/home/me/x.py"``): everything up to its name.
_ABSOLUTE_FILE = re.compile(r"(?<![\w.:/-])(?:/[^\s\"'<>:/]+)+/([^\s\"'<>:/]+\.py)\b")
_PACKAGES = re.compile(r"(?<![\w.:/-])(?:/[^\s\"'<>:/]+)+/(?:site|dist)-packages/")


def unrooted(text: str, base: str | None = None) -> str:
    """``text`` with no machine's folders in it, for a page others read: paths inside ``base``
    (the docs source, the samples folder) or the working folder become relative to it, an
    installed package's path starts at the package, and any other file is named alone."""
    for folder in dict.fromkeys(filter(None, (base, os.getcwd()))):
        root = os.path.abspath(folder)
        if root != os.sep:
            text = text.replace(root + os.sep, "")
    return _ABSOLUTE_FILE.sub(r"\1", _PACKAGES.sub("", text))


def size(conversion: Conversion, folding: Folding) -> str:
    """``5 lines became 24``: the function's lines (not its declaration) against the converted ones."""
    before = len((conversion.original or "").splitlines()) - (folding.function_start - conversion.first_line)
    after = len((conversion.converted or "").splitlines())
    folded = sum(fold.last - fold.first + 1 for fold in folding.converted)
    text = f"{before} line{'s' * (before != 1)} became {after}"
    return text + (f" ({folded} of them AutoGraph's machinery, folded)" if folded else "")


def annotation_place(annotation: Annotation) -> str:
    """``line 27 (from original line 5)``, the origin in file lines; scaffolding with no origin says so."""
    origin = annotation.original_line
    return f"line {annotation.converted_line} " + (
        f"(from original line {origin})" if origin is not None else "(AutoGraph scaffolding)"
    )


def notes_shown(annotations: list[Annotation], hidden: set[int]) -> tuple[list[Annotation], str]:
    """For a view that cannot open a fold (Markdown, RST): the notes that explain a construct on a
    shown line, in line order, and one line naming the later uses ("ld (lines 15, 17)")."""
    visible = [a for a in annotations if a.converted_line not in hidden]
    chosen = explaining(visible)
    uses: dict[str, list[int]] = {}
    for annotation in visible:
        if chosen[note_key(annotation)] is not annotation:
            lines = uses.setdefault(annotation.kind, [])
            if annotation.converted_line not in lines:
                lines.append(annotation.converted_line)
    again = ", ".join(f"{kind} (line{'s' * (len(lines) > 1)} {', '.join(map(str, lines))})"
                      for kind, lines in uses.items())
    return sorted(chosen.values(), key=lambda a: a.converted_line), again


def note_key(annotation: Annotation) -> str:
    """What a note explains: a construct (said once per view), or one loop's or if's own lesson."""
    if annotation.kind in (LOOP_STATE, BRANCH_STATE, WHAT_HAPPENED):
        return f"{annotation.kind}-{annotation.converted_line}"
    return annotation.kind


def explaining(annotations: list[Annotation], hidden: set[int] = frozenset()) -> dict[str, Annotation]:
    """The one annotation per ``note_key`` that explains it in a view: the first on a shown line
    (else the first); every later use links to it instead of repeating the words."""
    chosen: dict[str, Annotation] = {}
    for annotation in sorted(annotations, key=lambda a: (a.converted_line in hidden, a.converted_line)):
        chosen.setdefault(note_key(annotation), annotation)
    return chosen


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


def folded_lines(source: str, folds: tuple[Fold, ...], as_comment: bool,
                 first_number: int = 1) -> list[tuple[int, int, str]]:
    """(first, last, text) per shown line, numbered from ``first_number`` as the folds are: a fold
    is one line at its first line's indent, its label made a comment when it must stay Python (a
    code block has no way to mark it otherwise)."""
    lines = source.splitlines()
    shown = []
    number = first_number
    while number < first_number + len(lines):
        fold = next((f for f in folds if f.first == number), None)
        if fold is None:
            shown.append((number, number, lines[number - first_number]))
            number += 1
            continue
        raw = lines[fold.first - first_number]
        indent = raw[: len(raw) - len(raw.lstrip())]
        if as_comment:
            text = f"{fold.python}  # {fold.label}" if fold.python else f"# {fold.label}"
        else:
            text = fold.label
        shown.append((fold.first, fold.last, indent + text))
        number = fold.last + 1
    return shown


def numbered_code(conversion: Conversion, folds: tuple[Fold, ...], original: bool) -> str:
    """The code with its numbers as comments, for a code block with no gutter: file lines for
    the original, ``N ◂M`` for converted line N that came from file line M; folds are one line."""
    source = (conversion.original if original else conversion.converted) or ""
    first_number = conversion.first_line if original else 1
    lines = folded_lines(source, folds, as_comment=not original, first_number=first_number)
    labels = {}
    for index, (first, last, _) in enumerate(lines, 1):
        numbers = str(first) if first == last else f"{first}–{last}"
        if original:
            labels[index] = numbers
            continue
        fold = Folding.at(folds, first)
        origin = fold.origin if fold is not None else conversion.line_map.get(first)
        labels[index] = numbers + (f" ◂{origin}" if origin else "")
    return with_line_comments("\n".join(text for _, _, text in lines) + "\n", labels)


def note_items(conversion: Conversion, shown: Folding, kind: Callable[[str], str],
               escape: Callable[[str], str]) -> list[str]:
    """The notes as list items, for a view that cannot open a fold (Markdown, RST): each construct
    explained once, then one item naming its later uses. ``kind`` marks up a note's kind as code."""
    hidden = {line for fold in shown.converted for line in range(fold.first, fold.last + 1)}
    notes, again = notes_shown(conversion.notes, hidden)
    items = [f"- {escape(annotation_place(note))} — {kind(note.kind)}: {escape(note.text)}" for note in notes]
    return items + ([f"- Used again, explained above: {escape(again)}"] if again else [])


def converted_labels(conversion: Conversion, numbered: bool = True) -> dict[int, str]:
    """``7 ◂31``: converted line 7 came from line 31 of the file (the text view's gutter, as comments)."""
    labels = {}
    for number in range(1, len((conversion.converted or "").splitlines()) + 1):
        origin = conversion.line_map.get(number)
        parts = ([str(number)] if numbered else []) + ([f"◂{origin}"] if origin else [])
        if parts:
            labels[number] = " ".join(parts)
    return labels


def sides(case: CaseReport) -> list[tuple[str, list[CallRecord]]]:
    """Each side that ran, with the name a reader knows it by."""
    return [(side.label, calls) for side in Side if (calls := case.calls(side)) is not None]


def traced_phrase(case: CaseReport) -> str:
    """``traced 2 times``; a graph side that never finished a trace says where it failed instead
    (the last ``line N`` of its error, AutoGraph's user frame), not ``traced 0 times``."""
    if case.traces is None:
        return ""
    if case.traces == 0:
        failed = next((record.error for record in case.graph if record.error is not None), None)
        if failed is not None:
            lines = re.findall(r"\bline (\d+)", failed.message)
            return f"the trace failed at line {lines[-1]}" if lines else "the trace failed"
    return f"traced {case.traces} time{'s' * (case.traces != 1)}"


def shown_sides(saved: bool) -> list[Side]:
    """The sides a verdict table has columns for: the SavedModel's only when some case has one."""
    return [Side.EAGER, Side.GRAPH, *([Side.SAVED] if saved else [])]


def has_saved(report: SampleReport) -> bool:
    return any(case.saved is not None for case in report.cases)


def first_difference(case: CaseReport) -> str:
    """Where the sides first disagreed, or why there is nothing to compare (timeout, crash)."""
    if case.first_difference is not None:
        return f"call {case.first_difference.call}: {case.first_difference.what}"
    return case.detail or "none"


DIFFERENCE_WIDTH = 100


def shorten(text: str, width: int = DIFFERENCE_WIDTH) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


_USER_FRAME = re.compile(r'File "[^"]*", line (\d+)')


def error_headline(error: ErrorInfo) -> str:
    """The line of a message that says what went wrong: AutoGraph's rewritten errors start with
    "in user code:" and the frames, and repeat ``Type: what`` after them."""
    lines = [line.strip() for line in error.message.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(f"{error.type}: "):
            return line[len(error.type) + 2:]
    return next((line for line in lines if line != "in user code:" and not line.startswith("File ")), "")


def error_line(error: ErrorInfo) -> str | None:
    """The user's line the error was raised at: the first frame AutoGraph names (later ones say
    where a tensor it mentions was defined)."""
    frames = _USER_FRAME.findall(error.message)
    return frames[0] if frames else None


def _outcome(record: CallRecord) -> str:
    if record.error is not None:
        line = error_line(record.error)
        where = f" at line {line}" if line else ""
        return f"raised {record.error.type}{where}: {shorten(error_headline(record.error))}"
    return f"returned {shorten(record.value or 'None')}"


def _first_differing_line(texts: list[str]) -> int:
    """Index of the first line where the sides' outputs differ (one past the shorter's end if one
    is a prefix of the other)."""
    split = [text.splitlines() for text in texts]
    longest = max((len(lines) for lines in split), default=0)
    return next((n for n in range(longest) if len({tuple(lines[n:n + 1]) for lines in split}) > 1), 0)


def differed(case: CaseReport) -> list[tuple[str, str]]:
    """The difference itself, side by side: (side, what it did at the first differing call).

    An error shows its type and the first line of its message (on each side that raised), a value
    both values shortened, printed output the first line that differs with each side's version.
    The engine's ``type_change`` (a call record) and ``worker_recycled`` (a case) show when present.
    """
    difference = case.first_difference
    found: list[tuple[str, str]] = []
    if difference is not None:
        at_call = [(side, records[difference.call - 1]) for side, records in sides(case)
                   if difference.call <= len(records)]
        if difference.what in ("stdout", "stderr"):
            # both streams: tf.print writes to stderr, print to stdout, and a lesson may differ in either
            other = "stderr" if difference.what == "stdout" else "stdout"
            streams = [difference.what] + [other] * (len({getattr(r, other) for _, r in at_call}) > 1)
            for stream in streams:
                index = _first_differing_line([getattr(record, stream) for _, record in at_call])
                for side, record in at_call:
                    lines = getattr(record, stream).splitlines()
                    shown = repr(lines[index]) if index < len(lines) else "(no such line)"
                    found.append((side, f"{stream} line {index + 1}: {shorten(shown)}"))
        else:
            found += [(side, _outcome(record)) for side, record in at_call]
        found += [(side, f"type changed: {record.type_change}") for side, record in at_call
                  if getattr(record, "type_change", None)]
    recycled = getattr(case, "worker_recycled", None)
    if recycled:
        found.append(("worker", f"recycled: {recycled}"))
    return found


def difference_phrase(case: CaseReport) -> str:
    """One table cell: where the sides first disagreed, and how."""
    where = first_difference(case)
    found = differed(case)
    if case.first_difference is not None and case.first_difference.what == "error":
        raised = [(side, text) for side, text in found if text.startswith("raised ")]
        found = raised + [pair for pair in found if pair not in raised]  # the error first: it is the news
    details = "; ".join(f"{side} {text}" for side, text in found)
    return f"{where}: {details}" if details else where


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
