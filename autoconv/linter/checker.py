"""One AST walk that reports the rules of rules.py (pyflakes' checker shape).

Only code TensorFlow traces is judged (traced.py decides which), and every
test leans towards silence: a false alarm on correct code costs more trust
than a miss.  Nothing here imports TensorFlow; "is this a tensor?" is decided
from evidence in the source (TensorFlow ops, annotations, how the function is
traced), never from a name merely being a parameter.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property

from autoconv.linter import rules as R
from autoconv.linter.module import ModuleFacts, is_trace_name, python_constant_value
from autoconv.linter.scope import (
    LOOPS,
    SCOPES,
    FunctionFacts,
    children,
    definitely,
    dotted_name,
    function_of,
    index,
    is_create_once_guard,
    is_presence_test,
    scope_walk,
    stores,
    terminates,
    walk,
)
from autoconv.linter.traced import KERAS_TRACED_METHODS, TracedFunctions, is_init_scope
from autoconv.model.lint import Finding

# Parts of a tf.<...>(...) path whose result is a plain Python value, or a Python
# list/tuple of tensors (iterating those is an unrolled Python loop).
_TF_PYTHON = frozenset(
    "executing_eagerly is_tensor get_static_value inside_function TensorShape TensorSpec"
    " config distribute nest keras gfile saved_model function autograph".split()
)
_TF_LISTS = frozenset(
    "unstack split meshgrid dynamic_partition gradients while_loop cond case switch_case"
    " py_function numpy_function".split()
)
# TensorFlow graph loops -> (how many leading positional arguments are callables, their keywords).
_GRAPH_LOOPS = {
    "while_loop": (2, ("cond", "body")),
    "map_fn": (1, ("fn",)),
    "scan": (1, ("fn",)),
    "foldl": (1, ("fn",)),
    "foldr": (1, ("fn",)),
}
_STATIC_ATTRS = frozenset({"shape", "dtype", "ndim", "name", "device"})
_DTYPE_NAMES = frozenset({
    "bool", "string", "half", "double", "bfloat16", "float16", "float32", "float64", "complex64", "complex128",
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "qint8", "qint16", "qint32",
    "quint8", "quint16", "resource", "variant",
})
_PYTHON_BUILDERS = frozenset("sorted list dict set tuple str repr len enumerate zip range frozenset".split())
_STATIC_CALLS = frozenset({"len", "isinstance", "hasattr", "callable", "type", "getattr", "id"})
# Calls, by their last name, that give a static shape like ``.shape``: ``x.get_shape()``,
# ``K.int_shape(x)``; their items, and int() of them, are Python values while tracing.
_STATIC_SHAPE_CALLS = frozenset({"get_shape", "int_shape", "dimension_value", "dimension_at_index"})
_DEFAULT_ALIASES = {"tf": "tensorflow", "tensorflow": "tensorflow", "np": "numpy", "numpy": "numpy"}
# keras.ops functions whose result is (or may be) a Python value: a static shape, a rank, a dtype.
_KERAS_OPS_PYTHON = frozenset({"shape", "ndim", "dtype", "is_tensor", "size"})
# TensorFlow functions whose result is a Python value (beside the _TF_PYTHON families).
_TF_PYTHON_CALLS = frozenset(
    "is_tensor is_symbolic_tensor is_tf_type is_sparse is_ragged dimension_value dimension_at_index"
    " constant_value get_static_value executing_eagerly executing_eagerly_outside_functions inside_function"
    " get_default_graph has_default_graph is_keras_tensor".split()
)
# TensorFlow / keras.ops functions that only convert a value to a tensor (its numbers kept).
_CONVERSIONS = frozenset(
    "cast saturate_cast convert_to_tensor constant identity to_float to_double to_int32 to_int64".split()
)
_CONVERSION_ONLY = frozenset(
    {R.ListAppendInTensorLoop, R.ReturnInTensorLoop, R.DefinedInOneBranch, R.ForElse, R.WhileElse,
     R.WhileTrueTensorBreak, R.Generator, R.Walrus, R.MatchStatement}
)


def _prints_tracing(call: ast.Call) -> bool:
    """``print("Tracing with", x)``: the TF guide's idiom for seeing retraces, on purpose."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.JoinedStr):
        text = "".join(v.value for v in first.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    elif isinstance(first, ast.Constant) and isinstance(first.value, str):
        text = first.value
    else:
        return False
    return "trac" in text.lower()


class Checker(ast.NodeVisitor):
    """Walks a module once; ``findings`` holds the result."""

    def __init__(self, tree: ast.Module, path: str, walk: bool = True):
        """``walk`` False prepares the facts (aliases, traced functions) without judging,
        so that a Project can first extend what is traced from other files, then ``run()``."""
        self.path = path
        self.findings: list[Finding] = []
        self.fs: FunctionFacts | None = None
        self.guards = 0
        self.asserting = False  # inside the test of an ``assert``
        self.flags: frozenset[str] = frozenset()  # attributes the if being tested sets when it creates
        self._keras_tensors_cache: dict[ast.AST, dict[str, int]] = {}  # AC403's tensor evidence, per function
        self._bindings_cache: dict[ast.AST, tuple[list[tuple[ast.AST, set[str], ast.AST | None]], list[tuple[int, int]]]] = {}
        self._nonlocals_cache: dict[ast.AST | None, set[str]] = {}
        # Set by the lint run: does the project make Keras trace the models of a file (keras_use.py)?
        self.keras_traced: Callable[[str], bool] | None = None
        self.aliases = dict(_DEFAULT_ALIASES)
        nodes = index(tree)
        for node in nodes.of["imports"]:
            if isinstance(node, ast.Import):
                for a in node.names:
                    local = a.asname or a.name.split(".")[0]
                    self.aliases[local] = a.name if a.asname else local
            elif isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                for a in node.names:
                    sep = "" if module.endswith(".") else "."
                    self.aliases[a.asname or a.name] = module + sep + a.name
        self.module = ModuleFacts(tree, nodes, self._resolve)
        self._calls_rebound = _calls_rebound(nodes.of["assigns"])
        self._assigns = nodes.of["assigns"]
        self.traced = TracedFunctions(nodes, self._resolve)
        self.loop_bodies = self._loop_bodies(nodes.of["defs"])
        self.functions_in: dict[ast.AST | None, list[ast.AST]] = {}
        for node in nodes.of["functions"]:
            self.functions_in.setdefault(function_of(node), []).append(node)
        if walk:
            self.run()

    def _loop_bodies(self, defs: list[ast.AST]) -> set[ast.AST]:
        """Functions handed to a graph loop as its body (or condition): ``tf.while_loop(cond, body,
        ...)``, ``tf.map_fn(fn, ...)``, ``tf.scan``, ``tf.foldl``/``foldr``.  Where the loop is traced,
        such a body is traced once for all iterations, so even a list of the traced function around
        it is outer state to it.  (Called eagerly, TensorFlow runs these bodies as Python, each step.)"""
        out: set[ast.AST] = set()
        for call in defs:
            if not isinstance(call, ast.Call):
                continue
            full = self._resolve(call.func) or ""
            kind = full.removeprefix("tensorflow.") if full.startswith("tensorflow.") else ""
            if kind not in _GRAPH_LOOPS:
                continue
            count, keywords = _GRAPH_LOOPS[kind]
            args = [*call.args[:count], *(k.value for k in call.keywords if k.arg in keywords)]
            for arg in args:
                if isinstance(arg, ast.Lambda):
                    out.add(arg)
                elif isinstance(arg, ast.Name):
                    out.update(f for f in self.traced.defs.get(arg.id, []) if f.scope_ in (call.scope_, None))
        return out

    def run(self) -> list[Finding]:
        self._walk_untraced(None)
        return self.findings

    # ---- helpers -------------------------------------------------------
    def _report(self, rule: type[R.Rule], node: ast.AST, *args: object) -> None:
        if rule in _CONVERSION_ONLY and not self.fs.converted:
            return  # autograph=False: Python control flow stays Python, as written
        finding = rule.finding(self.path, node.lineno, node.col_offset + 1, *args)
        scope = self.fs
        while scope is not None and scope.node not in self.traced.modes:
            scope = scope.parent  # a closure is traced with the function that defines it
        chain = self.traced.chain(scope.node, self.path) if scope is not None else ()
        self.findings.append(replace(finding, chain=chain) if chain else finding)

    def _active(self) -> bool:
        return self.fs is not None and self.fs.traced

    def _walk_untraced(self, owner: ast.AST | None) -> None:
        """Code nobody traces is searched, not judged: visit only the functions
        defined in it (the module's, or an untraced function's own), found in
        the index, so a 600-term expression never meets the recursive visitor."""
        for function in self.functions_in.get(owner, []):
            self.visit(function)

    def _resolve(self, node: ast.AST) -> str | None:
        """The imported thing an expression names, e.g. ``np.random.rand`` -> ``numpy.random.rand``."""
        dotted = dotted_name(node)
        if not dotted or (self.fs is not None and dotted[0] in self.fs.params):
            return None
        root = self.aliases.get(dotted[0])
        full = None if root is None else ".".join([root, *dotted[1:]])
        return full.replace("compat.v1.", "").replace("compat.v2.", "") if full else None

    def _tf_call(self, node: ast.AST) -> list[str] | None:
        """For ``tf.X.y(...)`` the parts ``[X, y]``; None when it is not a tf call."""
        full = self._resolve(node.func) if isinstance(node, ast.Call) else None
        return full.split(".")[1:] if full and full.startswith("tensorflow.") else None

    def _python_list(self, value: ast.AST) -> bool:
        """``tf.unstack(x)``, ``tf.nest.flatten(x)``, ``list(...)``: a Python list, iterated in Python."""
        parts = self._tf_call(value)
        return parts is not None and not (_TF_LISTS.isdisjoint(parts) and "nest" not in parts)

    def _analyse(self) -> FunctionFacts:
        """Fill in which local names hold tensors, to a fixed point (a = x; b = a)."""
        fs = self.fs
        if fs.tensors is None:
            fs.tensors = fs.tensor_params()
            fs.iterables = fs.tensors - fs.mode.structures
            fs.entry_iterables = frozenset(fs.iterables)
            kinds = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.NamedExpr)
            assigns = [n for n in fs.nodes if isinstance(n, kinds)]
            python_lists = set(fs.python_values)
            for n in assigns:
                if isinstance(n, ast.Assign) and self._python_list(n.value):
                    python_lists |= stores(n.targets)
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
                        fs.iterables |= targets - python_lists
                if len(fs.tensors) + len(fs.iterables) == size:
                    break
            fs.iterables -= python_lists
            for n in assigns:
                if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
                    builtin = self._cast_of_tensor(n.value)
                    if builtin is not None:
                        fs.casts[n.targets[0].id] = builtin
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
                callee = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                if callee in _STATIC_SHAPE_CALLS:
                    continue
                parts = self._tf_call(n)
                if parts is not None:
                    if _TF_PYTHON.isdisjoint(parts) and parts[-1] not in _TF_PYTHON_CALLS:
                        return True
                    continue
            stack.extend(children(n))
        return False

    def _tensor_truth(self, test: ast.AST) -> bool:
        """Is ``test``'s truth asked of a tensor?  ``not``, ``and`` and ``or`` pass the question
        on. Not when it names a tuple or list (``fs.sequences``) or a display: a Python
        sequence's truth is its length, whatever it holds; nor for a dtype comparison, which is
        Python's; ``all``/``any`` over a comprehension ask its elements."""
        fs = self._analyse()
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._tensor_truth(test.operand)
        if isinstance(test, ast.BoolOp):
            return any(self._tensor_truth(v) for v in test.values)
        if isinstance(test, (ast.List, ast.Tuple, ast.Dict, ast.Set)) or (
            isinstance(test, ast.Name) and test.id in fs.sequences | fs.mode.structures
        ):
            return False
        if (
            isinstance(test, ast.Call)
            and isinstance(test.func, ast.Name)
            and test.func.id in ("all", "any")
            and test.func.id not in fs.bound
            and test.args
            and isinstance(test.args[0], (ast.GeneratorExp, ast.ListComp))
        ):
            return self._tensor_truth(test.args[0].elt)
        if isinstance(test, ast.Compare) and any(self._is_dtype(c) for c in [test.left, *test.comparators]):
            return False
        return self._is_tensor(test)

    def _is_tensor_iter(self, expr: ast.AST) -> bool:
        """Would ``for _ in expr`` become a graph loop?  Python ``range()`` and
        literals stay Python loops (AutoGraph unrolls them), so they never count."""
        if isinstance(expr, ast.Name):
            fs = self._analyse()
            return expr.id in fs.iterables or (expr.id not in fs.bound and expr.id in self.module.datasets)
        if isinstance(expr, ast.Subscript):
            return self._is_tensor_iter(expr.value)
        if not isinstance(expr, ast.Call):
            return False
        func = expr.func
        if isinstance(func, ast.Name) and func.id in ("enumerate", "zip", "reversed") and func.id not in self.fs.bound:
            # AutoGraph converts these only over datasets; over Python sequences (a list attribute,
            # a tuple of tensors) they are Python loops, unrolled (over a tensor they fail to trace)
            # (a parameter of the traced function may be a dataset: it still counts)
            fs = self._analyse()
            return any(
                self._is_dataset(a) or (isinstance(a, ast.Name) and a.id in fs.entry_iterables and a.id in fs.iterables)
                for a in expr.args
            )
        parts = self._tf_call(expr)
        if parts is not None:
            return _TF_PYTHON.isdisjoint(parts) and _TF_LISTS.isdisjoint(parts)
        if isinstance(func, ast.Attribute) and func.attr not in ("items", "keys", "values"):
            return self._is_tensor_iter(func.value)  # ds.batch(2), tf.data...range(3).map(f)
        return False

    def _is_dataset(self, expr: ast.AST) -> bool:
        """A tf.data dataset: a module-level one, or an expression built from a tf.data call or
        from a local name bound to one (``ds = tf.data.Dataset.range(3)``, ``ds.batch(2)``)."""
        local = self._analyse().bound
        for n in walk(expr):
            if isinstance(n, ast.Name) and n.id not in local and n.id in self.module.datasets:
                return True
            if isinstance(n, ast.Name) and n.id in local and n.id in self._local_datasets():
                return True
            if isinstance(n, ast.Call) and (self._resolve(n.func) or "").startswith("tensorflow.data."):
                return True
        return False

    def _local_datasets(self) -> set[str]:
        """Local names bound to a tf.data call (or to another such name), to a fixed point."""
        fs = self.fs
        if fs.datasets is None:
            fs.datasets = set()
            assigns = [n for n in fs.nodes if isinstance(n, ast.Assign)]
            for _ in range(3):
                size = len(fs.datasets)
                for n in assigns:
                    if any(
                        (isinstance(m, ast.Name) and m.id in fs.datasets)
                        or (isinstance(m, ast.Call) and (self._resolve(m.func) or "").startswith("tensorflow.data."))
                        for m in walk(n.value)
                    ):
                        fs.datasets |= stores(n.targets)
                if len(fs.datasets) == size:
                    break
        return fs.datasets

    def _outer_container(self, name: str) -> bool:
        """Is ``name`` a list/dict/set that lives outside traced code, or outside the body of a
        graph loop (a container, or a parameter, of the traced function around that body)?"""
        fs = self.fs
        if name in fs.bound:
            return False
        in_loop_body = fs.node in self.loop_bodies
        scope = None if name in fs.declared else fs.parent
        while scope is not None:
            if name in scope.bound:
                if scope.traced and in_loop_body:
                    return name in scope.containers or name in scope.params
                return not scope.traced and name in scope.containers
            in_loop_body = in_loop_body or scope.node in self.loop_bodies
            scope = scope.parent
        return name in self.module.containers

    def _lives_outside(self, name: str) -> bool:
        """A ``global`` name does; a ``nonlocal`` one only if its owner is not traced too
        (a closure counter inside the traced function is trace-local state)."""
        if name in self.fs.globals:
            return True
        scope = self.fs.parent
        while scope is not None and name not in scope.bound:
            scope = scope.parent
        return scope is None or not scope.traced

    def _is_global(self, name: str) -> bool:
        """Bound by no enclosing function: a module global (or a builtin)."""
        scope = self.fs
        while scope is not None:
            if name in scope.bound:
                return False
            scope = scope.parent
        return True

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
                used = {x.id for x in walk(n.value) if isinstance(x, ast.Name)}
                if name in stores(targets) and name not in used:
                    return True
        return False

    def _eagerly_only(self, test: ast.AST) -> bool | None:
        """True for ``if tf.executing_eagerly():``, False for its ``not``, else None."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):  # a and tf.executing_eagerly()
            return True if any(self._eagerly_only(v) is True for v in test.values) else None
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        call = test.operand if negated else test
        if isinstance(call, ast.Call) and self._tf_call(call) == ["executing_eagerly"]:
            return not negated
        return None

    def _constant_truth(self, test: ast.AST) -> bool | None:
        """The truth of a test of module constants (``DEBUG``, ``not DEBUG``, ``DEBUG and x``)
        bound once to a literal: the branch it rules out is dead code as written.  None when
        the test is not decided so."""
        if isinstance(test, ast.Name):
            value = self.module.constants.get(test.id, test)
            return None if value is test or not self._is_global(test.id) else bool(value)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            truth = self._constant_truth(test.operand)
            return None if truth is None else not truth
        if isinstance(test, ast.BoolOp):
            truths = [self._constant_truth(v) for v in test.values]
            decisive = isinstance(test.op, ast.Or)  # one True decides an ``or``, one False an ``and``
            if decisive in truths:
                return decisive
            return None if None in truths else not decisive
        return None

    def _exits(self, stmts: list[ast.stmt], tensor: bool, nested: bool, out: list[bool]) -> None:
        """Collect the ways out of a ``while True`` body: True for a break under
        a tensor-dependent if, False for any other break, return or raise."""
        for s in stmts:
            if isinstance(s, ast.Break):
                out.extend([] if nested else [tensor])
            elif isinstance(s, (ast.Return, ast.Raise)):
                out.append(False)
            elif isinstance(s, ast.stmt) and not isinstance(s, SCOPES):
                t = tensor or (isinstance(s, ast.If) and self._tensor_truth(s.test))
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
                and not self.guards
                and not (getattr(t, "increment_", False) and ("name", t.value.id) not in self._traced_reads)
                and not getattr(t.value, "python_store_", False)
            ):
                self._report(R.OuterStateMutated, t, t.value.id)

    def _self_attribute(self, target: ast.AST) -> str | None:
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            return target.attr
        return None

    def _check_counter(self, node: ast.Assign | ast.AugAssign, target: ast.AST) -> None:
        attr = self._self_attribute(target)
        if attr is None or self.guards or is_trace_name(attr) or self._trace_local_self():
            return
        if self.fs.mode.keras_call and not self._counter_read(attr):
            return  # a Keras call counting its calls (for a name, a log line): deliberate
        if attr not in self.module.numeric_attributes.get(self._class_name(), ()):
            return
        if ("attr", attr) not in self._traced_reads:
            return  # written, never read by traced code: it counts traces, on purpose
        if isinstance(node, ast.AugAssign) or any(
            self._self_attribute(n) == attr for n in walk(node.value)  # self.n = self.n + 1
        ):
            self._report(R.AttributeCounter, node, attr)

    def _counter_read(self, attr: str) -> bool:
        """Does traced code of this class read ``self.attr`` for its value (an index, a test),
        not only in its own update or for a name or a log line?  Keras runs a layer's call again
        for each function it traces (predict, train), so a counter read there drifts."""
        cls = self._class_node()
        loads = [n for n in self.module.attribute_loads.get(attr, []) if isinstance(n.value, ast.Name) and n.value.id == "self"]
        for function in {function_of(n) for n in loads}:
            if function is None or not _inside(function, cls) or not self._traced_scope(function):
                continue
            skip: set[int] = set()
            for n in walk(function):
                if (
                    isinstance(n, ast.JoinedStr)
                    or (isinstance(n, ast.keyword) and n.arg == "name")
                    or (isinstance(n, ast.Call) and self._logs(n))
                    or _updated_key(n) == ("attr", attr)
                ):
                    skip.update(id(m) for m in walk(n))
            if any(id(n) not in skip for n in loads if function_of(n) is function):
                return True
        return False

    def _logs(self, call: ast.Call) -> bool:
        """print, str, logging, tf.print, a logger's method: a read there is for a message."""
        func = call.func
        if isinstance(func, ast.Name) and func.id in ("print", "str", "repr", "format"):
            return True
        full = self._resolve(func) or ""
        if full.startswith(("logging.", "absl.logging.", "tensorflow.print", "tensorflow.get_logger")):
            return True
        return isinstance(func, ast.Attribute) and func.attr in ("info", "debug", "warning", "warn", "error", "log", "format")

    def _trace_local_self(self) -> bool:
        """A class defined inside traced code makes its objects while tracing:
        their Python state lives and dies with the trace, so it cannot go stale."""
        return self.fs.parent is not None and self.fs.parent.traced

    @cached_property
    def _traced_reads(self) -> set[tuple[str, str]]:
        """Globals and ``self`` attributes that traced code reads, not counting
        the reads inside their own updates (``n += 1``, ``n = n + 1``, ``c[k] += 1``)."""
        out: set[tuple[str, str]] = set()
        for root in self.traced.modes:
            if root in self.traced.eager:
                continue
            counts: dict[tuple[str, str], int] = {}
            for n in walk(root):
                key = _read_key(n)
                if key is not None:
                    counts[key] = counts.get(key, 0) + 1
                updated = _updated_key(n)
                if updated is not None:
                    own = [m for m in walk(n) if m is not getattr(n, "target", None) and _read_key(m) == updated]
                    counts[updated] = counts.get(updated, 0) - len(own)
            out.update(key for key, count in counts.items() if count > 0)
        return out

    def _class_name(self) -> str | None:
        cls = self._class_node()
        return None if cls is None else cls.name

    def _class_node(self) -> ast.ClassDef | None:
        scope = self.fs
        while scope is not None:
            cls = self.traced.class_of.get(scope.node)
            if cls is not None:
                return cls
            scope = scope.parent
        return None

    # ---- visitors ------------------------------------------------------
    def _enter(self, node: ast.AST, body: list[ast.AST]) -> None:
        parent = self.fs
        mode = self.traced.modes.get(node)
        if mode is None and parent is not None and parent.traced:
            mode = replace(parent.mode, tensor_params=frozenset(), structures=frozenset())
        if node in self.traced.eager or self.traced.is_eager_decorated(node):
            mode = None
        self.fs, guards = FunctionFacts(node, mode, parent), self.guards
        inherited = guards if isinstance(node, ast.Lambda) else 0  # a lambda runs where it is written
        self.guards = inherited + int(mode is not None and mode.guarded)
        if mode is None:
            self._walk_untraced(node)
        else:
            for stmt in body:
                self.visit(stmt)
        self.fs, self.guards = parent, guards

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._active():  # decorators and defaults run where the def runs
            for child in (*node.decorator_list, node.args):
                self.visit(child)
        self._enter(node, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._enter(node, [node.body])

    def visit_Call(self, node: ast.Call) -> None:
        if self._active():
            self._check_call(node)
        self.generic_visit(node)

    def _check_call(self, node: ast.Call) -> None:
        func = node.func
        full = self._resolve(func)
        bound = self.fs.bound
        if isinstance(func, ast.Name) and func.id not in bound:
            if func.id == "print" and not (self.fs.mode.converts_print or self.fs.mode.keras_call or _prints_tracing(node)):
                self._report(R.PrintCall, node)
            elif func.id == "next" and node.args and self.module.is_python_iterator(node.args[0], bound):
                self._report(R.PythonIteratorNext, node, ".".join(dotted_name(node.args[0]) or ["..."]))
            elif func.id == "bool" or (func.id in ("int", "float") and not self.fs.converted):
                test = self._tensor_truth if func.id == "bool" else self._is_tensor
                if len(node.args) == 1 and test(node.args[0]):  # bool() is never converted
                    self._report(R.PythonScalarOfSymbolic, node, func.id)
        if full and full.startswith(R.PythonRandom.modules):
            self._report(R.PythonRandom, node, ".".join(dotted_name(func)))
        elif full in R.PythonTime.clocks:
            self._report(R.PythonTime, node, ".".join(dotted_name(func)))
        elif (
            full
            and full.startswith("numpy.")
            and not self.fs.mode.keras_call  # a Keras call also runs eagerly, where NumPy works
            and any(self._is_tensor(a) for a in [*node.args, *node.keywords])
        ):
            self._report(R.NumpyFunctionOfSymbolic, node, full.removeprefix("numpy."))
        elif full == "tensorflow.constant" and not self.fs.mode.keras_call and self._constant_of_tensor(node):
            self._report(R.ConstantOfSymbolic, node)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in R.KerasLoopInTraced.methods
            and not self.fs.mode.keras_call  # a Keras call also runs eagerly
            and self._keras_model(func.value, func.attr)
        ):
            self._report(R.KerasLoopInTraced, node, ".".join(dotted_name(func.value)), func.attr)
        elif full == "tensorflow.Variable" and not self.guards:
            self._report(R.VariableCreated, node)
        elif full and self._keras_object(full) and not self.guards:
            self._keras_object_created(node, full)
        elif isinstance(func, ast.Attribute) and func.attr == "numpy" and not node.args:
            if self._symbolic_receiver(func.value) and not self._eager_keras_model():
                self._report(R.NumpyOfSymbolic, node)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = func.value.id
            if func.attr in R.OuterStateMutated.methods and self._outer_container(name) and not self.guards:
                self._report(R.OuterStateMutated, node, name)
            elif func.attr in R.ListAppendInTensorLoop.methods and self._growing_list(name):
                self._report(R.ListAppendInTensorLoop, node, name)

    def _keras_object_created(self, node: ast.Call, full: str) -> None:
        """From the table in rules.py: what this Keras class creates, and under which Keras."""
        family, name = full.split(".")[-2:]
        version = ""
        if family == "layers" and name in R.KerasObjectCreated.wrappers:
            wrapped = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg in ("layer", "cell")), None
            )
            cells = wrapped.elts if isinstance(wrapped, (ast.List, ast.Tuple)) else [wrapped]
            stateful = any(
                k.arg == "stateful" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                for k in node.keywords
            )
            if not stateful and not any(isinstance(c, ast.Call) for c in cells):
                return  # TimeDistributed(self.dense), RNN(cell): the wrapped layer exists already
        if family == "layers" and name in R.KerasObjectCreated.seeded_layers:
            if full.startswith("tf_keras."):
                return  # Keras 2: no variables at all
            version = R.KerasObjectCreated.keras3_only
        self._report(R.KerasObjectCreated, node, family.rstrip("s") + " " + name, version)

    @staticmethod
    def _keras_object(full: str) -> bool:
        parts = full.split(".")
        return (
            full.startswith(("tensorflow.keras.", "keras.", "tf_keras."))
            and parts[-2] in R.KerasObjectCreated.families
            and parts[-1][:1].isupper()
            and not (parts[-2] == "layers" and parts[-1] in R.KerasObjectCreated.stateless_layers)
        )

    def _eager_keras_model(self) -> bool:
        """Code only a Keras ``call`` reaches, in a project that never makes Keras trace it (no
        fit/predict/evaluate, tf.function, keras.Input, saved model; or ``run_eagerly=True``):
        its models are called eagerly, in a custom loop, where tensors have values."""
        return self.fs.mode.keras_call and self.keras_traced is not None and not self.keras_traced(self.path)

    def _constant_of_tensor(self, call: ast.Call) -> bool:
        """``tf.constant(t * 2)``, ``tf.constant([t[0], 1.0])``: its value holds a tensor, on the
        line-aware evidence of AC403 (a TensorFlow op, or a name bound to one above this line: a
        name rebound to a tensor further down is still a Python value here).  A bare parameter, or
        one with a default, is left alone: the caller may pass a Python value (one trace per value)."""
        value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "value"), None)
        if value is None or (isinstance(value, ast.Name) and value.id in self.fs.params):
            return False
        node = self.fs.node
        defaults = [*node.args.posonlyargs, *node.args.args][len(node.args.posonlyargs) + len(node.args.args) - len(node.args.defaults):]
        defaulted = {a.arg for a in defaults} | {a.arg for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True) if d}
        names = [n for n in walk(value) if isinstance(n, ast.Name)]
        if any(n.id in defaulted for n in names) or any(self._cast_of_tensor(n) is not None for n in walk(value)):
            return False  # tf.constant([1.0] * int(t)): the repetition fails first, AC106's
        return self._keras_evidence(value, call.lineno)

    def _keras_model(self, receiver: ast.AST, method: str) -> bool:
        """``model``, ``self.target_model``: bound in this file to a Keras model it builds or loads
        (``keras.Sequential(...)``, ``load_model(...)``), or named a model when no class of this
        file defines ``method`` and the name is not an annotated parameter or an object of a class
        of the project (whose ``predict`` is its own, as in TensorFlow Federated's models).  For
        ``predict_on_batch``, a name alone is no evidence: only a model made here is."""
        dotted = dotted_name(receiver)
        if not dotted or dotted == ["self"] or len(dotted) > 2 or (len(dotted) == 2 and dotted[0] != "self"):
            return False
        if dotted[-1] in self._keras_models:
            return True
        if method == "predict_on_batch" or method in self.traced.methods or "model" not in dotted[-1].lower():
            return False
        if len(dotted) == 2:
            return self.traced.held_class(self.fs.node, dotted[1]) is None
        annotated = next((a for a in self.fs.args if a.arg == dotted[0] and a.annotation is not None), None)
        return annotated is None or "keras" in ".".join(dotted_name(annotated.annotation) or [])

    @cached_property
    def _keras_models(self) -> frozenset[str]:
        """Names and ``self`` attributes this file binds to a Keras model it builds or loads."""
        out = set()
        for node in self._assigns:
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            full = self._resolve(node.value.func) or ""
            last = full.rsplit(".", 1)[-1]
            if "keras" in full and last in ("Model", "Sequential", "load_model", "clone_model"):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        out.add(t.id)
                    elif isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                        out.add(t.attr)
        return frozenset(out)

    def _symbolic_receiver(self, receiver: ast.AST) -> bool:
        """Local values and attributes of self are graph tensors while tracing;
        a module global may be an eager tensor captured from outside."""
        if isinstance(receiver, ast.Name):
            return receiver.id in self.fs.bound or self._is_tensor(receiver)
        return isinstance(receiver, (ast.Attribute, ast.Call, ast.Subscript, ast.BinOp))

    def _cast_of_tensor(self, expr: ast.AST) -> str | None:
        """``int(t)``/``float(t)`` of a tensor (or a name bound to one): AutoGraph
        turns them into tf.cast, so the value is still a tensor.  Their name, or None."""
        if isinstance(expr, ast.Name) and expr.id in self._analyse().casts:
            return self.fs.casts[expr.id]
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Name)
            and expr.func.id in ("int", "float")
            and expr.func.id not in self.fs.bound
            and len(expr.args) == 1
            and self._is_tensor(expr.args[0])
        ):
            return expr.func.id
        return None

    def _python_use_of_cast(self, node: ast.AST, operands: list[ast.AST]) -> None:
        """A cast used where only a Python number works: a list index or
        repetition, string formatting."""
        if self.fs.converted:
            for operand in operands:
                builtin = self._cast_of_tensor(operand)
                if builtin is not None:
                    self._report(R.PythonScalarOfSymbolic, node, builtin)
                    return

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if self._active() and isinstance(node.value, (ast.List, ast.Tuple, ast.Constant, ast.Dict)):
            self._python_use_of_cast(node, [node.slice])
        elif self._active() and isinstance(node.value, ast.Name) and node.value.id in self.fs.containers:
            self._python_use_of_cast(node, [node.slice])
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if self._active():
            literal = (ast.List, ast.Tuple, ast.Constant, ast.JoinedStr)
            sides = [(node.left, node.right), (node.right, node.left)]
            for python, other in sides:
                if isinstance(python, literal) and isinstance(node.op, (ast.Mult, ast.Mod)):
                    if not isinstance(python, ast.Constant) or isinstance(python.value, str):
                        self._python_use_of_cast(node, [other])
                        break
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        if self._active():
            self._python_use_of_cast(node, [node.value])
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if not self._active():
            return
        fs = self.fs
        if isinstance(node.ctx, ast.Store) and node.id in fs.declared and not self.guards:
            counts_traces = getattr(node, "increment_", False) and ("name", node.id) not in self._traced_reads
            if (
                node.id not in fs.reported
                and not (is_trace_name(node.id) or counts_traces or getattr(node, "python_store_", False))
                and self._lives_outside(node.id)
            ):
                fs.reported.add(node.id)
                self._report(R.OuterStateMutated, node, node.id)
        elif isinstance(node.ctx, ast.Load) and node.id not in fs.reported and self._is_global(node.id):
            rebound = self.module.rebound_after(node.id, self._root())
            if rebound is not None and not is_trace_name(node.id) and node.id not in fs.declared:
                fs.reported.add(node.id)
                self._report(R.GlobalReadRebound, node, node.id, rebound)
        elif (
            isinstance(node.ctx, ast.Load)
            and node.id not in fs.reported
            and node.id not in fs.bound
            and not is_trace_name(node.id)
            and not self.guards
            and not self.asserting
        ):
            rebound = self._closure_rebound(node.id)
            if rebound is not None:
                fs.reported.add(node.id)
                self._report(R.FrozenRead, node, "closure variable", node.id, rebound, "Python value")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (
            self._active()
            and isinstance(node.ctx, ast.Load)
            and not self.guards
            and not self.asserting
            and not is_trace_name(node.attr)
        ):
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                if node.attr not in self.flags:
                    self._check_frozen_attribute(node, self._class_node(), "self." + node.attr)
            elif (held := self._held_class(node.value)) is not None:  # self.memory.size, memory a ReplayBuffer
                self._check_frozen_attribute(node, held, f"self.{node.value.attr}.{node.attr}")
        self.generic_visit(node)

    def _held_class(self, value: ast.AST) -> ast.ClassDef | None:
        """The class of this module whose instance ``value`` (``self.memory``) holds, made in ``__init__``."""
        if not (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self"):
            return None
        held = self.traced.held_class(self.fs.node, value.attr)
        return held[1] if held is not None else None

    def _check_frozen_attribute(self, node: ast.Attribute, cls: ast.ClassDef | None, shown: str) -> None:
        """AC306 for a read of ``cls``'s attribute ``node.attr`` that another method rebinds."""
        if shown in self.fs.reported:
            return
        key = (cls, node.attr)
        rebinds = [(line, method, "Python value") for line, method in self.module.attribute_rebinds.get(key, [])]
        rebinds += [(line, method, "tensor") for line, method in self._tensor_rebinds.get(key, [])]
        rebinds = [r for r in rebinds if r[1] is not self.fs.node]
        if rebinds and not self._trace_local_self():
            rebinds = self._during_life(rebinds)
        if rebinds:
            self.fs.reported.add(shown)
            line, _method, kind = rebinds[0]
            self._report(R.FrozenRead, node, "attribute", shown, line, kind)

    def _during_life(self, rebinds: list[tuple[int, ast.AST, str]]) -> list[tuple[int, ast.AST, str]]:
        """A traced def nested in a method that only calls it there is a new tf.function on each
        run of that method, traced afresh: a rebinding can leave it stale only while it lives,
        i.e. in that method after the def (or in a ``self.m()`` it calls after the def)."""
        scope = self.fs
        while scope.parent is not None and scope.parent.traced:
            scope = scope.parent
        holder, traced_def = scope.parent, scope.node
        if holder is None or not isinstance(traced_def, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return rebinds
        after = traced_def.end_lineno
        nodes = list(walk(holder.node))
        calls = [n for n in nodes if isinstance(n, ast.Call)]
        called = {id(n.func) for n in calls}
        if any(
            isinstance(n, ast.Name) and n.id == traced_def.name and isinstance(n.ctx, ast.Load) and id(n) not in called
            for n in nodes
        ):
            return rebinds  # returned, stored or handed on: it outlives this run
        calls_after = {n.func.attr for n in calls if n.lineno > after and self._self_attribute(n.func) is not None}
        return [
            r for r in rebinds
            if (r[0] > after and _inside(r[1], holder.node)) or getattr(r[1], "name", None) in calls_after
        ]

    @cached_property
    def _tensor_rebinds(self) -> dict[tuple[ast.ClassDef, str], list[tuple[int, ast.AST]]]:
        """(class, attribute) -> (line, method) of each rebinding, in untraced code outside the
        methods that build the object (``__init__``, ``build`` and those only they call), of a
        ``self`` attribute to a new tensor on evidence (a TensorFlow op, the result of a
        tf.function); never for an attribute any method sets to a tf.Variable or other state
        (that is assigned in place, not rebound)."""
        saved, self.fs = self.fs, None  # resolve names as the module sees them
        out: dict[tuple[ast.ClassDef, str], list[tuple[int, ast.AST]]] = {}
        try:
            for key, stores_ in self.module.attribute_stores.items():
                if any(self._state_value(n.value) for n, _method in stores_):
                    continue
                building = self.module.init_methods
                initial = {ast.dump(n.value) for n, method in stores_ if method in building}
                later = [(n, method) for n, method in stores_ if method not in building]
                # converted from itself, and never rebound to a value from elsewhere: a one-time preparation
                prepared = all(_reads_attribute(n.value, key[1]) for n, _method in later)
                lines = [
                    (n.lineno, method) for n, method in later
                    if not self._traced_scope(method)
                    and self._tensor_value(n.value, key[0])
                    and ast.dump(n.value) not in initial  # a reset to the first value: the same tensor again
                    and not (prepared and self._conversion_of(n.value, key[1]))
                ]
                if lines:
                    out[key] = lines
        finally:
            self.fs = saved
        return out

    def _conversion_of(self, value: ast.AST, attr: str) -> bool:
        """``tf.cast(self.a, tf.float32)``, ``tf.convert_to_tensor(self.a)``: ``self.a`` converted,
        the same numbers again.  Done once (a NumPy array filled, then made a tensor), it changes
        no value between calls; arithmetic on itself (``tf.add(self.a, 1)``) does, so is no such."""
        full = self._resolve(value.func) if isinstance(value, ast.Call) else None
        if not full or full.rsplit(".", 1)[-1] not in _CONVERSIONS or not value.args:
            return False
        first = value.args[0]
        return self._self_attribute(first) == attr or (
            isinstance(first, ast.Call) and self._conversion_of(first, attr)
        )

    def _state_value(self, value: ast.AST) -> bool:
        """A tf.Variable, a TensorArray, a Keras object, any class of TensorFlow: state, not a tensor."""
        full = self._resolve(value.func) if isinstance(value, ast.Call) else None
        return bool(full) and full.startswith(("tensorflow.", "keras.", "tf_keras.")) and (
            full.rsplit(".", 1)[-1][:1].isupper() or self._keras_object(full)
        )

    def _tensor_value(self, value: ast.AST, cls: ast.ClassDef) -> bool:
        """A call that returns a tensor on evidence: a TensorFlow op (not a class, not tf.data,
        Keras or a Python-valued helper), or a tf.function of this module or class."""
        if not isinstance(value, ast.Call):
            return False
        parts = self._tf_call(value)
        if parts is not None:
            return (
                _TF_PYTHON.isdisjoint(parts) and _TF_LISTS.isdisjoint(parts)
                and not {"data", "summary", "train", "random", "lookup"} & set(parts)
                and parts[-1][:1].islower()
            )
        func = value.func
        if isinstance(func, ast.Name):
            targets = self.traced.defs.get(func.id, [])
        elif self._self_attribute(func) is not None:
            targets = [m for m in self.traced.methods.get(func.attr, []) if self.traced.class_of.get(m) is cls]
        else:
            return False
        return bool(targets) and all(
            any(self.traced._is_tf_function(d.func if isinstance(d, ast.Call) else d) for d in t.decorator_list)
            for t in targets
        )

    def _traced_scope(self, function: ast.AST) -> bool:
        """Is ``function``, or a function around it, traced?"""
        while function is not None:
            if function in self.traced.modes:
                return True
            function = getattr(function, "scope_", None)
        return False

    def _closure_rebound(self, name: str) -> int | None:
        """For a name of an enclosing function nobody traces, bound there to a Python constant:
        a line that binds it again (a second binding, one in a loop, a ``nonlocal`` one)."""
        scope = self.fs.parent
        while scope is not None and name not in scope.bound:
            scope = scope.parent
        if scope is None or scope.traced or name in scope.params:
            return None
        traced_def = self.fs
        while traced_def.parent is not scope:
            traced_def = traced_def.parent
        defined_at = traced_def.node.lineno  # a binding before the def is not a rebinding
        bindings, loops = self._bindings_in(scope.node)
        constant, lines = False, []
        for n, names, owner in bindings:
            if name in names:
                declared = owner is not scope.node and name in self._nonlocals_in(owner)
                if owner is scope.node or declared:
                    constant |= isinstance(n, ast.Assign) and python_constant_value(n.value)
                    in_loop = isinstance(n, ast.For) or any(start < n.lineno <= end for start, end in loops)
                    if n.lineno > defined_at or declared:
                        lines += [n.lineno] * (2 if in_loop or declared else 1)
        return min(lines) if constant and len(lines) > 1 else None

    def _bindings_in(self, function: ast.AST) -> tuple[list[tuple[ast.AST, set[str], ast.AST | None]], list[tuple[int, int]]]:
        """Walked once per function for ``_closure_rebound``: each statement under it that binds
        plain names (with the names and the function that owns it), and the line spans of its
        own loops."""
        found = self._bindings_cache.get(function)
        if found is None:
            bindings, loops = [], []
            for n in walk(function):
                if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For)):
                    targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                    names = {t.id for t in targets if isinstance(t, ast.Name)}
                    if names:
                        bindings.append((n, names, function_of(n)))
                if isinstance(n, LOOPS) and function_of(n) is function:
                    loops.append((n.lineno, n.end_lineno))
            found = self._bindings_cache[function] = (bindings, loops)
        return found

    def _nonlocals_in(self, function: ast.AST | None) -> set[str]:
        """Names any ``nonlocal`` under ``function`` declares."""
        found = self._nonlocals_cache.get(function)
        if found is None:
            found = self._nonlocals_cache[function] = {
                name for d in walk(function) if isinstance(d, ast.Nonlocal) for name in d.names
            }
        return found

    def _root(self) -> ast.AST:
        scope = self.fs
        while scope.parent is not None:
            scope = scope.parent
        return scope.node

    def visit_Assign(self, node: ast.Assign) -> None:
        if self._active():
            updated = _updated_key(node)
            if updated is not None and updated[0] == "name":
                node.targets[0].increment_ = True  # n = n + 1
            elif not self._is_tensor(node.value):
                for target in node.targets:  # a Python value, the same on every trace of the same inputs
                    (target.value if isinstance(target, ast.Subscript) else target).python_store_ = True
            for target in node.targets:
                self._check_subscript(target)
                self._check_counter(node, target)
                attr = self._self_attribute(target)
                if (
                    attr is not None
                    # Keras layers keep symbolic outputs on purpose; a create-once branch makes state.
                    # Neither holds for a tf.Variable rebound to a tensor: that is a missing .assign().
                    and (not (self.guards or self.fs.mode.keras_call) or self._variable_attribute(attr))
                    and not self._trace_local_self()
                    and not is_trace_name(attr)
                    and attr in self.module.read_attributes
                    and self._evidently_tensor(node.value)
                    and not self._creates_state(node.value)
                    and not self._temporary(attr, node)
                ):
                    self._report(R.TensorStoredOnSelf, node, attr)
        self.generic_visit(node)

    def _variable_attribute(self, attr: str) -> bool:
        """Is ``self.attr`` a tf.Variable on evidence: set to ``tf.Variable(...)`` while the object is built?"""
        stores_ = self.module.attribute_stores.get((self._class_node(), attr), [])
        return any(
            method in self.module.init_methods and self._tf_call(n.value) == ["Variable"]
            for n, method in stores_
        )

    def _temporary(self, attr: str, store: ast.Assign) -> bool:
        """``self._tmp = t`` read only further down the same function: a scratch slot that
        each trace fills before it reads it, so no stale graph tensor is ever read."""
        loads = self.module.attribute_loads.get(attr, [])
        return all(
            isinstance(n.value, ast.Name) and n.value.id == "self"
            and function_of(n) is self.fs.node and n.lineno > store.end_lineno
            for n in loads
        )

    def _evidently_tensor(self, value: ast.AST) -> bool:
        """A value that is itself a tensor, not a Python structure built from one: a dict or
        list (of enum members, of names), ``sorted(...)``, ``x.keys()``, a string are Python."""
        if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.Tuple, ast.DictComp, ast.ListComp, ast.SetComp,
                              ast.GeneratorExp, ast.Constant, ast.JoinedStr)):
            return False
        if isinstance(value, ast.Call):
            func = value.func
            if isinstance(func, ast.Name) and func.id in _PYTHON_BUILDERS and func.id not in self.fs.bound:
                return False
            if isinstance(func, ast.Attribute) and func.attr in ("keys", "values", "items", "copy", "get"):
                return False
        return self._is_tensor(value)

    def _creates_state(self, value: ast.AST) -> bool:
        """tf.Variable(...) and Keras objects are reported by their own rules."""
        full = self._resolve(value.func) if isinstance(value, ast.Call) else None
        return bool(full) and (full == "tensorflow.Variable" or self._keras_object(full) or "TensorArray" in full)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if self._active():
            t = node.target
            t.increment_ = True
            if isinstance(t, ast.Name) and isinstance(node.op, ast.Add) and self._growing_list(t.id):
                self._report(R.ListAppendInTensorLoop, node, t.id)
            self._check_subscript(t)
            self._check_counter(node, t)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        if self._active():
            for target in node.targets:
                self._check_subscript(target)
        self.generic_visit(node)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        if not self._active():
            return self.generic_visit(node)
        if node.orelse:
            self._report(R.ForElse, node)
        self._check_keras_range(node)
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
        self._check_keras_unconverted(node, "while", node.test)
        self.visit(node.test)
        self._loop(node, self._tensor_truth(node.test))

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
        if not self._active():
            return self.generic_visit(node)
        eager = self._eagerly_only(node.test)
        if eager is None:
            truth = self._constant_truth(node.test)  # ``if DEBUG:`` with DEBUG = False: dead code
            eager = self._asserted_away(node) if truth is None else not truth
        if eager is None and self._tensor_truth(node.test):
            self._check_branches(node)
        if eager is None:
            self._check_keras_unconverted(node, "if", node.test)
        guard, presence = is_create_once_guard(node.test), is_presence_test(node.test)
        flags = self.flags
        if guard or presence:
            self.flags = flags | self._attributes_set(node.body if guard else node.orelse)
        self.visit(node.test)
        self.flags = flags
        self.guards += guard
        for stmt in [] if eager is True else node.body:  # never runs while tracing
            self.visit(stmt)
        self.guards += presence - guard
        for stmt in [] if eager is False else node.orelse:
            self.visit(stmt)
        self.guards -= presence

    def _attributes_set(self, stmts: list[ast.stmt]) -> frozenset[str]:
        """``self`` attributes a create-once branch sets, itself or through ``self.m()``: a flag
        such as ``self._built`` tested by that ``if`` flips once, on purpose, so reading it
        there is not a frozen read."""
        setters: dict[str, set[str]] = {}
        cls = self._class_node()
        for (owner, attr), lines in self.module.attribute_rebinds.items():
            if owner is cls:
                for _line, method in lines:
                    setters.setdefault(method.name, set()).add(attr)
        out: set[str] = set()
        for n in scope_walk(stmts):
            if isinstance(n, (ast.Assign, ast.AugAssign)):
                for t in n.targets if isinstance(n, ast.Assign) else [n.target]:
                    attr = self._self_attribute(t)
                    if attr is not None:
                        out.add(attr)
            elif isinstance(n, ast.Call) and self._self_attribute(n.func) is not None:
                out |= setters.get(n.func.attr, set())
        return frozenset(out)

    def _asserted_away(self, node: ast.If) -> bool | None:
        """True when the ``if`` body cannot run while tracing, False when its ``else`` cannot:
        the test (of ``self`` attributes and globals only) is one that this function, earlier,
        or every traced caller in this file, before the call, asserts the opposite of.
        A function TensorFlow or another file traces has callers nobody here sees: only its
        own asserts count."""
        test = node.test
        names = {n.id for n in walk(test) if isinstance(n, ast.Name)}
        if names & (self.fs.bound - {"self"}):
            return None  # a local or a parameter: not the value the caller asserted
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        key = ast.dump(test.operand if negated else test)
        function, traced = self.fs.node, self.traced
        reached = function in traced.modes and function not in traced.roots and function not in traced.entries
        callers = traced.all_callers.get(function, set()) if reached else set()
        for held, side in ((True, 0), (False, 1)):  # the test asserted true, then asserted false
            here = key in _asserted(function, node.lineno)[side]
            everywhere = bool(callers) and all(key in _asserted(caller, line)[side] for caller, line in callers)
            if here or everywhere:
                return negated == held  # asserted true: ``if not t`` body is dead; asserted false: ``if t``
        return None

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        inits = sum(is_init_scope(i.context_expr, self._resolve) for i in node.items)
        self.guards += inits  # variables made under tf.init_scope() are lifted out of the graph
        self.generic_visit(node)
        self.guards -= inits

    visit_AsyncWith = visit_With

    def visit_Yield(self, node: ast.Yield | ast.YieldFrom) -> None:
        # A function TensorFlow traces itself must not be a generator.  A helper
        # generator is consumed by Python while tracing: fine, unless it has
        # control flow, which stays Python (range(n) of a tensor n fails).
        if self._active() and not self.fs.yielded and (
            self.fs.node in self.traced.roots or any(isinstance(n, (*LOOPS, ast.If)) for n in self.fs.nodes)
        ):
            self.fs.yielded = True
            self._report(R.Generator, node, self.fs.name)
        self.generic_visit(node)

    visit_YieldFrom = visit_Yield

    def visit_Assert(self, node: ast.Assert) -> None:
        """``assert not self._eager``: a precondition on a Python value is checked while tracing
        and changes nothing the graph computes, so its read is not a frozen read (AC306).
        ``assert x > 0`` on a tensor is AC404: AutoGraph converts assert only when asked
        (``Feature.ASSERT_STATEMENTS``), so the test needs a Python bool of a symbolic tensor."""
        if (
            self._active()
            and not (self.fs.converted and self.fs.mode.converts_asserts)
            and self._tensor_truth(node.test)
            and not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "bool"
                        for n in walk(node.test))  # bool(t) is AC106's, on this line
        ):
            self._report(R.AssertOnTensor, node)
        asserting, self.asserting = self.asserting, True
        self.visit(node.test)
        self.asserting = asserting
        if node.msg is not None:
            self.visit(node.msg)

    def _is_dtype(self, expr: ast.AST) -> bool:
        """``tf.float32``, or a list or tuple of such: comparing with it compares dtypes, in Python."""
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return bool(expr.elts) and all(self._is_dtype(e) for e in expr.elts)
        full = self._resolve(expr) if isinstance(expr, ast.Attribute) else None
        return bool(full) and full.split(".")[-1] in _DTYPE_NAMES and full.startswith("tensorflow.")

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        if self._active():
            self._report(R.Walrus, node)
        self.generic_visit(node)

    def visit_Match(self, node: ast.Match) -> None:
        if self._active():
            self._report(R.MatchStatement, node)
        self.generic_visit(node)

    # ---- AC403: Python control flow on a tensor in a Keras call, which Keras 3 does not convert ----
    def visit_IfExp(self, node: ast.IfExp) -> None:
        truth = self._constant_truth(node.test) if self._active() else None
        if truth is None:
            if self._active():
                self._check_keras_unconverted(node, "conditional expression", node.test)
            return self.generic_visit(node)
        self.visit(node.test)
        self.visit(node.body if truth else node.orelse)  # the other one is dead code as written
        return None

    def _check_keras_unconverted(self, node: ast.AST, construct: str, test: ast.AST) -> None:
        """``if``/``while``/``a if t else b`` whose test is a tensor, in code only a Keras ``call``
        reaches: Keras 2 wrapped call in AutoGraph, Keras 3 runs it as Python while tracing, so
        the test asks a symbolic tensor for a Python bool and tracing fails. The same in a
        ``train_step`` (AC405), which no Keras converts."""
        if not (self._keras_unconverted() or self._keras_step_unconverted()):
            return
        bare = test.operand if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else test
        if isinstance(bare, ast.Name) and bare.id in self.fs.mode.structures | self.fs.sequences:
            return  # ``if inputs:``, ``if cache:``: the inputs may be a list, whose truth is Python's
        if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "bool" for n in walk(test)):
            return  # bool(t) is AC106's, on this line
        if isinstance(test, ast.BoolOp) and any(self._type_test(v) for v in test.values):
            return  # ``not tf.is_tensor(n) and n == 1``: the tensor side is never asked for a bool
        if self._keras_evidence(test, node.lineno):
            self._report_keras_unconverted(node, construct)

    def _check_keras_range(self, node: ast.For | ast.AsyncFor) -> None:
        """``for t in range(n)`` with a tensor ``n``: AutoGraph makes it a graph loop, plain
        Python cannot take a symbolic tensor as an int (TypeError)."""
        it = node.iter
        if (
            isinstance(it, ast.Call)
            and isinstance(it.func, ast.Name)
            and it.func.id == "range"
            and "range" not in self.fs.bound
            and (self._keras_unconverted() or self._keras_step_unconverted())
            and any(self._keras_evidence(a, node.lineno) for a in it.args)
        ):
            self._report_keras_unconverted(node, "range() loop")

    def _report_keras_unconverted(self, node: ast.AST, construct: str) -> None:
        if any(f.line == node.lineno and f.path == self.path for f in self.findings[-4:]):
            return  # another rule already reports this line (AC402 on the same if)
        if self._keras_step_unconverted():
            self._report(R.KerasStepUnconverted, node, construct, self._keras_step_name())
        else:
            self._report(R.KerasCallUnconverted, node, construct)

    def _keras_step_unconverted(self) -> bool:
        """Code that only a Keras model's ``train_step``/``test_step``/``predict_step`` reaches:
        Keras 2 and 3 both run them under ``do_not_convert``, so nothing converts them; not for a
        class defined inside traced code (AutoGraph converts it there)."""
        fs = self.fs
        if not (fs.converted and fs.mode.keras_step):
            return False
        return self._class_not_in_traced_code(self._method_scope())

    def _keras_step_name(self) -> str:
        """The step method this code is in (``train_step``), or ``step's helper`` for code it calls."""
        scope = self._method_scope()
        name = scope.name if scope is not None else ""
        return name if name in KERAS_TRACED_METHODS - {"call"} else "step's helper"

    def _keras_unconverted(self) -> bool:
        """Code that only a Keras ``call`` reaches, which nothing converts under Keras 3: not when
        call (or a caller) is a tf.function (``keras_call`` is then False), not for ``tf_keras``
        (Keras 2), not for a class defined inside traced code (AutoGraph converts it there)."""
        fs = self.fs
        if not (fs.converted and fs.mode.keras_call):
            return False
        if self._keras2_file:
            return False
        scope = self._method_scope()
        if scope is not None and self.traced.class_of[scope.node].name in self._calls_rebound:
            return False  # Cls.call = tf.autograph.to_graph(Cls.call), self.call = tf.function(self.call)
        return self._class_not_in_traced_code(scope)

    def _method_scope(self) -> FunctionFacts | None:
        """The method this code is in (itself, or the method a nested function sits in)."""
        scope = self.fs
        while scope is not None and scope.node not in self.traced.class_of:
            scope = scope.parent
        return scope

    @staticmethod
    def _class_not_in_traced_code(method: FunctionFacts | None) -> bool:
        """A class defined inside traced code is converted with it by AutoGraph."""
        return method is None or method.parent is None or not method.parent.traced

    def _type_test(self, test: ast.AST) -> bool:
        """``isinstance(n, int)``, ``tf.is_tensor(n)``, or their ``not``: a test of what ``n`` is."""
        test = test.operand if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else test
        if not isinstance(test, ast.Call):
            return False
        if isinstance(test.func, ast.Name) and test.func.id == "isinstance":
            return True
        parts = self._tf_call(test)
        return bool(parts) and parts[-1] in _TF_PYTHON_CALLS

    @cached_property
    def _keras2_file(self) -> bool:
        """The file imports ``tf_keras``: Keras 2, whose layers' ``call`` AutoGraph converts."""
        return any(v == "tf_keras" or v.startswith("tf_keras.") for v in self.aliases.values())

    def _keras_tensors(self) -> dict[str, int]:
        """Names that hold a tensor on stronger evidence than ``_is_tensor``, with the first line
        that makes them one (0 for the inputs of call): a TensorFlow or ``keras.ops`` operation.
        A helper's result, ``len()``, ``K.int_shape()``, shapes and dtypes are Python values, and
        a name is no evidence above the line that makes it a tensor (``n = 3`` then later
        ``n = tf.convert_to_tensor(n)``)."""
        fs = self.fs
        found = self._keras_tensors_cache.get(fs.node)
        if found is None:
            found = self._keras_tensors_cache[fs.node] = dict.fromkeys(fs.tensor_params(), 0)
            assigns = [n for n in fs.nodes if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None]
            for _ in range(3):
                size = len(found)
                for n in assigns:
                    if self._keras_evidence(n.value, n.lineno):
                        for name in stores(n.targets if isinstance(n, ast.Assign) else [n.target]):
                            found[name] = min(found.get(name, n.lineno), n.lineno)
                if len(found) == size:
                    break
        return found

    def _keras_evidence(self, expr: ast.AST, line: int) -> bool:
        """Does ``expr``, on ``line``, hold a tensor on the evidence of ``_keras_tensors``?"""
        names = self._keras_tensors()
        stack = [expr]
        while stack:
            n = stack.pop()
            if isinstance(n, ast.Name):
                if names.get(n.id, line) < line:
                    return True
            elif isinstance(n, ast.Call):
                parts = self._tf_call(n)
                if parts is not None:
                    if _TF_PYTHON.isdisjoint(parts) and parts[-1] not in _TF_PYTHON_CALLS:
                        return True
                    continue
                full = self._resolve(n.func) or ""
                if full.startswith(("keras.ops.", "tensorflow.keras.ops.")) and full.rsplit(".", 1)[-1] not in _KERAS_OPS_PYTHON:
                    return True
                # any other call (a helper, len, K.int_shape) may return a Python value: no evidence
            elif isinstance(n, ast.Lambda) or (isinstance(n, ast.Attribute) and n.attr in _STATIC_ATTRS):
                continue
            elif isinstance(n, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in n.ops):
                continue  # ``is None``, and ``name in features``: a key of a structure of inputs
            else:
                stack.extend(children(n))
        return False


def _reads_attribute(value: ast.AST, attr: str) -> bool:
    """Does ``value`` read ``self.attr``, i.e. is it computed from the attribute's previous value?"""
    return any(
        isinstance(n, ast.Attribute) and n.attr == attr and isinstance(n.value, ast.Name) and n.value.id == "self"
        for n in walk(value)
    )


def _calls_rebound(assigns: list[ast.AST]) -> frozenset[str]:
    """Classes whose ``call`` the module rebinds (``Cls.call = tf.autograph.to_graph(Cls.call)``,
    ``self.call = tf.function(self.call)``): converted, or not the method written."""
    out = set()
    for node in assigns:
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "call" and isinstance(target.value, ast.Name):
                owner = target.value.id
                if owner == "self":
                    scope = node.scope_
                    while scope is not None and not isinstance(scope, ast.ClassDef):
                        scope = scope.scope_
                    owner = scope.name if scope is not None else owner
                out.add(owner)
    return frozenset(out)


def _inside(node: ast.AST, function: ast.AST) -> bool:
    """Is ``node`` (a def) ``function`` or nested in it?"""
    while node is not None and node is not function:
        node = getattr(node, "scope_", None)
    return node is function


def _asserted(function: ast.AST, before: int) -> tuple[set[str], set[str]]:
    """What the top-level ``assert`` statements of ``function`` above line ``before`` hold:
    (expressions asserted true, expressions asserted false), as ``ast.dump`` text."""
    true, false = set(), set()
    body = getattr(function, "body", [])
    for stmt in body if isinstance(body, list) else []:  # a lambda's body is one expression
        if isinstance(stmt, ast.Assert) and stmt.lineno < before:
            tests = stmt.test.values if isinstance(stmt.test, ast.BoolOp) and isinstance(stmt.test.op, ast.And) else [stmt.test]
            for t in tests:
                if isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not):
                    false.add(ast.dump(t.operand))
                else:
                    true.add(ast.dump(t))
    return true, false


def _read_key(node: ast.AST) -> tuple[str, str] | None:
    """``("name", n)`` for a read of a plain name, ``("attr", a)`` for a read of ``self.a``."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        return ("name", node.id)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Load)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ):
        return ("attr", node.attr)
    return None


def _updated_key(node: ast.AST) -> tuple[str, str] | None:
    """What ``n += 1``, ``self.n += 1``, ``c[k] += 1`` or ``n = n + 1`` updates, as a _read_key."""
    if isinstance(node, ast.AugAssign):
        target = node.target.value if isinstance(node.target, ast.Subscript) else node.target
    elif isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
    else:
        return None
    if isinstance(target, ast.Name):
        key = ("name", target.id)
    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
        key = ("attr", target.attr)
    else:
        return None
    if isinstance(node, ast.Assign) and not any(_read_key(m) == key for m in walk(node.value)):
        return None
    return key
