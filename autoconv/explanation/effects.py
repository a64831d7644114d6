"""Which calls are trace-time side effects: Python work a traced graph never repeats.

The knowledge is data (a method name list per container type, a module per kind); ``effect_of``
is the one place that reads it. It looks only at the callable, never calls it.
"""
from __future__ import annotations

import builtins
import random
from typing import Any

LIST_MUTATORS = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",
                           "__setitem__", "__delitem__", "__iadd__"})
DICT_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"})


def _module_of(callable_: Any) -> str:
    module = getattr(callable_, "__module__", None)
    if not module:
        owner = getattr(callable_, "__self__", None)
        module = type(owner).__module__ if owner is not None else ""
    return module or ""


def effect_of(callable_: Any) -> tuple[str, str] | None:
    """(kind, detail) when calling ``callable_`` at trace time is a side effect, else None."""
    name = getattr(callable_, "__name__", type(callable_).__name__)
    owner = getattr(callable_, "__self__", None)
    if callable_ is builtins.print:
        return "print", "print"
    if callable_ is builtins.next:
        return "python-iterator", "next() on a Python iterator"
    if isinstance(owner, random.Random) or _module_of(callable_) == "random":
        return "python-random", f"random.{name}"
    module = _module_of(callable_)
    owner_module = type(owner).__module__ if owner is not None else ""
    if module.startswith("numpy.random") or owner_module.startswith("numpy.random"):
        return "numpy-random", f"numpy.random.{name}"
    if module == "time":
        return "time", f"time.{name}"
    if isinstance(owner, list) and name in LIST_MUTATORS:
        return "list-mutation", f"list.{name}"
    if isinstance(owner, dict) and name in DICT_MUTATORS:
        return "dict-mutation", f"dict.{name}"
    return None
