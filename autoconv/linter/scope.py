"""What a function binds, stores and grows: the scope facts the lint's rules are judged on.

Plain AST queries with no rule knowledge, kept apart from the one visitor in checker.py.
"""

from __future__ import annotations

import ast
from functools import cached_property

from autoconv.linter.mode import Mode

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
LOOPS = (ast.For, ast.AsyncFor, ast.While)
EXITS = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_TRY = (ast.Try, *filter(None, [getattr(ast, "TryStar", None)]))  # except* is 3.11+
PYTHON_TYPES = frozenset("list tuple dict str int float bool set List Tuple Dict Sequence Mapping".split())
TENSOR_ANNOTATIONS = frozenset("Tensor Variable RaggedTensor SparseTensor TensorLike".split())
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


_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes`` without the ``ctx`` markers (Load/Store), which no query
    looks at, and with each class's fields looked up once: walks are the lint's hot loop."""
    fields = _FIELDS.get(type(node))
    if fields is None:
        fields = _FIELDS[type(node)] = tuple(f for f in node._fields if f != "ctx")
    out: list[ast.AST] = []
    for field in fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            out.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


def walk(node: ast.AST) -> list[ast.AST]:
    """``ast.walk``'s nodes, in its breadth-first order, as a list (``ctx`` markers left out)."""
    nodes = [node]
    for n in nodes:  # grows while it is read
        nodes.extend(children(n))
    return nodes


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
            stack.extend(reversed(children(node)))


def is_create_once_guard(test: ast.AST) -> bool:
    """``if self.v is None:``, ``if not self.built:``, ``if key not in cache:``:
    the documented create-once pattern, exempt for every state rule."""
    if isinstance(test, ast.BoolOp):
        return any(is_create_once_guard(v) for v in test.values)
    if isinstance(test, ast.Compare):
        return any(isinstance(c, ast.Constant) and c.value is None for c in test.comparators) or any(
            isinstance(op, ast.NotIn) for op in test.ops
        )
    return isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)


def is_presence_test(test: ast.AST) -> bool:
    """``if variables:``, ``if self.v is not None:``, ``if key in cache:``: its else
    branch creates what is missing, which is a create-once guard too."""
    if isinstance(test, (ast.Name, ast.Attribute)):
        return True
    return isinstance(test, ast.Compare) and all(isinstance(op, (ast.IsNot, ast.In)) for op in test.ops)


# The node kinds the module-wide queries ask for, each group in walk order.
GROUPS = {
    "imports": (ast.Import, ast.ImportFrom),
    "functions": (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda),
    "defs": (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Call),
    "bindings": (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For),
    "assigns": (ast.Assign,),
    "yields": (ast.Yield, ast.YieldFrom),
    "globals": (ast.Global,),
    "attributes": (ast.Attribute,),
}
_GROUPS_OF: dict[type, tuple[str, ...]] = {}
for _group, _kinds in GROUPS.items():
    for _kind in _kinds:
        _GROUPS_OF[_kind] = (*_GROUPS_OF.get(_kind, ()), _group)


class Index(list):
    """Every node of a module in breadth-first order, and ``of[group]``: the nodes of each
    kind in GROUPS, and ``of["module"]``, those at module level (the module itself first)."""

    of: dict[str, list[ast.AST]]


# Fields index() does not enter: ``ctx`` (Load/Store) and the operators (``op``, ``ops``) are
# leaves that CPython shares between all trees it parses.  A ``scope_`` set on one of those
# would tie the shared object to this tree, and keep the whole tree alive after it is dropped.
_INDEX_SKIP = frozenset({"ctx", "op", "ops"})
_INDEX_FIELDS: dict[type, tuple[str, ...]] = {}


def index(tree: ast.Module) -> Index:
    """Every node of the module, walked once; each gets ``scope_``, the
    def/lambda/class it belongs to (None at module level).  The rules' module-
    wide queries read this list and its groups instead of walking the tree again.
    Operators and ``ctx`` markers are not listed (no query asks for them)."""
    tree.scope_ = None
    nodes = Index([tree])
    nodes.of = of = {group: [] for group in GROUPS}
    module = of["module"] = [tree]
    groups_of, fields_of = _GROUPS_OF, _INDEX_FIELDS
    append, AST = nodes.append, ast.AST
    for node in nodes:  # grows while it is read: a breadth-first walk
        kind = type(node)
        for group in groups_of.get(kind, ()):
            of[group].append(node)
        scope = node if kind in SCOPES else node.scope_
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(f for f in node._fields if f not in _INDEX_SKIP)
        for field in fields:  # ast.iter_child_nodes, inlined: this loop is the lint's hot spot
            value = getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        item.scope_ = scope
                        append(item)
                        if scope is None:
                            module.append(item)
            elif isinstance(value, AST):
                value.scope_ = scope
                append(value)
                if scope is None:
                    module.append(value)
    return nodes


def function_of(node: ast.AST) -> ast.AST | None:
    """The def or lambda whose body holds ``node`` (classes are looked through)."""
    scope = node.scope_
    while isinstance(scope, ast.ClassDef):
        scope = scope.scope_
    return scope


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
    """What the checker knows about one function (or lambda) while walking its
    body.  ``mode`` is None for code nobody traces; ``converted`` means
    AutoGraph rewrites its control flow (``autograph=False`` traces without)."""

    def __init__(self, node: ast.AST, mode: Mode | None, parent: FunctionFacts | None):
        self.node, self.mode, self.parent = node, mode, parent
        self.traced = mode is not None
        self.converted = mode is not None and mode.autograph
        self.name = getattr(node, "name", "<lambda>")
        self.body = [node.body] if isinstance(node, ast.Lambda) else node.body
        a = node.args
        self.args = [*a.posonlyargs, *a.args, *a.kwonlyargs, *filter(None, (a.vararg, a.kwarg))]
        self.params = {arg.arg for arg in self.args}
        self.loops: list[tuple[ast.AST, bool]] = []
        self.yielded = False
        self.reported: set[str] = set()
        self.tensors: set[str] | None = None  # names holding tensor-dependent values
        self.iterables: set[str] = set()  # names a `for` over would be a graph loop
        self.entry_iterables: frozenset[str] = frozenset()  # parameters that may hold a tensor or a dataset
        self.datasets: set[str] | None = None  # local names bound to a tf.data dataset
        self.casts: dict[str, str] = {}  # name -> "int"/"float": bound to int(tensor), still a tensor

    @cached_property
    def nodes(self) -> list[ast.AST]:
        return list(scope_walk(self.body))

    @cached_property
    def declared(self) -> set[str]:
        return {name for n in self.nodes if isinstance(n, (ast.Global, ast.Nonlocal)) for name in n.names}

    @cached_property
    def globals(self) -> set[str]:
        return {name for n in self.nodes if isinstance(n, ast.Global) for name in n.names}

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
    def python_values(self) -> set[str]:
        """Names shown to hold Python values: an ``isinstance(x, list)``-style
        test, or a rebinding to a list literal, comprehension or ``list(...)``."""
        out = set()
        for n in self.nodes:
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id == "isinstance"
                and len(n.args) == 2
                and isinstance(n.args[0], ast.Name)
                and {x.id for x in walk(n.args[1]) if isinstance(x, ast.Name)} & PYTHON_TYPES
            ):
                out.add(n.args[0].id)
        return out | containers(self.nodes, lists_only=True) | _tuple_bound(self.nodes)

    @cached_property
    def sequences(self) -> set[str]:
        """Names that every binding in the function makes a tuple or list display (or list
        comprehension), ``cache = (keys, values)``: their truth (``if cache:``, ``bool(cache)``)
        is their length, a Python bool while tracing even when they hold tensors.  A parameter
        with evidence of a tensor (an input signature, Keras inputs) is not one."""
        displays = (ast.Tuple, ast.List, ast.ListComp)
        whole = {
            id(t)
            for n in self.nodes
            if isinstance(n, ast.Assign) and isinstance(n.value, displays)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        seen, other = set(), set()
        for n in self.nodes:
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
                (seen if id(n) in whole else other).add(n.id)
        given = self.mode.tensor_params if self.mode is not None else frozenset()
        return seen - other - given

    @cached_property
    def events(self) -> list[tuple[int, int, int, str]]:
        """Name uses in source order; on one line a load sorts before a store,
        as in ``y = y + 1`` where the right side runs first."""
        names = [n for n in self.nodes if isinstance(n, ast.Name)]
        return sorted((n.lineno, not isinstance(n.ctx, ast.Load), n.col_offset, n.id) for n in names)

    def tensor_params(self) -> set[str]:
        """Parameters that hold tensors on evidence: how the function is traced
        (input_signature, a dataset callback, Keras inputs, tensor sample inputs)
        or a tensor annotation.  Being a parameter is no evidence at all."""
        out = set(self.mode.tensor_params) if self.mode is not None else set()
        for arg in self.args:
            annotation = dotted_name(arg.annotation) if arg.annotation is not None else None
            if annotation and annotation[-1] in TENSOR_ANNOTATIONS:
                out.add(arg.arg)
            elif arg.annotation is not None:
                out.discard(arg.arg)  # list[...], str, int, a dataclass: a Python value
        return out - self.python_values


def _tuple_bound(nodes: list[ast.AST]) -> set[str]:
    """Names bound to a tuple literal: ``x = (a, b)`` iterates in Python."""
    out = set()
    for n in nodes:
        if isinstance(n, ast.Assign) and isinstance(n.value, ast.Tuple):
            out.update(t.id for t in n.targets if isinstance(t, ast.Name))
    return out


def terminates(stmts: list[ast.stmt]) -> bool:
    return bool(stmts) and isinstance(stmts[-1], EXITS)
