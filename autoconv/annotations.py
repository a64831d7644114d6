"""What each piece of AutoGraph's output means, in plain words, as data.

One entry per construct AutoGraph emits; one AST visitor finds them in the converted code.
Adding a construct means adding one entry (pyflakes' messages/checker split).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Annotation:
    """A note pinned to one converted line; ``original_line`` is None for pure scaffolding."""

    converted_line: int
    original_line: int | None
    kind: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {
            "converted_line": self.converted_line,
            "original_line": self.original_line,
            "kind": self.kind,
            "text": self.text,
        }


# ag__.<name>(...) calls.
OPERATOR_CALLS: dict[str, str] = {
    "for_stmt": (
        "Your for loop. ag__.for_stmt decides when the loop runs: over a tensor, a tf.data.Dataset or a "
        "tf.range it builds one tf.while_loop (a While op, any number of iterations at run time); over a "
        "Python iterable (range, a list) it unrolls the body at trace time, once per item."
    ),
    "while_stmt": (
        "Your while loop. If the condition is a tensor, ag__.while_stmt builds a tf.while_loop; if it is "
        "a Python bool, the loop runs in Python while tracing and is unrolled into the graph."
    ),
    "if_stmt": (
        "Your if statement. With a tensor condition ag__.if_stmt builds tf.cond and traces both branches, "
        "so every variable it changes must be defined on both paths with the same dtype and structure; "
        "with a Python bool only the taken branch is traced."
    ),
    "if_exp": (
        "Your conditional expression (a if cond else b). A tensor condition becomes tf.cond over two "
        "lambdas; a Python condition picks one side at trace time."
    ),
    "converted_call": (
        "A call routed through AutoGraph: a user function is converted recursively before it is called, "
        "TensorFlow and built-in functions are called as they are."
    ),
    "ld": (
        "Reads a variable. ag__.ld checks that it is defined on this path, so a name left undefined by a "
        "tensor if or loop fails with a clear error instead of a NameError inside the graph."
    ),
    "ldu": (
        "Reads a variable that may be undefined on some path (e.g. after a loop that may run zero times); "
        "ag__.ldu yields an Undefined placeholder instead of failing at once."
    ),
    "Undefined": (
        "Marks a variable that has no value yet, such as a loop target before the first iteration. Using "
        "it before it is assigned gives AutoGraph's 'is not defined' error."
    ),
    "UndefinedReturnValue": (
        "The function's return value before any return statement ran. If it is still undefined when a "
        "tensor if or loop needs it, AutoGraph asks for a return on every path."
    ),
    "FunctionScope": (
        "Opens the function's scope: a tf.name_scope for its ops and the conversion options that calls "
        "made inside it inherit."
    ),
    "with_function_scope": "The lambda's body runs in its own function scope, as a converted function would.",
    "and_": (
        "Your 'and'. Lazily evaluated like Python's: with tensors it becomes tf.cond so the right side only "
        "runs when needed; with Python values it is plain 'and'."
    ),
    "or_": (
        "Your 'or'. Lazily evaluated like Python's: with tensors it becomes tf.cond so the right side only "
        "runs when needed; with Python values it is plain 'or'."
    ),
    "not_": "Your 'not'. tf.logical_not for a tensor, Python's not otherwise.",
    "eq": "Your '=='. tf.equal for tensors (Feature.EQUALITY_OPERATORS), Python's == otherwise.",
    "not_eq": "Your '!='. tf.not_equal for tensors (Feature.EQUALITY_OPERATORS), Python's != otherwise.",
    "assert_stmt": (
        "Your assert (Feature.ASSERT_STATEMENTS). On a tensor it becomes tf.debugging.assert_equal-style "
        "Assert op that runs every call; on a Python value it is a plain assert at trace time."
    ),
    "new_list": (
        "Your list literal (Feature.LISTS). An empty list may become a TensorList so a tensor loop can grow "
        "it; a Python list stays a list."
    ),
    "list_append": (
        "Your list.append (Feature.LISTS). On a TensorList this is a TensorListPushBack op, so appends "
        "inside a tf.while_loop work; on a Python list it is list.append."
    ),
    "list_pop": "Your list.pop (Feature.LISTS): TensorListPopBack on a TensorList, list.pop otherwise.",
    "list_stack": (
        "tf.stack on a list (Feature.LISTS): a TensorList is stacked into one tensor with TensorListStack."
    ),
}

# Helper functions AutoGraph defines, by name prefix.
HELPER_FUNCTIONS: dict[str, tuple[str, str]] = {
    "get_state": (
        "get_state",
        "A closure that reads the variables the loop or if modifies; tf.while_loop and tf.cond need them "
        "as explicit loop variables or branch outputs.",
    ),
    "set_state": (
        "set_state",
        "A closure that writes back the loop variables or branch outputs after TensorFlow computed them.",
    ),
    "loop_body": ("loop_body", "The loop body as a function, so TensorFlow can call it from tf.while_loop."),
    "loop_test": ("loop_test", "The loop condition as a function, evaluated before every iteration."),
    "extra_test": (
        "extra_test",
        "An extra loop condition added by AutoGraph: it ends the loop early after a break or return.",
    ),
    "if_body": ("if_body", "The true branch as a function, so tf.cond can trace it."),
    "else_body": ("else_body", "The false branch as a function (empty if you wrote no else)."),
}

FLAG_ASSIGNMENTS: dict[str, str] = {
    "do_return": (
        "do_return flags that a return statement has run; AutoGraph turns return into a flag plus a "
        "value so a return inside a tensor if or loop can become graph control flow."
    ),
    "retval_": "retval_ holds the value being returned until the function's single exit point.",
    "break_": (
        "A break flag: your break sets it, and the loop condition checks it, because a tf.while_loop "
        "cannot jump out of its body."
    ),
    "continue_": (
        "A continue flag: your continue sets it and the rest of the body is wrapped in 'if not continue_'."
    ),
}

FSCOPE_RET = (
    "The single exit point: fscope.ret returns retval_, checks it was defined on every path, and "
    "marks control dependencies so stateful ops before it run."
)


class _Finder(ast.NodeVisitor):
    """Walks converted code once, tagging each AutoGraph construct with its line and origin."""

    def __init__(self, line_map: dict[int, int]) -> None:
        self.line_map = line_map
        self.enclosing: list[int] = []
        self.found: dict[tuple[int, str], Annotation] = {}

    def origin(self, line: int) -> int | None:
        for candidate in [line, *reversed(self.enclosing)]:
            if candidate in self.line_map:
                return self.line_map[candidate]
        return None

    def note(self, node: ast.AST, kind: str, text: str) -> None:
        key = (node.lineno, kind)
        if key not in self.found:
            self.found[key] = Annotation(node.lineno, self.origin(node.lineno), kind, text)

    def generic_visit(self, node: ast.AST) -> None:
        is_statement = isinstance(node, ast.stmt)
        if is_statement:
            self.enclosing.append(node.lineno)
        super().generic_visit(node)
        if is_statement:
            self.enclosing.pop()

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id == "ag__" and func.attr in OPERATOR_CALLS:
                self.note(node, func.attr, OPERATOR_CALLS[func.attr])
            elif func.value.id == "fscope" and func.attr == "ret":
                self.note(node, "fscope.ret", FSCOPE_RET)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for prefix, (kind, text) in HELPER_FUNCTIONS.items():
            if node.name == prefix or node.name.startswith(prefix + "_"):
                self.note(node, kind, text)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in FLAG_ASSIGNMENTS:
                self.note(node, target.id, FLAG_ASSIGNMENTS[target.id])
        self.generic_visit(node)


def annotate(converted_source: str, line_map: dict[int, int]) -> list[Annotation]:
    """Annotations for every construct in ``converted_source``, by line then by kind order found."""
    finder = _Finder(line_map)
    try:
        tree = ast.parse(converted_source)
    except SyntaxError:  # notes are a bonus: never let them cost the view of the code
        return []
    finder.visit(tree)
    return sorted(finder.found.values(), key=lambda a: a.converted_line)


ALL_KINDS: tuple[str, ...] = (
    *OPERATOR_CALLS,
    "fscope.ret",
    *(kind for kind, _ in HELPER_FUNCTIONS.values()),
    *FLAG_ASSIGNMENTS,
)
