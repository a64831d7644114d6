"""The words every view of an ``Explanation`` uses, decided once, into the data: badges per line,
the sentence each line adds to the notes, the summary and one sentence per call.

Text, Markdown and HTML lay these out (and escape them) each in their own way. A badge's
``kind`` (``staged``, ``python``, ``trace-time``, ``ops``) is what HTML styles it by.
"""
from __future__ import annotations

from autoconv.model.explanation import Badge, Explanation, Line, Statement

STAGED_AS = {"for": "tf.while_loop", "while": "tf.while_loop", "if": "tf.cond", "ifexp": "tf.cond",
             "and": "tf.cond", "or": "tf.cond", "not": "tf.logical_not"}
BODY_WORD = {"for": "body", "while": "body"}  # the others' functions are branches


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


def _fact(line: Line, call: str) -> str | None:
    """The sentence a line adds to the notes: "For the call (5): ⟳ tf.while_loop (...): why."."""
    words = [badge.text for badge in line.badges if badge.kind != "ops"]
    if line.statement is not None and line.statement.reason and words:
        words[0] += f": {line.statement.reason}"
    return f"For the call ({shortened(call)}): " + "; ".join(words) + "." if words else None


def describe(explanation: Explanation) -> Explanation:
    """Fill in the words of ``explanation`` (its badges, notes, summary and call sentences) from
    its facts; called whenever the facts change, so every view reads the same words."""
    call = explanation.calls[explanation.lines_from_call - 1].args if explanation.calls else ""
    for line in explanation.lines:
        line.badges = line_badges(line)
        line.fact = _fact(line, call)
    explanation.summary = summary(explanation)
    explanation.call_sentences = call_words(explanation)
    return explanation
