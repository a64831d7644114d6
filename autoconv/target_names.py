"""Say no fast: a target that names nothing is refused by reading files, before TensorFlow loads.

A sample name is looked up in the catalogue's static reading; ``file.py:name`` in the file's own
top-level names. Each refusal says what was close ("did you mean"). Whatever cannot be decided
by reading (a module target, a sample declared by code the reading cannot follow, a file that
makes names at run time) is left to ``targets.resolve``, which loads it.
"""
from __future__ import annotations

import ast
import difflib
from pathlib import Path

from autoconv import catalogue
from autoconv.errors import AutoconvError


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(repr(choice) for choice in close)}?" if close else ""


def check_sample_names(names: list[str], sample_paths: list[str] | None) -> None:
    """Refuse sample names the catalogue does not declare, when its reading is complete."""
    wanted = [name for name in names if ":" not in name]
    if not wanted:
        return
    declared = [d.name for d in catalogue.read_all(sample_paths)]
    if "?" in declared:  # a declaration the reading could not name: only loading can tell
        return
    for name in wanted:
        if name not in declared:
            raise AutoconvError(f"unknown sample or target: {name!r}{_did_you_mean(name, declared)} "
                                "(see 'autoconv list')")


def _top_level_names(tree: ast.Module) -> list[str] | None:
    """Names a module defines at its top level; None when it may make others at run time."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any(alias.name == "*" for alias in node.names):
                return None
            names += [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [leaf.id for target in targets for leaf in ast.walk(target) if isinstance(leaf, ast.Name)]
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.For, ast.While)) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
            # names made under a condition or by a call (globals().update(...)): only running tells
            if any(isinstance(inner, (ast.FunctionDef, ast.ClassDef, ast.Assign, ast.Import, ast.ImportFrom))
                   for inner in ast.walk(node)) or isinstance(node, ast.Expr):
                return None
    return names


def check_file_target(target: str) -> None:
    """Refuse ``file.py:name`` when the file is missing or does not define ``name``'s first part."""
    where, separator, qualname = target.rpartition(":")
    if not separator or not (where.endswith(".py") or "/" in where or "\\" in where):
        return
    path = Path(where)
    if not path.exists():
        siblings = [p.name for p in path.parent.glob("*.py")] if path.parent.is_dir() else []
        raise AutoconvError(f"no such file: {where}{_did_you_mean(path.name, siblings)}")
    if not path.is_file() or not qualname:
        return
    try:
        tree = ast.parse(catalogue.read_source(path))
    except (SyntaxError, AutoconvError, ValueError):
        return  # loading it gives the precise message
    names = _top_level_names(tree)
    first = qualname.split(".")[0]
    if names is not None and first not in names:
        raise AutoconvError(f"{where} has no {first!r}{_did_you_mean(first, names)}")


def check_target(target: str, sample_paths: list[str] | None) -> None:
    """Both checks for one target, in the order the target's form asks."""
    if ":" in target:
        check_file_target(target)
    else:
        check_sample_names([target], sample_paths)
