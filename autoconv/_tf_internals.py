"""Every use of TensorFlow's private pieces, in one place.

AutoGraph's source map (``ag_source_map`` on a ``to_graph`` result, keyed by
``LineLocation`` with ``OriginInfo`` values) and the way ``tf.function`` wraps methods
(``python_function`` -> ``__wrapped__`` -> a method of ``TfMethodTarget``) are not public API.
``tests/test_tf_internals.py`` pins exactly what we rely on, so a TensorFlow upgrade that moves
them fails there first and loudly.
"""
from __future__ import annotations

import inspect
import sys
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
    for location, origin in converted.ag_source_map.items():
        converted_line = location.lineno - converted_first_line + 1
        original_line = origin.loc.lineno - original_first_line + 1
        if converted_line >= 1 and original_line >= 1:
            line_map[converted_line] = original_line
    return dict(sorted(line_map.items()))


def versions() -> str:
    return tensorflow().__version__
