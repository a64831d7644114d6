"""Facts gathered while a function traces: what each AutoGraph operator did, at which user line.

For the duration of one call, ``Recorder.hooks()`` replaces AutoGraph's operators on the ``ag__``
module generated code reads them from and observes every conversion with its source map (both
through ``_tf_internals``, the only door to TensorFlow's privates), watches what a builtin the
user's code calls does with ``sys.setprofile`` (on only while such a call runs, and reading only
the AutoGraph frames that forward it, so tracing elsewhere runs at full speed), and sees variable
creation through ``tf.variable_creator_scope``; all of it is put back on the way out. An operator's
call site is its caller's frame, a line of generated code, mapped to the user's line through
AutoGraph's own source map. Whether a loop or branch was staged is read from where its body ran:
staged bodies trace inside a new FuncGraph, Python ones run in the graph being traced.
"""
from __future__ import annotations

import ast
import builtins
import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from autoconv import _tf_internals
from autoconv.conversion import dedent_source
from autoconv.equivalence.messages import shown_path
from autoconv.explanation.effects import effect_of
from autoconv.graph_reading import functions_of
from autoconv.model.explanation import ConvertedFunction, Effect, Statement

Site = tuple[str, int]  # (the user's file, the file's line number)
PRIORITY = ("for", "while", "if", "ifexp", "and", "or", "not")  # which statement a line shows


def function_source(function: Any) -> tuple[str | None, int, list[str]]:
    """(file, line of the ``def``, source lines from the ``def`` on): decorators such as
    ``@sample(...)`` are the declaration, not the function, as in the other views."""
    try:
        lines, first = inspect.getsourcelines(function)
        filename = inspect.getsourcefile(function)
    except (OSError, TypeError):
        return None, 0, []
    try:
        node = ast.parse(dedent_source("".join(lines))).body[0]
    except (SyntaxError, IndexError):  # a lambda's line is not a statement of its own
        node = None
    skipped = node.lineno - 1 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else 0
    return filename, max(first, 1) + skipped, lines[skipped:]


def function_span(function: Any) -> tuple[str | None, int, int]:
    """(file, line of the ``def``, last line); (None, 0, 0) without source."""
    filename, first, lines = function_source(function)
    return (filename, first, first + len(lines) - 1) if filename else (None, 0, 0)


class _Body:
    """A loop body or branch that counts its runs and notices when it runs in a new graph (staged)."""

    def __init__(self, function: Callable[..., Any], outer_graph: Any, default_graph: Callable[[], Any]) -> None:
        self.function, self.outer_graph, self.default_graph = function, outer_graph, default_graph
        self.calls = 0
        self.staged = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.default_graph() is not self.outer_graph:
            self.staged = True
        return self.function(*args, **kwargs)


def outermost_graph(graph: Any) -> Any:
    """The graph of the trace ``graph`` belongs to: loop bodies and branches nest in it."""
    while getattr(getattr(graph, "outer_graph", None), "outer_graph", None) is not None:
        graph = graph.outer_graph
    return graph


def _python_iterator(call_arguments: tuple[Any, ...]) -> bool:
    """Whether ``next(...)``'s iterator is a Python one (a tf.data iterator's next is staged)."""
    positional = call_arguments[0] if call_arguments else ()
    return bool(positional) and not type(positional[0]).__module__.startswith("tensorflow")


def _python_kind(value: Any) -> str:
    return f"a Python {type(value).__name__}"


class Recorder:
    """Collects statements, effects and conversions, keyed by user line, while hooks are active."""

    def __init__(self) -> None:
        self.tf = _tf_internals.tensorflow()
        self.source_map: dict[Site, Site] = {}
        self.generated_files: set[str] = set()
        self.converted: dict[Site, ConvertedFunction] = {}
        self.converted_objects: dict[Site, Any] = {}  # the functions themselves, for views of helpers
        self.statements: dict[Site, Statement] = {}
        self.bodies: dict[Site, list[str]] = {}  # library functions a staged statement runs
        self.effects: dict[Site, list[Effect]] = {}
        self.call_sites: list[Site | None] = []
        self.forwarding = _tf_internals.forwarding_codes()
        self.graphs: dict[int, Any] = {}  # every graph the hooks ran in, in order: a failed trace's facts
        self.def_lines: set[Site] = set()  # AutoGraph's own guards (``if not do_return``) map here

    # --- where a call came from ---------------------------------------------------------------
    def site_of(self, frame: Any) -> Site | None:
        return self.source_map.get((frame.f_code.co_filename, frame.f_lineno))

    def innermost_site(self) -> Site | None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename in self.generated_files:
                return self.site_of(frame)
            frame = frame.f_back
        return None

    def add_effect(self, site: Site | None, what: str, detail: str) -> None:
        if site is None:
            return
        effects = self.effects.setdefault(site, [])
        if all((effect.what, effect.detail) != (what, detail) for effect in effects):
            effects.append(Effect(what, detail))

    def _graph(self) -> Any:
        graph = self.tf.compat.v1.get_default_graph()
        self.graphs.setdefault(id(graph), graph)
        return graph

    def _record(self, site: Site, statement: Statement, graph: Any, ops_before: int) -> None:
        """One statement per line: the first run of the outermost kind (an ``if`` over an ``and``).

        The ops that implement a staged statement are the ones it made that call functions.
        """
        if site in self.def_lines and statement.kind in ("if", "not"):
            return  # AutoGraph's return guard (``if not do_return``), not a statement of the user's
        # every run while this call traced, a first call that creates variables tracing twice included
        known = self.statements.get(site)
        if known is not None and known.kind == statement.kind and statement.python and known.python \
                and "iterations" in known.python:
            known.python.setdefault("runs", [known.python["iterations"]]).append(statement.python["iterations"])
            return  # one more Python run of the same loop (a helper called again)
        if known is not None and known.kind == statement.kind and statement.python and known.python \
                and "branch" in known.python:
            known.python.setdefault("runs", [known.python["branch"]]).append(statement.python["branch"])
            return  # the same Python if, run again (in an unrolled loop, or a helper called again)
        if known is not None and PRIORITY.index(known.kind) <= PRIORITY.index(statement.kind):
            return
        created = graph.get_operations()[ops_before:]
        implementing = [op for op in created if functions_of(op.node_def)]
        if statement.staged and not implementing and statement.kind == "not":
            implementing = [op for op in created if op.type == "LogicalNot"]
        statement.ops = [op.type for op in implementing] if statement.staged else []
        self.bodies[site] = [name for op in implementing for key, name in functions_of(op.node_def).items()
                             if key.split("[")[0] in ("body", "then_branch", "else_branch", "branches", "f")]
        self.statements[site] = statement

    # --- the wrapped operators ------------------------------------------------------------------
    def _wrap_if(self, original: Callable[..., Any], kind: str) -> Callable[..., Any]:
        def if_operator(cond: Any, body: Any, orelse: Any, *rest: Any) -> Any:
            site = self.site_of(sys._getframe(1))
            if site is None:
                return original(cond, body, orelse, *rest)
            graph = self._graph()
            before = len(graph.get_operations())
            main, other = _Body(body, graph, self._graph), _Body(orelse, graph, self._graph)
            result = original(cond, main, other, *rest)
            staged = main.staged or other.staged
            if staged:
                statement = Statement(kind, True, reason="the condition is a tensor")
            else:
                branch = "if" if main.calls else "else"
                statement = Statement(kind, False, python={"branch": branch}, reason=(
                    f"the condition is {_python_kind(cond)}: only the {branch} branch ran, while tracing"))
            self._record(site, statement, graph, before)
            return result

        return if_operator

    def _wrap_for(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def for_stmt(iter_: Any, extra_test: Any, body: Any, *rest: Any) -> Any:
            site = self.site_of(sys._getframe(1))
            if site is None:
                return original(iter_, extra_test, body, *rest)
            graph = self._graph()
            before = len(graph.get_operations())
            counted = _Body(body, graph, self._graph)
            result = original(iter_, extra_test, counted, *rest)
            if counted.staged:
                statement = Statement("for", True, reason=self._staged_iterable(iter_))
            else:
                statement = Statement("for", False, python={"iterations": counted.calls},
                                      reason=self._python_iterable(iter_, site))
            self._record(site, statement, graph, before)
            return result

        return for_stmt

    def _staged_iterable(self, iterable: Any) -> str:
        if self.tf.is_tensor(iterable):
            made_by = getattr(getattr(iterable, "op", None), "type", None)
            return "iterates a tensor made by tf.range" if made_by == "Range" else "iterates a tensor"
        if isinstance(iterable, self.tf.data.Dataset):
            return "iterates a tf.data.Dataset"
        return f"iterates {type(iterable).__name__}, which AutoGraph stages"

    def _python_iterable(self, iterable: Any, site: Site) -> str:
        if isinstance(iterable, range):
            return f"iterates a Python range of {len(iterable)}: unrolled"
        if iter(iterable) is iterable:
            self.add_effect(site, "python-iterator", f"iterates a Python {type(iterable).__name__} while tracing")
            return "iterates a Python iterator: unrolled, and the iterator is used up while tracing"
        size = len(iterable) if hasattr(iterable, "__len__") else "?"
        return f"iterates a Python {type(iterable).__name__} of {size}: unrolled"

    def _wrap_while(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def while_stmt(test: Any, body: Any, *rest: Any) -> Any:
            site = self.site_of(sys._getframe(1))
            if site is None:
                return original(test, body, *rest)
            graph = self._graph()
            before = len(graph.get_operations())
            counted = _Body(body, graph, self._graph)
            result = original(test, counted, *rest)
            if counted.staged:
                statement = Statement("while", True, reason="the condition is a tensor")
            else:
                statement = Statement("while", False, python={"iterations": counted.calls},
                                      reason="the condition is a Python value: unrolled")
            self._record(site, statement, graph, before)
            return result

        return while_stmt

    def _wrap_boolean(self, original: Callable[..., Any], kind: str) -> Callable[..., Any]:
        def boolean_operator(left: Any, right: Any) -> Any:
            site = self.site_of(sys._getframe(1))
            if site is None:
                return original(left, right)
            graph = self._graph()
            before = len(graph.get_operations())
            seen: list[Any] = []

            def first_operand() -> Any:
                seen.append(left())
                return seen[-1]

            result = original(first_operand, right)
            staged = bool(seen) and self.tf.is_tensor(seen[0])
            reason = "the first operand is a tensor" if staged else (
                f"the first operand is {_python_kind(seen[0]) if seen else 'a Python value'}: evaluated in Python")
            self._record(site, Statement(kind, staged, reason=reason), graph, before)
            return result

        return boolean_operator

    def _wrap_not(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def not_(value: Any) -> Any:
            site = self.site_of(sys._getframe(1))
            if site is None:
                return original(value)
            graph = self._graph()
            before = len(graph.get_operations())
            result = original(value)
            staged = self.tf.is_tensor(value)
            reason = "the operand is a tensor" if staged else f"the operand is {_python_kind(value)}: evaluated in Python"
            self._record(site, Statement("not", staged, reason=reason), graph, before)
            return result

        return not_

    def _wrap_converted_call(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def converted_call(f: Any, *rest: Any, **options: Any) -> Any:
            site = self.site_of(sys._getframe(1))
            if site is not None:
                self._graph()
            if site is not None and f is not builtins.print:
                # print is an effect only when AutoGraph calls the builtin itself rather than an
                # overload registered for its arguments: the profile hook sees whether it did
                effect = effect_of(f) if f is not builtins.next or _python_iterator(rest) else None
                if effect:
                    self.add_effect(site, *effect)
            self.call_sites.append(site)
            # A builtin is called from AutoGraph's forwarding frames; only then is the profile hook
            # on, so the rest of tracing runs at full speed.
            watched = site is not None and inspect.isbuiltin(f)
            previous_profile = sys.getprofile()
            if watched:
                sys.setprofile(self._profile)
            try:
                return original(f, *rest, **options)
            finally:
                if watched:
                    sys.setprofile(previous_profile)
                self.call_sites.pop()

        return converted_call

    def _wrap_load(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """AutoGraph leaves ``print(...)`` a direct call, ``ag__.ld(print)(...)``: the load says it."""
        def ld(value: Any) -> Any:
            if value is builtins.print:
                self.add_effect(self.site_of(sys._getframe(1)), "print", "print")
            return original(value)

        return ld

    def _observe_conversion(self, entity: Any, converted: Any) -> None:
        filename, first, last = function_span(entity)
        if filename is not None:
            self._learn(converted, entity, filename, first, last)

    def _learn(self, converted: Any, entity: Any, filename: str, first: int, last: int) -> None:
        """Remember a conversion's source map; origin file names are not trusted (see source_map)."""
        generated = converted.__code__.co_filename
        self.generated_files.add(generated)
        for generated_file, generated_line, original_line in _tf_internals.source_map_entries(converted):
            self.source_map[(generated_file, generated_line)] = (filename, original_line)
        name = getattr(entity, "__qualname__", getattr(entity, "__name__", "?"))
        self.def_lines.add((filename, first))
        self.converted.setdefault((filename, first), ConvertedFunction(
            name, f"{shown_path(filename)}:{first}", filename, first, last))
        self.converted_objects.setdefault((filename, first), entity)

    def _profile(self, frame: Any, event: str, argument: Any) -> None:
        if event != "c_call":
            return
        if frame.f_code not in self.forwarding or not self.call_sites:
            return
        effect = effect_of(argument)
        if effect:
            self.add_effect(self.call_sites[-1], *effect)

    def _variable_creator(self, next_creator: Callable[..., Any], **kwargs: Any) -> Any:
        site = (self.call_sites[-1] if self.call_sites else None) or self.innermost_site()
        self.add_effect(site, "variable-creation", f"tf.Variable {kwargs.get('name') or ''}".rstrip())
        return next_creator(**kwargs)

    @contextmanager
    def hooks(self) -> Iterator[None]:
        wrappers: dict[str, Callable[[Callable[..., Any]], Callable[..., Any]]] = {
            "if_stmt": lambda original: self._wrap_if(original, "if"),
            "if_exp": lambda original: self._wrap_if(original, "ifexp"),
            "for_stmt": self._wrap_for,
            "while_stmt": self._wrap_while,
            "and_": lambda original: self._wrap_boolean(original, "and"),
            "or_": lambda original: self._wrap_boolean(original, "or"),
            "not_": self._wrap_not,
            "converted_call": self._wrap_converted_call,
            "ld": self._wrap_load,
        }
        with ExitStack() as stack:
            stack.enter_context(_tf_internals.operators_replaced(wrappers))
            stack.enter_context(_tf_internals.conversions_observed(self._observe_conversion))
            stack.enter_context(self.tf.variable_creator_scope(self._variable_creator))
            yield
