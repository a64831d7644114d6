"""Writes to state outside the function (globals, attributes, items of outer containers) at trace time.

Stores compile to bytecode, not calls, so no profile hook sees them. The function's source says
which lines could write (``global x; x = ...``, ``obj.attr = ...``, ``outer[key] = ...``); a
snapshot of exactly those targets before and after the call says which writes happened for these
inputs. Only names that exist outside the function (an argument, ``self``, a global) count.
"""
from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from typing import Any

from autoconv.conversion import dedent_source

_MISSING = object()


@dataclass(frozen=True)
class WriteTarget:
    """One place a line may write: ``kind`` is the effect it would be, ``base``/``key`` name it."""

    line: int  # the file's line number
    kind: str  # "global-write" | "attribute-write" | "list-mutation" | "dict-mutation"
    base: str
    key: str | None


def _stored_targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    return []


def write_targets(function: Any) -> list[WriteTarget]:
    """Every store in ``function``'s source whose target may live outside the function."""
    try:
        lines, first_line = inspect.getsourcelines(function)
        tree = ast.parse(dedent_source("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return []
    declared_global = {name for node in ast.walk(tree) if isinstance(node, ast.Global) for name in node.names}
    found = []
    for node in ast.walk(tree):
        for target in _stored_targets(node):
            line = first_line + target.lineno - 1
            if isinstance(target, ast.Name) and target.id in declared_global:
                found.append(WriteTarget(line, "global-write", target.id, None))
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                found.append(WriteTarget(line, "attribute-write", target.value.id, target.attr))
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                found.append(WriteTarget(line, "item", target.value.id, None))
    return found


def _outer_object(target: WriteTarget, arguments: dict[str, Any], globals_: dict[str, Any]) -> Any:
    if target.base in arguments:
        return arguments[target.base]
    return globals_.get(target.base, _MISSING)


def snapshot(targets: list[WriteTarget], arguments: dict[str, Any], globals_: dict[str, Any]) -> list[Any]:
    """What each target holds now, by identity: a changed identity is a write."""
    state: list[Any] = []
    for target in targets:
        if target.kind == "global-write":
            state.append(id(globals_.get(target.base, _MISSING)))
            continue
        owner = _outer_object(target, arguments, globals_)
        if target.kind == "attribute-write":
            state.append(None if owner is _MISSING else id(getattr(owner, target.key or "", _MISSING)))
        elif isinstance(owner, dict):
            state.append(("dict", [(key, id(value)) for key, value in owner.items()]))
        elif isinstance(owner, list):
            state.append(("list", [id(value) for value in owner]))
        else:
            state.append(None)
    return state


def changed_writes(targets: list[WriteTarget], before: list[Any], after: list[Any]) -> list[tuple[int, str, str]]:
    """(line, kind, detail) of the targets whose snapshot changed."""
    found = []
    for target, old, new in zip(targets, before, after, strict=True):
        if old is None or old == new:
            continue
        if target.kind == "global-write":
            found.append((target.line, "global-write", f"global {target.base}"))
        elif target.kind == "attribute-write":
            found.append((target.line, "attribute-write", f"{target.base}.{target.key}"))
        else:
            kind = "dict-mutation" if new[0] == "dict" else "list-mutation"
            found.append((target.line, kind, f"{target.base}[...] ="))
    return found
