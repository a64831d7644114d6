"""The Markdown view of an ``Explanation``: the summary, then a table of the lines that did something."""
from __future__ import annotations

from typing import TYPE_CHECKING

from autoconv.render.explain_facts import call_words, line_badges, op_list, summary
from autoconv.render.markdown import code_span, escape

if TYPE_CHECKING:
    from autoconv.explanation.model import Explanation


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
