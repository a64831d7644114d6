"""The source of a function typed in a notebook, as a program a fresh process can run.

A function defined in an IPython cell cannot be loaded again from a file, but IPython keeps
every cell's source (in ``linecache``, under the file names its compiler registers, in the
order the cells ran). From those cells this module takes the function's own definition and,
going back through the earlier cells, every top-level import, ``def``, ``class`` and assignment
that defines a name the kept code uses: a program the check's workers load afresh on each side,
as ``autoconv check`` loads a file, so no trace or module state of the kernel takes part.
Calls and other expressions are left out (re-running a cell's ``model.fit(...)`` or
``autoconv.check(...)`` is not part of defining the function), and so is anything IPython
rewrote from a magic. Nothing here imports IPython: a kernel has imported it already.
"""
from __future__ import annotations

import ast
import builtins
import linecache
import sys
import types
from dataclasses import dataclass
from typing import Any

_KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
         ast.Assign, ast.AnnAssign, ast.AugAssign)
_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})


@dataclass(frozen=True)
class CellsProgram:
    """``source`` defines ``name`` at its top level; ``cells`` are the execution counts it came from."""

    source: str
    name: str
    cells: tuple[int, ...]


@dataclass
class _Statement:
    cell: int
    start: int  # the first line, a decorator's if it has any
    text: str
    defines: set[str]
    uses: set[str]


def _shell() -> Any:
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None else None


def _cell_files(shell: Any) -> dict[str, int]:
    """The running kernel's cell files and their execution counts, in the order they ran."""
    return dict(getattr(getattr(shell, "compile", None), "_filename_map", None) or {})


def _defined(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}


def _used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _code_names(code: types.CodeType) -> set[str]:
    """Every global (and attribute) name a function's code and its nested code refer to."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _code_names(constant)
    return names


def _statements(filename: str, cell: int) -> list[tuple[ast.stmt, _Statement]]:
    text = "".join(linecache.getlines(filename))
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    lines = text.splitlines()
    found = []
    for node in tree.body:
        if not isinstance(node, _KEPT):
            continue
        decorators = getattr(node, "decorator_list", [])
        start = min([node.lineno, *(d.lineno for d in decorators)])
        source = "\n".join(lines[start - 1:node.end_lineno])
        if "get_ipython" in source:  # a magic, rewritten by IPython: not the user's Python
            continue
        uses = _used(node) | (_defined(node) if isinstance(node, ast.AugAssign) else set())  # x += 1 reads x
        found.append((node, _Statement(cell, start, source, _defined(node), uses)))
    return found


def notebook_program(function: Any) -> CellsProgram | None:
    """The program that defines ``function`` (a plain function, or what a ``tf.function`` wraps),
    or None when it was not defined at the top level of a cell of the running kernel, or when a
    name it needs was defined by code this program would leave out."""
    code = getattr(function, "__code__", None)
    shell = _shell()
    cells = _cell_files(shell)
    if code is None or code.co_filename not in cells or "<" in getattr(function, "__qualname__", "<"):
        return None
    earlier: list[_Statement] = []
    target = None
    for filename, count in cells.items():
        for node, statement in _statements(filename, count):
            if filename == code.co_filename and statement.start == code.co_firstlineno and isinstance(
                    node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function.__name__:
                target = statement
                target.uses = _code_names(code) | {n for d in node.decorator_list for n in _used(d)}
                break
            earlier.append(statement)
        if target is not None or filename == code.co_filename:
            break
    if target is None:
        return None
    needed = target.uses - target.defines - set(dir(builtins))
    kept = [target]
    for statement in reversed(earlier):
        if statement.defines & needed:
            kept.append(statement)
            needed = (needed - statement.defines) | (statement.uses - set(dir(builtins)))
    # A name of the notebook that no kept statement defines came from code left out (a loop, a
    # ``with``, a magic): that program would not run, so the caller falls back.
    namespace = getattr(shell, "user_ns", {})
    if any(name in namespace and not name.startswith("_") and name not in _IPYTHON_NAMES for name in needed):
        return None
    kept.reverse()
    source = "\n\n\n".join(statement.text for statement in kept) + "\n"
    return CellsProgram(source, function.__name__, tuple(dict.fromkeys(s.cell for s in kept)))
