"""Whole-project scope: one call graph over the files linted and the package they form.

Each file is parsed once and its own facts found (checker.Checker with ``walk=False``); then
calls from traced code to functions of other files (``from .aug import augment``,
``import pkg.aug as aug; aug.augment(x)``, ``ds.map(augment)``) trace those functions too,
with the chain that reached them, until nothing new is traced.  Only then is each file
judged.  Plain file-system lookups, as Python's import system would find the files; the
files of the tree are all the lint reads, nothing is imported.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from autoconv.linter.checker import Checker
from autoconv.linter.mode import Mode
from autoconv.linter.traced import positional_params
from autoconv.model.lint import TraceStep

Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Seed:
    """A function of a file (its real path, its ``def`` line) that traced code elsewhere reaches."""

    real_path: str
    line: int
    mode: Mode
    chain: tuple[TraceStep, ...]
    root: bool
Parse = Callable[[str], "Checker | None"]
_ANCESTORS = 8  # how far above a file an absolute import's top package may sit


def package_files(path: str, python_files: Callable[[str], Iterable[str]]) -> list[str]:
    """The files a file's imports may reach: its whole top package when it is in one
    (``__init__.py`` beside it), else the ``.py`` files of its own folder."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isfile(os.path.join(folder, "__init__.py")):
        found = sorted(os.path.join(folder, f) for f in os.listdir(folder)  # no FIFO: reading it would hang
                       if f.endswith(".py") and os.path.isfile(os.path.join(folder, f)))
    else:
        while os.path.isfile(os.path.join(os.path.dirname(folder), "__init__.py")):
            folder = os.path.dirname(folder)
        found = list(python_files(folder))
    return found if os.path.isabs(path) else [os.path.relpath(f) for f in found]


class Project:
    """The prepared checkers of every file read, by real path, and the propagation between them."""

    def __init__(self, parse: Parse, elsewhere: frozenset[str] = frozenset()):
        """``elsewhere``: real paths of files judged with another package; what this one's
        traced code reaches in them is kept in ``crossing`` for them."""
        self._parse = parse
        self.checkers: dict[str, Checker | None] = {}
        self._real_paths: dict[int, str] = {}
        self._module_files: dict[str, str | None] = {}
        self.elsewhere = elsewhere
        self.crossing: list[Seed] = []

    def load(self, path: str) -> Checker | None:
        """The file's prepared checker (parsed once per project); None if it cannot be read."""
        key = os.path.realpath(path)
        if key not in self.checkers:
            self.checkers[key] = checker = self._parse(path)
            if checker is not None:
                self._real_paths[id(checker)] = key
        return self.checkers[key]

    def apply(self, seeds: Iterable[Seed]) -> None:
        """Seeds another package's traced code left in files of this one."""
        for seed in seeds:
            checker = self.checkers.get(seed.real_path)
            nodes = [] if checker is None else [
                n for found in checker.traced.defs.values() for n in found if n.lineno == seed.line
            ] + [n for found in checker.traced.methods.values() for n in found if n.lineno == seed.line]
            for node in nodes[:1]:
                checker.traced.seed(node, seed.mode, seed.chain, root=seed.root)

    def _seed(self, owner: Checker, node: Function, mode: Mode, chain: tuple[TraceStep, ...], root: bool) -> bool:
        real_path = self._real_paths[id(owner)]
        if real_path in self.elsewhere:
            self.crossing.append(Seed(real_path, node.lineno, mode, chain, root))
        return owner.traced.seed(node, mode, chain, root=root)

    def propagate(self) -> None:
        """Trace what traced code calls in other files, to a fixed point."""
        work = [c for c in self.checkers.values() if c is not None]
        for checker in list(work):
            for full, call, mode in checker.traced.imported_roots:
                target = self.resolve(checker.path, full)
                if target is not None:
                    owner, node = target
                    entry = TraceStep("tf.function", checker.path, call.lineno)
                    if mode is None:  # a dataset callback: its parameters are the elements
                        params = frozenset(positional_params(node))
                        mode = Mode(tensor_params=params, structures=params)
                        entry = replace(entry, function=f"Dataset.{getattr(call.func, 'attr', 'map')}")
                    if self._seed(owner, node, mode, (entry,), True):
                        work.append(owner)
        done: set[tuple[int, ast.AST, Mode]] = set()
        while work:
            checker = work.pop()
            traced = checker.traced
            for caller, call, full, guarded in traced.calls_out():
                mode = traced.modes.get(caller)
                if mode is None or (id(call), caller, mode) in done:
                    continue
                done.add((id(call), caller, mode))
                target = self.resolve(checker.path, full)
                if target is None:
                    continue
                owner, node = target
                inherited = replace(mode, tensor_params=frozenset(), structures=frozenset(), guarded=guarded)
                here = TraceStep(getattr(caller, "name", "<lambda>"), checker.path, call.lineno)
                chain = (here, *traced.chain(caller, checker.path)[1:])
                if self._seed(owner, node, inherited, chain, False):
                    work.append(owner)

    # ---- where a dotted name lives -------------------------------------------------------
    def resolve(self, importer: str, full: str, depth: int = 0) -> tuple[Checker, Function] | None:
        """The function a resolved import name (``.aug.augment``, ``pkg.aug.augment``,
        ``pkg.Model.step``) names in the project, following one re-export per package."""
        level = len(full) - len(full.lstrip("."))
        parts = full[level:].split(".")
        if not parts[0] or depth > 3:
            return None
        folder = os.path.dirname(os.path.abspath(importer))
        if level:
            for _ in range(level - 1):
                folder = os.path.dirname(folder)
            bases = [folder]
        else:
            bases = [folder]
            for _ in range(_ANCESTORS):
                parent = os.path.dirname(bases[-1])
                if parent == bases[-1]:
                    break
                bases.append(parent)
        for base in bases:
            for split in range(len(parts) - 1, -1 if level else 0, -1):
                module = self._module_file(base, parts[:split])
                if module is not None:
                    return self._member(module, parts[split:], depth)
        return None

    def _module_file(self, base: str, names: list[str]) -> str | None:
        """``base/a/b.py`` or ``base/a/b/__init__.py`` (the package itself when ``names`` is empty)."""
        folder = os.path.join(base, *names)
        if folder not in self._module_files:
            candidates = [folder + ".py"] if names else []
            candidates.append(os.path.join(folder, "__init__.py"))
            self._module_files[folder] = next((c for c in candidates if os.path.isfile(c)), None)
        return self._module_files[folder]

    def _member(self, module: str, names: list[str], depth: int) -> tuple[Checker, Function] | None:
        checker = self.load(module)
        if checker is None or not names or len(names) > 2:
            return None
        traced = checker.traced
        if len(names) == 2:  # Class.method
            methods = [m for m in traced.methods.get(names[1], []) if traced.class_of[m].name == names[0]]
            return (checker, methods[0]) if len(methods) == 1 else None
        defs = [d for d in traced.defs.get(names[0], []) if d.scope_ is None]
        if len(defs) == 1:
            return checker, defs[0]
        reexport = checker.aliases.get(names[0])
        if not defs and reexport and reexport != names[0]:
            return self.resolve(module, reexport, depth + 1)
        return None
