"""autoconv: see, explain and check what TensorFlow AutoGraph makes of your Python code.

Importing this package is cheap on purpose: sample files, ``autoconv --help`` and
``autoconv list`` must not pay for a TensorFlow import. Every entry point that needs
TensorFlow imports it inside the call.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from autoconv.samples import Case, Sample, case, sample

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import CheckReport
    from autoconv.linter.finding import Finding

__version__ = "0.1.0"

__all__ = ["Case", "Sample", "case", "check", "convert", "lint", "sample", "__version__"]


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


def lint(path_or_source: str | os.PathLike[str], *, all_functions: bool = False) -> list[Finding]:
    """Find the tf.function pitfalls in a file or a source string without running anything."""
    from autoconv.linter import lint as _lint

    return _lint(path_or_source, all_functions=all_functions)
