"""What each piece of AutoGraph's output means, in plain words, as data.

One entry per construct AutoGraph emits; one AST visitor finds them in the converted code.
Adding a construct means adding one entry (pyflakes' messages/checker split).
"""
from __future__ import annotations

import ast
import dataclasses

from autoconv.model.conversion import BRANCH_STATE, LOOP_STATE, PRINTS, Annotation

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

PLAIN_ASSERT = (
    "Your assert, left as Python: AutoGraph converts assert statements only with "
    "Feature.ASSERT_STATEMENTS. On a Python value it runs once, while tracing; on a tensor it asks a "
    "symbolic tensor for a bool and the trace fails. tf.debugging.assert_* checks the value on every call."
)

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

    def visit_Assert(self, node: ast.Assert) -> None:
        self.note(node, "assert", PLAIN_ASSERT)  # a converted one is a call to ag__.assert_stmt
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id in FLAG_ASSIGNMENTS:
                self.note(node, target.id, FLAG_ASSIGNMENTS[target.id])
        self.generic_visit(node)


# Notes about this code, computed from the conversion, rather than about a construct in general.
APPENDED = (
    "{name} is a Python list appended inside the loop, not loop state: list.append is a Python side "
    "effect, so in a tensor loop (whose body runs once, while tracing) it appends once, a tensor that "
    "belongs to the loop's own graph. A tf.TensorArray, written and reassigned, would be carried."
)
LOCAL = (
    "{names} {verb} assigned in the body but not read after the loop, so {pronoun} not carried: each "
    "iteration computes {pronoun2} afresh."
)
PRINT_CONTRAST = (
    "print and tf.print both appear here. print is Python: it runs while tracing, once per trace, and "
    "shows symbolic tensors; tf.print is an op in the graph: it runs on every call and shows the values."
)


def _name_of_load(node: ast.AST) -> str | None:
    """``x`` for ``x`` or ``ag__.ld(x)`` / ``ag__.ldu(lambda: x, 'x')``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("ld", "ldu"):
        if node.args and isinstance(node.args[0], ast.Name):
            return node.args[0].id
    return None


def _string_tuple(node: ast.AST | None) -> tuple[str, ...]:
    return tuple(e.value for e in getattr(node, "elts", []) if isinstance(e, ast.Constant) and isinstance(e.value, str))


def _iterate_names(options: ast.AST | None) -> set[str]:
    if not isinstance(options, ast.Dict):
        return set()
    for key, value in zip(options.keys, options.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == "iterate_names" and isinstance(value, ast.Constant):
            return {name.strip() for name in str(value.value).strip("()").split(",") if name.strip()}
    return set()


def _appended(body: ast.FunctionDef) -> list[str]:
    """Names whose ``.append`` is called in a loop body (directly or through converted_call)."""
    names: list[str] = []
    for node in ast.walk(body):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        if isinstance(callee, ast.Attribute) and callee.attr == "converted_call" and node.args:
            callee = node.args[0]
        if isinstance(callee, ast.Attribute) and callee.attr == "append":
            name = _name_of_load(callee.value)
            if name and name not in names:
                names.append(name)
    return names


def _assigned(body: ast.FunctionDef) -> list[str]:
    names: list[str] = []
    for node in ast.walk(body):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name) and leaf.id not in names:
                    names.append(leaf.id)
    return names


def _loop_note(call: ast.Call, functions: dict[str, ast.FunctionDef]) -> str:
    """What the loop carries (AutoGraph's own loop state) and what it does not, with why."""
    is_for = call.func.attr == "for_stmt"
    body_index, names_index, options_index = (2, 5, 6) if is_for else (1, 4, 5)
    arguments = call.args
    carried = _string_tuple(arguments[names_index] if len(arguments) > names_index else None)
    body = functions.get(getattr(arguments[body_index], "id", "")) if len(arguments) > body_index else None
    if carried:
        text = (f"AutoGraph carries ({', '.join(carried)}) from one iteration to the next, the "
                "variables a tf.while_loop threads through its body (get_state / set_state).")
    else:
        text = "Nothing is carried (get_state returns ()): the loop changes no variable that is read after it."
    if body is None:
        return text
    targets = _iterate_names(arguments[options_index] if len(arguments) > options_index else None)
    appended = [name for name in _appended(body) if name not in carried]
    local = [name for name in _assigned(body)
             if name not in carried and name not in targets and name not in appended and not name.startswith("itr")]
    parts = [text, *(APPENDED.format(name=name) for name in appended)]
    if local:
        many = len(local) > 1
        parts.append(LOCAL.format(names=", ".join(local), verb="are" if many else "is",
                                  pronoun="they are" if many else "it is", pronoun2="them" if many else "it"))
    return " ".join(parts)


def _is_print(node: ast.Call) -> str | None:
    """``print`` for Python's print, ``tf.print`` for TensorFlow's, as AutoGraph writes the calls."""
    callee = node.func
    if isinstance(callee, ast.Attribute) and callee.attr == "converted_call" and node.args:
        callee = node.args[0]
    if _name_of_load(callee) == "print":
        return "print"
    if isinstance(callee, ast.Attribute) and callee.attr == "print" and _name_of_load(callee.value) == "tf":
        return "tf.print"
    return None


def lesson_notes(tree: ast.AST, line_map: dict[int, int]) -> list[Annotation]:
    """Notes about this very code: each loop's state, each if's shared names, print against tf.print."""
    finder = _Finder(line_map)
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    notes: list[Annotation] = []
    prints: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if _is_ag_operator(node, ("for_stmt", "while_stmt")):
            notes.append(Annotation(node.lineno, finder.origin(node.lineno), LOOP_STATE, _loop_note(node, functions)))
        elif _is_ag_operator(node, ("if_stmt",)):
            names = _string_tuple(node.args[5] if len(node.args) > 5 else None)
            if names:
                notes.append(Annotation(node.lineno, finder.origin(node.lineno), BRANCH_STATE, (
                    f"Both branches must define {', '.join(names)}: with a tensor condition tf.cond runs "
                    "both and returns these, so each needs a value, of the same dtype and structure, on both "
                    "paths.")))
        elif kind := _is_print(node):
            prints.append((node.lineno, kind))
    if {kind for _, kind in prints} == {"print", "tf.print"}:
        notes += [Annotation(line, finder.origin(line), PRINTS, PRINT_CONTRAST) for line, _ in prints]
    return notes


def _is_ag_operator(node: ast.Call, names: tuple[str, ...]) -> bool:
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr in names and isinstance(func.value, ast.Name)
            and func.value.id == "ag__")


def annotate(converted_source: str, line_map: dict[int, int]) -> list[Annotation]:
    """Annotations for every construct in ``converted_source``, by line then by kind order found."""
    finder = _Finder(line_map)
    try:
        tree = ast.parse(converted_source)
    except SyntaxError:  # notes are a bonus: never let them cost the view of the code
        return []
    finder.visit(tree)
    return sorted(_specific_undefined(tree, list(finder.found.values())), key=lambda a: a.converted_line)


UNDEFINED_ONE_BRANCH = (
    "{name} is assigned in only one branch of the if below, and not before it, so it has no value on "
    "the other path. With a tensor condition tf.cond needs it on both paths, and AutoGraph fails "
    "saying it must also be initialized in the other branch; with a Python condition only the taken "
    "branch runs.")
UNDEFINED_BOTH_BRANCHES = (
    "{name} is assigned in both branches of the if below but not before it: Undefined stands for it "
    "until the branch that runs assigns it.")
UNDEFINED_LOOP = (
    "{name} first gets a value inside the loop below (a loop target, or a variable assigned in the "
    "body): until the first iteration it has none, and a tensor loop needs it before the loop.")


def _specific_undefined(tree: ast.AST, found: list[Annotation]) -> list[Annotation]:
    """Each ``ag__.Undefined('y')`` said for what it is here: a variable of the if or loop that
    follows it (assigned in only one branch, in both, or first inside a loop)."""
    functions = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    statements = sorted((node.lineno, node) for node in ast.walk(tree) if isinstance(node, ast.Call)
                        and _is_ag_operator(node, ("if_stmt", "for_stmt", "while_stmt")))
    names = {node.lineno: node.args[0].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and _is_ag_operator(node, ("Undefined",)) and node.args
             and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)}
    out = []
    for annotation in found:
        name = names.get(annotation.converted_line)
        following = next((node for line, node in statements if line > annotation.converted_line), None)
        if annotation.kind != "Undefined" or name is None or following is None:
            out.append(annotation)
            continue
        if _is_ag_operator(following, ("if_stmt",)):
            branches = [functions.get(arg.id) for arg in following.args[1:3] if isinstance(arg, ast.Name)]
            in_branches = [branch is not None and name in _assigned(branch) for branch in branches]
            text = UNDEFINED_BOTH_BRANCHES if all(in_branches) else UNDEFINED_ONE_BRANCH
        else:
            text = UNDEFINED_LOOP
        out.append(dataclasses.replace(annotation, text=text.format(name=name)))
    return out


def lessons(converted_source: str, line_map: dict[int, int]) -> list[Annotation]:
    """The notes about this code (``LESSON_KINDS``), by line: its loops' state, its ifs' shared
    names, print against tf.print (``conversion.with_explanation`` adds what happened for given
    inputs). Apart from ``annotate``, whose notes each name a construct written on their line.
    """
    try:
        tree = ast.parse(converted_source)
    except SyntaxError:
        return []
    return sorted(lesson_notes(tree, line_map), key=lambda a: a.converted_line)


ALL_KINDS: tuple[str, ...] = (
    *OPERATOR_CALLS,
    "fscope.ret",
    "assert",
    *(kind for kind, _ in HELPER_FUNCTIONS.values()),
    *FLAG_ASSIGNMENTS,
)
