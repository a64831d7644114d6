"""Module-wide facts the state rules need: Python globals that are rebound,
Python iterators, numeric attributes of classes, datasets, outer containers.

Gathered once per file, before the checker walks; plain AST queries.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from autoconv.linter.scope import TENSOR_ANNOTATIONS, Index, containers, dotted_name, function_of, walk

Resolve = Callable[[ast.AST], str | None]
_TRACE_NAME = re.compile(r"trac(?:e|i)", re.IGNORECASE)
_ITERTOOLS = frozenset({"count", "cycle", "repeat", "chain", "islice", "permutations", "product"})
_DATASET_MODULES = ("tensorflow.data.", "tensorflow_datasets.load")
_TF_MODULES = ("tensorflow.", "keras.", "tf_keras.")


def is_trace_name(name: str) -> bool:
    """``trace_count``, ``num_traces``, ``self.traced``: trace-time bookkeeping on purpose."""
    return bool(_TRACE_NAME.search(name))


def _python_constant(value: ast.AST | None) -> bool:
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        value = value.operand
    return isinstance(value, ast.Constant) and isinstance(value.value, (int, float, str)) and value.value is not None


def python_constant_value(value: ast.AST | None) -> bool:
    """A number, bool or str literal: a Python value on evidence, never a tensor."""
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
        value = value.operand
    return isinstance(value, ast.Constant) and isinstance(value.value, (int, float, str)) and value.value is not None


def _python_number(value: ast.AST) -> bool:
    number = value.operand if isinstance(value, ast.UnaryOp) else value
    return isinstance(number, ast.Constant) and type(number.value) in (int, float)


class ModuleFacts:
    """Built once per file from the index; each attribute answers one rule's question."""

    def __init__(self, tree: ast.Module, nodes: Index, resolve: Resolve):
        self.resolve = resolve
        self.containers = containers(tree.body)
        module_nodes = nodes.of["module"]
        assigns = nodes.of["assigns"]
        self.generators = {
            f.name for n in nodes.of["yields"] for f in [function_of(n)] if f
            and not isinstance(f, ast.Lambda)
        }
        self.datasets = self._datasets(assigns)
        self.first_constant: dict[str, int] = {}  # global -> line of its first binding, a Python constant
        self.rebinds: dict[str, list[int]] = {}  # module-level rebindings
        self._module_bindings(module_nodes)
        self.rebound_in_functions = self._global_rebinds(nodes)  # first ``global name; name = ...``
        self.constants = self._constants(module_nodes)
        self.iterators = self._iterators(assigns)  # module globals and self attributes
        self.numeric_attributes = self._numeric_attributes(assigns)
        # (class, attribute) -> (assignment, method) of each ``self.a = value`` in any method
        self.attribute_stores: dict[tuple[ast.ClassDef, str], list[tuple[ast.Assign, ast.AST]]] = {}
        self.init_methods = _init_methods(nodes)
        self.attribute_rebinds = self._attribute_rebinds(nodes.of["bindings"], nodes.of["attributes"])
        self.attribute_loads: dict[str, list[ast.Attribute]] = {}  # attribute name -> every read of it
        for n in nodes.of["attributes"]:
            if isinstance(n.ctx, ast.Load):
                self.attribute_loads.setdefault(n.attr, []).append(n)
        self.read_attributes = set(self.attribute_loads)  # a stored tensor nobody reads cannot bite
        self.module_calls: dict[str, list[int]] = {}  # function name -> lines the module itself calls it
        for n in module_nodes:
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
                self.module_calls.setdefault(n.func.id, []).append(n.lineno)

    def _datasets(self, assigns: list[ast.Assign]) -> set[str]:
        self.datasets: set[str] = set()
        for _ in range(2):  # ds = tf.data...; ds2 = ds.batch(2)
            for n in assigns:
                if n.scope_ is None and self._is_dataset(n.value):
                    self.datasets.update(t.id for t in n.targets if isinstance(t, ast.Name))
        return self.datasets

    def _module_bindings(self, module_nodes: list[ast.AST]) -> None:
        for n in module_nodes:
            for name, value, line in _bindings(n):
                if name not in self.first_constant and name not in self.rebinds:
                    if _python_constant(value):
                        self.first_constant[name] = line
                    else:
                        self.rebinds[name] = []  # first bound to something else: not a frozen Python value
                    continue
                self.rebinds.setdefault(name, []).append(line)

    def _constants(self, module_nodes: list[ast.AST]) -> dict[str, object]:
        """Module names bound exactly once, at module level, to a literal (``DEBUG = False``), and
        never by ``global`` in a function: name -> value.  A test of one is decided as written."""
        stored: dict[str, int] = {}
        for n in module_nodes:
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
                stored[n.id] = stored.get(n.id, 0) + 1
        out: dict[str, object] = {}
        for n in module_nodes:
            target = n.targets[0] if isinstance(n, ast.Assign) and len(n.targets) == 1 else getattr(n, "target", None)
            if (
                isinstance(n, (ast.Assign, ast.AnnAssign))
                and isinstance(target, ast.Name)
                and isinstance(n.value, ast.Constant)
                and stored.get(target.id) == 1
                and target.id not in self.rebound_in_functions
            ):
                out[target.id] = n.value.value
        return out

    @staticmethod
    def _global_rebinds(nodes: Index) -> dict[str, int]:
        declared = {(function_of(n), name) for n in nodes.of["globals"] for name in n.names}
        out: dict[str, int] = {}
        if declared:
            for n in nodes.of["bindings"]:
                if n.scope_ is not None:
                    for name, _value, line in _bindings(n):
                        if (function_of(n), name) in declared:
                            out.setdefault(name, line)
        return out

    def _iterators(self, assigns: list[ast.Assign]) -> set[str]:
        out: set[str] = set()
        for n in assigns:
            if self._is_python_iterator_value(n.value):
                for t in n.targets:
                    if isinstance(t, ast.Name) and n.scope_ is None:
                        out.add(t.id)
                    elif isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                        out.add("self." + t.attr)
        return out

    def _is_dataset(self, value: ast.AST) -> bool:
        for n in walk(value):
            if isinstance(n, ast.Name) and n.id in self.datasets:
                return True
            if isinstance(n, ast.Call) and (self.resolve(n.func) or "").startswith(_DATASET_MODULES):
                return True
        return False

    def _is_python_iterator_value(self, value: ast.AST) -> bool:
        """``iter([..])``, ``iter(range(3))``, ``itertools.count()``, a generator call;
        ``iter(dataset)`` is a tf.data iterator, which advances in the graph."""
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        if isinstance(func, ast.Name) and func.id == "iter" and len(value.args) == 1:
            source = value.args[0]
            if isinstance(source, (ast.List, ast.Tuple, ast.ListComp, ast.Set, ast.Dict, ast.Constant)):
                return True
            if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "range":
                return True
            return isinstance(source, ast.Name) and source.id in self.containers
        if isinstance(func, ast.Name) and func.id in self.generators:
            return True
        full = self.resolve(func) or ""
        return full.startswith("itertools.") and full.split(".")[-1] in _ITERTOOLS

    def is_python_iterator(self, expr: ast.AST, bound: set[str]) -> bool:
        dotted = dotted_name(expr)
        if not dotted or len(dotted) > 2 or (len(dotted) == 2 and dotted[0] != "self"):
            return False
        return ".".join(dotted) in self.iterators and dotted[0] not in bound - {"self"}

    def rebound_after(self, name: str, function: ast.AST) -> int | None:
        """For a global first bound to a Python constant: a module-level line that
        rebinds it between two calls of ``function`` by the module (the first
        traced it with the old value), or any ``global name`` rebinding in a
        function, else None."""
        if name not in self.first_constant:
            return None
        calls = [at for at in self.module_calls.get(getattr(function, "name", ""), []) if at > function.lineno]
        for rebind in sorted(self.rebinds.get(name, [])):
            if any(at < rebind for at in calls) and any(at > rebind for at in calls):
                return rebind  # traced before it, called again after it: the old value is served
        return self.rebound_in_functions.get(name)

    def _attribute_rebinds(
        self, nodes: list[ast.AST], attributes: list[ast.Attribute]
    ) -> dict[tuple[ast.ClassDef, str], list[tuple[int, ast.AST]]]:
        """(class, attribute) -> (line, method) of each ``self.a = ...`` / ``self.a += ...``
        outside the methods that build the object (``init_methods``), for attributes those first
        set to a Python constant, or to a parameter of ``__init__`` (``self.sep = sep``) when
        nothing shows it holds a tensor or a tf.Variable.  Fills ``attribute_stores`` on the way."""
        first: dict[tuple[ast.ClassDef, str], str | None] = {}  # "constant", "parameter" or None
        out: dict[tuple[ast.ClassDef, str], list[tuple[int, ast.AST]]] = {}
        stored_names: dict[ast.AST, set[str]] = {}
        setters: set[ast.AST] = set()  # ``self.a = value`` with value a parameter of its method
        for n in nodes:
            if not isinstance(n, (ast.Assign, ast.AugAssign)):
                continue
            method = function_of(n)
            cls = getattr(method, "scope_", None)
            if not isinstance(cls, ast.ClassDef):
                continue
            for t in n.targets if isinstance(n, ast.Assign) else [n.target]:
                pairs = [(t, n.value)]
                if isinstance(t, ast.Tuple) and isinstance(n.value, ast.Tuple) and len(t.elts) == len(n.value.elts):
                    pairs = list(zip(t.elts, n.value.elts, strict=True))  # self.ptr, self.size = 0, 0
                for target, value in pairs:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                        key = (cls, target.attr)
                        if isinstance(n, ast.Assign) and target is t:
                            self.attribute_stores.setdefault(key, []).append((n, method))
                        if method in self.init_methods and key not in first:
                            if not isinstance(n, ast.Assign):
                                first[key] = None
                            elif python_constant_value(value):
                                first[key] = "constant"
                            elif isinstance(value, ast.Name) and _python_parameter(method, value.id, stored_names):
                                first[key] = "parameter"
                            else:
                                first[key] = None
                        elif method not in self.init_methods:
                            out.setdefault(key, []).append((n.lineno, method))
                            if isinstance(n, ast.Assign) and isinstance(value, ast.Name) and value.id in _own_params(method):
                                setters.add(n)
        held = self._tensor_held({key for key in out if first.get(key) == "parameter"}, attributes)
        named = {n.attr for n in attributes if isinstance(n.ctx, ast.Load)}
        result: dict[tuple[ast.ClassDef, str], list[tuple[int, ast.AST]]] = {}
        counts: dict[ast.AST, bool] = {}  # per rebinding method, asked once
        for key, lines in out.items():
            if first.get(key) == "parameter" and key not in held:  # a setter's value, from its caller
                stores_ = {n.lineno for n, _method in self.attribute_stores.get(key, []) if n in setters}
                lines = [(line, method) for line, method in lines if line in stores_]
            elif first.get(key) != "constant":
                continue
            for _line, method in lines:
                if method not in counts:
                    counts[method] = self._rebinding_counts(method, key[0], named)
            lines = [(line, method) for line, method in lines if counts[method]]
            if lines:
                result[key] = lines
        return result

    def _rebinding_counts(self, method: ast.AST, cls: ast.ClassDef, named: set[str]) -> bool:
        """Can a rebinding in ``method`` leave a traced function stale?  Not when the method is
        private (``_set_x``) and nothing in the file names it, so it never runs; nor when it, or
        a method it calls through ``self``, makes its ``tf.function`` anew (``self.step =
        tf.function(self._step)``): the new function is traced with the new value."""
        name = getattr(method, "name", "")
        if name.startswith("_") and not name.startswith("__") and name not in named and name not in _class_names(cls):
            return False
        methods = {f.name: f for f in cls.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
        todo, seen = [method], {method}
        for function in todo:
            for n in walk(function):
                if not isinstance(n, ast.Call):
                    continue
                if self.resolve(n.func) == "tensorflow.function":
                    return False
                called = methods.get(n.func.attr) if isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.value.id == "self" else None
                if called is not None and called not in seen:
                    seen.add(called)
                    todo.append(called)
        return True

    def _tensor_held(self, keys: set[tuple[ast.ClassDef, str]], attributes: list[ast.Attribute]) -> set[tuple[ast.ClassDef, str]]:
        """Of attributes first set from an ``__init__`` parameter, those some method sets to a
        TensorFlow value (``tf.Variable(...)``, ``tf.constant(...)``) or assigns in place
        (``self.a.assign(...)``): a tensor or a Variable, not a Python value frozen by a trace."""
        if not keys:
            return set()
        out = set()
        for key in keys:
            for n, _method in self.attribute_stores.get(key, []):
                if isinstance(n.value, ast.Call) and (self.resolve(n.value.func) or "").startswith(_TF_MODULES):
                    out.add(key)
        names = {attr for _cls, attr in keys}
        assigned = {
            n.value.attr for n in attributes
            if n.attr.startswith("assign") and isinstance(n.value, ast.Attribute) and n.value.attr in names
            and isinstance(n.value.value, ast.Name) and n.value.value.id == "self"
        }
        return out | {key for key in keys if key[1] in assigned}

    @staticmethod
    def _numeric_attributes(assigns: list[ast.Assign]) -> dict[str, set[str]]:
        """Class -> attributes some method sets to a number: ``self.calls = 0``."""
        out: dict[str, set[str]] = {}
        for n in assigns:
            if not _python_number(n.value):
                continue
            cls = n.scope_
            while cls is not None and not isinstance(cls, ast.ClassDef):
                cls = cls.scope_
            for t in n.targets:
                if cls and isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    out.setdefault(cls.name, set()).add(t.attr)
        return out


def _init_methods(nodes: Index) -> set[ast.AST]:
    """The methods that run only while an object is built: ``__init__`` and ``build``, and those
    only they call, through ``self`` in the same class (``__init__`` -> ``self._setup()`` ->
    ``self._setup_model()``), the name used nowhere else in the file.  What they set is set
    before anything is traced, an initial value like one set in ``__init__`` itself."""
    roots: set[ast.AST] = set()
    methods: dict[tuple[ast.ClassDef, str], ast.AST] = {}
    for f in nodes.of["functions"]:
        cls = getattr(f, "scope_", None)
        if isinstance(cls, ast.ClassDef) and not isinstance(f, ast.Lambda):  # x = lambda: ... in a class body
            if f.name in ("__init__", "build"):
                roots.add(f)
            else:
                methods[(cls, f.name)] = f
    names = {name for _cls, name in methods}
    if not roots or not names:
        return roots
    self_calls = {
        id(n.func) for n in nodes.of["defs"]
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"
    }
    callers: dict[tuple[ast.ClassDef, str], set[ast.AST]] = {}  # the methods calling each one
    named_otherwise: set[str] = set()  # obj.m(), self.m handed on, a subclass's self.m(): not followed
    for n in nodes.of["attributes"]:
        if n.attr in names:
            caller = function_of(n)
            key = (getattr(caller, "scope_", None), n.attr)
            if id(n) in self_calls and key in methods:
                callers.setdefault(key, set()).add(caller)
            else:
                named_otherwise.add(n.attr)
    found, grown = set(roots), True
    while grown:
        grown = False
        for key, calling in callers.items():
            if key[1] not in named_otherwise and methods[key] not in found and calling <= found:
                found.add(methods[key])
                grown = True
    return found


def _own_params(function: ast.AST) -> set[str]:
    """The parameters of a method but ``self``."""
    args = function.args
    return {a.arg for a in [*args.posonlyargs, *args.args][1:] + args.kwonlyargs}


def _class_names(cls: ast.ClassDef) -> set[str]:
    """Names a class body reads outside its methods (``x = property(_get_x, _set_x)``)."""
    return {
        n.id for item in cls.body if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
        for n in walk(item) if isinstance(n, ast.Name)
    }


def _python_parameter(method: ast.AST, name: str, stored_names: dict[ast.AST, set[str]]) -> bool:
    """Is ``name`` a parameter of ``__init__`` (not ``self``) that nothing there shows to be a
    tensor: no tensor annotation, no default computed by a call, not rebound in the method
    (``sep = tf.constant(sep)``)?  ``stored_names`` caches each method's rebound names."""
    if getattr(method, "name", "") != "__init__":
        return False
    args = method.args
    positional = [*args.posonlyargs, *args.args]
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults, strict=True))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None})
    arg = next((a for a in [*positional[1:], *args.kwonlyargs] if a.arg == name), None)
    if arg is None:
        return False
    annotation = dotted_name(arg.annotation) if arg.annotation is not None else None
    if annotation and annotation[-1] in TENSOR_ANNOTATIONS:
        return False
    if name in defaults and any(isinstance(n, ast.Call) for n in walk(defaults[name])):
        return False
    stored = stored_names.get(method)
    if stored is None:
        stored = stored_names[method] = {
            n.id for n in walk(method) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
        }
    return name not in stored


def _bindings(node: ast.AST) -> list[tuple[str, ast.AST | None, int]]:
    """(name, value or None, line) for each plain name a statement binds."""
    if isinstance(node, ast.Assign):
        return [(t.id, node.value, node.lineno) for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
        return [(node.target.id, None if isinstance(node, ast.AugAssign) else node.value, node.lineno)]
    if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
        return [(node.target.id, None, node.lineno)]
    return []
