"""Say no fast: a target that names nothing is refused by reading files, before TensorFlow loads.

A sample name is looked up in the catalogue's static reading; ``file.py:name`` in the file's own
top-level names; ``pkg.mod:name`` in the names of the module's source file, found as ``import``
would find it but without running any package's ``__init__``. Each refusal says what was close
("did you mean"). Whatever cannot be decided by reading (a sample declared by code the reading
cannot follow, a namespace package, an extension module, a file that makes names at run time) is
left to ``targets.resolve``, which loads it.
"""
from __future__ import annotations

import ast
import difflib
import os
import pkgutil
import sys
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
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
            if any(isinstance(leaf, ast.Subscript) for target in targets for leaf in ast.walk(target)):
                return None  # globals()["name"] = ..., sys.modules[__name__] = ...: only running tells
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


class _Undecided(Exception):
    """Reading cannot tell whether the module or the name exists: loading will."""


def _find_spec(name: str, path: list[str] | None) -> ModuleSpec | None:
    """Where ``import name`` would find it (``path``: the parent package's folders), asking the
    import system's finders in their order; a finder locates, it runs no module. A top-level name
    is looked for on ``sys.path`` and in the working folder, as ``python -m`` and loading see it."""
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None:
            continue
        search = [*sys.path, os.getcwd()] if path is None and finder is PathFinder else path
        try:
            spec = find_spec(name, search)
        except Exception:  # a finder that cannot answer without loading: loading will
            raise _Undecided from None
        if spec is not None:
            return spec
    return None


def _read(origin: str) -> str:
    try:
        return catalogue.read_source(Path(origin))
    except AutoconvError:
        raise _Undecided from None  # a file that cannot be read: loading gives the precise message


def _source_of(dotted: str) -> tuple[str, ModuleSpec]:
    """The source of module ``dotted``, found level by level from its parents' specs, so no
    package's ``__init__`` runs; a missing level is refused with the names found beside it."""
    parts = dotted.split(".")
    path: list[str] | None = None
    spec: ModuleSpec | None = None
    for depth in range(1, len(parts) + 1):
        name = ".".join(parts[:depth])
        loaded = sys.modules.get(name)
        spec = getattr(loaded, "__spec__", None) if loaded is not None else _find_spec(name, path)
        if spec is None:
            if loaded is not None:
                raise _Undecided
            parent = name.rpartition(".")[0]
            beside = [module.name for module in pkgutil.iter_modules(path or [*sys.path, os.getcwd()],
                                                                     f"{parent}." if parent else "")]
            if path is None:
                beside += sys.builtin_module_names
            raise AutoconvError(f"cannot import {dotted!r}: no module named {name!r}{_did_you_mean(name, beside)}")
        if not isinstance(spec.loader, SourceFileLoader) or not spec.origin:
            raise _Undecided  # a namespace package, an extension or built-in module, a zip: only loading tells
        if depth < len(parts):
            if spec.submodule_search_locations is None or "__path__" in _read(spec.origin):
                raise _Undecided  # not a package, or one that extends its own folders at run time
            path = list(spec.submodule_search_locations)
    assert spec is not None and spec.origin is not None
    return _read(spec.origin), spec


def check_module_target(target: str) -> None:
    """Refuse ``pkg.mod:name`` when the module cannot be found or its source does not define
    ``name``'s first part: by reading, before anything (TensorFlow, a package's ``__init__``) runs."""
    where, separator, qualname = target.rpartition(":")
    if (not separator or not qualname or where.endswith(".py") or "/" in where or "\\" in where
            or not all(part.isidentifier() for part in where.split("."))):
        return
    try:
        source, spec = _source_of(where)
        tree = ast.parse(source)
    except (_Undecided, SyntaxError, ValueError, OSError):
        return  # loading gives the precise message
    names = _top_level_names(tree)
    if names is None or "__getattr__" in names:  # a module __getattr__ makes names on demand
        return
    if spec.submodule_search_locations is not None:  # a package's submodule is its attribute once imported
        names += [module.name for module in pkgutil.iter_modules(list(spec.submodule_search_locations))]
    first = qualname.split(".")[0]
    if first not in names:
        raise AutoconvError(f"module {where!r} has no {first!r}{_did_you_mean(first, names)}")


def check_target(target: str, sample_paths: list[str] | None) -> None:
    """The checks for one target, in the order the target's form asks."""
    if ":" in target:
        check_file_target(target)
        check_module_target(target)
    else:
        check_sample_names([target], sample_paths)
