"""The HTML view of an ``Explanation``: a "what happened" summary over the side-by-side view,
with each line's facts as badges beside the original line.

The side-by-side view is ``autoconv.render.html``'s own (``section`` with its ``line_badges``
hook), so the explanation looks and links like every other page; this module adds only the badges,
the summary and their colours.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from autoconv.render.explain_facts import call_words, line_badges, note_facts, op_list, summary
from autoconv.render.html import HtmlRenderer, section

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import SampleReport
    from autoconv.explanation.model import Explanation

CSS = """
.autoconv .ac-x-staged { background: #ddf4ff; border-color: #54aeff; color: #0a3069; }
.autoconv .ac-x-python { background: #fff8c5; border-color: #d4a72c; color: #4d2d00; }
.autoconv .ac-x-trace-time { background: #ffebe9; border-color: #ff8182; color: #82071e; }
.autoconv .ac-x-ops { background: #f6f8fa; border-color: #d0d7de; color: #57606a; }
.autoconv .ac-explain-summary { margin: 0 0 1rem; padding: .6rem .9rem; border: 1px solid #d0d7de;
  border-radius: 6px; background: #f6f8fa; font-size: .9rem; }
.autoconv .ac-explain-summary h3 { margin: 0 0 .4rem; font-size: 1rem; }
.autoconv .ac-explain-summary ul { margin: .2rem 0; padding-left: 1.2rem; }
.autoconv .ac-explain-scroll { max-width: 100%; overflow-x: auto; }
.autoconv .ac-explain-lines td { vertical-align: top; padding: .15rem .4rem; }
.autoconv .ac-explain-lines .ac-badge { white-space: normal; overflow-wrap: anywhere; }
"""


def badges_by_line(explanation: Explanation) -> dict[int, list[str]]:
    """Badge HTML per file line, for ``html.section``'s ``line_badges``."""
    badges: dict[int, list[str]] = {}
    for line in explanation.lines:
        spans = []
        for badge in line_badges(line):
            title = f' title="{escape(op_list(line))}"' if badge.kind == "ops" else (
                f' title="{escape(line.statement.reason)}"' if line.statement and badge.kind in ("staged", "python")
                else "")
            spans.append(f'<span class="ac-badge ac-x-{badge.kind}"{title}>{escape(badge.text)}</span>')
        if spans:
            badges[line.line] = spans
    return badges


def summary_html(explanation: Explanation) -> str:
    items = "".join(f"<li>{escape(sentence)}</li>" for sentence in summary(explanation))
    calls = "".join(f"<li>{escape(words)}</li>" for words in call_words(explanation))
    return (f'<style>{CSS}</style><div class="autoconv"><section class="ac-explain-summary">'
            f"<h3>What happened: {escape(explanation.function)} ({escape(explanation.location)})</h3>"
            f"<ul>{items}</ul><ul>{calls}</ul></section></div>")


def _helper_views(explanation: Explanation, helpers: list[Conversion]) -> str:
    """Each converted helper's own side-by-side view, folded, with its lines' badges."""
    badges = badges_by_line(explanation)
    views = []
    for helper in helpers:
        own = {line: spans for line, spans in badges.items() if helper.filename == explanation.filename}
        views.append(f'<details class="autoconv ac-explain-helper"><summary>converted helper: '
                     f"{escape(helper.name)}</summary>{section(helper, line_badges=own)}</details>")
    return "".join(views)


def lines_table(explanation: Explanation) -> str:
    """The lines that did something, as a table: the view without the side-by-side code."""
    rows = "".join(
        f'<tr><td class="ac-n">{line.line}</td><td><code>{escape(line.source.strip())}</code></td>'
        f"<td>{''.join(badges_by_line(explanation).get(line.line, []))}</td></tr>"
        for line in explanation.lines)
    return (f'<div class="autoconv"><div class="ac-explain-scroll">'  # styled by summary_html's CSS
            f'<table class="ac-explain-lines">{rows}</table></div></div>')


def explanation_fragment(explanation: Explanation) -> str:
    """Summary and lines without a conversion: what a notebook shows for an ``Explanation``."""
    return summary_html(explanation) + lines_table(explanation)


def format_explanation_html(explanation: Explanation, conversion: Conversion,
                            report: SampleReport | None = None, *, standalone: bool = True,
                            helpers: list[Conversion] | None = None) -> str:
    body = (summary_html(explanation) + section(conversion, report, line_badges=badges_by_line(explanation),
                                                facts=note_facts(explanation, conversion.first_line))
            + _helper_views(explanation, helpers or []))
    renderer = HtmlRenderer(standalone=standalone)
    return renderer.page(f"autoconv explain: {explanation.function}", body) if standalone else body
