"""A function's before-and-after as plain data: the code, the line map, the notes and the folds.

The conversion engine (``autoconv.conversion``) fills it once; renderers, the gallery, the Sphinx
directive and the check all read it and none of them calls AutoGraph or parses code again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FOLD_MARK = "⋯"


@dataclass(frozen=True)
class Annotation:
    """A note pinned to one converted line; ``original_line`` is None for pure scaffolding."""

    converted_line: int
    original_line: int | None
    kind: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "converted_line": self.converted_line,
            "original_line": self.original_line,
            "kind": self.kind,
            "text": self.text,
        }


@dataclass(frozen=True)
class Fold:
    """Lines ``first``..``last`` (snippet numbers, inclusive) shown as one line saying ``label``.

    ``origin`` is the original snippet line the hidden lines came from, so the folded line keeps
    its colour band and line link. ``python``: a statement that can stand for the hidden lines in
    a code block (a ``with`` header must stay a header, or its body no longer parses).
    """

    first: int
    last: int
    label: str
    kind: str
    origin: int | None = None
    python: str | None = None

    def __contains__(self, line: int) -> bool:
        return self.first <= line <= self.last


@dataclass(frozen=True)
class Folding:
    """The folds of both sides, and where the function itself starts in the original snippet."""

    original: tuple[Fold, ...] = ()
    converted: tuple[Fold, ...] = ()
    function_start: int = 1

    @staticmethod
    def at(folds: tuple[Fold, ...], line: int) -> Fold | None:
        return next((fold for fold in folds if line in fold), None)


@dataclass
class Conversion:
    """``original`` and ``converted`` are sources; line numbers count from 1 within each snippet.

    ``first_line`` is where ``original`` starts in ``filename``. ``converted`` is None, and
    ``error`` says why, when AutoGraph could not convert the function.
    """

    name: str
    original: str | None
    converted: str | None
    error: str | None = None
    line_map: dict[int, int] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    filename: str | None = None
    first_line: int = 1

    @property
    def ok(self) -> bool:
        return self.converted is not None

    def converted_lines_of(self, original_line: int) -> list[int]:
        """The converted lines an original line produced (the reverse of ``line_map``)."""
        return [c for c, o in self.line_map.items() if o == original_line]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "original": self.original,
            "converted": self.converted,
            "error": self.error,
            "line_map": {str(k): v for k, v in self.line_map.items()},
            "annotations": [a.to_dict() for a in self.annotations],
            "filename": self.filename,
            "first_line": self.first_line,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversion:
        return cls(
            name=data["name"],
            original=data["original"],
            converted=data["converted"],
            error=data["error"],
            line_map={int(k): v for k, v in data["line_map"].items()},
            annotations=[Annotation(**a) for a in data["annotations"]],
            filename=data.get("filename"),
            first_line=data.get("first_line", 1),
        )

    def __repr__(self) -> str:
        if not self.ok:
            reason = next(iter((self.error or "").splitlines()), "")
            return f"<Conversion {self.name}: not converted: {reason}>"
        before, after = len((self.original or "").splitlines()), len(self.converted.splitlines())
        return f"<Conversion {self.name}: {before} lines → {after}, {len(self.annotations)} notes>"
