"""The gallery as plain data: files, their samples, each with its conversion and verdicts.

One ``GalleryFile`` is also the cache's unit: it is stored as ``to_dict`` and read back as is.
``BuildResult`` is what one ``autoconv docs`` build did, for its summary.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autoconv.model.check import SampleReport
from autoconv.model.conversion import Conversion

UNTAGGED = "other"


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
    # per case: {"explanation": Explanation data} or {"error": why that case could not be explained}
    explanations: list[dict[str, Any]] = field(default_factory=list)

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
            "explanations": self.explanations,
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
            explanations=list(data.get("explanations", [])),
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
class Gallery:
    """Everything one build produced; ``executed`` is False under ``--no-exec``."""

    files: list[GalleryFile]
    executed: bool
    tensorflow: str
    seconds: float = 0.0

    @property
    def samples(self) -> list[GallerySample]:
        return [s for f in self.files for s in f.samples]

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
