"""Which functions of a module TensorFlow traces, and how: the lint's scope.

A function is judged only when something makes TensorFlow trace it: ``tf.function``
in any spelling, a Keras ``call``/``*_step`` method, a ``tf.data`` callback, or a
call from code that is itself traced.  This module finds those within one file;
project.py seeds it with what other files' traced code reaches (``seed``).  Plain AST
facts, gathered once before the checker walks; nothing here knows a rule.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace

from autoconv.linter.mode import Mode
from autoconv.linter.scope import Index, dotted_name, is_create_once_guard, is_presence_test, walk
from autoconv.model.lint import TraceStep

Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
Resolve = Callable[[ast.AST], str | None]

KERAS_TRACED_METHODS = frozenset({"call", "train_step", "test_step", "predict_step"})
KERAS_BASES = frozenset({"Layer", "Model", "Sequential"})
# Dataset method -> (position of the callback, its keyword name).
DATASET_CALLBACKS = {
    "map": (0, "map_func"),
    "filter": (0, "predicate"),
    "flat_map": (0, "map_func"),
    "interleave": (0, "map_func"),
    "reduce": (1, "reduce_func"),
    "scan": (1, "scan_func"),
}
EAGER_WRAPPERS = frozenset({"py_function", "numpy_function", "py_func", "experimental.numpy_function"})
TRANSPARENT_DECORATORS = (
    "staticmethod", "classmethod", "functools.wraps", "abstractmethod", "overload", "autograph.experimental.do_not_convert"
)
# Where an object's class comes from a library, not the project: its methods are not followed.
_NOT_PROJECT = ("tensorflow.", "numpy.", "keras.", "tf_keras.", "builtins.", "collections.", "torch.")
# Methods Keras runs eagerly (or under init_scope) even when called from a traced call.
NOT_FOLLOWED = frozenset({"__init__", "build", "get_config", "from_config", "compute_output_shape"})


def positional_params(node: Function) -> list[str]:
    a = node.args
    return [arg.arg for arg in [*a.posonlyargs, *a.args]]


def data_params(node: Function) -> list[str]:
    """Positional parameters that carry data: ``self``/``cls`` do not."""
    names = positional_params(node)
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


class TracedFunctions:
    """``modes`` maps each traced function node (def or lambda) to its Mode.
    Functions nested in a traced function are traced too; the checker
    inherits that while walking, so they are not listed here."""

    def __init__(self, nodes: Index, resolve: Resolve):
        self.resolve = resolve
        self.modes: dict[ast.AST, Mode] = {}
        self.defs: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.methods: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.class_of: dict[ast.AST, ast.ClassDef] = {}
        self.roots: set[ast.AST] = set()  # traced by TensorFlow itself, not only reached by a call
        self.eager: set[ast.AST] = set()  # bodies of tf.py_function / tf.numpy_function: run as Python
        self.called_steps: set[str] = set()  # model.train_step(...) called by the module itself
        self.callers: dict[ast.AST, tuple[ast.AST, int]] = {}  # reached function -> (its first caller, line)
        self.all_callers: dict[ast.AST, set[tuple[ast.AST, int]]] = {}  # -> every traced caller in this file, line
        self.entries: dict[ast.AST, tuple[TraceStep, ...]] = {}  # traced from another file: the caller's chain
        # Callables of other files this one hands to TensorFlow: (resolved name, call, Mode or None
        # for a dataset callback, whose parameters are its elements).
        self.imported_roots: list[tuple[str, ast.Call, Mode | None]] = []
        self._calls_in: dict[ast.AST, list[tuple[ast.Call, bool]]] = {}
        classes, calls = self._index(nodes.of["defs"])
        self.instances = self._module_instances(nodes.of["assigns"], {c.name for c in classes})
        # (class, attribute) -> (class name, its def if it is a class of this module): ``self.memory
        # = ReplayBuffer(...)`` in ``__init__``, with an imported class as its resolved name.
        self.held: dict[tuple[ast.ClassDef, str], tuple[str, ast.ClassDef | None]] = self._held_instances(
            nodes.of["assigns"], classes
        )
        for call in calls:
            self._wrapping_call(call)
            self._dataset_callback(call)
            self._eager_callback(call)
        self._keras_methods(classes)
        self._call_site_tensors(calls)
        self._call_site_python(calls)
        self._follow_calls()
        for node in self.eager:
            self.modes.pop(node, None)

    def _index(self, nodes: list[ast.AST]) -> tuple[list[ast.ClassDef], list[ast.Call]]:
        """Defs by name, methods by name, decorated roots; the classes and calls for later."""
        classes: list[ast.ClassDef] = []
        calls: list[ast.Call] = []
        for node in nodes:
            if isinstance(node, ast.ClassDef):
                classes.append(node)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if isinstance(node.scope_, ast.ClassDef):
                    self.methods.setdefault(node.name, []).append(node)
                    self.class_of[node] = node.scope_
                else:
                    self.defs.setdefault(node.name, []).append(node)
                for decorator in node.decorator_list:
                    mode = self._decorator_mode(decorator, node)
                    if mode is not None:
                        self._add(node, mode)
            elif isinstance(node, ast.Call) and (node.args or node.keywords):
                calls.append(node)
                if isinstance(node.func, ast.Attribute) and node.func.attr in KERAS_TRACED_METHODS - {"call"}:
                    self.called_steps.add(node.func.attr)
        return classes, calls

    @staticmethod
    def _module_instances(nodes: list[ast.AST], class_names: set[str]) -> dict[str, str]:
        """Module global -> the class of this module it was made from: ``optimizer = Adam()``."""
        out: dict[str, str] = {}
        for node in nodes:
            if (
                isinstance(node, ast.Assign)
                and node.scope_ is None
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id in class_names
            ):
                out.update((t.id, node.value.func.id) for t in node.targets if isinstance(t, ast.Name))
        return out

    def _held_instances(
        self, nodes: list[ast.AST], classes: list[ast.ClassDef]
    ) -> dict[tuple[ast.ClassDef, str], tuple[str, ast.ClassDef | None]]:
        """``self.x = Cls(...)`` in ``__init__``, ``Cls`` a class of this module or one imported from
        elsewhere (not TensorFlow, NumPy or Keras, whose objects the lint does not follow)."""
        by_name: dict[str, list[ast.ClassDef]] = {}
        for cls in classes:
            by_name.setdefault(cls.name, []).append(cls)
        out: dict[tuple[ast.ClassDef, str], tuple[str, ast.ClassDef | None]] = {}
        for node in nodes:
            method = node.scope_
            if (
                not isinstance(node, ast.Assign)
                or getattr(method, "name", None) != "__init__"
                or not isinstance(method.scope_, ast.ClassDef)
                or not isinstance(node.value, ast.Call)
                or not isinstance(node.value.func, (ast.Name, ast.Attribute))
            ):
                continue
            func = node.value.func
            if isinstance(func, ast.Name) and func.id in by_name:
                if len(by_name[func.id]) > 1:
                    continue  # two classes of one name: which one is not known here
                held = (func.id, by_name[func.id][0])
            else:
                full = self.resolve(func)
                if not full or full.startswith(_NOT_PROJECT) or not full.rsplit(".", 1)[-1][:1].isupper():
                    continue
                held = (full, None)
            for t in node.targets:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    out[(method.scope_, t.attr)] = held
        return out

    def held_class(self, owner: ast.AST, attr: str) -> tuple[str, ast.ClassDef | None] | None:
        """The class ``self.attr`` holds an instance of, seen from ``owner`` (code in a method)."""
        scope = owner if isinstance(owner, ast.ClassDef) else owner.scope_
        while scope is not None and not isinstance(scope, ast.ClassDef):
            scope = scope.scope_
        return None if scope is None else self.held.get((scope, attr))

    # ---- roots -------------------------------------------------------------
    def _add(self, node: ast.AST, mode: Mode, root: bool = True) -> None:
        if root:
            self.roots.add(node)
        old = self.modes.get(node)
        if old is None:
            self.modes[node] = mode
        else:  # reached twice: converted if either converts, print (assert) converted only if both do
            self.modes[node] = Mode(
                old.autograph or mode.autograph,
                old.converts_print and mode.converts_print,
                old.tensor_params | mode.tensor_params,
                old.keras_call and mode.keras_call,
                old.guarded and mode.guarded,
                old.structures | mode.structures,
                converts_asserts=old.converts_asserts and mode.converts_asserts,
                keras_step=old.keras_step and mode.keras_step,
            )

    def _is_tf_function(self, func: ast.AST) -> bool:
        return self.resolve(func) == "tensorflow.function"

    def _is_sample(self, func: ast.AST) -> bool:
        dotted = dotted_name(func)
        if not dotted:
            return False
        full = self.resolve(func) or ".".join(dotted)
        return full == "sample" or (full.endswith(".sample") and full.startswith((".", "autoconv")))

    def _options_mode(self, call: ast.Call | None, node: Function | None) -> Mode:
        """tf.function's keywords (autograph, experimental_autograph_options, input_signature),
        and which parameters of the function it traces hold tensors."""
        tensors = frozenset() if node is None else _entry_tensor_params(node, call)
        if call is None:
            return Mode(tensor_params=tensors)
        autograph = _keyword(call, "autograph")
        options = _keyword(call, "experimental_autograph_options")
        option_names = {n.attr for n in walk(options) if isinstance(n, ast.Attribute)} if options else set()
        return Mode(
            autograph=not (isinstance(autograph, ast.Constant) and autograph.value is False),
            converts_print=bool(option_names & {"BUILTIN_FUNCTIONS", "ALL"}),
            converts_asserts=bool(option_names & {"ASSERT_STATEMENTS", "ALL"}),
            tensor_params=tensors,
        )

    def _sample_tensors(self, call: ast.Call | None, node: Function) -> frozenset[str]:
        """``@sample(inputs=[(tf.constant(3),), ...])``: a parameter given a
        TensorFlow value in any case holds a tensor."""
        inputs = _keyword(call, "inputs") if call is not None else None
        if not isinstance(inputs, (ast.List, ast.Tuple)):
            return frozenset()
        names = data_params(node)
        out = set()
        for item in inputs.elts:
            args = item.elts if isinstance(item, ast.Tuple) else item.args if isinstance(item, ast.Call) else []
            for index, arg in enumerate(args[: len(names)]):
                if isinstance(arg, ast.Call) and (self.resolve(arg.func) or "").startswith("tensorflow."):
                    out.add(names[index])
        return frozenset(out)

    def is_eager_decorated(self, node: ast.AST) -> bool:
        """``@tf.py_function(Tout=...)`` on a def: its body runs as Python."""
        return any(
            (self.resolve(d.func if isinstance(d, ast.Call) else d) or "").removeprefix("tensorflow.") in EAGER_WRAPPERS
            for d in getattr(node, "decorator_list", [])
        )

    def _call_site_tensors(self, calls: list[ast.Call]) -> None:
        """``leaky_function(tf.constant(1))`` at module level: the module itself
        passes a tensor, which is evidence that the parameter holds one."""
        for call in calls:
            if call.scope_ is not None or not isinstance(call.func, ast.Name):
                continue
            for node in [f for f in self.defs.get(call.func.id, []) if _visible(f, call)]:
                mode = self.modes.get(node)
                if mode is None:
                    continue
                names = data_params(node)
                given = {
                    names[i]
                    for i, arg in enumerate(call.args[: len(names)])
                    if isinstance(arg, ast.Call) and (self.resolve(arg.func) or "").startswith("tensorflow.")
                }
                self.modes[node] = replace(mode, tensor_params=mode.tensor_params | given)

    def _call_site_python(self, calls: list[ast.Call]) -> None:
        """``step(x, True)``, ``model.step(x, training=False)`` anywhere in the module: that
        parameter gets a Python value, so a trace per value, not a tensor."""
        for call in calls:
            func = call.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if isinstance(func, ast.Name):
                targets = [f for f in self.defs.get(name, []) if _visible(f, call)]
            else:
                targets = self.methods.get(name, [])
            for node in targets:
                mode = self.modes.get(node)
                if mode is None or not mode.tensor_params:
                    continue
                names = data_params(node)
                python = {names[i] for i, arg in enumerate(call.args[: len(names)]) if isinstance(arg, ast.Constant)}
                python |= {k.arg for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)}
                if python & mode.tensor_params:
                    self.modes[node] = replace(mode, tensor_params=mode.tensor_params - python)

    def _eager_callback(self, call: ast.Call) -> None:
        """``tf.py_function(f, ...)``: f runs as plain Python on every call, never traced."""
        name = (self.resolve(call.func) or "").removeprefix("tensorflow.")
        if name in EAGER_WRAPPERS:
            target = call.args[0] if call.args else _keyword(call, "func")
            if target is not None:
                self.eager.update(self._callables(target, call, any_decorators=True))

    def _decorator_mode(self, decorator: ast.AST, node: Function) -> Mode | None:
        call = decorator if isinstance(decorator, ast.Call) else None
        target = call.func if call is not None else decorator
        if self._is_tf_function(target):
            return self._options_mode(call, node)
        if self._is_sample(target):
            return Mode(tensor_params=self._sample_tensors(call, node))
        return None

    def _plain(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """A def whose name still means its own body: any decorator other than
        these (contextmanager, py_function, a project's wrapper) may replace it."""
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            full = self.resolve(target) or ".".join(dotted_name(target) or ["?"])
            if not (full.endswith(TRANSPARENT_DECORATORS) or self._is_tf_function(target) or self._is_sample(target)):
                return False
        return True

    def _callables(self, expr: ast.AST, owner: ast.AST, any_decorators: bool = False) -> list[Function]:
        """The functions an expression passed as a callable may name."""
        if isinstance(expr, ast.Lambda):
            return [expr]
        if isinstance(expr, ast.Name):
            visible = [f for f in self.defs.get(expr.id, []) if _visible(f, owner)]
            named = visible or list(self.methods.get(expr.id, []))
            before = [f for f in named if f.scope_ is None and f.lineno < getattr(owner, "lineno", 0)]
            if len(before) > 1 and len(before) == len(named):  # redefined: the last def before the call
                named = [max(before, key=lambda f: f.lineno)]
            return [f for f in named if any_decorators or self._plain(f)]
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
            if expr.value.id in ("self", "cls"):
                return [m for m in self.methods.get(expr.attr, []) if self._same_class(m, owner)]
            return []
        if isinstance(expr, ast.Call) and expr.args and (self.resolve(expr.func) or "").endswith("partial"):
            return self._callables(expr.args[0], owner)
        return []

    def _same_class(self, method: ast.AST, owner: ast.AST) -> bool:
        """Is ``owner`` (a call, a method) inside the class that defines ``method``?"""
        cls = self.class_of.get(method)
        scope = owner if isinstance(owner, ast.ClassDef) else owner.scope_
        while scope is not None and scope is not cls:
            scope = scope.scope_
        return cls is not None and scope is cls

    def _wrapping_call(self, call: ast.Call) -> None:
        """``tf.function(f)``, ``tf.function(self.m, ...)``, ``tf.function(jit_compile=True)(f)``."""
        func = call.func
        if self._is_tf_function(func):
            options = call
        elif isinstance(func, ast.Call) and self._is_tf_function(func.func):
            options = func
        elif isinstance(func, ast.Call) and self._is_sample(func.func):
            options = None
        else:
            return
        wrapped = call.args[0] if call.args else _keyword(call, "func")
        if wrapped is None:
            return
        if options is not None:
            self._note_imported(wrapped, call, self._options_mode(options, None))
        for node in self._callables(wrapped, call):
            mode = self._options_mode(options, node)
            if options is None:
                mode = Mode(tensor_params=self._sample_tensors(func, node))
            self._add(node, mode)

    def _dataset_callback(self, call: ast.Call) -> None:
        """``ds.map(f)`` and friends.  Only the method name is known, so the
        call must have the shape of the Dataset method: one positional callback
        (two for reduce/scan), and a receiver that is not another library."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in DATASET_CALLBACKS:
            return
        position, keyword = DATASET_CALLBACKS[func.attr]
        resolved = self.resolve(func)
        if resolved is not None and not resolved.startswith("tensorflow."):
            return  # np.add.reduce, functools.reduce, pool.map on an imported pool
        if func.attr in ("map", "filter", "flat_map") and len(call.args) > 1:
            return  # executor.map(f, items): a Python iterable, not a dataset
        maker = func.value.func if isinstance(func.value, ast.Call) else None
        if isinstance(maker, ast.Name) and (maker.id in self.defs or (self.resolve(maker) or "tensorflow.")[:11] != "tensorflow."):
            return  # floats(...).filter(f): what a function of this module or another library made
        if func.attr in ("reduce", "scan") and len(call.args) not in (0, 2):
            return
        callback = call.args[position] if len(call.args) > position else _keyword(call, keyword)
        if callback is None:
            return
        self._note_imported(callback, call, None)
        for node in self._callables(callback, call):
            params = frozenset(data_params(node))  # the elements: not self
            self._add(node, Mode(tensor_params=params, structures=params))

    def _note_imported(self, expr: ast.AST, call: ast.Call, mode: Mode | None) -> None:
        """``ds.map(augment)`` with ``augment`` imported from another file of the project."""
        if isinstance(expr, (ast.Name, ast.Attribute)) and not self._callables(expr, call, any_decorators=True):
            full = self.resolve(expr)
            if full is not None and not full.startswith(("tensorflow.", "numpy.")):
                self.imported_roots.append((full, call, mode))

    def _is_keras_base(self, base: ast.AST, keras_classes: set[str]) -> bool:
        dotted = dotted_name(base.func if isinstance(base, ast.Call) else base)
        if not dotted:
            return False
        if len(dotted) == 1 and dotted[0] in keras_classes:
            return True
        full = self.resolve(base) or ".".join(dotted)
        return dotted[-1] in KERAS_BASES and "keras" in full

    def _keras_methods(self, classes: list[ast.ClassDef]) -> None:
        keras_classes: set[str] = set()
        for _ in range(3):  # subclasses of subclasses in the same module
            for cls in classes:
                if any(self._is_keras_base(b, keras_classes) for b in cls.bases):
                    keras_classes.add(cls.name)
        for cls in classes:
            if cls.name not in keras_classes:
                continue
            for item in cls.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if item.name in KERAS_TRACED_METHODS and item.name not in self.called_steps:
                    data = data_params(item)
                    inputs = frozenset(data[:1])
                    self._add(item, Mode(tensor_params=inputs, keras_call=item.name == "call", structures=inputs,
                                         keras_step=item.name != "call"))

    # ---- helpers reached by calls ------------------------------------------------
    def seed(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, mode: Mode, chain: tuple[TraceStep, ...], root: bool = False
    ) -> bool:
        """Another file's code traces ``node`` (``root``: hands it to TensorFlow) or calls it
        from traced code: trace it, and what it calls, here.  ``chain`` is the caller's way
        back to its entry point.  True when that is news."""
        if node in self.eager or node.name in NOT_FOLLOWED or not self._plain(node):
            return False
        before = self.modes.get(node)
        self._add(node, mode, root=root)
        if self.modes[node] == before:
            return False
        self.entries.setdefault(node, chain)
        self._follow_calls([node])
        for eager in self.eager:
            self.modes.pop(eager, None)
        return True

    def chain(self, node: ast.AST, path: str) -> tuple[TraceStep, ...]:
        """``node``, its callers up to the entry point TensorFlow traces; () for an entry point."""
        steps = [TraceStep(getattr(node, "name", "<lambda>"), path, node.lineno)]
        seen = {node}
        while node in self.callers and node not in self.roots:
            caller, line = self.callers[node]
            if caller in seen:
                break
            seen.add(caller)
            steps.append(TraceStep(getattr(caller, "name", "<lambda>"), path, line))
            node = caller
        steps += self.entries.get(node, ())
        return tuple(steps) if len(steps) > 1 else ()

    def calls_out(self) -> list[tuple[ast.AST, ast.Call, str, bool]]:
        """Calls from traced code to names imported from elsewhere: (caller, call, resolved
        name, under a create-once guard).  The project resolves those in its own files."""
        out = []
        for node, mode in self.modes.items():
            for call, guarded in self.calls_in(node):
                func = call.func
                if isinstance(func, ast.Name) and func.id in self.defs:
                    continue
                full = self.resolve(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
                if _held_call(func):  # self.memory.sample_batch(...), ReplayBuffer imported from the project
                    held = self.held_class(node, func.value.attr)
                    full = f"{held[0]}.{func.attr}" if held is not None and held[1] is None else None
                if full and not full.startswith(("tensorflow.", "numpy.", "keras.", "builtins.")):
                    out.append((node, call, full, mode.guarded or guarded))
        return out

    def calls_in(self, function: ast.AST) -> list[tuple[ast.Call, bool]]:
        """``_calls(function)``, walked once: following calls and each propagation ask again."""
        found = self._calls_in.get(function)
        if found is None:
            found = self._calls_in[function] = _calls(function, self.resolve)
        return found

    def _follow_calls(self, work: list[ast.AST] | None = None) -> None:
        """AutoGraph converts the user functions a converted function calls,
        with the same options; follow calls by name, and ``self.m()`` within a class."""
        work = list(self.modes) if work is None else work
        while work:
            node = work.pop()
            mode = self.modes[node]
            for call, guarded in self.calls_in(node):
                inherited = replace(mode, tensor_params=frozenset(), structures=frozenset(), guarded=mode.guarded or guarded)
                func = call.func
                if isinstance(func, ast.Name):
                    targets = [f for f in self.defs.get(func.id, []) if _visible(f, call)]
                elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
                    targets = [m for m in self.methods.get(func.attr, []) if self._same_class(m, node)]
                elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    # optimizer.apply_gradients(...) on a global made from a class of this module
                    cls = self.instances.get(func.value.id)
                    targets = [m for m in self.methods.get(func.attr, []) if self.class_of[m].name == cls]
                elif _held_call(func):
                    # self.memory.sample_batch(...) on an instance __init__ made from a class of this module
                    held = self.held_class(node, func.value.attr)
                    local = held[1] if held is not None else None
                    targets = [m for m in self.methods.get(func.attr, []) if self.class_of[m] is local is not None]
                else:
                    targets = []
                targets += self._passed_callbacks(call)
                for target in targets:
                    if target.name in NOT_FOLLOWED or target is node or not self._plain(target):
                        continue
                    before = self.modes.get(target)
                    eager_only = self._is_eager_only(target)
                    self._add(target, replace(inherited, autograph=False) if eager_only else inherited, root=False)
                    if before is None:
                        self.callers[target] = (node, call.lineno)
                    self.all_callers.setdefault(target, set()).add((node, call.lineno))
                    if self.modes[target] != before:
                        work.append(target)

    def _passed_callbacks(self, call: ast.Call) -> list[Function]:
        """Functions handed to TensorFlow from traced code run while tracing:
        ``tf.map_fn(f, xs)``, ``tf.cond(p, f, g)``, ``strategy.run(step_fn)``."""
        full = self.resolve(call.func) or ""
        strategy_run = isinstance(call.func, ast.Attribute) and call.func.attr in ("run", "experimental_run_v2")
        if not (strategy_run or full.startswith("tensorflow.")) or full.removeprefix("tensorflow.") in EAGER_WRAPPERS:
            return []
        if ".keras." in full:  # get_or_create_layer(name, builder): Keras calls the builder once, on purpose
            return []
        found: list[Function] = []
        for arg in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(arg, ast.Name) or (isinstance(arg, ast.Attribute) and dotted_name(arg)):
                found += [f for f in self._callables(arg, call) if not isinstance(f, ast.Lambda)]
        return found

    def _is_eager_only(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """``@tf.autograph.experimental.do_not_convert``: still traced, but as Python."""
        return any(
            (self.resolve(d) or "").endswith("autograph.experimental.do_not_convert") for d in node.decorator_list
        )


def _held_call(func: ast.AST) -> bool:
    """``self.x.m(...)``: a method of an object held in an attribute."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Attribute)
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id == "self"
    )


def _entry_tensor_params(node: Function, call: ast.Call | None) -> frozenset[str]:
    """The parameters of a function tf.function traces that hold tensors: all of its data
    parameters, unless the code shows a Python value (a default, use as ``range(n)``, left
    out of an ``input_signature``); annotations are read later, by FunctionFacts."""
    names = data_params(node)
    signature = _keyword(call, "input_signature") if call is not None else None
    if isinstance(signature, (ast.List, ast.Tuple)):
        names = names[: len(signature.elts)]
    positional = [*node.args.posonlyargs, *node.args.args]
    defaulted = {arg.arg for arg in positional[len(positional) - len(node.args.defaults):]} if node.args.defaults else set()
    ranged = {
        arg.id
        for n in walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "range"
        for arg in n.args if isinstance(arg, ast.Name)
    }
    return frozenset(names) - defaulted - ranged


def _visible(function: ast.AST, owner: ast.AST) -> bool:
    """Can code at ``owner`` (a call, a def) name ``function``?  A def nested in a function is
    seen only from inside that function: another function's ``body`` is not this one's."""
    scope = function.scope_
    if scope is None or isinstance(scope, ast.ClassDef):
        return True
    node = getattr(owner, "scope_", None)
    while node is not None and node is not scope:
        node = node.scope_
    return node is scope


def is_init_scope(expr: ast.AST, resolve: Resolve) -> bool:
    """``tf.init_scope()``, ``ops.init_scope()``: what runs under it is lifted out of the graph
    (variables made there are created once, eagerly), so it is guarded like create-once code."""
    full = resolve(expr.func) if isinstance(expr, ast.Call) else None
    return bool(full) and full.startswith("tensorflow.") and full.rsplit(".", 1)[-1] == "init_scope"


def _calls(function: Function, resolve: Resolve) -> list[tuple[ast.Call, bool]]:
    """Every call in ``function``, with whether it sits under a create-once guard or
    ``tf.init_scope()``."""
    out = []
    stack: list[tuple[ast.AST, bool]] = [(function, False)]
    while stack:
        node, guarded = stack.pop()
        if isinstance(node, ast.Call):
            out.append((node, guarded))
        if isinstance(node, ast.If) and (is_create_once_guard(node.test) or is_presence_test(node.test)):
            body_guarded = guarded or is_create_once_guard(node.test)
            else_guarded = guarded or is_presence_test(node.test)
            stack.extend((child, body_guarded) for child in node.body)
            stack.extend((child, else_guarded) for child in node.orelse)
            stack.append((node.test, guarded))
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(is_init_scope(i.context_expr, resolve) for i in node.items):
            stack.extend((child, guarded) for child in node.items)
            stack.extend((child, True) for child in node.body)
        else:
            for field in node._fields:  # ast.iter_child_nodes, inlined: a hot loop
                value = getattr(node, field, None)
                if isinstance(value, list):
                    stack.extend((child, guarded) for child in value if isinstance(child, ast.AST))
                elif isinstance(value, ast.AST):
                    stack.append((value, guarded))
    return out
