"""Requests about source text rather than a file: code typed in an editor (``autoconv serve``)
and a notebook's cells (``autoconv.check`` in a kernel, see ``autoconv.cells``), served by a worker.

The text is written to a file of its own in the worker's scratch folder (AutoGraph and tracebacks
read source from files) and compiled once; every request about it loads a fresh module from that
compiled code. So an edit's conversion, its explanation and its calls (three requests, each side
of the check a module of its own) convert each function once: AutoGraph caches conversions by code
object. Only the latest ``KEPT`` texts are kept; an older one's file, code and ``linecache`` lines
are dropped, so a long-lived worker does not gather every edit ever typed.
Every answer is plain data: a Conversion dict, Finding dicts, a CaseExplanation dict, a CaseReport
dict, and a failure as ``{"line": file line or None, "message": one line}`` so the editor can
show it where it is.
"""
from __future__ import annotations

import ast
import atexit
import dataclasses
import itertools
import linecache
import os
import pickle
import re
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

from autoconv import targets
from autoconv.arguments import namespace_of, parse_call
from autoconv.conversion import convert
from autoconv.equivalence import protocol
from autoconv.equivalence.pool import CELLS_FILE, EDITOR_FILE
from autoconv.errors import AutoconvError
from autoconv.linter import check_source
from autoconv.samples import Case, Sample, adhoc_sample

KEPT = 2  # the texts whose compiled code is kept: the edit being answered and the one before it


@dataclass
class _Compiled:
    path: Path
    code: CodeType


# (source, file name) -> its file and code, newest last
_compiled: OrderedDict[tuple[str, str], _Compiled] = OrderedDict()
_folders = itertools.count()


@atexit.register
def _remove_kept_folders() -> None:
    """The texts still kept live in folders of their own: gone with the process, like the others
    (a worker's temp folder is its run's scratch folder, but a process that imports this module
    for itself may have the system's)."""
    for kept in _compiled.values():
        shutil.rmtree(kept.path.parent, ignore_errors=True)


def _written(source: str, name: str = EDITOR_FILE) -> _Compiled:
    """``source``'s file (called ``name``) and compiled code, made on first use; a SyntaxError is
    the caller's."""
    key = (source, name)
    known = _compiled.get(key)
    if known is not None:
        _compiled.move_to_end(key)
        return known
    path = Path(tempfile.gettempdir()) / f"autoconv-editor-{os.getpid()}-{next(_folders)}" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    try:
        code = compile(source, str(path), "exec", dont_inherit=True)
    except BaseException:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise
    _compiled[key] = known = _Compiled(path, code)
    while len(_compiled) > KEPT:
        _, dropped = _compiled.popitem(last=False)
        shutil.rmtree(dropped.path.parent, ignore_errors=True)
    forget_stale_lines()
    return known


def forget_stale_lines() -> None:
    """Drop the ``linecache`` lines of temp files no kept text needs: editor texts since replaced,
    and the modules AutoGraph generated for them (each conversion's, read by ``inspect.getsource``)."""
    kept = {str(compiled.path) for compiled in _compiled.values()}
    temp = os.path.join(tempfile.gettempdir(), "")
    for filename in [name for name in linecache.cache if name.startswith(temp) and name not in kept]:
        linecache.cache.pop(filename, None)


def function_names(tree: ast.Module) -> list[str]:
    """The functions the code defines at its top level, in order: what the picker offers."""
    return [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _failure(path: Path, message: str) -> dict[str, Any]:
    """A failure with the line it names (``explorer.py:7``), the folder left out of the message."""
    found = re.search(rf"{re.escape(str(path))}:(\d+)", message)
    return {"line": int(found.group(1)) if found else None,
            "message": " ".join(message.replace(str(path), EDITOR_FILE).split())}


def _load(written: _Compiled, function: str) -> Any:
    module = targets.load_file(written.path, written.code)
    obj = getattr(module, function, None)
    if obj is None:
        raise AutoconvError(f"{written.path.name} defines no {function!r} once run")
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
    written = _written(source)
    try:
        conversion = dataclasses.replace(convert(_load(written, chosen)), filename=EDITOR_FILE)
        answer["conversion"] = conversion.to_dict()
    except AutoconvError as error:
        answer["failure"] = _failure(written.path, str(error))
    return answer


def _call_of(source: str, function: str, arguments: str) -> tuple[Callable[[], Sample], Case] | dict[str, Any]:
    """A loader of ``function`` as ``source`` defines it (a fresh module each time, as the check
    loads a file) and the call one Arguments line writes; ``{"failure": ...}`` when the code or the
    arguments fail before any call."""
    try:
        written = _written(source)
    except SyntaxError as error:
        return {"failure": {"line": error.lineno, "message": f"SyntaxError: {error.msg}"}}
    try:
        case = parse_call(arguments, namespace_of(_load(written, function)))
    except AutoconvError as error:
        return {"failure": _failure(written.path, str(error))}

    def load() -> Sample:
        return adhoc_sample(_load(written, function), function, str(written.path))

    return load, case


def explain_text(source: str, function: str, arguments: str) -> dict[str, Any]:
    """One line of the Arguments box explained alone: the check's graph side's first call (one
    trace and call, fresh load, seed 0), answered before the check's whole case so the editor shows
    it as soon as it exists. ``{"explanation": CaseExplanation dict}`` or ``{"failure": ...}``."""
    found = _call_of(source, function, arguments)
    if isinstance(found, dict):
        return found
    load, case = found
    try:
        explained = protocol.explain_call(load, case)
    except AutoconvError as error:  # the file no longer loads (its top level raised this time)
        return {"failure": _failure(_written(source).path, str(error))}
    return {"explanation": explained.to_dict()}


def call_text(source: str, function: str, arguments: str, calls: int = 2) -> dict[str, Any]:
    """One line of the Arguments box: the check's case for these arguments (both sides, ``calls``
    calls each) with the graph it traced (``explain_text`` says what the trace did, first).
    ``{"case": CaseReport dict}``, or ``{"failure": ...}`` when the code or the arguments fail
    before any call."""
    found = _call_of(source, function, arguments)
    if isinstance(found, dict):
        return found
    load, case = found
    report = protocol.run_case(load, 0, calls, "match", [case], with_graph=True)
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
    written = _written(source, CELLS_FILE)

    def load() -> Any:
        return adhoc_sample(_load(written, function), function, str(written.path))

    report = protocol.run_case(load, case_index, calls, expected, inputs)
    return _named(report.to_dict(), written.path, CELLS_FILE)
