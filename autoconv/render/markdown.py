"""GitHub-flavoured Markdown: something to paste into an issue or a README.

Code blocks have no gutter in Markdown, so each line carries its number (and, converted, its
origin) as an aligned comment where a comment cannot change the code's meaning.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from autoconv import folding
from autoconv.render import Formatter, ViewOptions, document
from autoconv.render.explain_facts import call_words, line_badges, op_list, summary

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
        named = dict(document.sides(case))
        cells = [
            code_span(case.args, in_table=True),
            escape(case.verdict),
            escape(case.expected),
            "✓" if case.ok else "✗",
            escape(document.one_line(document.difference_phrase(case))),
            *(code_span(document.call_at_difference(case, named.get(side, [])), in_table=True)
              for side in ("eager", "graph")),
        ]
        if saved:
            cells.append(code_span(document.call_at_difference(case, named.get("saved", [])), in_table=True))
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
        shown = folding.fold(conversion, machinery=self.fold and not self.show_all, declaration=not self.show_all)
        out = [f"## {code_span(conversion.name)}", ""]
        where = document.location(conversion, shown)
        if where:
            out += [f"From {code_span(where)}" + (f"; {escape(document.size(conversion, shown))}" if conversion.ok
                                                  and conversion.original else "") + ".", ""]
        out += [f"### {document.ORIGINAL_HEADING}", ""]
        if conversion.original is None:
            out += [escape(document.NO_SOURCE), ""]
        else:
            out += [fenced(_numbered(conversion, shown.original, original=True)), ""]
        if conversion.ok:
            out += [
                f"### {document.CONVERTED_HEADING}", "",
                "Each line ends with `# N ◂M`: converted line N came from line M of the file.", "",
                fenced(_numbered(conversion, shown.converted, original=False)),
                "",
            ]
            if document.notes(conversion):
                hidden = {line for fold in shown.converted for line in range(fold.first, fold.last + 1)}
                notes, again = document.notes_shown(document.notes(conversion), hidden)
                out += ["### Notes", ""]
                out += [
                    f"- {document.annotation_place(a, conversion)} — {code_span(a.kind)}: {escape(a.text)}"
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


def _numbered(conversion: Conversion, folds: tuple, original: bool) -> str:
    """The code with its numbers as comments: file lines for the original, ``N ◂M`` converted."""
    source = conversion.original if original else conversion.converted
    lines = document.folded_lines(source, folds, as_comment=not original)
    labels = {}
    for index, (first, last, _) in enumerate(lines, 1):
        if original:
            first, last = document.file_line(conversion, first), document.file_line(conversion, last)
            labels[index] = str(first) if first == last else f"{first}–{last}"
            continue
        fold = folding.Folding.at(folds, first)
        origin = fold.origin if fold is not None else conversion.line_map.get(first)
        numbers = str(first) if first == last else f"{first}–{last}"
        labels[index] = numbers + (f" ◂{document.file_line(conversion, origin)}" if origin else "")
    return document.with_line_comments("\n".join(text for _, _, text in lines) + "\n", labels)


def format_explanation_markdown(explanation: Explanation, heading: str = "##") -> str:
    """``heading`` is the Markdown heading level to start at (a gallery page nests it deeper)."""
    out = [f"{heading} What happened: {escape(explanation.function)} ({code_span(explanation.location)})", ""]
    out += [f"- {escape(sentence)}" for sentence in summary(explanation)]
    out += [f"- {escape(words)}" for words in call_words(explanation)]
    out += ["", "| line | source | what happened | ops |", "|---:|---|---|---|"]
    for line in explanation.lines:
        facts = "; ".join(escape(badge.text) for badge in line_badges(line) if badge.kind != "ops")
        out.append(f"| {line.line} | {code_span(line.source.strip(), in_table=True)} | {facts} | "
                   f"{escape(op_list(line))} |")
    return "\n".join(out) + "\n"
