"""The words every view of an ``Explanation`` uses, decided once, into the data: badges per line,
the sentence each line adds to the notes, the summary and one sentence per call.

Text, Markdown and HTML lay these out (and escape them) each in their own way. A badge's
``kind`` (``staged``, ``python``, ``trace-time``, ``ops``) is what HTML styles it by.
"""
from __future__ import annotations

from autoconv.model.explanation import Badge, Explanation, Line, Statement, TraceError

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
        return Badge("staged", f"{symbol} {_staged_as(statement)}{inner}")
    return Badge("python", f"▸ Python: {_python_words(statement)}")


def _staged_as(statement: Statement) -> str:
    return "tf.data reduce" if any(op.endswith("Dataset") for op in statement.ops) else STAGED_AS[statement.kind]


def _python_words(statement: Statement) -> str:
    """What a statement run in Python did while tracing: the branch it took, the times it looped."""
    python = statement.python or {}
    if "runs" in python and "iterations" in python:  # a loop in a helper called several times: every run
        return "unrolled " + ", ".join(f"×{count}" for count in python["runs"])
    if "runs" in python:  # an if run several times while tracing: the branch of each run
        return "took " + ", then ".join(python["runs"])
    if "iterations" in python:
        return f"unrolled ×{python['iterations']}"
    if "branch" in python:
        return f"took {python['branch']}"
    return "evaluated while tracing"


def error_badge(error: TraceError) -> Badge:
    when = {"tracing": "while tracing", "running": "when the graph ran"}.get(error.stage, "on its arguments")
    return Badge("error", f"✗ raised {error.type} here, {when}")


def line_badges(line: Line, error: TraceError | None = None) -> list[Badge]:
    badges = [statement_badge(line.statement)] if line.statement else []
    if error is not None and error.line == line.line:
        badges.insert(0, error_badge(error))
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
        if call.error is not None:
            where = f" at line {call.error.line}" if call.error.line else ""
            state = {"tracing": f"the trace failed{where}: {call.error.type}",
                     "running": f"raised {call.error.type}{where} when the graph ran"}.get(
                call.error.stage, f"raised {call.error.type} before tracing, on its arguments")
        elif not call.traced:
            state = "reused a traced graph"
        elif call.retrace_reason:
            state = f"traced again: {call.retrace_reason}"
        else:
            state = "traced"
        words.append(f"call {number} ({shortened(call.args)}): {state}")
    return words


def error_words(error: TraceError) -> list[str]:
    """The error of the call shown, meaning first: where, in plain words, AutoGraph's words, the fix."""
    where = f" at line {error.line}" if error.line else ""
    what = {"tracing": "the trace failed", "running": "the graph traced, then failed when it ran"}.get(
        error.stage, "the call failed before tracing, on its arguments")
    out = [f"{what}{where}: {error.plain or error.type}"]
    speaker = "AutoGraph" if error.stage == "tracing" else "TensorFlow"
    out.append(f"{speaker} said: {error.type}: {error.message}")
    if error.fix:
        out.append(f"the fix is shown by the sample {error.fix} (autoconv show {error.fix})")
    if error.stage == "tracing":
        out.append("the lines show what ran before the error")
    return out


def summary(explanation: Explanation) -> list[str]:
    """What happened, the meaning: the error, control flow staged and run in Python (which branch,
    how many iterations), trace-time effects, how many traces. The calls' sentences (retraces and
    why) follow it in every view, and the statistics (``statistics``) come last."""
    traces = sum(call.traced for call in explanation.calls)
    effects = sorted({effect.what for line in explanation.lines for effect in line.trace_time})
    statements = [line for line in explanation.lines if line.statement is not None]
    staged = [line for line in statements if line.statement and line.statement.staged]
    python = [line for line in statements if line.statement and not line.statement.staged]
    out = error_words(explanation.error) if explanation.error else []
    out.append(f"control flow: {len(staged)} staged as graph ops, {len(python)} run in Python while tracing")
    if staged:
        out.append("staged: " + "; ".join(f"line {line.line} ({line.statement.kind}) as {_staged_as(line.statement)}"
                                          for line in staged if line.statement))
    if python:
        out.append("run in Python: " + "; ".join(
            f"line {line.line} ({line.statement.kind}) {_python_words(line.statement)}"
            for line in python if line.statement))
    out += [
        "trace-time effects: " + (", ".join(effects) if effects else "none"),
        f"{_plural(traces, 'trace')} for {_plural(len(explanation.calls), 'call')}; the lines show "
        f"what the trace of call {explanation.lines_from_call} did",
    ]
    return out


def statistics(explanation: Explanation) -> list[str]:
    """The numbers, after the meaning: the graph's size and the functions AutoGraph converted."""
    out = [f"graph: {_plural(explanation.graph.ops, 'op')} at the top level, "
           f"{_plural(explanation.graph.functions, 'library function')} (loop bodies, branches)"]
    if explanation.converted:
        out.append("converted: " + ", ".join(f"{f.name} ({f.location})" for f in explanation.converted))
    return out


def _fact(line: Line, call: str) -> str | None:
    """The sentence a line adds to the notes: "For the call (5): ⟳ tf.while_loop (...): why."."""
    words = [badge.text + (f": {line.statement.reason}" if line.statement is not None and line.statement.reason
                           and badge.kind in ("staged", "python") else "")
             for badge in line.badges if badge.kind != "ops"]
    return f"For the call ({shortened(call)}): " + "; ".join(words) + "." if words else None


def describe(explanation: Explanation) -> Explanation:
    """Fill in the words of ``explanation`` (its badges, notes, summary and call sentences) from
    its facts; called whenever the facts change, so every view reads the same words. The lines
    of every trace get their words, for a view that switches between calls."""
    source = (explanation.original or "").splitlines()
    for trace in explanation.traces:
        call = explanation.calls[trace.call - 1].args if trace.call <= len(explanation.calls) else ""
        _describe_lines(trace.lines, call, trace.error, source, explanation.first_line)
    call = explanation.calls[explanation.lines_from_call - 1].args if explanation.calls else ""
    _describe_lines(explanation.lines, call, explanation.error, source, explanation.first_line)
    explanation.summary = summary(explanation)
    explanation.call_sentences = call_words(explanation)
    explanation.statistics = statistics(explanation)
    return explanation


def _describe_lines(lines: list[Line], call: str, error: TraceError | None, source: list[str],
                    first_line: int) -> None:
    """Badges and notes of a trace's lines; the line that raised gets a line of its own if it
    made nothing before failing."""
    if error is not None and error.line is not None and all(line.line != error.line for line in lines):
        offset = error.line - first_line
        lines.append(Line(error.line, source[offset] if 0 <= offset < len(source) else ""))
        lines.sort(key=lambda line: line.line)
    for line in lines:
        line.badges = line_badges(line, error)
        line.fact = _fact(line, call)
