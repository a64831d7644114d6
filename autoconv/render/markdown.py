"""GitHub-flavoured Markdown: something to paste into an issue or a README.

Code blocks have no gutter in Markdown, so each line carries its number (and, converted, its
origin) as an aligned comment where a comment cannot change the code's meaning.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from autoconv.render import Formatter, ViewOptions, document
from autoconv.render import gallery as gallery_text

if TYPE_CHECKING:
    from autoconv.model.check import SampleReport
    from autoconv.model.conversion import Conversion
    from autoconv.model.explanation import Explanation
    from autoconv.model.gallery import Gallery, GalleryPage, GallerySample

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that format text.
# An underscore between two letters or digits never starts emphasis in GFM, so it stays bare.
_SPECIAL = re.compile(r"([\\`*\[\]<>|~&]|(?<![^\W_])_|_(?![^\W_]))")


# GitHub's Markdown also makes links of bare ``scheme://``, ``www.`` and ``user@host``: their
# punctuation is escaped too, so a message can never become a link.
_AUTOLINK = re.compile(r"(?<=\w):(?=//)|(?<=\w)@(?=\w)|(?<=www)\.", re.IGNORECASE)


def escape(text: str) -> str:
    """Plain text: no emphasis, code, link, HTML or table cell starts in it."""
    return _AUTOLINK.sub(lambda m: "\\" + m.group(0), _SPECIAL.sub(r"\\\1", text))


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
                out += ["### Notes", "", *document.note_items(conversion, shown, code_span, escape), ""]
        else:
            out += [f"### {document.ERROR_HEADING}", "", f"> {escape(' '.join((conversion.error or '').split()))}", ""]
        if report is not None:
            out += [f"### Check: eager against graph ({escape(document.tally(report))})", ""]
            if report.cases:
                out += [*verdict_table(report), ""]
            else:
                out += ["No inputs were declared, so nothing ran.", ""]
        return "\n".join(out)


    # -- the gallery's pages ----------------------------------------------------------------------
    def gallery_index(self, gallery: Gallery) -> str:
        grouped = gallery_text.topics(gallery)
        jump = " · ".join(f"[{_cell(topic)}](#{_anchor(topic)}) ({len(samples)})" for topic, samples in grouped)
        parts = [_navigation(), "# autoconv gallery\n\n", escape(gallery_text.INTRODUCTION), "\n\n",
                 gallery_text.totals(gallery), "\n\n", f"Topics: {jump}\n\n",
                 f"{MARKS['bad']} marks a verdict that is not the one the sample expects.\n\n"]
        if gallery.failed_files:
            parts.append("## Files that failed\n\n")
            parts += [f"- {code_span(f.path)}: {_cell(gallery_text.failure(f))}\n" for f in gallery.failed_files]
            parts.append("\n")
        for topic, samples in grouped:
            rows = [[_link(gallery, s), code_span(s.name, True), _cell(", ".join(s.tags)),
                     _badges(s, gallery.executed)] for s in samples]
            parts += [f"## {_cell(topic)}\n\n", _table(gallery_text.INDEX_HEADER, rows), "\n"]
        return "".join(parts)

    def gallery_sample(self, gallery: Gallery, sample: GallerySample) -> str:
        page = gallery.pages[sample.name]
        facts = [code_span(page.location)] + ([f"tags: {_cell(', '.join(sample.tags))}"] if sample.tags else [])
        parts = [_navigation("../"), f"# {_cell(sample.title)}\n\n", " · ".join(facts), "\n\n",
                 _badges(sample, gallery.executed), "\n\n"]
        if sample.note:
            pattern = gallery_text.sibling_pattern(gallery, sample)
            parts += [gallery_text.linked(sample.note, pattern, escape, lambda name: (
                f"[{code_span(name)}]({gallery_text.sibling_file(gallery, name)})")), "\n\n"]
        parts.append(self.conversion(gallery_text.shown_conversion(sample), sample.report))
        if gallery_text.ran(sample):
            parts += [_explanations(sample), _timings(sample, page), _graph(page)]
        return "".join(parts)

    def gallery_verdicts(self, gallery: Gallery) -> str:
        rows = [
            [_link(gallery, s), code_span(case.args, True), f"{MARKS['ok' if case.ok else 'bad']} {case.verdict}",
             case.expected, "as expected" if case.ok else "**unexpected**", _cell(document.difference_phrase(case))]
            for s in gallery.samples if s.report for case in s.report.cases
        ]
        table = _table(gallery_text.VERDICTS_HEADER, rows)
        return f"{_navigation()}# Verdicts\n\n{gallery_text.totals(gallery)}\n\n{table}"

    def gallery_times(self, gallery: Gallery) -> str:
        rows = []
        for sample, cells, slower in gallery_text.times_rows(gallery):
            if slower:
                cells[4] = f"**{cells[4]}**"
            rows.append([_link(gallery, sample), *cells])
        note = escape(gallery_text.TIMES_NOTE).format(command=code_span(gallery_text.BENCH_ALL_COMMAND))
        return f"{_navigation()}# Execution times\n\n{note}\n\n{_table(gallery_text.TIMES_HEADER, rows)}"


# The gallery's pieces: badges, tables, links, sections.

MARKS = {"ok": "✅", "bad": "❌", "none": "⚪"}


def _badges(sample: GallerySample, executed: bool) -> str:
    return " ".join(f"{MARKS[state]} {code_span(text, True)}" for text, state, _ in gallery_text.badges(sample, executed))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return escape(document.one_line(text))


def _link(gallery: Gallery, sample: GallerySample) -> str:
    return f"[{_cell(sample.title)}]({gallery.pages[sample.name].path})"


def _navigation(up: str = "") -> str:
    return f"[Index]({up}index.md) · [Verdicts]({up}verdicts.md) · [Times]({up}times.md)\n\n"


def _anchor(topic: str) -> str:
    """The id GitHub gives a ``## topic`` heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", topic.lower()).replace(" ", "-")


def _explanations(sample: GallerySample) -> str:
    if not sample.explanations:
        return ""
    out = ["\n## What happened\n\n" + escape(gallery_text.EXPLAIN_NOTE).format(
        command=code_span(gallery_text.explain_command(sample))) + "\n"]
    for index, (case, entry) in enumerate(zip(sample.report.cases, sample.explanations, strict=False)):
        explanation = gallery_text.explanation_of(sample, index)
        out.append(f"\n### Case {index + 1}: {code_span(case.args)}\n\n")
        out.append(format_explanation_markdown(explanation, heading="####") if explanation is not None
                   else escape(entry.error or "") + "\n")
    return "".join(out)


def _timings(sample: GallerySample, page: GalleryPage) -> str:
    rows = []
    for case, timing in zip(sample.report.cases, page.timings, strict=True):
        cells = list(timing.cells)
        if timing.slower:
            cells[2] = f"**{cells[2]}**"
        rows.append([code_span(case.args, True), *cells])
    note = escape(page.timings_note).format(command=code_span(page.bench_command))
    return f"\n## Timings\n\n{note}\n\n{_table(gallery_text.TIMING_HEADER, rows)}"


def _graph(page: GalleryPage) -> str:
    graph = page.graph
    if graph is None:
        return f"\n## Graph\n\n{escape(page.no_graph)}\n"
    rows = [[_cell(row.where), code_span(row.function, True), str(row.total), _cell(row.ops)] for row in graph.rows]
    draw = f"{code_span(page.graph_command)} draws it with Graphviz."
    return f"\n## Graph\n\n{escape(graph.lead)}\n\n{_table(gallery_text.GRAPH_HEADER, rows)}\n{draw}\n"


def format_explanation_markdown(explanation: Explanation, heading: str = "##") -> str:
    """``heading`` is the Markdown heading level to start at (a gallery page nests it deeper)."""
    out = [f"{heading} What happened: {escape(explanation.function)} ({code_span(explanation.location)})", ""]
    out += [f"- {escape(sentence)}" for sentence in explanation.summary]
    out += [f"- {escape(words)}" for words in explanation.call_sentences]
    out += [f"- {escape(sentence)}" for sentence in explanation.statistics]  # the numbers after the meaning
    out += ["", "| line | source | what happened | ops |", "|---:|---|---|---|"]
    for line in explanation.lines:
        facts = "; ".join(escape(badge.text) for badge in line.badges if badge.kind != "ops")
        out.append(f"| {line.line} | {code_span(line.source.strip(), in_table=True)} | {facts} | "
                   f"{escape(document.op_counts(line.ops))} |")
    return "\n".join(out) + "\n"
