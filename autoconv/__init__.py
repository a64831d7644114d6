"""autoconv: see, explain and check what TensorFlow AutoGraph makes of your Python code.

Data moves one way through the package, and each layer uses only the ones below it::

    front-ends   cli · sphinx · notebook · gallery/        parse, call an engine, pick a renderer
    renderers    render/: one Formatter class per format    format only
    data         model/: plain dataclasses                  import nothing above them
    engines      conversion · equivalence/ · explanation/ · tracing · case_graph · bench · linter/
    sources      catalogue · targets · samples · _tf_internals (the only door to TF's privates)

Importing this package is cheap on purpose: sample files, ``autoconv --help`` and
``autoconv list`` must not pay for a TensorFlow import. Every entry point that needs
TensorFlow imports it inside the call.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from autoconv.samples import Case, Sample, case, sample

if TYPE_CHECKING:
    from collections.abc import Sequence

    from autoconv.explanation.api import Explainer
    from autoconv.model.check import CheckReport
    from autoconv.model.conversion import Conversion
    from autoconv.model.lint import Finding

from autoconv._version import __version__

__all__ = ["Case", "Sample", "case", "check", "convert", "explain", "lint", "sample", "__version__"]


def convert(obj: Any, *, recursive: bool = True, optional_features: Any = None) -> Conversion:
    """Show what AutoGraph makes of ``obj``: its source, the generated code, a line map and notes.

    A function AutoGraph cannot convert is a result, not an error: ``Conversion.error`` says why.
    """
    from autoconv.conversion import convert as _convert

    return _convert(obj, recursive=recursive, optional_features=optional_features)


def check(target: Any, inputs: Any = None, *, calls: int = 2, timeout: float = 60) -> CheckReport:
    """Run ``target`` eagerly and as a graph on each input and say where the two disagree.

    ``target`` is a function, a ``@sample``, or a target string such as ``"file.py:func"``.
    """
    from autoconv.equivalence.api import check as _check

    return _check(target, inputs, calls=calls, timeout=timeout)


def explain(obj: Any) -> Explainer:
    """``autoconv.explain(fn)(*args)``: trace ``fn`` for these arguments and say what happened, per line.

    Which loops and branches became graph control flow and which ran in Python (and how often),
    the ops each line made, what ran only at trace time. Call the result again to explain a
    further call of the same function: a retrace shows with its reason. A ``tf.function`` keeps
    its own settings (``input_signature``, ``jit_compile``, ...).
    """
    from autoconv.explanation.api import Explainer

    return Explainer(obj)


def lint(
    path_or_source: str | os.PathLike[str],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> list[Finding]:
    """Find the tf.function pitfalls in a file or a source string without running anything.
    ``select``/``ignore`` take codes or prefixes (``"AC3"``); a file's project settings apply too."""
    from autoconv.linter import lint as _lint

    return _lint(path_or_source, select=select, ignore=ignore)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext autoconv``: the ``%autoconv`` and ``%%autoconv`` magics (IPython is imported only now)."""
    from autoconv.notebook import load_ipython_extension as _load

    _load(ipython)


def _show_rich_views_in_a_kernel() -> None:
    """Inside a running IPython kernel, evaluating autoconv data shows its HTML view.

    Only when IPython is already imported and a shell is running: elsewhere this costs nothing
    and imports nothing.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "display_formatter"):
        from autoconv.notebook import register_display

        register_display(shell)


_show_rich_views_in_a_kernel()
