"""Every use of TensorFlow's private pieces, in one place.

AutoGraph's source map (``ag_source_map`` on a ``to_graph`` result, keyed by
``LineLocation`` with ``OriginInfo`` values) and the way ``tf.function`` wraps methods
(``python_function`` -> ``__wrapped__`` -> a method of ``TfMethodTarget``) are not public API.
``tests/test_tf_internals.py`` pins exactly what we rely on, so a TensorFlow upgrade that moves
them fails there first and loudly.
"""
from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from autoconv.fdcapture import silenced


def tensorflow() -> Any:
    """Import TensorFlow on first need, quietly: its C++ start-up chatter is not our output."""
    if "tensorflow" not in sys.modules:
        with silenced():
            import tensorflow

            tensorflow.config.list_physical_devices()  # device start-up logs (cuInit) now, while silenced
    return sys.modules["tensorflow"]


def is_tf_function(obj: Any) -> bool:
    """True for a ``tf.function`` object, without importing TensorFlow to ask."""
    return type(obj).__name__ == "Function" and hasattr(obj, "python_function") and (
        type(obj).__module__.startswith("tensorflow.")
    )


def unwrap_tf_function(obj: Any) -> tuple[Any, Any]:
    """The user's own function behind a ``tf.function``, and the instance a method is bound to.

    For a decorated method accessed through an instance, ``python_function`` is TensorFlow's
    ``bound_method_wrapper``; its ``__wrapped__`` is a method of a ``TfMethodTarget`` whose
    ``target`` is the user's instance and whose ``__func__`` is the user's method.
    """
    function = obj.python_function
    # Once the method has traced, TensorFlow points __wrapped__ at the converted function and
    # keeps the original under __original_wrapped__.
    wrapped = getattr(function, "__original_wrapped__", None) or getattr(function, "__wrapped__", None)
    if inspect.ismethod(wrapped) and type(wrapped.__self__).__name__ == "TfMethodTarget":
        return wrapped.__func__, wrapped.__self__.target
    return function, None


def is_composite_tensor(value: Any) -> bool:
    """True for any ``CompositeTensor`` (ExtensionTypes among them); TensorFlow exports the base
    class only under ``tf.__internal__``."""
    return isinstance(value, tensorflow().__internal__.CompositeTensor)


def to_graph(function: Any, *, recursive: bool, optional_features: Any) -> Any:
    tf = tensorflow()
    return tf.autograph.to_graph(
        function, recursive=recursive, experimental_optional_features=optional_features
    )


def source_map(converted: Any, original_first_line: int) -> dict[int, int]:
    """Converted line -> original line, both counted from 1 within their own snippet.

    ``ag_source_map`` keys lines of the generated module file; the converted function starts at
    its code object's first line there. The origins' file names are not trusted: AutoGraph
    caches conversions by code object, and code objects compare equal across files, so an
    identical function in a second file reuses the first file's map (pinned in the tests).
    """
    converted_first_line = converted.__code__.co_firstlineno
    line_map: dict[int, int] = {}
    for _, generated_line, origin_line in source_map_entries(converted):
        converted_line = generated_line - converted_first_line + 1
        original_line = origin_line - original_first_line + 1
        if converted_line >= 1 and original_line >= 1:
            line_map[converted_line] = original_line
    return dict(sorted(line_map.items()))


def source_map_entries(converted: Any) -> list[tuple[str, int, int]]:
    """(generated file, line in it, original file line) for each entry of ``ag_source_map``.

    The origins' file names are left out on purpose: they are not trusted (see ``source_map``).
    """
    return [(location.filename, location.lineno, origin.loc.lineno)
            for location, origin in converted.ag_source_map.items()]


# --- What `autoconv explain` hooks while a function traces --------------------------------------
# AutoGraph's generated code reaches its operators as attributes of one module object, ``ag__``,
# that the transpiler builds once (``PyToTF.get_extra_locals``); replacing an attribute there is
# seen by every generated function, and putting the original back undoes it. Every conversion
# goes through ``api._convert_actual``, which returns the converted function with its source map.


# The operators ``autoconv explain`` replaces, and the leading parameters its wrappers read:
# ``if_stmt(cond, body, orelse, ...)``, ``for_stmt(iter_, extra_test, body, ...)``,
# ``while_stmt(test, body, ...)``, ``and_(a, b)`` (thunks), ``not_(a)``, ``converted_call(f, ...)``,
# ``ld(v)``. ``tests/test_tf_internals.py`` pins these parameter names.
AUTOGRAPH_OPERATORS = ("if_stmt", "if_exp", "for_stmt", "while_stmt", "and_", "or_", "not_", "converted_call", "ld")


def autograph_operators() -> Any:
    """The ``ag__`` module object generated code reads its operators from."""
    from tensorflow.python.autograph.impl import api

    return api._TRANSPILER.get_extra_locals()["ag__"]


def _autograph_api() -> Any:
    """The module whose ``_convert_actual`` converts every function AutoGraph converts."""
    from tensorflow.python.autograph.impl import api

    return api


def current_converter() -> Callable[..., Any]:
    """The function every AutoGraph conversion goes through right now (``api._convert_actual``)."""
    return _autograph_api()._convert_actual


@contextmanager
def operators_replaced(wrappers: Mapping[str, Callable[[Callable[..., Any]], Callable[..., Any]]]) -> Iterator[None]:
    """For the duration, generated code calls ``wrappers[name](original)`` instead of ``ag__.name``.

    Every original is put back on the way out, whatever happened inside.
    """
    operators = autograph_operators()
    originals = {name: getattr(operators, name) for name in wrappers}
    replacements = {name: wrap(originals[name]) for name, wrap in wrappers.items()}
    try:
        for name, replacement in replacements.items():
            setattr(operators, name, replacement)
        yield
    finally:
        for name, original in originals.items():
            setattr(operators, name, original)


@contextmanager
def conversions_observed(observe: Callable[[Any, Any], None]) -> Iterator[None]:
    """For the duration, ``observe(entity, converted)`` after each function AutoGraph converts
    (``converted`` carries ``ag_source_map``; see ``source_map_entries``)."""
    api = _autograph_api()
    original = api._convert_actual

    def convert_actual(entity: Any, program_ctx: Any) -> Any:
        converted = original(entity, program_ctx)
        observe(entity, converted)
        return converted

    api._convert_actual = convert_actual
    try:
        yield
    finally:
        api._convert_actual = original


def forwarding_codes() -> frozenset[Any]:
    """Code objects of the AutoGraph frames that only forward a user's call to its callee.

    A builtin the user's code calls through ``converted_call`` may be called from one of these
    (``_call_unconverted``, and the ``print``/``next`` overloads when no tensor is involved), so
    a profile hook watching them and generated code sees what the user's code really called.
    """
    from tensorflow.python.autograph.impl import api
    from tensorflow.python.autograph.operators import py_builtins

    return frozenset({api._call_unconverted.__code__, py_builtins._py_print.__code__,
                      py_builtins.next_py.__code__})


def fresh_tf_function(function: Any) -> Any:
    """A new ``tf.function`` with ``function``'s own settings and an empty trace cache.

    ``Function._clone`` keeps ``input_signature``, ``autograph``, ``jit_compile``,
    ``reduce_retracing``, ``experimental_attributes`` and ``experimental_autograph_options``;
    a clone traces afresh, so explaining never reads (or fills) the user's own cache. The clone
    lacks the decorator wrapping ``tf.function`` adds, so ``__wrapped__`` is set for
    ``inspect.signature`` to find the user's parameters.
    """
    clone = function._clone(None)
    clone.__wrapped__ = getattr(function, "__wrapped__", function.python_function)
    return clone


def library_graphs(graph: Any) -> list[Any]:
    """Every FuncGraph a traced graph calls (loop bodies, branches, nested functions), recursively.

    A graph keeps the functions its ops call in ``_functions`` (name -> AtomicFunction), and an
    AtomicFunction keeps the FuncGraph it was traced from as ``graph``; that graph's ops still
    carry their ``traceback``, which the GraphDef of the library has lost.
    """
    found: list[Any] = []
    seen: set[int] = {id(graph)}
    pending = [graph]
    while pending:
        for function in list(getattr(pending.pop(), "_functions", {}).values()):
            inner = getattr(function, "graph", None)
            if inner is not None and id(inner) not in seen:
                seen.add(id(inner))
                found.append(inner)
                pending.append(inner)
    return found


# ---------------------------------------------------------------- process state a sample can change

# Module-level switches behind public calls that have no "undo": experimental_enable_numpy_behavior
# sets the first three, tf.experimental.numpy's float64 rule the last.
_SWITCHES = (
    ("tensorflow.python.framework.ops", "_dtype_conversion_mode"),
    ("tensorflow.python.framework.ops", "_numpy_style_slicing"),
    ("tensorflow.python.ops.numpy_ops.np_dtypes", "_prefer_float32"),
    ("tensorflow.python.ops.numpy_ops.np_dtypes", "_allow_float64"),
    # tf.compat.v1.disable_v2_tensorshape / enable_v2_tensorshape
    ("tensorflow.python.framework.tensor_shape", "_TENSORSHAPE_V2_OVERRIDE"),
    # tf.autograph.set_verbosity(level, alsologtostdout)
    ("tensorflow.python.autograph.utils.ag_logging", "verbosity_level"),
    ("tensorflow.python.autograph.utils.ag_logging", "echo_log_to_stdout"),
)


_api_modules: list[Any] = []


def state_modules() -> list[Any]:
    """TensorFlow's public API modules (``tf``, ``tf.random``, ...), whose attributes samples replace.

    Importing TensorFlow imports them all, so they are listed once: this runs before and after
    every side of a check.
    """
    if "tensorflow" not in sys.modules:
        return []
    if not _api_modules:
        _api_modules.extend(module for name, module in list(sys.modules.items())
                            if module is not None and (name == "tensorflow" or name.startswith("tensorflow._api.v2.")))
    return _api_modules


_tensor_classes: list[Any] = []


def state_classes() -> list[Any]:
    """Classes that public calls and samples patch: numpy behaviour adds methods to ``tf.Tensor``,
    a sample to ``type(x)``, which is the eager tensor class or, while tracing, the symbolic one.
    ``tf.Tensor`` and every subclass TensorFlow has made by the first call are listed once."""
    if "tensorflow" not in sys.modules:
        return []
    if not _tensor_classes:
        from tensorflow.python.framework import tensor

        pending = [tensor.Tensor]
        while pending:
            cls = pending.pop()
            if cls not in _tensor_classes and cls.__module__.startswith("tensorflow."):
                _tensor_classes.append(cls)
                pending += cls.__subclasses__()
    return _tensor_classes


def switches() -> list[tuple[str, Any, Any]]:
    """(name, read, write) for each private switch in ``_SWITCHES`` that this TensorFlow has."""
    found = []
    for module_name, attribute in _SWITCHES:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, attribute):
            found.append((f"{module_name}.{attribute}",
                          lambda m=module, a=attribute: getattr(m, a),
                          lambda value, m=module, a=attribute: setattr(m, a, value)))
    return found


def _write_optimizer_options(saved: dict[str, Any]) -> None:
    # ``set_optimizer_experimental_options`` only updates the context's dict: an option switched
    # off stays off after writing ``{}``. The dict is replaced whole, and the cached call options
    # dropped, as the public setter does.
    from tensorflow.python.eager import context

    ctx = context.context()
    ctx._optimizer_experimental_options = dict(saved)
    ctx._thread_local_data.function_call_options = None


def _write_soft_placement(saved: bool | None) -> None:
    # ``None`` is "never set" (TensorFlow's default, soft placement on); the public setter
    # can only write an explicit True, which is not the same configuration.
    from tensorflow.python.eager import context

    ctx = context.context()
    ctx.soft_device_placement = True if saved is None else saved
    ctx._soft_device_placement = saved


def _write_determinism(enabled: bool) -> None:
    from tensorflow.python.framework import config

    config.enable_op_determinism() if enabled else config.disable_op_determinism()


def config_settings() -> list[tuple[str, Any, Any]]:
    """(name, read, write) for TensorFlow's runtime configuration a sample may change, each read
    as the context holds it (not as the public getters summarise it) and written back exactly."""
    if "tensorflow" not in sys.modules:
        return []
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    tf = tensorflow()
    return [
        ("tf.config optimizer options", lambda: dict(context.context()._optimizer_experimental_options),
         _write_optimizer_options),
        ("tf.config soft device placement", lambda: context.context()._soft_device_placement, _write_soft_placement),
        ("tf.config op determinism", config.is_op_determinism_enabled, _write_determinism),
        ("tf.config synchronous execution", config.get_synchronous_execution, config.set_synchronous_execution),
        ("tf.config.functions_run_eagerly", tf.config.functions_run_eagerly, tf.config.run_functions_eagerly),
    ]


def _keras_global_state() -> Any:
    module = sys.modules.get("keras.src.backend.common.global_state")
    return getattr(module, "GLOBAL_STATE_TRACKER", None)


def _read_keras_global_state() -> dict[str, Any]:
    tracker = _keras_global_state()
    # Copies, one level down: the name counters are a dict the next layer updates in place.
    return {key: copy.copy(value) for key, value in vars(tracker).items()}


def _write_keras_global_state(saved: dict[str, Any]) -> None:
    state = vars(_keras_global_state())
    state.clear()
    state.update({key: copy.copy(value) for key, value in saved.items()})


def keras_settings() -> list[tuple[str, Any, Any]]:
    """(name, read, write) for Keras 3's global state: the counters that name layers (``dense``,
    ``dense_1``), the name scope stack and the current call context.

    Each side of a check imports the sample afresh, so without this the graph side's layers
    would be named after the eager side's (``dense_1`` where a fresh process says ``dense``),
    and a name read by the sample would differ with what ran before. ``keras.backend.clear_session``
    empties the same object, but also frees memory and resets the seed generator and the
    Functional model graph; only its contents as they were are put back.
    """
    if _keras_global_state() is None:
        return []
    return [("keras global state (layer name counters)", _read_keras_global_state, _write_keras_global_state)]


def unrestorable_state() -> dict[str, Any]:
    """State in TensorFlow's C++ runtime that no call puts back: compared before and after a side."""
    if "tensorflow" not in sys.modules:
        return {}
    from tensorflow.python.eager import context

    return {
        "eager execution": context.executing_eagerly(),
        "op callbacks (tf.debugging.enable_check_numerics, dumping)": len(context.context().op_callbacks),
    }
