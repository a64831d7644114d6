"""GitHub-flavoured Markdown: something to paste into an issue or a README.

Code blocks have no gutter in Markdown, so each line carries its number (and, converted, its
origin) as an aligned comment where a comment cannot change the code's meaning.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from autoconv.render import document

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import SampleReport

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that format text.
# An underscore between two letters or digits never starts emphasis in GFM, so it stays bare.
_SPECIAL = re.compile(r"([\\`*\[\]<>|~&]|(?<![^\W_])_|_(?![^\W_]))")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def code_span(text: str, in_table: bool = False) -> str:
    """Inline code that survives backticks, and pipes in a table cell (GFM unescapes ``\\|`` there)."""
    text = document.one_line(text)
    if in_table:
        text = text.replace("|", "\\|")
    if not text.strip():
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def fenced(source: str, language: str = "python") -> str:
    longest = max((len(run) for run in re.findall(r"`{3,}", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{source}\n{fence}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def verdict_table(report: SampleReport) -> list[str]:
    saved = document.has_saved(report)
    header = ["Case", "Verdict", "Expected", "", "First difference", "Eager", "Graph"] + (["Saved"] if saved else [])
    rows = [_row(header), _row(["---"] * len(header))]
    for case in report.cases:
        named = dict(document.sides(case))
        cells = [
            code_span(case.args, in_table=True),
            escape(case.verdict),
            escape(case.expected),
            "✓" if case.ok else "✗",
            escape(document.one_line(document.first_difference(case))),
            *(code_span(document.call_at_difference(case, named.get(side, [])), in_table=True)
              for side in ("eager", "graph")),
        ]
        if saved:
            cells.append(code_span(document.call_at_difference(case, named.get("saved", [])), in_table=True))
        rows.append(_row(cells))
    return rows


class MarkdownRenderer:
    name = "markdown"

    def format(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        out = [f"## {code_span(conversion.name)}", ""]
        where = document.location(conversion)
        if where:
            out += [f"From {code_span(where)}.", ""]
        out += [f"### {document.ORIGINAL_HEADING}", ""]
        if conversion.original is None:
            out += [escape(document.NO_SOURCE), ""]
        else:
            lines = range(1, len(conversion.original.splitlines()) + 1)
            numbered = document.with_line_comments(conversion.original, {n: str(n) for n in lines})
            out += [fenced(numbered), ""]
        if conversion.ok:
            out += [
                f"### {document.CONVERTED_HEADING}", "",
                "Each line ends with `# N ◂M`: converted line N came from original line M.", "",
                fenced(document.with_line_comments(conversion.converted, document.converted_labels(conversion))),
                "",
            ]
            if conversion.annotations:
                out += ["### Notes", ""]
                out += [
                    f"- {document.annotation_place(a)} — {code_span(a.kind)}: {escape(a.text)}"
                    for a in conversion.annotations
                ]
                out.append("")
        else:
            out += [f"### {document.ERROR_HEADING}", "", f"> {escape(' '.join((conversion.error or '').split()))}", ""]
        if report is not None:
            out += [f"### Check: eager against graph ({escape(document.tally(report))})", ""]
            if report.cases:
                out += [*verdict_table(report), ""]
            else:
                out += ["No inputs were declared, so nothing ran.", ""]
        return "\n".join(out)
