"""Python that AutoGraph does not convert, as data: what it is, why, and what happens instead.

The conversion explains failures with it, and the explanation must never depend on printing
the user's code (``astor`` cannot print ``match``), so everything here works on the AST alone.
"""
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

AT_RUN_TIME = (
    "Under @tf.function, AutoGraph logs a warning and TensorFlow traces the function as it is: "
    "plain Python control flow then runs once, at trace time, and fails if it needs a tensor's value."
)


@dataclass(frozen=True)
class Unsupported:
    construct: str
    explanation: str
    fix: str
    found_in: Callable[[ast.AST], bool]


def _loop_with_else(loop_type: type) -> Callable[[ast.AST], bool]:
    return lambda node: isinstance(node, loop_type) and bool(node.orelse)


UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported(
        "generator",
        "AutoGraph does not convert generators (functions containing yield).",
        "Return a tensor (tf.stack, tf.TensorArray) or build a tf.data.Dataset instead of yielding.",
        lambda node: isinstance(node, (ast.Yield, ast.YieldFrom)),
    ),
    Unsupported(
        "assignment expression (:=)",
        "AutoGraph's converter predates Python 3.8 assignment expressions and fails on ':='.",
        "Assign on its own line before the test.",
        lambda node: isinstance(node, ast.NamedExpr),
    ),
    Unsupported(
        "match statement",
        "AutoGraph's converter predates Python 3.10 and fails on 'match'.",
        "Use if/elif on tensors (tf.cond, tf.switch_case) instead of match.",
        lambda node: type(node).__name__ == "Match",
    ),
    Unsupported(
        "for/else",
        "AutoGraph does not support an else clause on a for loop.",
        "Track completion with a flag (a tensor) set before the loop and cleared on break.",
        _loop_with_else(ast.For),
    ),
    Unsupported(
        "while/else",
        "AutoGraph does not support an else clause on a while loop.",
        "Track completion with a flag (a tensor) set before the loop and cleared on break.",
        _loop_with_else(ast.While),
    ),
)


def constructs_in(source: str) -> list[Unsupported]:
    """Which unsupported constructs a snippet uses, in table order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    nodes = list(ast.walk(tree))
    return [entry for entry in UNSUPPORTED if any(entry.found_in(node) for node in nodes)]


def explain_failure(source: str | None, cause: BaseException) -> str:
    """A plain sentence or three, ending with AutoGraph's own words."""
    autograph_says = f"AutoGraph said: {type(cause).__name__}: {cause}".strip()
    if source is None:
        return (
            "The source code is not available (functions made by exec, typed at the REPL or loaded "
            "from bytecode have none), so AutoGraph cannot read it to convert it. "
            f"{AT_RUN_TIME} Define the function in a .py file. {autograph_says}"
        )
    found = constructs_in(source)
    if not found:
        return f"AutoGraph could not convert this function. {AT_RUN_TIME} {autograph_says}"
    parts = [f"{entry.explanation} Fix: {entry.fix}" for entry in found]
    return " ".join(parts) + f" {AT_RUN_TIME} {autograph_says}"
