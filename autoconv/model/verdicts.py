"""How a case ended (``Verdict``) and which way it ran (``Side``): the words of every view and of
``autoconv check --json``.

They live apart from the check's records so that reading a samples file (``autoconv list``, which
validates each ``expect=``) costs two small enums, not the whole report model.
"""
from __future__ import annotations

from enum import Enum


class _Word(str, Enum):
    """An enum whose members are the very strings the JSON and the views have always used."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)

    def __repr__(self) -> str:  # a list of verdicts prints as it always has: ['match']
        return repr(str(self.value))


class Verdict(_Word):
    """How one case ended, and what each ending means (the words every view shows)."""

    MATCH = "match"
    MISMATCH = "mismatch"
    GRAPH_ERROR = "graph-error"
    EAGER_ERROR = "native-error"
    TIMEOUT = "timeout"
    CRASH = "crash"

    @property
    def meaning(self) -> str:
        return VERDICT_MEANINGS[self]


VERDICT_MEANINGS: dict[Verdict, str] = {
    Verdict.MATCH: "both sides returned, printed and raised the same on every call",
    Verdict.MISMATCH: "both ran, but a value or printed output differed",
    Verdict.GRAPH_ERROR: "the graph side raised and the eager side did not (or raised differently)",
    Verdict.EAGER_ERROR: "the eager side raised and the graph side did not",
    Verdict.TIMEOUT: "a side ran past the time limit",
    Verdict.CRASH: "the worker process died",
}


class Side(_Word):
    """Which way a case's function ran. The value is the JSON's key; ``label`` is the views' word."""

    EAGER = "native"
    GRAPH = "graph"
    SAVED = "saved"

    @property
    def label(self) -> str:
        return {"native": "eager", "graph": "graph", "saved": "saved"}[self.value]
