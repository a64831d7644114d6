"""The gallery's pages as the front-end sees them: each sample's file name, and the facts its page
shows (``GalleryPage``: the function's own line, the figures of its timings and graph), found once
here so that the renderers (``render/html.py``, ``render/markdown.py``) only lay them out.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from autoconv.gallery import figures
from autoconv.model.gallery import Gallery, GalleryPage, GallerySample, GraphFigures, GraphTableRow, TimingRow
from autoconv.render import document
from autoconv.render import gallery as gallery_text

PLAIN_PAGE_STEM = re.compile(r"[a-z0-9_][a-z0-9_.-]{0,99}")


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
    """``file.py:27``, the function's ``def`` line, as every ``file:line``: a published
    gallery should not show the folders of whoever built it."""
    path, _, line = sample.location.rpartition(":")
    conversion = sample.conversion
    if conversion.original is not None:
        line = str(conversion.folds.def_line)
    return f"{Path(path).name}:{line}"


def timing_row(timing: figures.Timing | None) -> TimingRow:
    """eager ms, graph ms, speedup, first call ms: plain text, the same in both formats."""
    if timing is None:
        return TimingRow(["-"] * 4)
    cells = [figures.milliseconds(timing.eager), figures.milliseconds(timing.graph), figures.speedup_text(timing),
             figures.milliseconds(timing.first_graph)]
    return TimingRow(cells, timing.slower)


def graph_figures(sample: GallerySample) -> GraphFigures | None:
    view = figures.graph_of(sample.report)
    if view is None:
        return None
    rows = [GraphTableRow(row.where, row.function, row.total, document.op_counts(row.ops))
            for row in figures.graph_rows(view)]
    lead = f"{figures.GRAPH_NOTE.format(args=view.args)} {figures.control_flow_summary(view)}"
    return GraphFigures(lead, rows, figures.drawing_note(view))


def gallery_page(sample: GallerySample, extension: str) -> GalleryPage:
    """What ``sample``'s page shows beyond the sample itself, its file named with ``extension``."""
    report = sample.report
    total = figures.sample_timing(report) if report else None
    return GalleryPage(
        path=page_name(sample, extension),
        location=shown_location(sample),
        timings=[timing_row(figures.case_timing(case)) for case in report.cases] if report else [],
        total=timing_row(total) if total is not None else None,
        graph=graph_figures(sample),
        timings_note=figures.TIMINGS_NOTE,
        no_graph=figures.NO_GRAPH,
        bench_command=figures.bench_command(sample.name),
        graph_command=figures.graph_command(sample.name),
    )


def download_name(gallery: Gallery, path: str) -> str:
    """A samples file's name in the gallery's page folder, where its pages link to it: its own
    name, unless another folder's file has it too."""
    name = Path(path).name
    same = [f.path for f in gallery.files if Path(f.path).name == name]
    return name if len(same) < 2 else f"{Path(path).stem}-{same.index(path) + 1}.py"


def with_pages(gallery: Gallery, extension: str) -> Gallery:
    """``gallery`` with every sample's ``GalleryPage``, its files named with ``extension``, each
    linked to its file's download and to the samples before and after it in its topic."""
    gallery.pages = {sample.name: gallery_page(sample, extension) for sample in gallery.samples}
    for gallery_file in gallery.files:
        if not Path(gallery_file.path).is_file():  # a gallery rebuilt from data alone has nothing to offer
            continue
        for sample in gallery_file.samples:
            gallery.pages[sample.name].download = download_name(gallery, gallery_file.path)
    for _, samples in gallery_text.topics(gallery):
        for before, after in zip(samples, samples[1:], strict=False):
            gallery.pages[before.name].next = after.name
            gallery.pages[after.name].previous = before.name
    return gallery
