"""Renderers turn plain data into text; they never run user code or call AutoGraph.

Each format is one class with the same ``format`` method (as Pygments' formatters), found by
name, so ``--format`` picks one and a new format touches nothing else.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Protocol

from autoconv.errors import AutoconvError

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import SampleReport

FORMATS = {
    "text": "autoconv.render.text:TextRenderer",
    "html": "autoconv.render.html:HtmlRenderer",
    "markdown": "autoconv.render.markdown:MarkdownRenderer",
    "rst": "autoconv.render.rst:RstRenderer",
}


class Renderer(Protocol):
    name: str

    def format(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        """The whole view of one function: code before and after, line links, notes, verdicts."""


def get_renderer(name: str, **options: Any) -> Renderer:
    try:
        module_name, _, class_name = FORMATS[name].partition(":")
    except KeyError:
        raise AutoconvError(f"unknown format {name!r}; choose from {', '.join(FORMATS)}") from None
    return getattr(importlib.import_module(module_name), class_name)(**options)
