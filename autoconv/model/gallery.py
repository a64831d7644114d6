"""The gallery as plain data: files, their samples, each with its conversion and verdicts.

One ``GalleryFile`` is also the cache's unit: it is stored as ``to_dict`` and read back as is.
``GalleryPage`` is what the gallery front-end found for one sample's page (where it goes, the
figures of its run), so the renderers only lay it out. ``BuildResult`` is what one
``autoconv docs`` build did, for its summary.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoconv.model.check import SampleReport
from autoconv.model.conversion import Conversion
from autoconv.model.explanation import CaseExplanation

UNTAGGED = "other"
# The gallery's topics (a sample's first tag) in the order of the lesson: how tracing works first,
# what AutoGraph cannot do last; any other topic sits between, alphabetically, untagged samples at the end.
TOPIC_ORDER = ("tracing", "conditionals", "for-loops", "while-loops", "variables", "collections", "functions",
               "rules", "unsupported-syntax")
TOPICS_LAST = ("limitations",)


def topic_rank(topic: str) -> tuple[int, int, str]:
    """Sorts topics in the lesson's order (``TOPIC_ORDER``, then the rest, ``TOPICS_LAST``, untagged)."""
    if topic in TOPIC_ORDER:
        return (0, TOPIC_ORDER.index(topic), "")
    if topic == UNTAGGED:
        return (3, 0, "")
    return (2, TOPICS_LAST.index(topic), "") if topic in TOPICS_LAST else (1, 0, topic)


@dataclass
class GallerySample:
    """``report`` is None when nothing ran: ``--no-exec``, no inputs, or a check that failed.
    ``graph_svg`` is the drawing of case 0's graph (HTML galleries, Graphviz installed)."""

    name: str
    title: str
    tags: list[str]
    note: str
    location: str
    has_inputs: bool
    conversion: Conversion
    report: SampleReport | None = None
    convert_seconds: float = 0.0
    graph_svg: str | None = None
    explanations: list[CaseExplanation] = field(default_factory=list)  # per case, what its trace did

    @property
    def topic(self) -> str:
        """The first tag groups a sample on the index."""
        return self.tags[0] if self.tags else UNTAGGED

    @property
    def unexpected(self) -> int:
        return sum(not case.ok for case in self.report.cases) if self.report else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "tags": self.tags, "note": self.note,
            "location": self.location, "has_inputs": self.has_inputs,
            "conversion": self.conversion.to_dict(),
            "report": self.report.to_dict() if self.report else None,
            "convert_seconds": self.convert_seconds,
            "graph_svg": self.graph_svg,
            "explanations": [explained.to_dict() for explained in self.explanations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GallerySample:
        return cls(
            name=data["name"], title=data["title"], tags=list(data["tags"]), note=data["note"],
            location=data["location"], has_inputs=data["has_inputs"],
            conversion=Conversion.from_dict(data["conversion"]),
            report=SampleReport.from_dict(data["report"]) if data["report"] else None,
            convert_seconds=data["convert_seconds"],
            graph_svg=data["graph_svg"],
            explanations=[CaseExplanation.from_dict(explained) for explained in data["explanations"]],
        )


@dataclass
class GalleryFile:
    """A samples file. ``error``: it failed to load (no samples); ``check_error``: its samples
    converted but could not be checked. ``cached`` is about this build, so it is not stored."""

    path: str
    samples: list[GallerySample] = field(default_factory=list)
    error: str | None = None
    check_error: str | None = None
    cached: bool = False

    @property
    def failed(self) -> bool:
        return self.error is not None or self.check_error is not None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "samples": [s.to_dict() for s in self.samples],
                "error": self.error, "check_error": self.check_error}

    @classmethod
    def from_dict(cls, data: dict[str, Any], cached: bool = False) -> GalleryFile:
        return cls(path=data["path"], samples=[GallerySample.from_dict(s) for s in data["samples"]],
                   error=data["error"], check_error=data["check_error"], cached=cached)


@dataclass
class TimingRow:
    """One case's timings, or a sample's cases summed, as words the same in every format: eager ms,
    graph ms, speedup and the graph's first call ms; ``slower``: the graph took longer than eager."""

    cells: list[str]
    slower: bool = False


@dataclass
class GraphTableRow:
    """One graph or function of a traced graph: where it runs, its name, how many ops and which."""

    where: str
    function: str
    total: int
    ops: str


@dataclass
class GraphFigures:
    """Case 0's graph in words: a lead sentence, a row per graph or function, and why a page has no
    drawing of it (``{command}`` marks where the command that draws it goes)."""

    lead: str
    rows: list[GraphTableRow]
    drawing_note: str


@dataclass
class GalleryPage:
    """What one sample's page says beyond the sample's own data, found once by the gallery front-end.

    ``path``: the page's file, relative to the gallery's root; ``location``: ``file.py:27``, the
    function's own line; ``timings``: per case, and ``total``: summed over cases (None when nothing
    was timed); ``graph``: None when case 0 traced no graph (``no_graph`` says so). The notes hold
    ``{command}`` where their command (``bench_command``, ``graph_command``) goes.
    """

    path: str
    location: str
    timings: list[TimingRow] = field(default_factory=list)
    total: TimingRow | None = None
    graph: GraphFigures | None = None
    timings_note: str = ""
    no_graph: str = ""
    bench_command: str = ""
    graph_command: str = ""
    # the sample's file, to download (a path relative to the page), and its neighbours in its topic
    download: str = ""
    previous: str | None = None
    next: str | None = None


@dataclass
class Gallery:
    """Everything one build produced; ``executed`` is False under ``--no-exec``. ``pages``: each
    sample's ``GalleryPage`` by sample name, which the front-end fills before rendering."""

    files: list[GalleryFile]
    executed: bool
    tensorflow: str
    seconds: float = 0.0
    pages: dict[str, GalleryPage] = field(default_factory=dict)

    @property
    def samples(self) -> list[GallerySample]:
        return [s for f in self.files for s in f.samples]

    def sample(self, name: str) -> GallerySample:
        return next(sample for sample in self.samples if sample.name == name)

    @property
    def cases(self) -> int:
        return sum(len(s.report.cases) for s in self.samples if s.report)

    @property
    def unexpected(self) -> int:
        return sum(s.unexpected for s in self.samples)

    @property
    def failed_files(self) -> list[GalleryFile]:
        return [f for f in self.files if f.failed]

    @property
    def ok(self) -> bool:
        return self.unexpected == 0 and not self.failed_files


@dataclass
class BuildResult:
    """The gallery plus what this build did: which files it recomputed, which pages it wrote."""

    gallery: Gallery
    index: Path
    rebuilt: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
