"""The gallery's pages, in HTML or Markdown: an index by topic, a page per sample, the verdicts
and the times. Like every renderer, this reads plain data and runs nothing.

Pages hold nothing that changes between two builds of the same inputs (no dates, no "cached"
marks), so an unchanged rebuild writes no file at all.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from autoconv.gallery import figures
from autoconv.model.check import Verdict
from autoconv.model.explanation import Explanation
from autoconv.model.gallery import UNTAGGED, Gallery, GallerySample
from autoconv.render import ViewOptions, document, get_formatter
from autoconv.render.assets import verdict_css
from autoconv.render.html import badges_by_line, lines_table, summary_html
from autoconv.render.html_report import unbroken
from autoconv.render.markdown import code_span, format_explanation_markdown
from autoconv.render.markdown import escape as markdown_escape

if TYPE_CHECKING:
    from autoconv.model.conversion import Conversion
    from autoconv.model.gallery import BuildResult, GalleryFile

TIMES_NOTE = (
    "Eager, graph and first call are single calls timed by the check, not a benchmark, summed over a "
    "sample's cases that have both figures: eager is the eager side's last call, graph the graph side's "
    "last call (already traced), and the graph's first call includes its trace. A speedup (eager / graph) "
    "is given only when every call summed took at least 1 ms; a single shorter call is mostly noise. "
    "Check seconds are what the worker measured around each whole case, summed: both sides (eager, then "
    "graph), each loading the sample afresh and making every call. For medians over many repeats after "
    "warm-up calls, with their spread, run {command}."
)
INTRODUCTION = (
    "Each page shows a Python function beside what TensorFlow AutoGraph makes of it, line linked to "
    "line, with notes on what each construct does, and the check's verdict: the function run eagerly "
    "against the same function run as a graph, call by call. Pick a topic, or filter by name, tag or "
    "verdict."
)
NO_SCRIPT_FILTER = "(the filter needs JavaScript; every sample is listed below)"


PLAIN_PAGE_STEM = re.compile(r"[a-z0-9_][a-z0-9_.-]{0,99}")


EXPLAIN_NOTE = ("For each case, what AutoGraph and tracing did, line by line (one fresh trace per case; "
                "the badges on the code above are case 0's). The same for any inputs: {command}.")


def explanation_of(sample: GallerySample, index: int) -> Explanation | None:
    """Case ``index``'s explanation, or None when it has none (its call raised, or nothing ran)."""
    if index >= len(sample.explanations) or "explanation" not in sample.explanations[index]:
        return None
    return Explanation.from_data(sample.explanations[index]["explanation"])


def page_stem(name: str) -> str:
    """A sample's page file name, extension aside: the name itself when it is plain lower-case ASCII.

    Any other name gets a readable stand-in plus a hash of the exact name (after ``~``, which no
    plain name holds), so ``a<b`` and ``a>b``, or ``Foo`` and ``foo`` on a case-insensitive disk,
    never share a page, and a page keeps its address whatever other samples exist.
    """
    if PLAIN_PAGE_STEM.fullmatch(name):
        return name
    readable = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:80]
    return f"{readable}~{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def page_name(sample: GallerySample, extension: str) -> str:
    return f"samples/{page_stem(sample.name)}.{extension}"


def shown_location(sample: GallerySample) -> str:
    """``file.py:27``, the function's own line (past its ``@sample`` declaration): a published
    gallery should not show the folders of whoever built it."""
    path, _, line = sample.location.rpartition(":")
    conversion = sample.conversion
    if conversion.original is not None:
        line = str(conversion.folds.function_start)
    return f"{Path(path).name}:{line}"


def shown_conversion(sample: GallerySample) -> Conversion:
    filename = sample.conversion.filename
    return dataclasses.replace(sample.conversion, filename=Path(filename).name if filename else None)


def badges(sample: GallerySample, executed: bool) -> list[tuple[str, str, str]]:
    """(text, state, explanation) per badge; state is ok | bad | none (nothing was compared).

    The text is the verdict and picks the badge's colour; the state is the separate as-expected mark.
    """
    found = [] if sample.conversion.ok else [("not converted", "none", sample.conversion.error or "")]
    if not executed:
        return [*found, ("not run", "none", "built with --no-exec")]
    if not sample.has_inputs:
        return [*found, ("no inputs", "none", "the sample declares no inputs, so nothing ran")]
    if sample.report is None:
        return [*found, ("not checked", "bad", "the check of this file failed; see the index")]
    return found + [
        (case.verdict, "ok" if case.ok else "bad", f"{case.args}: {case.verdict}, expected {case.expected}")
        for case in sample.report.cases
    ]


def verdict_class(text: str) -> str:
    """The badge colour: its verdict's own, or the grey of "nothing was compared"."""
    return f"ac-v-{text}" if text in {verdict.value for verdict in Verdict} else "ac-v-none"


def sibling_pattern(gallery: Gallery, sample: GallerySample) -> re.Pattern[str] | None:
    """Other samples' names as whole words, longest first, so a note's "as in match_rewritten" links."""
    names = sorted({s.name for s in gallery.samples if s.name != sample.name}, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, names)) + r")(?![\w])") if names else None


def linked(text: str, pattern: re.Pattern[str] | None, escape_text: Callable[[str], str],
           link: Callable[[str], str]) -> str:
    """``text`` escaped, with each match of ``pattern`` (a sibling's name) replaced by ``link(name)``."""
    if pattern is None:
        return escape_text(text)
    pieces = pattern.split(text)  # the names sit at the odd indexes (one capturing group)
    return "".join(link(piece) if index % 2 else escape_text(piece) for index, piece in enumerate(pieces))


def topics(gallery: Gallery) -> list[tuple[str, list[GallerySample]]]:
    """Samples grouped by first tag: topics alphabetically, untagged last, samples in file order."""
    grouped: dict[str, list[GallerySample]] = {}
    for sample in gallery.samples:
        grouped.setdefault(sample.topic, []).append(sample)
    return sorted(grouped.items(), key=lambda item: (item[0] == UNTAGGED, item[0]))


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def totals(gallery: Gallery) -> str:
    text = f"{counted(len(gallery.samples), 'sample')} from {counted(len(gallery.files), 'file')}, " \
           f"TensorFlow {gallery.tensorflow}"
    if not gallery.executed:
        return text + "; not run (built with --no-exec)"
    return text + f"; {counted(gallery.cases, 'case')}: {gallery.cases - gallery.unexpected} as expected, " \
                  f"{gallery.unexpected} unexpected"


def failure(gallery_file: GalleryFile) -> str:
    if gallery_file.error is not None:
        return f"failed to load: {gallery_file.error}"
    return f"converted, but the check failed: {gallery_file.check_error}"


def ran(sample: GallerySample) -> bool:
    """Some case ran, so there are timings and, unless tracing failed, a graph to show."""
    return bool(sample.report and sample.report.cases)


def check_seconds(sample: GallerySample) -> float | None:
    return sum(case.seconds for case in sample.report.cases) if sample.report else None


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


TIMING_HEADER = ["case", "eager ms, one call", "graph ms, one call", "speedup", "graph first call ms (trace)"]
TIMES_HEADER = ["sample", "cases", "conversion s", "eager ms, one call", "graph ms, one call", "speedup",
                "graph first call ms (trace)", "check s (eager + graph)"]
GRAPH_HEADER = ["runs as", "function", "ops", "op counts"]


def timing_cells(timing: figures.Timing | None) -> list[str]:
    """eager ms, graph ms, speedup, first call ms: plain text, the same in both formats."""
    if timing is None:
        return ["-"] * 4
    return [figures.milliseconds(timing.eager), figures.milliseconds(timing.graph), figures.speedup_text(timing),
            figures.milliseconds(timing.first_graph)]


def times_rows(gallery: Gallery) -> list[tuple[GallerySample, list[str], bool]]:
    """Per sample: (sample, the cells after its name, whether its graph was slower than eager)."""
    rows = []
    for sample in gallery.samples:
        timing = figures.sample_timing(sample.report) if sample.report else None
        cells = [f"{len(sample.report.cases) if sample.report else 0}", f"{sample.convert_seconds:.2f}",
                 *timing_cells(timing), _seconds(check_seconds(sample))]
        rows.append((sample, cells, timing is not None and timing.slower))
    return rows


GALLERY_CSS = """
.gallery { max-width: 100%; overflow-wrap: normal; }
.gallery h1, .gallery h2 { overflow-wrap: anywhere; }  /* a title may hold a long identifier */
.gallery table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1.5rem; }
.gallery .g-scroll { overflow-x: auto; max-width: 100%; }
.gallery th, .gallery td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid #d0d7de; }
.gallery td.num { text-align: right; font-variant-numeric: tabular-nums; }
.gallery .g-nowrap, .gallery .ac-w { white-space: nowrap; }
.gallery .g-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; margin: 0 .15em .15em 0;
  font-size: .78rem; font-weight: 600; border: 1px solid; white-space: nowrap; }
.gallery .g-mark-bad { color: #cf222e; font-weight: 700; }
.gallery .g-mark-ok { color: #1a7f37; font-weight: 700; }
.gallery .g-tag { color: #59636e; font-size: .85rem; }
.gallery .g-intro { max-width: 80ch; }
.gallery .g-topics { display: flex; flex-wrap: wrap; gap: .3rem .8rem; margin: .5rem 0; }
.gallery .g-filter { margin: .8rem 0; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.gallery .g-filter[hidden] { display: none; }
.gallery .g-filter input { font: inherit; padding: .25rem .5rem; border: 1px solid #d0d7de; border-radius: 6px;
  width: min(24rem, 100%); }
.gallery .g-legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .5rem 0 1rem; padding: 0;
  list-style: none; font-size: .85rem; color: #424a53; }
.gallery tr[hidden], .gallery section[hidden] { display: none; }
.gallery .g-failed { border: 1px solid #f0b4b4; background: #fff5f5; border-radius: 6px; padding: .5rem 1rem; }
.gallery tr.g-slower td { background: #fff8c5; }
.gallery .g-note { color: #59636e; font-size: .9rem; }
.gallery .g-drawing { overflow: auto; max-height: 80vh; border: 1px solid #d0d7de; border-radius: 6px;
  padding: .5rem; margin: .5rem 0 1.5rem; }
.gallery .g-drawing svg { max-width: 100%; height: auto; }
.gallery nav { display: flex; flex-wrap: wrap; gap: .2rem .6rem; }
@media (max-width: 640px) {
  .gallery table.g-index, .gallery table.g-index tbody { display: block; }
  .gallery table.g-index thead { display: none; }
  .gallery table.g-index tr { display: block; border: 1px solid #d0d7de; border-radius: 8px; background: #fff;
    margin: 0 0 .6rem; padding: .4rem .6rem; }
  .gallery table.g-index td { display: block; border: 0; padding: .1rem 0; }
  .gallery table.g-index td:first-child { font-weight: 600; }
}
""" + verdict_css("gallery")

# The index's filter: hides the rows (and topics) that do not hold every word typed. Without a
# script the box stays hidden and every sample is listed, so the page still reads.
FILTER_JS = """
(function () {
  "use strict";
  var form = document.querySelector(".gallery .g-filter"), box = form && form.querySelector("input");
  if (!box) { return; }
  form.hidden = false;
  var count = form.querySelector(".g-count");
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    document.querySelectorAll(".gallery tr[data-filter]").forEach(function (row) {
      var text = row.getAttribute("data-filter");
      row.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
      shown += row.hidden ? 0 : 1;
    });
    document.querySelectorAll(".gallery section.g-topic").forEach(function (topic) {
      topic.hidden = !topic.querySelector("tr[data-filter]:not([hidden])");
    });
    count.textContent = words.length ? shown + " shown" : "";
  });
})();
"""


class HtmlPages:
    extension = "html"

    def __init__(self) -> None:
        self.renderer = get_formatter("html", ViewOptions(standalone=False))

    def _page(self, title: str, body: str, up: str = "", script: str = "") -> str:
        navigation = (
            f'<nav><a href="{up}index.html">Index</a> · <a href="{up}verdicts.html">Verdicts</a> · '
            f'<a href="{up}times.html">Times</a></nav>'
        )
        script = f"<script>{script}</script>" if script else ""
        return self.renderer.page(
            title, f'<style>{GALLERY_CSS}</style><main class="gallery">{navigation}{body}</main>{script}'
        )

    @staticmethod
    def _badge(text: str, state: str, why: str = "") -> str:
        """The verdict's colour; an unexpected one also carries the ✗ mark (colour never says it)."""
        mark = '<span class="g-mark-bad" aria-label="unexpected">✗</span> ' if state == "bad" else ""
        title = f' title="{escape(why)}"' if why else ""
        return f'<span class="g-badge {verdict_class(text)}"{title}>{mark}{escape(text)}</span>'

    def _badges(self, sample: GallerySample, executed: bool) -> str:
        return "".join(self._badge(text, state, why) for text, state, why in badges(sample, executed))

    @staticmethod
    def _table(header: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset(),
               css: str = "", slower: frozenset[int] = frozenset(), filters: list[str] | None = None) -> str:
        """``slower``: the rows (by index) where the graph took longer than eager, highlighted;
        ``filters``: per row, the words the index's filter box matches."""
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join(
            "<tr" + (' class="g-slower"' if index in slower else "")
            + (f' data-filter="{escape(filters[index])}"' if filters else "") + ">"
            + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>' for i, cell in enumerate(row))
            + "</tr>"
            for index, row in enumerate(rows)
        )
        css_class = f' class="{css}"' if css else ""
        return f'<div class="g-scroll"><table{css_class}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'

    def _link(self, sample: GallerySample) -> str:
        return f'<a href="{page_name(sample, self.extension)}">{escape(sample.title)}</a>'

    def _legend(self) -> str:
        items = "".join(f"<li>{self._badge(verdict, 'ok')} {escape(verdict.meaning)}</li>" for verdict in Verdict)
        return (f'<ul class="g-legend" aria-label="Verdicts">{items}<li><span class="g-mark-bad">✗</span> '
                "marks a verdict that is not the one the sample expects</li></ul>")

    def index(self, gallery: Gallery) -> str:
        grouped = topics(gallery)
        jump = "".join(f'<span><a href="#topic-{escape(topic)}">{escape(topic)}</a>&nbsp;({len(samples)})</span>'
                       for topic, samples in grouped)
        parts = [
            f'<h1>autoconv gallery</h1><p class="g-intro">{escape(INTRODUCTION)}</p><p>{escape(totals(gallery))}</p>',
            f'<nav class="g-topics" aria-label="Topics">{jump}</nav>',
            '<div class="g-filter" hidden><label for="g-filter">Filter</label>'
            '<input type="search" id="g-filter" placeholder="name, tag or verdict">'
            '<span class="g-count" aria-live="polite"></span></div>',
            self._legend(),
        ]
        if gallery.failed_files:
            items = "".join(f"<li><code>{escape(f.path)}</code>: {escape(failure(f))}</li>"
                            for f in gallery.failed_files)
            parts.append(f'<div class="g-failed"><h2>Files that failed</h2><ul>{items}</ul></div>')
        for topic, samples in grouped:
            rows = [[self._link(s), f"<code>{escape(s.name)}</code>",
                     f'<span class="g-tag">{unbroken(", ".join(s.tags))}</span>',
                     self._badges(s, gallery.executed)] for s in samples]
            filters = [" ".join([s.name, s.title, *s.tags, *(text for text, _, _ in badges(s, gallery.executed))]).lower()
                       for s in samples]
            parts.append(f'<section class="g-topic"><h2 id="topic-{escape(topic)}">{escape(topic)}</h2>'
                         + self._table(["sample", "name", "tags", "verdicts"], rows, css="g-index", filters=filters)
                         + "</section>")
        return self._page("autoconv gallery", "".join(parts), script=FILTER_JS)

    def _note(self, gallery: Gallery, sample: GallerySample) -> str:
        """The sample's note, with the names of sibling samples made links to their pages."""
        return linked(sample.note, sibling_pattern(gallery, sample), escape,
                      lambda name: f'<a href="{escape(page_stem(name))}.html"><code>{escape(name)}</code></a>')

    def sample(self, gallery: Gallery, sample: GallerySample) -> str:
        facts = [f"<code>{escape(shown_location(sample))}</code>"]
        if sample.tags:
            facts.append(f'<span class="g-tag">tags: {escape(", ".join(sample.tags))}</span>')
        parts = [f"<h1>{escape(sample.title)}</h1><p>{' · '.join(facts)} · {self._badges(sample, gallery.executed)}</p>"]
        if sample.note:
            parts.append(f"<p>{self._note(gallery, sample)}</p>")
        first, conversion = explanation_of(sample, 0), shown_conversion(sample)
        badges = badges_by_line(first) if first is not None else None
        if first is not None:
            conversion = conversion.with_facts(first.facts())
        parts.append(self.renderer.conversion(conversion, sample.report, line_badges=badges))
        if ran(sample):
            parts += [self._explanations(sample), self._timings(sample), self._graph(sample)]
        return self._page(f"{sample.title} · autoconv gallery", "".join(parts), up="../")

    def _explanations(self, sample: GallerySample) -> str:
        """What tracing did for each case (``autoconv explain``): the badges on the view are case 0's."""
        if not sample.explanations:
            return ""
        blocks = []
        for index, (case, entry) in enumerate(zip(sample.report.cases, sample.explanations, strict=False)):
            explanation = explanation_of(sample, index)
            body = (summary_html(explanation) + lines_table(explanation) if explanation is not None
                    else f'<p class="g-note">{escape(entry.get("error", ""))}</p>')
            blocks.append(f"<details{' open' if index == 0 else ''}><summary>case {index}: "
                          f"<code>{unbroken(case.args)}</code></summary>{body}</details>")
        note = escape(EXPLAIN_NOTE).format(command=self._command(f'autoconv explain {sample.name} --args "..."'))
        return f'<h2 id="explain">What happened</h2><p class="g-note">{note}</p>' + "".join(blocks)

    @staticmethod
    def _command(command: str) -> str:
        return f"<code>{escape(command)}</code>"

    def _timings(self, sample: GallerySample) -> str:
        timings = [figures.case_timing(case) for case in sample.report.cases]
        rows = [[f"<code>{unbroken(case.args)}</code>", *map(escape, timing_cells(timing))]
                for case, timing in zip(sample.report.cases, timings, strict=True)]
        slower = frozenset(index for index, timing in enumerate(timings) if timing.slower)
        note = escape(figures.TIMINGS_NOTE).format(command=self._command(figures.bench_command(sample.name)))
        return (f'<h2 id="timings">Timings</h2><p class="g-note">{note}</p>'
                + self._table(TIMING_HEADER, rows, frozenset({1, 2, 3, 4}), slower=slower))

    def _graph(self, sample: GallerySample) -> str:
        view = figures.graph_of(sample.report)
        if view is None:
            return f'<h2 id="graph">Graph</h2><p class="g-note">{escape(figures.NO_GRAPH)}</p>'
        rows = [[unbroken(row.where), f"<code>{escape(row.function)}</code>" if row.function else "", str(row.total),
                 unbroken(figures.op_counts(row.ops))] for row in figures.graph_rows(view)]
        if sample.graph_svg:
            drawing = f'<div class="g-drawing">{sample.graph_svg}</div>'
        else:
            note = escape(figures.drawing_note(view)).format(command=self._command(figures.graph_command(sample.name)))
            drawing = f'<p class="g-note">{note}</p>'
        return (f'<h2 id="graph">Graph</h2><p>{escape(figures.GRAPH_NOTE.format(args=view["args"]))} '
                f"{escape(figures.control_flow_summary(view))}</p>"
                + self._table(GRAPH_HEADER, rows, frozenset({2})) + drawing)

    def verdicts(self, gallery: Gallery) -> str:
        rows = [
            [self._link(s), f"<code>{unbroken(case.args)}</code>",
             self._badge(case.verdict, "ok" if case.ok else "bad"), self._badge(case.expected, "ok"),
             '<span class="g-nowrap">as expected</span>' if case.ok else '<strong class="g-nowrap">unexpected</strong>',
             unbroken(document.difference_phrase(case))]
            for s in gallery.samples if s.report for case in s.report.cases
        ]
        table = self._table(["sample", "case", "verdict", "expected", "", "first difference"], rows)
        return self._page("Verdicts · autoconv gallery", f"<h1>Verdicts</h1><p>{escape(totals(gallery))}</p>{table}")

    def times(self, gallery: Gallery) -> str:
        measured = times_rows(gallery)
        rows = [[self._link(sample), *map(escape, cells)] for sample, cells, _ in measured]
        slower = frozenset(index for index, (_, _, is_slower) in enumerate(measured) if is_slower)
        table = self._table(TIMES_HEADER, rows, frozenset(range(1, len(TIMES_HEADER))), slower=slower)
        note = escape(TIMES_NOTE).format(command=self._command("autoconv bench NAME"))
        return self._page("Times · autoconv gallery", f"<h1>Execution times</h1><p>{note}</p>{table}")


def _markdown_link(name: str) -> str:
    return f"[{code_span(name)}]({page_stem(name)}.md)"


def _anchor(topic: str) -> str:
    """The id GitHub gives a ``## topic`` heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", topic.lower()).replace(" ", "-")


def _cell(text: str) -> str:
    return markdown_escape(document.one_line(text))


class MarkdownPages:
    extension = "md"
    MARKS = {"ok": "✅", "bad": "❌", "none": "⚪"}

    def __init__(self) -> None:
        self.renderer = get_formatter("markdown", ViewOptions(fold=True))

    def _badges(self, sample: GallerySample, executed: bool) -> str:
        return " ".join(f"{self.MARKS[state]} {code_span(text, True)}" for text, state, _ in badges(sample, executed))

    @staticmethod
    def _table(header: list[str], rows: list[list[str]]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"

    def _link(self, sample: GallerySample, up: str = "") -> str:
        return f"[{_cell(sample.title)}]({up}{page_name(sample, self.extension)})"

    @staticmethod
    def _navigation(up: str = "") -> str:
        return f"[Index]({up}index.md) · [Verdicts]({up}verdicts.md) · [Times]({up}times.md)\n\n"

    def index(self, gallery: Gallery) -> str:
        grouped = topics(gallery)
        jump = " · ".join(f"[{_cell(topic)}](#{_anchor(topic)}) ({len(samples)})" for topic, samples in grouped)
        parts = [self._navigation(), "# autoconv gallery\n\n", markdown_escape(INTRODUCTION), "\n\n",
                 totals(gallery), "\n\n", f"Topics: {jump}\n\n",
                 f"{self.MARKS['bad']} marks a verdict that is not the one the sample expects.\n\n"]
        if gallery.failed_files:
            parts.append("## Files that failed\n\n")
            parts += [f"- {code_span(f.path)}: {_cell(failure(f))}\n" for f in gallery.failed_files]
            parts.append("\n")
        for topic, samples in grouped:
            rows = [[self._link(s), code_span(s.name, True), _cell(", ".join(s.tags)), self._badges(s, gallery.executed)]
                    for s in samples]
            parts += [f"## {_cell(topic)}\n\n", self._table(["sample", "name", "tags", "verdicts"], rows), "\n"]
        return "".join(parts)

    def sample(self, gallery: Gallery, sample: GallerySample) -> str:
        facts = [code_span(shown_location(sample))] + ([f"tags: {_cell(', '.join(sample.tags))}"] if sample.tags else [])
        parts = [self._navigation("../"), f"# {_cell(sample.title)}\n\n", " · ".join(facts), "\n\n",
                 self._badges(sample, gallery.executed), "\n\n"]
        if sample.note:
            parts += [linked(sample.note, sibling_pattern(gallery, sample), markdown_escape, _markdown_link), "\n\n"]
        parts.append(self.renderer.conversion(shown_conversion(sample), sample.report))
        if ran(sample):
            parts += [self._explanations(sample), self._timings(sample), self._graph(sample)]
        return "".join(parts)

    def _explanations(self, sample: GallerySample) -> str:
        if not sample.explanations:
            return ""
        out = ["\n## What happened\n\n" + markdown_escape(EXPLAIN_NOTE).format(
            command=code_span(f'autoconv explain {sample.name} --args "..."')) + "\n"]
        for index, (case, entry) in enumerate(zip(sample.report.cases, sample.explanations, strict=False)):
            explanation = explanation_of(sample, index)
            out.append(f"\n### Case {index}: {code_span(case.args)}\n\n")
            out.append(format_explanation_markdown(explanation, heading="####") if explanation is not None
                       else markdown_escape(entry.get("error", "")) + "\n")
        return "".join(out)

    def _timings(self, sample: GallerySample) -> str:
        rows = []
        for case in sample.report.cases:
            timing = figures.case_timing(case)
            cells = timing_cells(timing)
            if timing.slower:
                cells[2] = f"**{cells[2]}**"
            rows.append([code_span(case.args, True), *cells])
        note = markdown_escape(figures.TIMINGS_NOTE).format(command=code_span(figures.bench_command(sample.name)))
        return f"\n## Timings\n\n{note}\n\n{self._table(TIMING_HEADER, rows)}"

    def _graph(self, sample: GallerySample) -> str:
        view = figures.graph_of(sample.report)
        if view is None:
            return f"\n## Graph\n\n{markdown_escape(figures.NO_GRAPH)}\n"
        rows = [[_cell(row.where), code_span(row.function, True), str(row.total), _cell(figures.op_counts(row.ops))]
                for row in figures.graph_rows(view)]
        lead = f"{figures.GRAPH_NOTE.format(args=view['args'])} {figures.control_flow_summary(view)}"
        draw = f"{code_span(figures.graph_command(sample.name))} draws it with Graphviz."
        return f"\n## Graph\n\n{markdown_escape(lead)}\n\n{self._table(GRAPH_HEADER, rows)}\n{draw}\n"

    def verdicts(self, gallery: Gallery) -> str:
        rows = [
            [self._link(s), code_span(case.args, True), f"{self.MARKS['ok' if case.ok else 'bad']} {case.verdict}",
             case.expected, "as expected" if case.ok else "**unexpected**", _cell(document.difference_phrase(case))]
            for s in gallery.samples if s.report for case in s.report.cases
        ]
        header = ["sample", "case", "verdict", "expected", "", "first difference"]
        return f"{self._navigation()}# Verdicts\n\n{totals(gallery)}\n\n{self._table(header, rows)}"

    def times(self, gallery: Gallery) -> str:
        rows = []
        for sample, cells, slower in times_rows(gallery):
            if slower:
                cells[4] = f"**{cells[4]}**"
            rows.append([self._link(sample), *cells])
        note = markdown_escape(TIMES_NOTE).format(command=code_span("autoconv bench NAME"))
        return f"{self._navigation()}# Execution times\n\n{note}\n\n{self._table(TIMES_HEADER, rows)}"


PAGES = {"html": HtmlPages, "markdown": MarkdownPages}


def render_pages(gallery: Gallery, fmt: str) -> dict[str, str]:
    """Every page of the gallery: relative path -> text."""
    pages = PAGES[fmt]()
    rendered = {
        f"index.{pages.extension}": pages.index(gallery),
        f"verdicts.{pages.extension}": pages.verdicts(gallery),
        f"times.{pages.extension}": pages.times(gallery),
    }
    for sample in gallery.samples:
        rendered[page_name(sample, pages.extension)] = pages.sample(gallery, sample)
    return rendered


def summary(result: BuildResult) -> str:
    """What ``autoconv docs`` prints: short when all went as expected, precise when not."""
    gallery = result.gallery
    cached = sum(f.cached for f in gallery.files)
    lines = [
        f"{totals(gallery)}\n{counted(len(result.rebuilt), 'file')} rebuilt, {cached} cached; "
        f"{counted(len(result.written), 'page')} written, {len(result.removed)} removed; {gallery.seconds:.1f} s"
    ]
    lines += [f"unexpected: {s.name} {case.args}: {case.verdict} (expected {case.expected})"
              for s in gallery.samples if s.report for case in s.report.cases if not case.ok]
    lines += [f"failed: {f.path}: {document.one_line(failure(f))}" for f in gallery.failed_files]
    if gallery.failed_files:
        failed = counted(len(gallery.failed_files), "samples file")
        lines.append(f"{failed} failed; the rest was built (exit status 1)")
    lines.append(f"index: {result.index}")
    return "\n".join(lines) + "\n"
