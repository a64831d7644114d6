"""What a function binds, stores and grows: the scope facts the lint's rules are judged on.

Plain AST queries with no rule knowledge, kept apart from the one visitor in checker.py.
"""

from __future__ import annotations

import ast
from functools import cached_property

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
LOOPS = (ast.For, ast.AsyncFor, ast.While)
EXITS = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_TRY = (ast.Try, *filter(None, [getattr(ast, "TryStar", None)]))  # except* is 3.11+
_PYTHON_ANNOTATIONS = frozenset({"bool", "int", "float", "str"})
CONTAINER_CALLS = frozenset("list dict set defaultdict OrderedDict Counter deque".split())


def dotted_name(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def scope_walk(nodes: list[ast.AST]):
    """Walk one scope: a nested def/class/lambda is yielded but not entered,
    because its body binds and runs in a scope of its own; nor is a
    comprehension's loop variable, which does not leak either."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.comprehension):  # its target is local to the comprehension
            stack.extend(reversed([node.iter, *node.ifs]))
        elif not isinstance(node, SCOPES):
            stack.extend(reversed(list(ast.iter_child_nodes(node))))


def stores(nodes: list[ast.AST], walked: bool = False) -> set[str]:
    """Names bound by ``nodes`` (already a scope walk if ``walked``)."""
    out: set[str] = set()
    for n in nodes if walked else scope_walk(nodes):
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and n.name:
            out.add(n.name)
    return out


def definitely(stmts: list[ast.stmt]) -> set[str]:
    """Names bound on every path through ``stmts`` (loops may not run at all)."""
    out: set[str] = set()
    for s in stmts:
        if isinstance(s, ast.If):
            out |= definitely(s.body) & definitely(s.orelse)
        elif isinstance(s, (*LOOPS, ast.Match)):
            continue
        elif isinstance(s, _TRY):
            done = definitely(s.body + s.orelse)
            for handler in s.handlers:
                done &= definitely(handler.body)
            out |= done | definitely(s.finalbody)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            out |= stores([i.optional_vars for i in s.items if i.optional_vars]) | definitely(s.body)
        else:
            out |= stores([s])
    return out


def is_container(value: ast.AST | None, lists_only: bool = False) -> bool:
    if isinstance(value, (ast.List, ast.ListComp)):
        return True
    if lists_only:
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list"
    if isinstance(value, (ast.Dict, ast.Set, ast.DictComp, ast.SetComp)):
        return True
    dotted = dotted_name(value.func) if isinstance(value, ast.Call) else None
    return bool(dotted) and dotted[-1] in CONTAINER_CALLS


def containers(stmts: list[ast.AST], lists_only: bool = False) -> set[str]:
    out: set[str] = set()
    for n in stmts:
        if not isinstance(n, (ast.Assign, ast.AnnAssign)) or n.value is None:
            continue
        for t in n.targets if isinstance(n, ast.Assign) else [n.target]:
            pairs = [(t, n.value)]
            if (
                isinstance(t, ast.Tuple)
                and isinstance(n.value, ast.Tuple)
                and len(t.elts) == len(n.value.elts)
            ):
                pairs = list(zip(t.elts, n.value.elts, strict=True))  # a, b = [], []
            out.update(x.id for x, v in pairs if isinstance(x, ast.Name) and is_container(v, lists_only))
    return out


class FunctionFacts:
    """What the checker knows about one function while walking its body."""

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef, converted: bool, parent: FunctionFacts | None):
        self.node, self.converted, self.parent = node, converted, parent
        a = node.args
        self.args = [*a.posonlyargs, *a.args, *a.kwonlyargs, *filter(None, (a.vararg, a.kwarg))]
        self.params = {arg.arg for arg in self.args}
        self.loops: list[tuple[ast.AST, bool]] = []
        self.yielded = False
        self.reported: set[str] = set()
        self.tensors: set[str] | None = None  # names holding tensor-dependent values
        self.iterables: set[str] = set()  # names a `for` over would be a graph loop

    @cached_property
    def nodes(self) -> list[ast.AST]:
        return list(scope_walk(self.node.body))

    @cached_property
    def declared(self) -> set[str]:
        return {name for n in self.nodes if isinstance(n, (ast.Global, ast.Nonlocal)) for name in n.names}

    @cached_property
    def bound(self) -> set[str]:
        return (stores(self.nodes, walked=True) | self.params) - self.declared

    @cached_property
    def containers(self) -> set[str]:
        return containers(self.nodes)

    @cached_property
    def lists(self) -> set[str]:
        return containers(self.nodes, lists_only=True) & self.bound

    @cached_property
    def events(self) -> list[tuple[int, int, int, str]]:
        """Name uses in source order; on one line a load sorts before a store,
        as in ``y = y + 1`` where the right side runs first."""
        names = [n for n in self.nodes if isinstance(n, ast.Name)]
        return sorted((n.lineno, not isinstance(n.ctx, ast.Load), n.col_offset, n.id) for n in names)

    def tensor_params(self) -> set[str]:
        a = self.node.args
        positional = [*a.posonlyargs, *a.args]
        defaults = dict(zip(positional[len(positional) - len(a.defaults) :], a.defaults, strict=True))
        defaults.update((k, d) for k, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is not None)
        out = set()
        for arg in self.args:
            default = defaults.get(arg)
            if arg.arg in ("self", "cls"):
                continue
            if isinstance(default, ast.Constant) and (
                default.value is None or isinstance(default.value, (bool, str))
            ):
                continue  # a Python flag/option, not a tensor
            if isinstance(arg.annotation, ast.Name) and arg.annotation.id in _PYTHON_ANNOTATIONS:
                continue
            out.add(arg.arg)
        return out


def terminates(stmts: list[ast.stmt]) -> bool:
    return bool(stmts) and isinstance(stmts[-1], EXITS)
