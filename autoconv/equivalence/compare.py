"""When two results are "the same", and how to show a value in a report.

The rules are part of the check's contract: tensors compare as numpy, floats with
``allclose(rtol=1e-6, atol=0, equal_nan=True)``, ints, bools and strings exactly, bytes as UTF-8
text, containers by structure (a tuple equals a list with the same items), shapes must match.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

REPR_LIMIT = 400


def _as_plain(value: Any) -> Any:
    """Tensors and variables become numpy; bytes become text; everything else is left alone."""
    numpy_method = getattr(value, "numpy", None)
    if callable(numpy_method) and hasattr(value, "dtype"):
        try:
            value = numpy_method()
        except Exception:  # a symbolic tensor that leaked out of a graph has no value
            return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return value


def snapshot(value: Any) -> Any:
    """Freeze a result now: a returned tf.Variable would otherwise change under a later call."""
    if isinstance(value, Mapping):
        return {key: snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [snapshot(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    return _as_plain(value)


def _decode_array(array: np.ndarray) -> np.ndarray:
    if array.dtype.kind in "SO":
        return np.vectorize(lambda v: v.decode("utf-8", "replace") if isinstance(v, bytes) else v,
                            otypes=[object])(array) if array.size else array.astype(object)
    return array


def _arrays_equal(left: Any, right: Any) -> bool:
    try:
        a, b = _decode_array(np.asarray(left)), _decode_array(np.asarray(right))
    except Exception:
        return False
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        try:
            return bool(np.allclose(a, b, rtol=1e-6, atol=0, equal_nan=True))
        except TypeError:
            return False
    return bool(np.array_equal(a, b))


def _is_array_like(value: Any) -> bool:
    return isinstance(value, (np.ndarray, np.generic))


def values_equal(left: Any, right: Any) -> bool:
    left, right = _as_plain(left), _as_plain(right)
    if _is_array_like(left) or _is_array_like(right):
        return _arrays_equal(left, right)
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(values_equal(left[k], right[k]) for k in left)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        return len(left) == len(right) and all(values_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, float) and isinstance(right, float):
        return (math.isnan(left) and math.isnan(right)) or _arrays_equal(left, right)
    try:
        return bool(left == right)
    except Exception:  # an == that raises or returns something without a truth value
        return False


def _shorten(text: str) -> str:
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 1] + "…"


def describe(value: Any) -> str:
    """A short repr for reports; a repr that raises is itself worth reporting, not fatal."""
    try:
        return _shorten(repr(value))
    except Exception as error:
        return f"<unprintable {type(value).__name__}: {type(error).__name__}>"


def _python_content(value: Any) -> Any:
    plain = _as_plain(value)
    content = plain.tolist() if hasattr(plain, "tolist") else plain
    return _decode_nested(content)


def _decode_nested(content: Any) -> Any:
    if isinstance(content, list):
        return [_decode_nested(item) for item in content]
    return content.decode("utf-8", "replace") if isinstance(content, bytes) else content


def describe_argument(value: Any) -> str:
    """An argument as the user would have written it: ``tf.constant(5)`` rather than a repr."""
    kind = type(value).__name__
    if kind == "EagerTensor":
        dtype = value.dtype.name
        suffix = "" if dtype in ("int32", "float32", "string", "bool") else f", tf.{dtype}"
        return _shorten(f"tf.constant({_python_content(value)!r}{suffix})")
    if kind == "ResourceVariable":
        return _shorten(f"tf.Variable({_python_content(value)!r})")
    return describe(value)


def describe_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [describe_argument(a) for a in args]
    parts += [f"{key}={describe_argument(value)}" for key, value in kwargs.items()]
    return ", ".join(parts)
