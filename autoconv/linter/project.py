"""Whole-project scope: one call graph over the files linted and the package they form.

Each file is parsed once and its own facts found (checker.Checker with ``walk=False``); then
calls from traced code to functions of other files (``from .aug import augment``,
``import pkg.aug as aug; aug.augment(x)``, ``ds.map(augment)``) trace those functions too,
with the chain that reached them, until nothing new is traced.  Only then is each file
judged.  Plain file-system lookups, as Python's import system would find the files; the
files of the tree are all the lint reads, nothing is imported.

Memory: a file in which nothing is traced when it is read (most of a large library) keeps
only its Outline; its tree is released at once, and read again only if traced code of
another file turns out to call into it.  Holding every tree of tensorflow_probability until
its graph was complete took 506 MB; the trees are nine tenths of that.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from autoconv.linter.checker import Checker
from autoconv.linter.mode import Mode
from autoconv.linter.traced import data_params
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
Release = Callable[[str], None]
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


class Outline:
    """What the call graph asks of a file, kept for every file read: which of its functions an
    import can name, and its imports (a re-export).  A few names, where its tree is thousands
    of nodes: files nobody traces keep this alone."""

    def __init__(self, path: str, real_path: str, checker: Checker):
        traced = checker.traced
        self.path = path  # as given to ``parse``: the path its findings and chains name
        self.real_path = real_path
        self.aliases = checker.aliases
        self.functions: dict[str, int] = {}  # module-level def -> how many defs of that name
        for name, defs in traced.defs.items():
            count = sum(1 for d in defs if d.scope_ is None)
            if count:
                self.functions[name] = count
        self.methods: dict[tuple[str, str], int] = {}  # (class, method) -> how many
        for name, methods in traced.methods.items():
            for method in methods:
                key = (traced.class_of[method].name, name)
                self.methods[key] = self.methods.get(key, 0) + 1

    def count(self, names: list[str]) -> int:
        """How many functions ``f`` or ``Class.method`` names here: only one is followed."""
        return self.functions.get(names[0], 0) if len(names) == 1 else self.methods.get((names[0], names[1]), 0)


def _find(checker: Checker, names: list[str]) -> Function | None:
    """The one function ``names`` counts in Outline.count, as a node of ``checker``'s tree."""
    traced = checker.traced
    if len(names) == 2:
        found = [m for m in traced.methods.get(names[1], []) if traced.class_of[m].name == names[0]]
    else:
        found = [d for d in traced.defs.get(names[0], []) if d.scope_ is None]
    return found[0] if len(found) == 1 else None


class Project:
    """Every file read (its Outline, by real path), the prepared checkers of those that hold
    traced code, and the propagation between them."""

    def __init__(self, parse: Parse, release: Release, elsewhere: frozenset[str] = frozenset()):
        """``elsewhere``: real paths of files judged with another package; what this one's
        traced code reaches in them is kept in ``crossing`` for them.  ``release(path)`` is
        told when the checker ``parse(path)`` returned is no longer held here, so that its
        owner can judge it now (nothing in it is traced) and let its tree go."""
        self._parse = parse
        self._release = release
        self.outlines: dict[str, Outline | None] = {}  # in the order read
        self.checkers: dict[str, Checker] = {}  # the files kept whole: traced code, or reached by it
        self._real_paths: dict[int, str] = {}
        self._module_files: dict[str, str | None] = {}
        self.elsewhere = elsewhere
        self.crossing: list[Seed] = []

    def load(self, path: str) -> Outline | None:
        """The file's Outline (read once per project); None if it cannot be read or parsed.
        A file with nothing traced in it (no ``tf.function``, Keras step, dataset callback)
        is released at once: only a seed from other code can trace it, and ``_resident``
        reads it again then, into the very state it had."""
        key = os.path.realpath(path)
        if key not in self.outlines:
            checker = self._parse(path)
            self.outlines[key] = None if checker is None else Outline(path, key, checker)
            if checker is not None:
                if checker.traced.modes or checker.traced.imported_roots:
                    self._hold(key, checker)
                else:
                    del checker  # the last reference here: release may free the tree
                    self._release(path)
        return self.outlines[key]

    def _hold(self, key: str, checker: Checker) -> None:
        self.checkers[key] = checker
        self._real_paths[id(checker)] = key

    def _resident(self, key: str) -> Checker | None:
        """The checker of a file already read, read again if it was released.  Parsing is
        deterministic and nothing was seeded into the released one, so the new checker is in
        the state the old one had.  None if the file can no longer be read."""
        checker = self.checkers.get(key)
        outline = self.outlines.get(key)
        if checker is None and outline is not None:
            checker = self._parse(outline.path)
            if checker is not None:
                self._hold(key, checker)
        return checker

    def apply(self, seeds: Iterable[Seed]) -> None:
        """Seeds another package's traced code left in files of this one."""
        for seed in seeds:
            checker = self._resident(seed.real_path)
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
        # In the order read, as when every file was held: a released file has nothing
        # traced, so its turn on the stack did nothing; once seeded it is pushed on top.
        work = [self.checkers[key] for key in self.outlines if key in self.checkers]
        for checker in list(work):
            for full, call, mode in checker.traced.imported_roots:
                target = self.resolve(checker.path, full)
                if target is not None:
                    owner, node = target
                    entry = TraceStep("tf.function", checker.path, call.lineno)
                    if mode is None:  # a dataset callback: its parameters are the elements
                        params = frozenset(data_params(node))  # the elements: not self
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
        outline = self.load(module)
        if outline is None or not names or len(names) > 2:
            return None
        count = outline.count(names)
        if count == 1:  # only now is the tree needed: read again if it was released
            checker = self._resident(outline.real_path)
            node = None if checker is None else _find(checker, names)
            return None if node is None else (checker, node)
        reexport = outline.aliases.get(names[0])
        if len(names) == 1 and not count and reexport and reexport != names[0]:
            return self.resolve(module, reexport, depth + 1)
        return None
