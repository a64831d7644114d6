"""What the gallery's pages say in any format: the words, the badges, the grouping by topic.

``HtmlFormatter`` and ``MarkdownFormatter`` lay these out (their ``gallery_*`` methods); the
gallery front-end (``autoconv.gallery``) finds the facts of each page, ``GalleryPage``, and
writes the files. Pages hold nothing that changes between two builds of the same inputs (no
dates, no "cached" marks), so an unchanged rebuild writes no file at all.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from autoconv.model.explanation import Explanation
from autoconv.model.gallery import Gallery, GallerySample, topic_rank
from autoconv.model.verdicts import Verdict
from autoconv.render import document

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
EXPLAIN_NOTE = ("For each case, what AutoGraph and tracing did, line by line (one fresh trace per case; "
                "the badges on the code above are case 1's). The same for any inputs: {command}.")
BENCH_ALL_COMMAND = "autoconv bench NAME"

TIMING_HEADER = ["case", "eager ms, one call", "graph ms, one call", "speedup", "graph first call ms (trace)"]
TIMES_HEADER = ["sample", "cases", "conversion s", "eager ms, one call", "graph ms, one call", "speedup",
                "graph first call ms (trace)", "check s (eager + graph)"]
GRAPH_HEADER = ["runs as", "function", "ops", "op counts"]
INDEX_HEADER = ["sample", "name", "tags", "verdicts"]
VERDICTS_HEADER = ["sample", "case", "verdict", "expected", "", "first difference"]


def explain_command(sample: GallerySample) -> str:
    return f'autoconv explain {sample.name} --args "..."'


def explanation_of(sample: GallerySample, index: int) -> Explanation | None:
    """Case ``index``'s explanation, or None when it has none (its call raised, or nothing ran)."""
    if index >= len(sample.explanations):
        return None
    return sample.explanations[index].explanation


def shown_conversion(sample: GallerySample) -> Conversion:
    """The conversion with its file's name only: a published gallery should not show the folders
    of whoever built it."""
    filename = sample.conversion.filename
    return dataclasses.replace(sample.conversion, filename=Path(filename).name if filename else None)


def sibling_file(gallery: Gallery, name: str) -> str:
    """A sibling's page file, as a link from another sample's page (they share a folder)."""
    return gallery.pages[name].path.rpartition("/")[2]


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


# Verdicts that look like breakage unless the sample expects them: their badge then says so.
ERROR_VERDICTS = frozenset(verdict.value for verdict in Verdict if verdict is not Verdict.MATCH)


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
    """Samples grouped by first tag: topics in the lesson's order (``model.gallery.TOPIC_ORDER``),
    samples in file order."""
    grouped: dict[str, list[GallerySample]] = {}
    for sample in gallery.samples:
        grouped.setdefault(sample.topic, []).append(sample)
    return sorted(grouped.items(), key=lambda item: topic_rank(item[0]))


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


def times_rows(gallery: Gallery) -> list[tuple[GallerySample, list[str], bool]]:
    """Per sample: (sample, the cells after its name, whether its graph was slower than eager)."""
    rows = []
    for sample in gallery.samples:
        total = gallery.pages[sample.name].total
        cells = [f"{len(sample.report.cases) if sample.report else 0}", f"{sample.convert_seconds:.2f}",
                 *(total.cells if total is not None else ["-"] * 4), _seconds(check_seconds(sample))]
        rows.append((sample, cells, total is not None and total.slower))
    return rows


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
