"""A function's before-and-after as plain data: the code, the line map, the notes and the folds.

The conversion engine (``autoconv.conversion``) fills it once; renderers, the gallery, the Sphinx
directive and the check all read it and none of them calls AutoGraph or parses code again.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

FOLD_MARK = "⋯"
# The kinds of note that teach about this very code (the others say what a construct means).
LOOP_STATE, BRANCH_STATE, PRINTS, WHAT_HAPPENED = "loop state", "branch state", "print vs tf.print", "what happened"
LESSON_KINDS = (LOOP_STATE, BRANCH_STATE, PRINTS, WHAT_HAPPENED)


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
    """Lines ``first``..``last`` (inclusive) shown as one line saying ``label``.

    On the original side the numbers are the file's; on the converted side, the converted
    code's own. ``origin`` is the original file line the hidden lines came from, so the folded
    line keeps its colour band and line link. ``python``: a statement that can stand for the
    hidden lines in a code block (a ``with`` header must stay a header, or its body no longer parses).
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
    """The folds of both sides, the file line where the function itself starts (past its
    ``@sample`` declaration) and its ``def`` line, which every ``file:line`` names."""

    original: tuple[Fold, ...] = ()
    converted: tuple[Fold, ...] = ()
    function_start: int = 1
    def_line: int = 1

    @staticmethod
    def at(folds: tuple[Fold, ...], line: int) -> Fold | None:
        return next((fold for fold in folds if line in fold), None)

    def shown(self, machinery: bool, declaration: bool = True) -> Folding:
        """The folds a view shows: the declaration unless ``declaration`` is off, AutoGraph's
        machinery when ``machinery`` is on. ``function_start`` stays: counts refer to the function."""
        return Folding(self.original if declaration else (), self.converted if machinery else (),
                       self.function_start, self.def_line)

    def to_dict(self) -> dict[str, Any]:
        return {"original": [vars(fold).copy() for fold in self.original],
                "converted": [vars(fold).copy() for fold in self.converted],
                "function_start": self.function_start, "def_line": self.def_line}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Folding:
        return cls(tuple(Fold(**fold) for fold in data["original"]),
                   tuple(Fold(**fold) for fold in data["converted"]), data["function_start"],
                   data.get("def_line", data["function_start"]))


@dataclass
class Conversion:
    """A function before and after AutoGraph, with everything a view says about it.

    ``original`` and ``converted`` are sources. Every original line is the file's own number
    (``first_line`` is where ``original`` starts in ``filename``), as TensorFlow's ``origin_info``
    keys its map; converted lines count from 1 within ``converted``. ``line_map`` maps a converted
    line to the original line it came from; ``annotations`` say what each construct means and
    ``lessons`` what this very code teaches (loop state, branch names, print against tf.print,
    and what happened for given inputs once an explanation is joined). ``converted`` is None, and
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
    lessons: list[Annotation] = field(default_factory=list)
    folds: Folding = field(default_factory=Folding)
    # A method's class, from its ``class`` line through the ``__init__`` that makes the state the
    # method uses, dedented to the class's column: shown above the method, whose lines sit
    # ``method_indent`` columns in. None for a plain function.
    context: str | None = None
    context_first_line: int = 0
    method_indent: int = 0

    @property
    def ok(self) -> bool:
        return self.converted is not None

    @property
    def notes(self) -> list[Annotation]:
        """Every note a view shows, by converted line: this code's lessons first on a line, then
        what each construct means."""
        return sorted([*self.lessons, *self.annotations], key=lambda a: a.converted_line)

    def with_facts(self, facts: dict[int, list[str]]) -> Conversion:
        """A copy whose lessons also say what happened for an explained call: each original file
        line's sentences (``Explanation.facts()``) join the notes at the first converted line that
        line produced. The conversion itself serves every call's explanation, so it is not changed."""
        joined = []
        for original_line, texts in facts.items():
            produced = self.converted_lines_of(original_line)
            if produced and texts:
                joined.append(Annotation(min(produced), original_line, WHAT_HAPPENED, " ".join(texts)))
        return replace(self, lessons=sorted([*self.lessons, *joined], key=lambda note: note.converted_line))

    def original_lines(self) -> list[tuple[int, str]]:
        """(file line, text) for each line of the original source."""
        return list(enumerate((self.original or "").splitlines(), self.first_line))

    def converted_lines_of(self, original_line: int) -> list[int]:
        """The converted lines an original file line produced (the reverse of ``line_map``)."""
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
            "lessons": [a.to_dict() for a in self.lessons],
            "folds": self.folds.to_dict(),
            **({"context": self.context, "context_first_line": self.context_first_line,
                "method_indent": self.method_indent} if self.context is not None else {}),
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
            filename=data["filename"],
            first_line=data["first_line"],
            lessons=[Annotation(**a) for a in data["lessons"]],
            folds=Folding.from_dict(data["folds"]),
            context=data.get("context"), context_first_line=data.get("context_first_line", 0),
            method_indent=data.get("method_indent", 0),
        )

    def __repr__(self) -> str:
        if not self.ok:
            reason = next(iter((self.error or "").splitlines()), "")
            return f"<Conversion {self.name}: not converted: {reason}>"
        before, after = len((self.original or "").splitlines()), len(self.converted.splitlines())
        return f"<Conversion {self.name}: {before} lines → {after}, {len(self.annotations)} notes>"
