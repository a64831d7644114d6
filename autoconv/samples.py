"""Declaring samples: a function plus the inputs to run it on and the verdict we expect.

``@sample`` must cost nothing at import time (no TensorFlow) and must hand back the very object
it was given, so it can sit on top of ``@tf.function``, wrap a lambda or a bound method.
Declarations are collected per module, keyed by the declaring module's ``__name__``, so the
check can load a samples file afresh under a new name and find exactly that load's samples.
"""
from __future__ import annotations

import linecache
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from autoconv.model.verdicts import Verdict

T = TypeVar("T")


@dataclass(frozen=True)
class Case:
    """One call's arguments: ``case(tf.constant(2), k=3)``."""

    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


def case(*args: Any, **kwargs: Any) -> Case:
    """Arguments for one case, keywords included (a bare tuple cannot carry keywords)."""
    return Case(tuple(args), dict(kwargs))


@dataclass
class Sample:
    """A declared sample. ``obj`` is what the user decorated, untouched."""

    name: str
    obj: Any
    inputs: Sequence[Any] | Callable[[], Sequence[Any]] | None
    expect: str | tuple[str, ...]
    calls: int
    tags: tuple[str, ...]
    title: str
    note: str
    saved_model: bool
    filename: str
    line: int

    @property
    def location(self) -> str:
        """``file:line`` of the ``def`` (not of the ``@sample`` above it), as every view names it."""
        return f"{self.filename}:{_def_line(self.obj, self.filename, self.line)}"

    def cases(self) -> list[Case]:
        """The cases, calling an input factory now: that is how stateful inputs start fresh."""
        raw = self.inputs() if callable(self.inputs) else self.inputs
        return normalize_inputs(self.name, raw)

    def facts(self) -> dict[str, Any]:
        """What a page says about a sample besides its code: enough to title, group and badge it."""
        return {
            "name": self.name,
            "title": self.title,
            "tags": list(self.tags),
            "note": self.note,
            "location": self.location,
            "has_inputs": self.inputs is not None,
        }

    def expected(self, index: int) -> str:
        return self.expect if isinstance(self.expect, str) else self.expect[index]


class SampleDeclarationError(ValueError):
    """A ``@sample`` whose arguments cannot work; raised where it is declared."""


def normalize_inputs(name: str, raw: Any) -> list[Case]:
    if raw is None:
        return []
    if not isinstance(raw, (list, tuple)):
        raise SampleDeclarationError(
            f"sample {name!r}: inputs must be a list of argument tuples or case(...), got {type(raw).__name__}"
        )
    cases = []
    for index, item in enumerate(raw):
        if isinstance(item, Case):
            cases.append(item)
        elif isinstance(item, tuple):
            cases.append(Case(item, {}))
        else:
            raise SampleDeclarationError(
                f"sample {name!r}: inputs[{index}] is {item!r}; each input must be a tuple of arguments "
                "(write (5,) for one argument) or case(...)"
            )
    return cases


_registry: dict[str, list[Sample]] = {}


def declared_in(module_name: str) -> list[Sample]:
    """The samples a module declared, in declaration order."""
    return list(_registry.get(module_name, ()))


def forget(module_name: str) -> None:
    _registry.pop(module_name, None)


def _validate_expect(name: str, expect: Any, inputs: Any) -> str | tuple[str, ...]:
    expectations = (expect,) if isinstance(expect, str) else tuple(expect)
    for verdict in expectations:
        if verdict not in {known.value for known in Verdict}:
            raise SampleDeclarationError(
                f"sample {name!r}: expect={verdict!r} is not a verdict; use one of {', '.join(Verdict)}"
            )
    if isinstance(expect, str):
        return expect
    if isinstance(inputs, (list, tuple)) and len(expectations) != len(inputs):
        raise SampleDeclarationError(
            f"sample {name!r}: {len(expectations)} expected verdicts for {len(inputs)} inputs"
        )
    return expectations


def _default_name(obj: Any) -> str:
    for candidate in (obj, getattr(obj, "func", None), getattr(obj, "python_function", None)):
        name = getattr(candidate, "__name__", None)
        if name:
            return name
    raise SampleDeclarationError(f"cannot name sample {obj!r}; pass name=...")


def sample(
    obj: T | None = None,
    *,
    inputs: Sequence[Any] | Callable[[], Sequence[Any]] | None = None,
    expect: str | Sequence[str] = "match",
    calls: int = 2,
    tags: Sequence[str] = (),
    title: str | None = None,
    note: str = "",
    name: str | None = None,
    saved_model: bool = False,
) -> Any:
    """Declare ``obj`` a sample; usable as ``@sample``, ``@sample(...)`` or ``sample(...)(fn)``.

    ``expect`` is one verdict for every case, or one verdict per input.
    """
    frame = sys._getframe(1)
    module_name = frame.f_globals.get("__name__", "__main__")
    filename = frame.f_code.co_filename
    line = frame.f_lineno

    def declare(target: T) -> T:
        if not callable(target):
            raise SampleDeclarationError(f"@sample needs a callable, got {target!r}")
        if isinstance(calls, bool) or not isinstance(calls, int) or calls < 1:
            raise SampleDeclarationError(f"sample calls must be a positive int, got {calls!r}")
        sample_name = name or _default_name(target)
        if not callable(inputs):
            normalize_inputs(sample_name, inputs)
        declaration = Sample(
            name=sample_name,
            obj=target,
            inputs=inputs,
            expect=_validate_expect(sample_name, expect, inputs),
            calls=calls,
            tags=tuple(tags),
            title=title or sample_name.replace("_", " "),
            note=note,
            saved_model=saved_model,
            filename=filename,
            line=line,
        )
        _registry.setdefault(module_name, []).append(declaration)
        return target

    if obj is not None:
        return declare(obj)
    return declare


def _def_line(obj: Any, filename: str, fallback: int) -> int:
    """The ``def`` line of ``obj``'s function when it is in ``filename``: its code starts at its
    first decorator, so the line that starts with ``def`` is looked for from there."""
    function = getattr(obj, "python_function", None) or getattr(obj, "__func__", None) or obj
    code = getattr(function, "__code__", None)
    if code is None or code.co_filename != filename:
        return fallback
    lines = linecache.getlines(filename)
    for number in range(code.co_firstlineno, min(len(lines), code.co_firstlineno + 200) + 1):
        if lines[number - 1].lstrip().startswith(("def ", "async def ")):
            return number
    return fallback


def adhoc_sample(obj: Any, name: str, filename: str = "<unknown>", line: int = 0) -> Sample:
    """A sample for a function nobody declared, so ``autoconv.check(fn, inputs)`` runs the same way."""
    return Sample(name=name, obj=obj, inputs=None, expect="match", calls=2, tags=(), title=name, note="",
                  saved_model=False, filename=filename, line=line)
