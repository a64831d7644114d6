"""The gallery's pages, in HTML or Markdown: an index by topic, a page per sample, the verdicts
and the times. Like every renderer, this reads plain data and runs nothing.

Pages hold nothing that changes between two builds of the same inputs (no dates, no "cached"
marks), so an unchanged rebuild writes no file at all.
"""
from __future__ import annotations

import dataclasses
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from autoconv.gallery.model import UNTAGGED, Gallery, GallerySample
from autoconv.render import document, get_renderer
from autoconv.render.markdown import code_span
from autoconv.render.markdown import escape as markdown_escape

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.gallery.build import BuildResult
    from autoconv.gallery.model import GalleryFile

TIMES_NOTE = (
    "Check seconds are what the worker measured around each case, summed over the sample's cases: "
    "both sides (eager, then graph), each loading the sample afresh and making every call. "
    "The check does not time the two sides separately."
)


def page_name(sample: GallerySample, extension: str) -> str:
    return f"samples/{re.sub(r'[^A-Za-z0-9_.-]', '_', sample.name)}.{extension}"


def shown_location(sample: GallerySample) -> str:
    """``file.py:12``: a published gallery should not show the folders of whoever built it."""
    path, _, line = sample.location.rpartition(":")
    return f"{Path(path).name}:{line}"


def shown_conversion(sample: GallerySample) -> Conversion:
    filename = sample.conversion.filename
    return dataclasses.replace(sample.conversion, filename=Path(filename).name if filename else None)


def badges(sample: GallerySample, executed: bool) -> list[tuple[str, str, str]]:
    """(text, state, explanation) per badge; state is ok | bad | none (nothing was compared)."""
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


def check_seconds(sample: GallerySample) -> float | None:
    return sum(case.seconds for case in sample.report.cases) if sample.report else None


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


GALLERY_CSS = """
.gallery table.g-index { table-layout: fixed; }
.gallery table.g-index th:nth-child(1) { width: 34%; }
.gallery table.g-index th:nth-child(2), .gallery table.g-index th:nth-child(3) { width: 20%; }
.gallery table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1.5rem; }
.gallery th, .gallery td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid #d0d7de; }
.gallery td.num { text-align: right; font-variant-numeric: tabular-nums; }
.gallery .g-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; margin: 0 .15em .15em 0;
  font-size: .78rem; font-weight: 600; border: 1px solid; white-space: nowrap; }
.gallery .g-ok { background: #dafbe1; color: #116329; border-color: #aceebb; }
.gallery .g-bad { background: #ffebe9; color: #a40e26; border-color: #ffcecb; }
.gallery .g-none { background: #eaeef2; color: #424a53; border-color: #d0d7de; }
.gallery .g-tag { color: #59636e; font-size: .85rem; }
.gallery .g-failed { border: 1px solid #f0b4b4; background: #fff5f5; border-radius: 6px; padding: .5rem 1rem; }
"""


class HtmlPages:
    extension = "html"

    def __init__(self) -> None:
        self.renderer = get_renderer("html", standalone=False)

    def _page(self, title: str, body: str, up: str = "") -> str:
        navigation = (
            f'<nav><a href="{up}index.html">Index</a> · <a href="{up}verdicts.html">Verdicts</a> · '
            f'<a href="{up}times.html">Times</a></nav>'
        )
        return self.renderer.page(
            title, f'<style>{GALLERY_CSS}</style><main class="gallery">{navigation}{body}</main>'
        )

    @staticmethod
    def _badges(sample: GallerySample, executed: bool) -> str:
        return "".join(
            f'<span class="g-badge g-{state}" title="{escape(why)}">{escape(text)}</span>'
            for text, state, why in badges(sample, executed)
        )

    @staticmethod
    def _table(header: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset(),
               css: str = "") -> str:
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>'
                             for i, cell in enumerate(row)) + "</tr>"
            for row in rows
        )
        css_class = f' class="{css}"' if css else ""
        return f"<table{css_class}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def _link(self, sample: GallerySample) -> str:
        return f'<a href="{page_name(sample, self.extension)}">{escape(sample.title)}</a>'

    def index(self, gallery: Gallery) -> str:
        parts = [f"<h1>autoconv gallery</h1><p>{escape(totals(gallery))}</p>"]
        if gallery.failed_files:
            items = "".join(f"<li><code>{escape(f.path)}</code>: {escape(failure(f))}</li>"
                            for f in gallery.failed_files)
            parts.append(f'<div class="g-failed"><h2>Files that failed</h2><ul>{items}</ul></div>')
        for topic, samples in topics(gallery):
            rows = [[self._link(s), f"<code>{escape(s.name)}</code>",
                     f'<span class="g-tag">{escape(", ".join(s.tags))}</span>',
                     self._badges(s, gallery.executed)] for s in samples]
            parts.append(f'<h2 id="topic-{escape(topic)}">{escape(topic)}</h2>'
                         + self._table(["sample", "name", "tags", "verdicts"], rows, css="g-index"))
        return self._page("autoconv gallery", "".join(parts))

    def sample(self, gallery: Gallery, sample: GallerySample) -> str:
        facts = [f"<code>{escape(shown_location(sample))}</code>"]
        if sample.tags:
            facts.append(f'<span class="g-tag">tags: {escape(", ".join(sample.tags))}</span>')
        parts = [f"<h1>{escape(sample.title)}</h1><p>{' · '.join(facts)} · {self._badges(sample, gallery.executed)}</p>"]
        if sample.note:
            parts.append(f"<p>{escape(sample.note)}</p>")
        parts.append(self.renderer.format(shown_conversion(sample), sample.report))
        return self._page(f"{sample.title} · autoconv gallery", "".join(parts), up="../")

    def verdicts(self, gallery: Gallery) -> str:
        rows = [
            [self._link(s), f"<code>{escape(case.args)}</code>",
             f'<span class="g-badge g-{"ok" if case.ok else "bad"}">{escape(case.verdict)}</span>',
             escape(case.expected), "as expected" if case.ok else "<strong>unexpected</strong>",
             escape(document.first_difference(case))]
            for s in gallery.samples if s.report for case in s.report.cases
        ]
        table = self._table(["sample", "case", "verdict", "expected", "", "first difference"], rows)
        return self._page("Verdicts · autoconv gallery", f"<h1>Verdicts</h1><p>{escape(totals(gallery))}</p>{table}")

    def times(self, gallery: Gallery) -> str:
        rows = [[self._link(s), f"{len(s.report.cases) if s.report else 0}", f"{s.convert_seconds:.2f}",
                 _seconds(check_seconds(s))] for s in gallery.samples]
        table = self._table(["sample", "cases", "conversion s", "check s (eager + graph)"], rows, frozenset({1, 2, 3}))
        return self._page("Times · autoconv gallery", f"<h1>Execution times</h1><p>{escape(TIMES_NOTE)}</p>{table}")


def _cell(text: str) -> str:
    return markdown_escape(document.one_line(text))


class MarkdownPages:
    extension = "md"
    MARKS = {"ok": "✅", "bad": "❌", "none": "⚪"}

    def __init__(self) -> None:
        self.renderer = get_renderer("markdown")

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
        parts = [self._navigation(), "# autoconv gallery\n\n", totals(gallery), "\n\n"]
        if gallery.failed_files:
            parts.append("## Files that failed\n\n")
            parts += [f"- {code_span(f.path)}: {_cell(failure(f))}\n" for f in gallery.failed_files]
            parts.append("\n")
        for topic, samples in topics(gallery):
            rows = [[self._link(s), code_span(s.name, True), _cell(", ".join(s.tags)), self._badges(s, gallery.executed)]
                    for s in samples]
            parts += [f"## {_cell(topic)}\n\n", self._table(["sample", "name", "tags", "verdicts"], rows), "\n"]
        return "".join(parts)

    def sample(self, gallery: Gallery, sample: GallerySample) -> str:
        facts = [code_span(shown_location(sample))] + ([f"tags: {_cell(', '.join(sample.tags))}"] if sample.tags else [])
        parts = [self._navigation("../"), f"# {_cell(sample.title)}\n\n", " · ".join(facts), "\n\n",
                 self._badges(sample, gallery.executed), "\n\n"]
        if sample.note:
            parts += [markdown_escape(sample.note), "\n\n"]
        parts.append(self.renderer.format(shown_conversion(sample), sample.report))
        return "".join(parts)

    def verdicts(self, gallery: Gallery) -> str:
        rows = [
            [self._link(s), code_span(case.args, True), f"{self.MARKS['ok' if case.ok else 'bad']} {case.verdict}",
             case.expected, "as expected" if case.ok else "**unexpected**", _cell(document.first_difference(case))]
            for s in gallery.samples if s.report for case in s.report.cases
        ]
        header = ["sample", "case", "verdict", "expected", "", "first difference"]
        return f"{self._navigation()}# Verdicts\n\n{totals(gallery)}\n\n{self._table(header, rows)}"

    def times(self, gallery: Gallery) -> str:
        rows = [[self._link(s), f"{len(s.report.cases) if s.report else 0}", f"{s.convert_seconds:.2f}",
                 _seconds(check_seconds(s))] for s in gallery.samples]
        table = self._table(["sample", "cases", "conversion s", "check s (eager + graph)"], rows)
        return f"{self._navigation()}# Execution times\n\n{TIMES_NOTE}\n\n{table}"


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
