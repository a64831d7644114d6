"""One AST walk that reports the rules of rules.py (pyflakes' checker shape).

Only code AutoGraph would convert is judged, and every test leans towards
silence: a false alarm on correct code costs more trust than a miss.  Nothing
here imports TensorFlow; "is this a tensor?" is a guess from the source alone.
"""

from __future__ import annotations

import ast

from autoconv.linter import rules as R
from autoconv.linter.finding import Finding
from autoconv.linter.scope import (
    LOOPS,
    SCOPES,
    FunctionFacts,
    containers,
    definitely,
    dotted_name,
    scope_walk,
    stores,
    terminates,
)

# Parts of a tf.<...>(...) path whose result is a plain Python value, or a Python
# list/tuple of tensors (iterating those is an unrolled Python loop).
_TF_PYTHON = frozenset(
    "executing_eagerly is_tensor get_static_value inside_function TensorShape TensorSpec"
    " config distribute nest keras gfile saved_model".split()
)
_TF_LISTS = frozenset(
    "unstack split meshgrid dynamic_partition gradients while_loop cond case switch_case"
    " py_function numpy_function".split()
)
_STATIC_ATTRS = frozenset({"shape", "dtype", "ndim", "name", "device"})
_STATIC_CALLS = frozenset({"len", "isinstance", "hasattr", "callable", "type", "getattr", "id"})
_NEVER_CONVERTED = frozenset({"__init__", "build"})  # run eagerly even under --all-functions
_DEFAULT_ALIASES = {"tf": "tensorflow", "tensorflow": "tensorflow", "np": "numpy", "numpy": "numpy"}


class Checker(ast.NodeVisitor):
    """Walks a module once; ``findings`` holds the result."""

    def __init__(self, tree: ast.Module, path: str, all_functions: bool = False):
        self.path, self.all_functions = path, all_functions
        self.findings: list[Finding] = []
        self.fs: FunctionFacts | None = None
        self.guards = 0
        self.aliases = dict(_DEFAULT_ALIASES)
        self.wrapped: set[str] = set()
        self.module_containers = containers(tree.body)
        calls = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    local = a.asname or a.name.split(".")[0]
                    self.aliases[local] = a.name if a.asname else local
            elif isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                for a in node.names:
                    sep = "" if module.endswith(".") else "."
                    self.aliases[a.asname or a.name] = module + sep + a.name
            elif isinstance(node, ast.Call) and (node.args or node.keywords):
                calls.append(node)
        for call in calls:  # g = tf.function(f), tf.function(jit_compile=True)(f), sample(...)(f)
            func = call.func
            if self._converts(func) or (isinstance(func, ast.Call) and self._converts(func.func)):
                args = call.args or [k.value for k in call.keywords if k.arg == "func"]
                if args and isinstance(args[0], ast.Name):
                    self.wrapped.add(args[0].id)
        self.visit(tree)

    # ---- helpers -------------------------------------------------------
    def _report(self, rule: type[R.Rule], node: ast.AST, *args: object) -> None:
        self.findings.append(rule.finding(self.path, node.lineno, node.col_offset + 1, *args))

    def _active(self) -> bool:
        return self.fs is not None and self.fs.converted

    def _resolve(self, node: ast.AST) -> str | None:
        """The imported thing an expression names, e.g. ``np.random.rand`` -> ``numpy.random.rand``."""
        dotted = dotted_name(node)
        if not dotted or (self.fs is not None and dotted[0] in self.fs.params):
            return None
        root = self.aliases.get(dotted[0])
        full = None if root is None else ".".join([root, *dotted[1:]])
        return full.replace("compat.v1.", "").replace("compat.v2.", "") if full else None

    def _is_sample(self, node: ast.AST) -> bool:
        dotted = dotted_name(node)
        if not dotted:
            return False
        full = self._resolve(node) or ".".join(dotted)
        return full == "sample" or (full.endswith(".sample") and full.startswith((".", "autoconv")))

    def _converts(self, decorator: ast.AST) -> bool:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return self._resolve(target) == "tensorflow.function" or self._is_sample(target)

    def _tf_call(self, node: ast.AST) -> list[str] | None:
        """For ``tf.X.y(...)`` the parts ``[X, y]``; None when it is not a tf call."""
        full = self._resolve(node.func) if isinstance(node, ast.Call) else None
        return full.split(".")[1:] if full and full.startswith("tensorflow.") else None

    def _analyse(self) -> FunctionFacts:
        """Fill in which local names hold tensors, to a fixed point (a = x; b = a)."""
        fs = self.fs
        if fs.tensors is None:
            fs.tensors = fs.tensor_params()
            fs.iterables = set(fs.tensors)
            kinds = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.NamedExpr)
            assigns = [n for n in fs.nodes if isinstance(n, kinds)]
            for _ in range(3):
                size = len(fs.tensors) + len(fs.iterables)
                for n in assigns:
                    if isinstance(n, ast.For):
                        if self._is_tensor_iter(n.iter):
                            fs.tensors |= stores([n.target])
                        continue
                    if n.value is None:
                        continue
                    targets = stores(n.targets if isinstance(n, ast.Assign) else [n.target])
                    if self._is_tensor(n.value):
                        fs.tensors |= targets
                    if not isinstance(n, ast.AugAssign) and self._is_tensor_iter(n.value):
                        fs.iterables |= targets
                if len(fs.tensors) + len(fs.iterables) == size:
                    break
        return fs

    def _is_tensor(self, expr: ast.AST) -> bool:
        """Does the value depend on a tensor?  Shapes, dtypes, ``len()`` and
        ``is None`` tests are Python values at trace time, so they do not count."""
        tensors = self._analyse().tensors
        stack = [expr]
        while stack:
            n = stack.pop()
            if isinstance(n, ast.Name):
                if n.id in tensors:
                    return True
                continue
            if isinstance(n, ast.Lambda) or (isinstance(n, ast.Attribute) and n.attr in _STATIC_ATTRS):
                continue
            if isinstance(n, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot)) for op in n.ops):
                continue
            if isinstance(n, ast.Call):
                if isinstance(n.func, ast.Name) and n.func.id in _STATIC_CALLS:
                    continue
                parts = self._tf_call(n)
                if parts is not None:
                    if _TF_PYTHON.isdisjoint(parts):
                        return True
                    continue
            stack.extend(ast.iter_child_nodes(n))
        return False

    def _is_tensor_iter(self, expr: ast.AST) -> bool:
        """Would ``for _ in expr`` become a graph loop?  Python ``range()`` and
        literals stay Python loops (AutoGraph unrolls them), so they never count."""
        if isinstance(expr, ast.Name):
            return expr.id in self._analyse().iterables
        if isinstance(expr, ast.Subscript):
            return self._is_tensor_iter(expr.value)
        if not isinstance(expr, ast.Call):
            return False
        func = expr.func
        if isinstance(func, ast.Name) and func.id in ("enumerate", "zip", "reversed"):
            return any(self._is_tensor_iter(a) for a in expr.args)
        parts = self._tf_call(expr)
        if parts is not None:
            return _TF_PYTHON.isdisjoint(parts) and _TF_LISTS.isdisjoint(parts)
        if isinstance(func, ast.Attribute) and func.attr not in ("items", "keys", "values"):
            return self._is_tensor_iter(func.value)  # ds.batch(2), tf.data...range(3).map(f)
        return False

    def _outer_container(self, name: str) -> bool:
        """Is ``name`` a list/dict/set that lives outside converted code?"""
        fs = self.fs
        if name in fs.bound:
            return False
        scope = None if name in fs.declared else fs.parent
        while scope is not None:
            if name in scope.bound:
                return not scope.converted and name in scope.containers
            scope = scope.parent
        return name in self.module_containers

    def _growing_list(self, name: str) -> bool:
        fs = self.fs
        if name not in fs.lists:
            return False
        for loop, tensor in fs.loops:
            if tensor and not self._fresh_in(loop, name):
                return True
        return False

    @staticmethod
    def _fresh_in(loop: ast.AST, name: str) -> bool:
        """A list created anew in each iteration is a per-iteration temporary, not an accumulator."""
        for n in scope_walk(loop.body):
            if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None:
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                used = {x.id for x in ast.walk(n.value) if isinstance(x, ast.Name)}
                if name in stores(targets) and name not in used:
                    return True
        return False

    def _is_guard(self, test: ast.AST) -> bool:
        """``if self.v is None:`` / ``if not hasattr(...)``: the documented create-once pattern."""
        if isinstance(test, ast.Compare):
            return any(isinstance(c, ast.Constant) and c.value is None for c in test.comparators)
        return isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)

    def _exits(self, stmts: list[ast.stmt], tensor: bool, nested: bool, out: list[bool]) -> None:
        """Collect the ways out of a ``while True`` body: True for a break under
        a tensor-dependent if, False for any other break, return or raise."""
        for s in stmts:
            if isinstance(s, ast.Break):
                out.extend([] if nested else [tensor])
            elif isinstance(s, (ast.Return, ast.Raise)):
                out.append(False)
            elif isinstance(s, ast.stmt) and not isinstance(s, SCOPES):
                t = tensor or (isinstance(s, ast.If) and self._is_tensor(s.test))
                blocks = [getattr(s, f, []) for f in ("body", "orelse", "finalbody")]
                blocks += [h.body for h in [*getattr(s, "handlers", []), *getattr(s, "cases", [])]]
                for i, block in enumerate(blocks):  # breaks in an inner loop's body are its own
                    self._exits(block, t, nested or (i == 0 and isinstance(s, LOOPS)), out)

    def _check_branches(self, node: ast.If) -> None:
        if terminates(node.body) or terminates(node.orelse):
            return
        fs = self.fs
        candidates = (definitely(node.body) - stores(node.orelse)) | (
            definitely(node.orelse) - stores(node.body)
        )
        start, end = (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)
        for name in sorted(candidates - fs.reported - fs.params - fs.declared):
            for line, is_store, col, n in fs.events:
                if n != name:
                    continue
                if (line, col) < start and is_store:
                    break  # assigned before the if: defined on both paths
                if (line, col) > end:
                    if not is_store:
                        fs.reported.add(name)
                        self._report(R.DefinedInOneBranch, node, name)
                    break

    def _check_subscript(self, target: ast.AST) -> None:
        for t in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
            if (
                isinstance(t, ast.Subscript)
                and isinstance(t.value, ast.Name)
                and self._outer_container(t.value.id)
            ):
                self._report(R.OuterStateMutated, t, t.value.id)

    # ---- visitors ------------------------------------------------------
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for child in (*node.decorator_list, node.args, *filter(None, [node.returns])):
            self.visit(child)
        parent = self.fs
        converted = (
            (parent is not None and parent.converted)
            or node.name in self.wrapped
            or any(self._converts(d) for d in node.decorator_list)
            or (self.all_functions and node.name not in _NEVER_CONVERTED)
        )
        self.fs, guards = FunctionFacts(node, converted, parent), self.guards
        self.guards = 0
        for stmt in node.body:
            self.visit(stmt)
        self.fs, self.guards = parent, guards

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        if self._active():
            func = node.func
            full = self._resolve(func)
            if isinstance(func, ast.Name) and func.id == "print" and "print" not in self.fs.bound:
                self._report(R.PrintCall, node)
            elif full and full.startswith(R.PythonRandom.modules):
                self._report(R.PythonRandom, node, ".".join(dotted_name(func)))
            elif full in R.PythonTime.clocks:
                self._report(R.PythonTime, node, ".".join(dotted_name(func)))
            elif full == "tensorflow.Variable" and not self.guards:
                self._report(R.VariableCreated, node)
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                name = func.value.id
                if func.attr in R.OuterStateMutated.methods and self._outer_container(name):
                    self._report(R.OuterStateMutated, node, name)
                elif func.attr in R.ListAppendInTensorLoop.methods and self._growing_list(name):
                    self._report(R.ListAppendInTensorLoop, node, name)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._active():
            for target in node.targets:
                self._check_subscript(target)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if self._active():
            t = node.target
            if isinstance(t, ast.Name) and isinstance(node.op, ast.Add) and self._growing_list(t.id):
                self._report(R.ListAppendInTensorLoop, node, t.id)
            self._check_subscript(t)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        if self._active():
            for target in node.targets:
                self._check_subscript(target)
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        if self._active():
            self._report(R.OuterStateMutated, node, ", ".join(node.names))

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        if not self._active():
            return self.generic_visit(node)
        if node.orelse:
            self._report(R.ForElse, node)
        self.visit(node.target)
        self.visit(node.iter)
        self._loop(node, self._is_tensor_iter(node.iter))

    visit_AsyncFor = visit_For

    def visit_While(self, node: ast.While) -> None:
        if not self._active():
            return self.generic_visit(node)
        if node.orelse:
            self._report(R.WhileElse, node)
        if isinstance(node.test, ast.Constant) and node.test.value in (True, 1):
            exits: list[bool] = []
            self._exits(node.body, False, False, exits)
            if exits and all(exits):
                self._report(R.WhileTrueTensorBreak, node)
        self.visit(node.test)
        self._loop(node, self._is_tensor(node.test))

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While, tensor: bool) -> None:
        self.fs.loops.append((node, tensor))
        for stmt in node.body:
            self.visit(stmt)
        self.fs.loops.pop()
        for stmt in node.orelse:
            self.visit(stmt)

    def visit_Return(self, node: ast.Return) -> None:
        if self._active() and any(tensor for _, tensor in self.fs.loops):
            self._report(R.ReturnInTensorLoop, node)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        if self._active() and self._is_tensor(node.test):
            self._check_branches(node)
        self.visit(node.test)
        guard = self._is_guard(node.test)
        self.guards += guard
        for stmt in node.body:
            self.visit(stmt)
        self.guards -= guard
        for stmt in node.orelse:
            self.visit(stmt)

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        inits = sum(self._tf_call(i.context_expr) == ["init_scope"] for i in node.items)
        self.guards += inits  # variables made under tf.init_scope() are lifted out of the graph
        self.generic_visit(node)
        self.guards -= inits

    visit_AsyncWith = visit_With

    def visit_Yield(self, node: ast.Yield | ast.YieldFrom) -> None:
        if self._active() and not self.fs.yielded:
            self.fs.yielded = True
            self._report(R.Generator, node, self.fs.node.name)
        self.generic_visit(node)

    visit_YieldFrom = visit_Yield

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        if self._active():
            self._report(R.Walrus, node)
        self.generic_visit(node)

    def visit_Match(self, node: ast.Match) -> None:
        if self._active():
            self._report(R.MatchStatement, node)
        self.generic_visit(node)
