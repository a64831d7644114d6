"""The text view of an ``Explanation``: the function's source with a gutter of facts per line."""
from __future__ import annotations

from typing import TYPE_CHECKING

from autoconv.render.explain_facts import call_words, line_badges, op_list, summary

if TYPE_CHECKING:
    from autoconv.explanation.model import Explanation, Line

CODE_WIDTH = 60
OPS_WIDTH = 90


def _row(number: int, source: str, line: Line | None, width: int) -> list[str]:
    badges = line_badges(line) if line else []
    gutter = "  ".join(badge.text for badge in badges)
    code = source if len(source) <= width else source[: width - 1] + "…"
    rows = [f"{number:>5} │ {code.ljust(width)} │ {gutter}".rstrip()]
    if line and line.ops:
        ops = op_list(line)
        rows.append(f"{'':>5} │ {'':{width}} │   {ops if len(ops) <= OPS_WIDTH else ops[: OPS_WIDTH - 1] + '…'}")
    return rows


def format_explanation(explanation: Explanation) -> str:
    out = [f"autoconv explain: {explanation.function} ({explanation.location})", ""]
    out += [f"  {words}" for words in call_words(explanation)]
    out.append("")
    out += [f"  {sentence}" for sentence in summary(explanation)]
    out.append("")
    source_lines = (explanation.original or "").splitlines()
    width = min(CODE_WIDTH, max((len(text) for text in source_lines), default=20))
    shown = set()
    for offset, text in enumerate(source_lines):
        number = explanation.first_line + offset
        shown.add(number)
        out += _row(number, text, explanation.line(number), width)
    others = [line for line in explanation.lines if line.line not in shown]
    if others:
        out += ["", "lines of converted helpers in the same file:"]
        for line in others:
            out += _row(line.line, line.source, line, width)
    return "\n".join(out) + "\n"
