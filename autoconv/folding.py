"""Which lines a view folds away, as plain data every renderer reads the same way.

A teacher wants the lesson in front: the ``@sample(...)`` declaration above a three-line
function, and AutoGraph's machinery (the FunctionScope wrapper, the ``do_return``/``retval_``
bookkeeping, each ``get_state``/``set_state`` pair) each stand for one marked line. Folds are
found once, here, when a function is converted, and kept in its ``Conversion``; renderers only
lay them out (and never re-parse).
"""
from __future__ import annotations

import ast
from collections import Counter

from autoconv.model.conversion import FOLD_MARK, Fold, Folding

# The ag__ operators that take a get_state/set_state pair, and what their state is called.
STATE_OWNERS = {"for_stmt": "loop state", "while_stmt": "loop state", "if_stmt": "branch state"}


def _is_sample_declaration(decorator: ast.expr) -> bool:
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return (isinstance(call, ast.Name) and call.id == "sample") or (
        isinstance(call, ast.Attribute) and call.attr == "sample"
    )


def _declaration_folds(original: str) -> tuple[tuple[Fold, ...], int, int]:
    """The ``@sample(...)`` declarations spanning several lines, the line the function starts at
    (its first decorator that is not a declaration, else its ``def``) and its ``def`` line."""
    try:
        tree = ast.parse(original)
    except SyntaxError:  # a lambda cut out of a larger expression: nothing to fold
        return (), 1, 1
    function = next((node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))), None)
    if function is None:
        return (), 1, 1
    folds, start = [], function.lineno
    for decorator in function.decorator_list:
        first = decorator.lineno
        if _is_sample_declaration(decorator):
            if decorator.end_lineno > first:
                keywords = [k.arg for k in getattr(decorator, "keywords", []) if k.arg]
                # Still Python, so a code block can hold it as it is.
                label = "@sample(...)" + (f"  # {FOLD_MARK} {', '.join(keywords)}" if keywords else "")
                folds.append(Fold(first, decorator.end_lineno, label, "declaration"))
        else:
            start = min(start, first)
    return tuple(folds), start, function.lineno


def _assigns(statement: ast.stmt, name: str) -> bool:
    return isinstance(statement, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == name for target in statement.targets
    )


def _is_ag_call(node: ast.AST, attribute: str) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == attribute
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "ag__"
    )


class _MachineryFinder(ast.NodeVisitor):
    """Finds AutoGraph's scaffolding in converted code: one visitor, one pass."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.folds: list[Fold] = []
        self.state_names: dict[str, tuple[str, tuple[str, ...]]] = {}

    def visit_Call(self, node: ast.Call) -> None:
        """``ag__.for_stmt(..., get_state, set_state, ('s', 'i'), ...)`` names the state's owner and names."""
        if isinstance(node.func, ast.Attribute) and node.func.attr in STATE_OWNERS:
            arguments = node.args
            for index, argument in enumerate(arguments[:-1]):
                if isinstance(argument, ast.Name) and argument.id.startswith("get_state"):
                    names = arguments[index + 2] if index + 2 < len(arguments) else None
                    symbols = tuple(
                        element.value for element in getattr(names, "elts", [])
                        if isinstance(element, ast.Constant) and isinstance(element.value, str)
                    )
                    self.state_names[argument.id] = (STATE_OWNERS[node.func.attr], symbols)
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        if any(_is_ag_call(item.context_expr, "FunctionScope") for item in node.items):
            self.folds.append(Fold(node.lineno, node.body[0].lineno - 1 if node.body else node.lineno,
                                   f"{FOLD_MARK} function scope (fscope)", "function-scope",
                                   python="with ag__.FunctionScope(...) as fscope:"))
        self.generic_visit(node)

    def visit_Try(self, node: ast.Try) -> None:
        """``try: do_return = True; retval_ = VALUE except: do_return = False; raise`` is your return."""
        body = node.body
        if len(body) == 2 and _assigns(body[0], "do_return") and _assigns(body[1], "retval_"):
            value = ast.get_source_segment(self.source, body[1].value) or "..."
            self.folds.append(Fold(node.lineno, node.end_lineno, f"{FOLD_MARK} return {value}", "return"))
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list):
            self._bookkeeping_runs(body)
            self._state_pairs(body)
        super().generic_visit(node)

    def _bookkeeping_runs(self, body: list[ast.stmt]) -> None:
        """``do_return = False`` / ``retval_ = ag__.UndefinedReturnValue()`` at a function's start."""
        run = [s for s in body[:2] if (_assigns(s, "do_return") and isinstance(s.value, ast.Constant)
                                      and s.value.value is False)
               or (_assigns(s, "retval_") and _is_ag_call(s.value, "UndefinedReturnValue"))]
        if len(run) == 2:
            self.folds.append(Fold(run[0].lineno, run[1].end_lineno,
                                   f"{FOLD_MARK} return bookkeeping: do_return, retval_", "return"))

    def _state_pairs(self, body: list[ast.stmt]) -> None:
        for getter, setter in zip(body, body[1:], strict=False):
            if (isinstance(getter, ast.FunctionDef) and isinstance(setter, ast.FunctionDef)
                    and getter.name.startswith("get_state") and setter.name.startswith("set_state")):
                self.folds.append(Fold(getter.lineno, setter.end_lineno, getter.name, "state"))

    def finished(self) -> list[Fold]:
        """State folds get their label once the owning call (which comes after them) was seen."""
        labelled = []
        for fold in self.folds:
            if fold.kind == "state":
                owner, names = self.state_names.get(fold.label, ("state", ()))
                shown = f"({', '.join(names)})" if names else "() carries nothing"
                fold = Fold(fold.first, fold.last, f"{FOLD_MARK} {owner}: {shown}", "state")
            labelled.append(fold)
        return sorted(labelled, key=lambda fold: fold.first)


def _origin(fold: Fold, line_map: dict[int, int]) -> int | None:
    """The original line most of the hidden lines came from (the first such, on a tie)."""
    origins = Counter(line_map[line] for line in range(fold.first, fold.last + 1) if line in line_map)
    if not origins:
        return None
    most = max(origins.values())
    return min(origin for origin, count in origins.items() if count == most)


def machinery_folds(converted: str, line_map: dict[int, int]) -> tuple[Fold, ...]:
    try:
        tree = ast.parse(converted)
    except SyntaxError:
        return ()
    finder = _MachineryFinder(converted)
    finder.visit(tree)
    folds: list[Fold] = []
    for fold in finder.finished():
        if folds and fold.first <= folds[-1].last:  # nested in a fold already taken
            continue
        folds.append(Fold(fold.first, fold.last, fold.label, fold.kind, _origin(fold, line_map), fold.python))
    return tuple(folds)


def folds_of(original: str | None, first_line: int, converted: str | None, line_map: dict[int, int]) -> Folding:
    """Every fold of a conversion, found once by the conversion engine; a view picks the ones it
    shows with ``Folding.shown``. Original lines are the file's (``original`` starts at
    ``first_line``); ``line_map`` already maps converted lines to file lines."""
    declarations, start, def_line = _declaration_folds(original) if original else ((), 1, 1)
    offset = first_line - 1
    in_file = tuple(Fold(fold.first + offset, fold.last + offset, fold.label, fold.kind, fold.origin, fold.python)
                    for fold in declarations)
    machinery = machinery_folds(converted, line_map) if converted is not None else ()
    return Folding(in_file, machinery, start + offset, def_line + offset)
