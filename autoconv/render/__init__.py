"""Renderers turn plain data into text; they never run user code, call AutoGraph or parse code.

Each output format is one ``Formatter`` subclass in a module of this package, with one method per
kind of data (as Pygments has one formatter class per format). Defining the class is all it
takes: ``formatters()`` finds every subclass that has a ``name``, the CLI's ``--format`` choices
come from it, and a kind a format does not override is one it cannot show.
"""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from autoconv.errors import AutoconvError

if TYPE_CHECKING:
    from autoconv.model.check import CheckReport, SampleReport
    from autoconv.model.conversion import Conversion
    from autoconv.model.explanation import Explanation
    from autoconv.model.gallery import Gallery, GallerySample
    from autoconv.model.graph import GraphView
    from autoconv.model.lint import Finding
    from autoconv.model.trace import BenchReport, TraceReport

# The kinds of data a formatter can show: each is the name of one method of ``Formatter``.
KINDS = ("conversion", "check_report", "sample_report", "explanation", "trace", "graph", "bench", "findings",
         "gallery_index", "gallery_sample", "gallery_verdicts", "gallery_times")


@dataclass(frozen=True)
class ViewOptions:
    """What a reader chose about a view; each format uses those that mean something to it.

    ``fold``: fold AutoGraph's machinery (None: the format's own default); ``show_all``: fold
    nothing, not even the ``@sample`` declaration; ``width``: a terminal's columns (None: ask).
    """

    color: bool = False
    width: int | None = None
    fold: bool | None = None
    show_all: bool = False
    verbose: bool = False
    standalone: bool = True
    # rich outputs name files relative to this folder (a docs source, a samples folder), else
    # to the working folder, and never by a machine's absolute path (``document.unrooted``)
    paths_from: str | None = None


class Formatter:
    """One output format. Override the methods for the kinds of data the format can show."""

    name: ClassVar[str] = ""
    # True where the format sets an explanation beside the code it explains, so a front-end passes
    # the conversion (and helpers, and verdicts) along with it rather than showing them apart.
    explains_beside_code: ClassVar[bool] = False

    def __init__(self, options: ViewOptions | None = None) -> None:
        self.options = options or ViewOptions()

    def _cannot(self, kind: str) -> AutoconvError:
        return AutoconvError(f"the {self.name} format cannot show {kind.replace('_', ' ')}s; "
                             f"choose from {', '.join(formats_for(kind))}")

    def conversion(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        """The whole view of one function: code before and after, line links, notes, verdicts."""
        raise self._cannot("conversion")

    def check_report(self, report: CheckReport) -> str:
        raise self._cannot("check_report")

    def sample_report(self, report: SampleReport) -> str:
        raise self._cannot("sample_report")

    def explanation(self, explanation: Explanation, conversion: Conversion | None = None,
                    helpers: Sequence[Conversion] = (), report: SampleReport | None = None) -> str:
        """What one function's trace did, line by line; ``conversion``, ``helpers`` and ``report``
        let a rich format set it beside the code and the verdicts."""
        raise self._cannot("explanation")

    def trace(self, report: TraceReport) -> str:
        raise self._cannot("trace")

    def graph(self, view: GraphView) -> str:
        raise self._cannot("graph")

    def bench(self, report: BenchReport) -> str:
        raise self._cannot("bench")

    def findings(self, findings: Sequence[Finding]) -> str:
        raise self._cannot("findings")

    # A gallery's pages, each a whole page; ``gallery.pages`` holds what the front-end found for each.
    def gallery_index(self, gallery: Gallery) -> str:
        """Every sample by topic, with its verdicts."""
        raise self._cannot("gallery_index")

    def gallery_sample(self, gallery: Gallery, sample: GallerySample) -> str:
        """One sample's page: its view, what happened in each case, its timings and graph."""
        raise self._cannot("gallery_sample")

    def gallery_verdicts(self, gallery: Gallery) -> str:
        raise self._cannot("gallery_verdicts")

    def gallery_times(self, gallery: Gallery) -> str:
        raise self._cannot("gallery_times")

    @classmethod
    def shows(cls, kind: str) -> bool:
        return getattr(cls, kind) is not getattr(Formatter, kind)


_imported = False


def formatters() -> dict[str, type[Formatter]]:
    """Every format by name: each named subclass of ``Formatter``, after this package's modules
    are imported (once), so a class in a new module of ``render/`` is found with no other change."""
    global _imported
    if not _imported:
        for module in pkgutil.iter_modules(__path__, f"{__name__}."):
            importlib.import_module(module.name)
        _imported = True
    found: dict[str, type[Formatter]] = {}
    pending = list(Formatter.__subclasses__())
    while pending:
        formatter = pending.pop(0)
        pending.extend(formatter.__subclasses__())
        if formatter.name:
            found.setdefault(formatter.name, formatter)
    return found


def formats_for(kind: str) -> list[str]:
    """The formats that can show ``kind``, in a stable order (text first, as the default)."""
    names = [name for name, formatter in formatters().items() if formatter.shows(kind)]
    return sorted(names, key=lambda name: (name != "text", name))


def _named(name: str) -> type[Formatter] | None:
    """The format called ``name`` among the classes already imported, without importing more."""
    pending = list(Formatter.__subclasses__())
    while pending:
        formatter = pending.pop(0)
        if formatter.name == name:
            return formatter
        pending.extend(formatter.__subclasses__())
    return None


def get_formatter(name: str, options: ViewOptions | None = None) -> Formatter:
    """The format called ``name``. Its own module (``render/<name>.py``, where a format usually
    lives) is tried before every renderer is imported: a command needs only the one it prints."""
    if name.isidentifier() and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        importlib.import_module(f"{__name__}.{name}")
    formatter = _named(name) or formatters().get(name)
    if formatter is None:
        raise AutoconvError(f"unknown format {name!r}; choose from {', '.join(sorted(formatters()))}")
    return formatter(options)
