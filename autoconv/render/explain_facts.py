"""The words every view of an ``Explanation`` uses, decided once: badges per line and the summary.

Text, Markdown and HTML lay these out (and escape them) each in their own way. A badge's
``kind`` (``staged``, ``python``, ``trace-time``, ``ops``) is what HTML styles it by.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autoconv.model.explanation import Explanation, Line, Statement

STAGED_AS = {"for": "tf.while_loop", "while": "tf.while_loop", "if": "tf.cond", "ifexp": "tf.cond",
             "and": "tf.cond", "or": "tf.cond", "not": "tf.logical_not"}
BODY_WORD = {"for": "body", "while": "body"}  # the others' functions are branches


@dataclass(frozen=True)
class Badge:
    kind: str
    text: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def statement_badge(statement: Statement) -> Badge:
    if statement.staged:
        details = list(dict.fromkeys(statement.ops))
        if statement.body_ops is not None:
            details.append(f"{BODY_WORD.get(statement.kind, 'branches')} {_plural(statement.body_ops, 'op')}")
        symbol = "⟳" if statement.kind in BODY_WORD else "⇅"
        inner = f" ({', '.join(details)})" if details else ""
        staged_as = "tf.data reduce" if any(op.endswith("Dataset") for op in statement.ops) else (
            STAGED_AS[statement.kind])
        return Badge("staged", f"{symbol} {staged_as}{inner}")
    python = statement.python or {}
    if "iterations" in python:
        return Badge("python", f"▸ Python: unrolled ×{python['iterations']}")
    if "branch" in python:
        return Badge("python", f"▸ Python: took {python['branch']}")
    return Badge("python", "▸ Python: evaluated while tracing")


def line_badges(line: Line) -> list[Badge]:
    badges = [statement_badge(line.statement)] if line.statement else []
    if line.trace_time:
        details = ", ".join(dict.fromkeys(effect.detail for effect in line.trace_time))
        badges.append(Badge("trace-time", f"⚑ trace-time only: {details}"))
    total = sum(line.ops.values())
    if total:
        badges.append(Badge("ops", _plural(total, "op")))
    return badges


def op_list(line: Line) -> str:
    """``AddV2, Const×2``: a line's op types with their counts."""
    return ", ".join(f"{op}×{count}" if count > 1 else op for op, count in line.ops.items())


ARGS_SHOWN = 72


def shortened(args: str) -> str:
    """A call's arguments as a sentence can hold them: a big tensor is not the point of the line."""
    return args if len(args) <= ARGS_SHOWN else args[: ARGS_SHOWN - 1] + "…"


def call_words(explanation: Explanation) -> list[str]:
    """One sentence per call: traced or reused, and why it traced again."""
    words = []
    for number, call in enumerate(explanation.calls, 1):
        if not call.traced:
            state = "reused a traced graph"
        elif call.retrace_reason:
            state = f"traced again: {call.retrace_reason}"
        else:
            state = "traced"
        words.append(f"call {number} ({shortened(call.args)}): {state}")
    return words


def summary(explanation: Explanation) -> list[str]:
    """What happened, in a few sentences: ops, traces, trace-time effects, converted functions."""
    traces = sum(call.traced for call in explanation.calls)
    effects = sorted({effect.what for line in explanation.lines for effect in line.trace_time})
    staged = sum(1 for line in explanation.lines if line.statement and line.statement.staged)
    python = sum(1 for line in explanation.lines if line.statement and not line.statement.staged)
    out = [
        f"graph: {_plural(explanation.graph.ops, 'op')} at the top level, "
        f"{_plural(explanation.graph.functions, 'library function')} (loop bodies, branches)",
        f"{_plural(traces, 'trace')} for {_plural(len(explanation.calls), 'call')}; the lines show "
        f"what the trace of call {explanation.lines_from_call} did",
        f"control flow: {staged} staged as graph ops, {python} run in Python while tracing",
        "trace-time effects: " + (", ".join(effects) if effects else "none"),
        "converted: " + ", ".join(f"{f.name} ({f.location})" for f in explanation.converted),
    ]
    return out


def note_facts(explanation: Explanation, first_line: int) -> dict[int, list[str]]:
    """What happened, as sentences for the notes (``annotations.lessons``' ``facts``), keyed by the
    original snippet's line (the file's line minus ``first_line``, plus one)."""
    call = explanation.calls[explanation.lines_from_call - 1].args if explanation.calls else ""
    facts: dict[int, list[str]] = {}
    for line in explanation.lines:
        words = [badge.text for badge in line_badges(line) if badge.kind != "ops"]
        if line.statement is not None and line.statement.reason:
            words[0] += f": {line.statement.reason}"
        if words:
            facts[line.line - first_line + 1] = [f"For the call ({shortened(call)}): " + "; ".join(words) + "."]
    return facts
