"""The conversion engine: AutoGraph's output for a function, read once into a ``Conversion``.

Renderers, the gallery, the Sphinx directive and the check all read the ``Conversion``; none of
them calls AutoGraph again.
"""
from __future__ import annotations

import ast
import functools
import inspect
from typing import Any

from autoconv import _tf_internals, unsupported
from autoconv.annotations import annotate, lessons
from autoconv.errors import AutoconvError
from autoconv.folding import folds_of
from autoconv.model.conversion import Conversion


def python_function(obj: Any) -> Any:
    """The plain function AutoGraph should read: through partials, tf.function and methods."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    if _tf_internals.is_tf_function(obj):
        obj, _ = _tf_internals.unwrap_tf_function(obj)
    if inspect.ismethod(obj):
        return python_function(obj.__func__)
    if isinstance(obj, (staticmethod, classmethod)):
        return python_function(obj.__func__)
    if inspect.isfunction(obj):
        return obj
    call_method = getattr(type(obj), "__call__", None)  # noqa: B004 - a callable instance's method
    if callable(obj) and (inspect.isfunction(call_method) or _tf_internals.is_tf_function(call_method)):
        return python_function(call_method)
    raise AutoconvError(f"cannot convert {obj!r}: it is not a Python function, method or tf.function")


def dedent_source(source: str) -> str:
    """Remove the first line's indentation from every line that has it.

    ``textwrap.dedent`` removes only what all lines share, so one docstring line at column 0
    leaves the whole method indented and unparseable; string content is all this can touch.
    """
    lines = source.splitlines(keepends=True)
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())] if lines else ""
    return "".join(line[len(indent):] if line.startswith(indent) else line for line in lines)


def _original_source(function: Any) -> tuple[str | None, str | None, int]:
    filename = inspect.getsourcefile(function) if inspect.isfunction(function) else None
    try:
        lines, first_line = inspect.getsourcelines(function)
    except (OSError, TypeError):
        return None, filename, 1
    return dedent_source("".join(lines)), filename, max(first_line, 1)


def class_context(filename: str | None, first_line: int) -> tuple[str, int, int] | None:
    """For a method starting at ``first_line`` (its decorators included): its class's lines from
    the ``class`` line through ``__init__`` (and the blank lines after it, up to the method), the
    first of those lines, and how far the method sits inside the class. None for anything else,
    or a class whose ``__init__`` is not above the method."""
    try:
        source = open(filename, encoding="utf-8").read() if filename else ""  # noqa: SIM115 - read at once
        tree = ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None
    lines = source.splitlines()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        methods = [item for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
        method = next((m for m in methods if min([m.lineno, *(d.lineno for d in m.decorator_list)]) == first_line),
                      None)
        init = next((m for m in methods if m.name == "__init__"), None)
        if method is None or init is None or method is init or (init.end_lineno or 0) >= first_line:
            continue
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        end = init.end_lineno or init.lineno
        while end + 1 < first_line and not lines[end].strip():  # the blank lines before the method
            end += 1
        shown = [line[node.col_offset:] for line in lines[start - 1:end]]
        return "\n".join(shown) + "\n", start, method.col_offset - node.col_offset
    return None


def _with_context(conversion: Conversion) -> Conversion:
    found = class_context(conversion.filename, conversion.first_line)
    if found is not None:
        conversion.context, conversion.context_first_line, conversion.method_indent = found
    return conversion


def convert(obj: Any, *, recursive: bool = True, optional_features: Any = None) -> Conversion:
    function = python_function(obj)
    original, filename, first_line = _original_source(function)
    name = function.__name__
    try:
        converted_function = _tf_internals.to_graph(
            function, recursive=recursive, optional_features=optional_features
        )
        converted = dedent_source(inspect.getsource(converted_function))
    except Exception as cause:  # AutoGraph raises many types; each is a result to explain
        return _with_context(Conversion(
            name, original, None, unsupported.explain_failure(original, cause), filename=filename,
            first_line=first_line, folds=folds_of(original, first_line, None, {}),
        ))
    # File lines from here on, as TensorFlow's origin_info keys its map: snippet offsets stay here.
    line_map = {converted_line: first_line + snippet_line - 1
                for converted_line, snippet_line in _tf_internals.source_map(converted_function, first_line).items()}
    return _with_context(Conversion(
        name=name,
        original=original,
        converted=converted,
        line_map=line_map,
        annotations=annotate(converted, line_map),
        filename=filename,
        first_line=first_line,
        lessons=lessons(converted, line_map),
        folds=folds_of(original, first_line, converted, line_map),
    ))

