"""GitHub-flavoured Markdown: something to paste into an issue or a README.

Code blocks have no gutter in Markdown, so each line carries its number (and, converted, its
origin) as an aligned comment where a comment cannot change the code's meaning.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from autoconv.render import Formatter, ViewOptions, document

if TYPE_CHECKING:
    from autoconv.model.check import SampleReport
    from autoconv.model.conversion import Conversion
    from autoconv.model.explanation import Explanation

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
        cells = [
            code_span(case.args, in_table=True),
            escape(case.verdict),
            escape(case.expected),
            "✓" if case.ok else "✗",
            escape(document.one_line(document.difference_phrase(case))),
            *(code_span(document.call_at_difference(case, case.calls(side) or []), in_table=True)
              for side in document.shown_sides(saved)),
        ]
        rows.append(_row(cells))
    return rows


class MarkdownFormatter(Formatter):
    """``fold`` folds AutoGraph's machinery to marked comment lines (the gallery does);
    ``show_all`` folds nothing, not even the ``@sample`` declaration."""

    name = "markdown"

    def __init__(self, options: ViewOptions | None = None) -> None:
        super().__init__(options)
        self.fold = bool(self.options.fold)
        self.show_all = self.options.show_all

    def explanation(self, explanation: Explanation, conversion: Conversion | None = None,
                    helpers: Sequence[Conversion] = (), report: SampleReport | None = None) -> str:
        return format_explanation_markdown(explanation)

    def conversion(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        shown = conversion.folds.shown(machinery=self.fold and not self.show_all, declaration=not self.show_all)
        out = [f"## {code_span(conversion.name)}", ""]
        where = document.location(conversion, shown)
        if where:
            out += [f"From {code_span(where)}" + (f"; {escape(document.size(conversion, shown))}" if conversion.ok
                                                  and conversion.original else "") + ".", ""]
        out += [f"### {document.ORIGINAL_HEADING}", ""]
        if conversion.original is None:
            out += [escape(document.NO_SOURCE), ""]
        else:
            out += [fenced(document.numbered_code(conversion, shown.original, original=True)), ""]
        if conversion.ok:
            out += [
                f"### {document.CONVERTED_HEADING}", "",
                "Each line ends with `# N ◂M`: converted line N came from line M of the file.", "",
                fenced(document.numbered_code(conversion, shown.converted, original=False)),
                "",
            ]
            if conversion.notes:
                notes, again = document.listed_notes(conversion, shown)
                out += ["### Notes", ""]
                out += [
                    f"- {document.annotation_place(a)} — {code_span(a.kind)}: {escape(a.text)}"
                    for a in notes
                ]
                if again:
                    out.append(f"- Used again, explained above: {escape(again)}")
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


def format_explanation_markdown(explanation: Explanation, heading: str = "##") -> str:
    """``heading`` is the Markdown heading level to start at (a gallery page nests it deeper)."""
    out = [f"{heading} What happened: {escape(explanation.function)} ({code_span(explanation.location)})", ""]
    out += [f"- {escape(sentence)}" for sentence in explanation.summary]
    out += [f"- {escape(words)}" for words in explanation.call_sentences]
    out += ["", "| line | source | what happened | ops |", "|---:|---|---|---|"]
    for line in explanation.lines:
        facts = "; ".join(escape(badge.text) for badge in line.badges if badge.kind != "ops")
        out.append(f"| {line.line} | {code_span(line.source.strip(), in_table=True)} | {facts} | "
                   f"{escape(document.op_counts(line.ops))} |")
    return "\n".join(out) + "\n"
