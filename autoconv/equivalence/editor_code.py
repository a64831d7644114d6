"""Requests about source text rather than a file: code typed in an editor (``autoconv serve``)
and a notebook's cells (``autoconv.check`` in a kernel, see ``autoconv.cells``), served by a worker.

The text is written to a file of its own in the worker's scratch folder for the length of one
request (AutoGraph and tracebacks read source from files), loaded as a fresh module, and removed.
Every answer is plain data: a Conversion dict, Finding dicts, a CaseReport dict, and a failure
as ``{"line": file line or None, "message": one line}`` so the editor can show it where it is.
"""
from __future__ import annotations

import ast
import dataclasses
import pickle
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from autoconv import targets
from autoconv.arguments import namespace_of, parse_call
from autoconv.conversion import convert
from autoconv.equivalence import protocol
from autoconv.equivalence.pool import CELLS_FILE, EDITOR_FILE
from autoconv.errors import AutoconvError
from autoconv.linter import check_source
from autoconv.samples import Case, adhoc_sample


@contextmanager
def _written(source: str, name: str = EDITOR_FILE) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="autoconv-editor-"))
    try:
        path = folder / name
        path.write_text(source, encoding="utf-8")
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def function_names(tree: ast.Module) -> list[str]:
    """The functions the code defines at its top level, in order: what the picker offers."""
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _failure(path: Path, message: str) -> dict[str, Any]:
    """A failure with the line it names (``explorer.py:7``), the folder left out of the message."""
    found = re.search(rf"{re.escape(str(path))}:(\d+)", message)
    return {"line": int(found.group(1)) if found else None,
            "message": " ".join(message.replace(str(path), EDITOR_FILE).split())}


def _load(path: Path, function: str) -> Any:
    module = targets.load_file(path)
    obj = getattr(module, function, None)
    if obj is None:
        raise AutoconvError(f"{EDITOR_FILE} defines no {function!r} once run")
    return obj


def convert_text(source: str, function: str | None) -> dict[str, Any]:
    """``{"functions", "function", "findings", "conversion" | None, "failure" | None}`` for ``source``,
    converting ``function`` (default: the last one it defines)."""
    answer: dict[str, Any] = {"functions": [], "function": None, "conversion": None, "failure": None,
                              "findings": [finding.to_dict() for finding in check_source(source, EDITOR_FILE)]}
    try:
        tree = ast.parse(source, filename=EDITOR_FILE)
    except SyntaxError as error:
        answer["failure"] = {"line": error.lineno, "message": f"SyntaxError: {error.msg}"}
        return answer
    answer["functions"] = names = function_names(tree)
    if not names:
        answer["failure"] = {"line": None, "message": "define a function to see what AutoGraph makes of it"}
        return answer
    answer["function"] = chosen = function if function in names else names[-1]
    with _written(source) as path:
        try:
            conversion = dataclasses.replace(convert(_load(path, chosen)), filename=EDITOR_FILE)
            answer["conversion"] = conversion.to_dict()
        except AutoconvError as error:
            answer["failure"] = _failure(path, str(error))
    return answer


def call_text(source: str, function: str, arguments: str, calls: int = 2) -> dict[str, Any]:
    """One line of the Arguments box: the check's case for these arguments (both sides, ``calls``
    calls each), with the graph it traced and what that trace did. ``{"case": CaseReport dict}``,
    or ``{"failure": ...}`` when the code or the arguments fail before any call."""
    with _written(source) as path:
        try:
            case = parse_call(arguments, namespace_of(_load(path, function)))
        except AutoconvError as error:
            return {"failure": _failure(path, str(error))}

        def load() -> Any:
            return adhoc_sample(_load(path, function), function, str(path))

        report = protocol.run_case(load, 0, calls, "match", [case], with_graph=True, explain=True)
    return {"case": report.to_dict()}


def _named(value: Any, path: Path, name: str) -> Any:
    """``value`` (a report's dict) with the scratch file's path replaced by the name shown for it."""
    if isinstance(value, str):
        return value.replace(str(path), name)
    if isinstance(value, dict):
        return {key: _named(item, path, name) for key, item in value.items()}
    if isinstance(value, list):
        return [_named(item, path, name) for item in value]
    return value


def case_text(source: str, function: str, case_index: int, calls: int, expected: str,
              inputs_blob: bytes) -> dict[str, Any]:
    """One check case of ``function`` as ``source`` defines it (a notebook's cells): each side loads
    the source afresh, exactly as ``autoconv check`` loads a file, so the verdict is the CLI's.
    ``inputs_blob`` is the pickled list of cases. A CaseReport dict, as the ``case`` request's."""
    inputs: list[Case] = pickle.loads(inputs_blob)
    with _written(source, CELLS_FILE) as path:

        def load() -> Any:
            return adhoc_sample(_load(path, function), function, str(path))

        report = protocol.run_case(load, case_index, calls, expected, inputs)
        return _named(report.to_dict(), path, CELLS_FILE)
