"""reStructuredText: the same view for docutils and Sphinx documents.

Uses only docutils' own directives (``code`` with ``:number-lines:``, ``list-table``, ``error``),
which Sphinx also understands, so the output parses cleanly in both.
"""
from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from autoconv.render import Formatter, ViewOptions, document

if TYPE_CHECKING:
    from autoconv.model.check import SampleReport
    from autoconv.model.conversion import Conversion, Folding

# Inline markup starts at these (underscores ending a word make a reference, ``::`` a literal
# block, ``scheme:rest`` such as ``javascript:`` and ``user@host`` a live link); a backslash
# makes any of them, and a leading list or field marker, plain text.
_SPECIAL = re.compile(r"[\\`*|]|_(?=_*(\W|$))|(?<=:):|(?<=\w):(?=\S)|(?<=\w)@(?=\w)")
_BLOCK_START = re.compile(r"[-+*•=#(.:]|\w+[.)](\s|$)")


def escape(text: str) -> str:
    """Plain text that docutils reads as written: no roles, references, lists or substitutions."""
    text = _SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    return "\\" + text if _BLOCK_START.match(text) else text


def literal(text: str) -> str:
    """Inline literal; text it cannot hold (double backticks, edge spaces) falls back to escaped."""
    text = document.one_line(text)
    if not text.strip():
        return ""
    if "``" in text or text != text.strip() or text.endswith("`"):
        return escape(text)
    return f"``{text}``"


def heading(text: str, underline: str) -> list[str]:
    title = escape(text)
    return [title, underline * len(title), ""]


def code_block(source: str, first_number: int | None = 1) -> list[str]:
    """``first_number``: what ``:number-lines:`` starts at (the file's line); None numbers nothing."""
    if not source.strip():
        return ["(empty)", ""]
    numbering = [] if first_number is None else [f"   :number-lines: {first_number}"]
    return [".. code:: python", *numbering, "", textwrap.indent(source, "   "), ""]


def _original_block(conversion: Conversion, shown: Folding) -> list[str]:
    """The function numbered as in its file; a folded ``@sample`` declaration on top is one sentence
    (a numbered block cannot skip lines)."""
    lines = conversion.original.splitlines()
    top = shown.original[0] if shown.original else None
    declaration = top if top is not None and top.first == conversion.first_line else None
    if declaration is None:
        return code_block(conversion.original, conversion.first_line)
    said = f"Declared with ``@sample(...)`` on lines {declaration.first}–{declaration.last} (folded)."
    rest = "\n".join(lines[declaration.last - conversion.first_line + 1:])
    return [said, "", *code_block(rest, declaration.last + 1)]


def _converted_block(conversion: Conversion, shown: Folding) -> list[str]:
    if not shown.converted:
        labels = document.converted_labels(conversion, numbered=False)
        return code_block(document.with_line_comments(conversion.converted, labels))
    return code_block(document.numbered_code(conversion, shown.converted, original=False), None)


def _list_table(rows: list[list[str]]) -> list[str]:
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        for index, cell in enumerate(row):
            bullet = "   * - " if index == 0 else "     - "
            out.append((bullet + cell).rstrip())
    return [*out, ""]


def verdict_table(report: SampleReport) -> list[str]:
    saved = document.has_saved(report)
    rows = [["Case", "Verdict", "Expected", "As expected", "First difference", "Eager", "Graph"]
            + (["Saved"] if saved else [])]
    for case in report.cases:
        row = [
            literal(case.args),
            escape(case.verdict),
            escape(case.expected),
            "✓" if case.ok else "✗",
            escape(document.difference_phrase(case)),
        ]
        row += [literal(document.call_at_difference(case, case.calls(side) or []))
                for side in document.shown_sides(saved)]
        rows.append(row)
    return _list_table(rows)


class RstFormatter(Formatter):
    """``fold`` folds AutoGraph's machinery to marked comment lines; ``show_all`` folds nothing."""

    name = "rst"

    def __init__(self, options: ViewOptions | None = None) -> None:
        super().__init__(options)
        self.fold = bool(self.options.fold)
        self.show_all = self.options.show_all

    def conversion(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        shown = conversion.folds.shown(machinery=self.fold and not self.show_all, declaration=not self.show_all)
        out = heading(conversion.name, "=")
        where = document.location(conversion, shown)
        if where:
            size = f"; {escape(document.size(conversion, shown))}" if conversion.ok and conversion.original else ""
            out += [f"From {literal(where)}{size}.", ""]
        out += heading(document.ORIGINAL_HEADING, "-")
        if conversion.original is None:
            out += [escape(document.NO_SOURCE), ""]
        else:
            out += _original_block(conversion, shown)
        if conversion.ok:
            out += heading(document.CONVERTED_HEADING, "-")
            out += ["A line ending in ``# ◂M`` came from line M of the file.", ""]
            out += _converted_block(conversion, shown)
            if conversion.notes:
                out += [*heading("Notes", "-"), *document.note_items(conversion, shown, literal, escape), ""]
        else:
            out += [".. error::", "", f"   {escape(document.ERROR_HEADING)}: {escape(conversion.error or '')}", ""]
        if report is not None:
            out += heading(f"Check: eager against graph ({document.tally(report)})", "-")
            out += verdict_table(report) if report.cases else ["No inputs were declared, so nothing ran.", ""]
        return "\n".join(out)
