"""reStructuredText: the same view for docutils and Sphinx documents.

Uses only docutils' own directives (``code`` with ``:number-lines:``, ``list-table``, ``error``),
which Sphinx also understands, so the output parses cleanly in both.
"""
from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from autoconv.render import document

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import SampleReport

# Inline markup starts at these (underscores ending a word make a reference, ``::`` a literal
# block); a backslash makes any of them, and a leading list or field marker, plain text.
_SPECIAL = re.compile(r"([\\`*|]|_(?=_*(\W|$))|(?<=:):)")
_BLOCK_START = re.compile(r"[-+*•=#(.:]|\w+[.)](\s|$)")


def escape(text: str) -> str:
    """Plain text that docutils reads as written: no roles, references, lists or substitutions."""
    text = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
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


def code_block(source: str) -> list[str]:
    if not source.strip():
        return ["(empty)", ""]
    return [".. code:: python", "   :number-lines:", "", textwrap.indent(source, "   "), ""]


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
        named = dict(document.sides(case))
        row = [
            literal(case.args),
            escape(case.verdict),
            escape(case.expected),
            "✓" if case.ok else "✗",
            escape(document.first_difference(case)),
        ]
        row += [literal(document.call_at_difference(case, named.get(side, [])))
                for side in ("eager", "graph", "saved")[: 3 if saved else 2]]
        rows.append(row)
    return _list_table(rows)


class RstRenderer:
    name = "rst"

    def format(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        out = heading(conversion.name, "=")
        where = document.location(conversion)
        if where:
            out += [f"From {literal(where)}.", ""]
        out += heading(document.ORIGINAL_HEADING, "-")
        if conversion.original is None:
            out += [escape(document.NO_SOURCE), ""]
        else:
            out += code_block(conversion.original)
        if conversion.ok:
            out += heading(document.CONVERTED_HEADING, "-")
            out += ["A line ending in ``# ◂M`` came from original line M.", ""]
            labels = document.converted_labels(conversion, numbered=False)
            out += code_block(document.with_line_comments(conversion.converted, labels))
            if conversion.annotations:
                out += heading("Notes", "-")
                out += [
                    f"- {escape(document.annotation_place(a))} — {literal(a.kind)}: {escape(a.text)}"
                    for a in conversion.annotations
                ]
                out.append("")
        else:
            out += [".. error::", "", f"   {escape(document.ERROR_HEADING)}: {escape(conversion.error or '')}", ""]
        if report is not None:
            out += heading(f"Check: eager against graph ({document.tally(report)})", "-")
            out += verdict_table(report) if report.cases else ["No inputs were declared, so nothing ran.", ""]
        return "\n".join(out)
