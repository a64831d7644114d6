"""Does a project make Keras trace its models?  Read from the text of its files, only when asked.

A Keras ``call`` runs traced under ``fit``/``predict``/``evaluate`` (and their ``*_on_batch``),
inside a ``tf.function``, when a functional model is built on ``keras.Input``, and when the
model is saved; a project that does none of these with a model calls it eagerly (a custom loop
under a ``GradientTape``), where ``.numpy()`` has a value.  The question arises for a few
findings in a large tree, so the text of the files is read only then, once, and searched with
regular expressions: it is evidence, read leaning towards the status quo (any mention counts).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

# What makes Keras run a model's ``call`` symbolically.
_TRACES = re.compile(
    r"\.(?:fit|fit_generator|evaluate|evaluate_generator|predict|predict_generator|predict_on_batch"
    r"|train_on_batch|test_on_batch)\s*\(|\bfunction\s*\(|@(?:tf\.)?function\b|\bInput\s*\(|saved_model|input_shape\s*="
)
# What makes it run ``call`` eagerly even under fit: then nothing of the project traces it.
_EAGER = re.compile(r"run_eagerly\s*=\s*True|run_functions_eagerly\s*\(\s*True")
_IMPORTS = re.compile(r"^[ \t]*(?:from|import)[ \t][^\n]*", re.M)
_DEPTH = 3  # importers of importers: a layer file, the model file that uses it, the script that fits


class KerasUse:
    """The files of one lint run (``files``, read by ``read`` when first needed).  Of each file
    only three facts are kept, not its text: its import lines, and whether it traces or runs
    Keras eagerly, so a large tree costs a few lines a file."""

    def __init__(self, files: Iterable[str], read: Callable[[str], str]):
        self._files = list(dict.fromkeys(os.path.abspath(f) for f in files))
        self._known = set(self._files)
        self._read = read
        self._facts: dict[str, _Facts] = {}
        self._answers: dict[str, bool] = {}

    def traced(self, path: str) -> bool:
        """Does the file at ``path``, or a file importing it (to ``_DEPTH`` levels), give
        evidence that Keras traces a model, and none that the project runs Keras eagerly?"""
        path = os.path.abspath(path)
        if path not in self._answers:
            facts = self._load(path)
            users, frontier = {path}, [path]
            for _ in range(_DEPTH):
                found = []
                for module in frontier:
                    name = _module_name(module)
                    pattern = re.compile(rf"\b{re.escape(name)}\b")
                    found += [
                        p for p, fact in facts.items()
                        if p not in users and pattern.search(fact.imports) and _may_import(p, module, name)
                    ]
                users.update(found)
                frontier = found
                if not frontier:
                    break
            found_facts = [facts[p] for p in users if p in facts]
            self._answers[path] = any(f.traces for f in found_facts) and not any(f.eager for f in found_facts)
        return self._answers[path]

    def add(self, files: Iterable[str]) -> None:
        """More files of the project (a package the run reads beside the files given)."""
        self._files.extend(f for f in map(os.path.abspath, files) if f not in self._known)
        self._known.update(self._files)

    def _load(self, path: str) -> dict[str, _Facts]:
        for file in [*self._files, path]:
            if file not in self._facts:
                try:
                    text = self._read(file)
                except (OSError, SyntaxError):
                    text = ""
                imports = "\n".join(_IMPORTS.findall(text))
                self._facts[file] = _Facts(imports, bool(_TRACES.search(text)), bool(_EAGER.search(text)))
        return self._facts


class _Facts(NamedTuple):
    imports: str  # the file's import lines
    traces: bool  # it makes Keras trace a model (fit, tf.function, keras.Input, ...)
    eager: bool  # it runs Keras eagerly (run_eagerly=True)


def _module_name(path: str) -> str:
    """``pkg/layers.py`` -> ``layers``; ``pkg/__init__.py`` -> ``pkg``: what an import names."""
    stem = os.path.splitext(os.path.basename(path))[0]
    return os.path.basename(os.path.dirname(path)) if stem == "__init__" else stem


def _may_import(importer: str, module: str, name: str) -> bool:
    """A file beside a module of that name imports that one (its own folder comes first on
    ``sys.path``): ``from net import Net`` in another folder with its own ``net.py`` is not a use."""
    folder = os.path.dirname(importer)
    own = os.path.join(folder, name + ".py"), os.path.join(folder, name, "__init__.py")
    return os.path.dirname(module) == folder or module in own or not any(map(os.path.isfile, own))
