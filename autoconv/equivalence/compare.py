"""When two results are "the same" (the check's contract, protocol v2), and how to show a value.

Values are frozen first (``snapshot``), next to the real objects, then compared by these rules:

* tensors, variables and NumPy values are arrays **with their dtype**: they agree only with the same
  dtype and shape, then floats and complex by ``allclose(rtol=1e-6, atol=0, equal_nan=True)``,
  everything else exactly;
* a Python scalar against a 0-d tensor (eager gives ``10``, the graph a tensor) agrees when both are of
  the same kind (bool, int, float, complex, string) and equal; the type change is recorded, not judged;
* two Python scalars: the same kind (a bool is not an int), then equal; ``bytes`` compare as bytes and
  a ``str`` against ``bytes`` by its UTF-8 encoding;
* composite tensors by their parts, containers by structure;
* anything else by ``==``; an ``==`` that raises or gives no bool means "cannot compare".
"""
from __future__ import annotations

import dataclasses
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autoconv import _tf_internals

REPR_LIMIT = 400
DATASET_ELEMENTS = 16  # a returned tf.data.Dataset compares by its element spec and this many first elements
ARGUMENT_ELEMENTS_SHOWN = 16  # a bigger tensor argument is shown by its shape and dtype
RTOL = 1e-6

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")


@dataclass(frozen=True)
class ArrayValue:
    """A tensor, variable or NumPy value, frozen: its values and the dtype they had."""

    array: np.ndarray
    dtype: str
    origin: str  # "tensor", "variable" or "NumPy value": how it is named in a type change

    @property
    def label(self) -> str:
        return f"{self.dtype} {self.origin}"


@dataclass(frozen=True)
class CompositeValue:
    """A composite tensor (SparseTensor, RaggedTensor, an ExtensionType...), an Optional, a Dataset
    or a TensorArray, as its named parts."""

    kind: str
    parts: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Unreadable:
    """A value with no contents to compare, such as a symbolic tensor that leaked out of a graph."""

    description: str


class CannotCompare(Exception):
    """Raised inside the comparison; the case becomes a mismatch that says why."""


@dataclass
class Comparison:
    equal: bool
    reason: str = ""
    type_changes: list[str] = field(default_factory=list)

    @property
    def type_change(self) -> str | None:
        return "; ".join(self.type_changes) if self.type_changes else None


# ---------------------------------------------------------------- freezing results


def _tensorflow() -> Any:
    return sys.modules.get("tensorflow")


def _spec(value: Any) -> str:
    """A value's type spec as text: each side loads its own copy of a user's class, so two specs
    of one ExtensionType compare by what they say, not by identity."""
    return without_addresses(repr(_tensorflow().type_spec_from_value(value)))


def _composite_parts(value: Any) -> tuple[str, dict[str, Any]] | None:
    """(kind, named parts) of a composite value, or None when ``value`` is not one."""
    tf = _tensorflow()
    if tf is None:
        return None
    if isinstance(value, tf.SparseTensor):
        return "SparseTensor", {"indices": value.indices, "values": value.values, "dense_shape": value.dense_shape}
    if isinstance(value, tf.RaggedTensor):
        return "RaggedTensor", {"flat_values": value.flat_values, "row_splits": list(value.nested_row_splits)}
    if isinstance(value, tf.IndexedSlices):
        return "IndexedSlices", {"values": value.values, "indices": value.indices, "dense_shape": value.dense_shape}
    if isinstance(value, tf.TensorArray):
        return "TensorArray", {"stacked": value.stack()}
    if isinstance(value, tf.data.Dataset):
        return "Dataset", {"element_spec": without_addresses(repr(value.element_spec)),
                           f"first {DATASET_ELEMENTS} elements": list(value.take(DATASET_ELEMENTS))}
    if isinstance(value, tf.experimental.Optional):
        present = bool(value.has_value())
        return "Optional", {"has_value": present, "value": value.get_value() if present else None}
    if _tf_internals.is_composite_tensor(value) and not callable(getattr(value, "numpy", None)):
        # ExtensionTypes and the rest by parts and type spec; a variable (also composite) is an array
        parts = tf.nest.flatten(value, expand_composites=True)
        return type(value).__name__, {"spec": _spec(value), **{f"[{i}]": part for i, part in enumerate(parts)}}
    return None


def _composite(value: Any) -> CompositeValue | None:
    """The parts of a composite value, frozen, or None when ``value`` is not one."""
    found = _composite_parts(value)
    if found is None:
        return None
    kind, parts = found
    return CompositeValue(kind, tuple((k, snapshot(v)) for k, v in parts.items()))


def _array(value: Any) -> ArrayValue | Unreadable | None:
    if isinstance(value, (np.ndarray, np.generic)):
        return ArrayValue(np.asarray(value), value.dtype.name, "NumPy value")
    dtype = getattr(value, "dtype", None)
    numpy_method = getattr(value, "numpy", None)
    if dtype is None or not callable(numpy_method) or not hasattr(dtype, "name"):
        return None
    try:
        array = np.asarray(numpy_method())
    except Exception:  # a symbolic tensor that leaked out of a graph has no value
        return Unreadable(f"symbolic {type(value).__name__} {getattr(value, 'name', '')}".strip())
    origin = "variable" if "Variable" in type(value).__name__ else "tensor"
    return ArrayValue(array, dtype.name, origin)


def snapshot(value: Any) -> Any:
    """Freeze a result now: a returned tf.Variable would otherwise change under a later call."""
    try:
        return _snapshot(value, set())
    except RecursionError:
        return Unreadable(f"a {type(value).__name__} nested too deeply to read")
    except Exception as error:  # a user type that misbehaves while it is read
        return Unreadable(f"{type(value).__name__} ({type(error).__name__} reading it)")


def _snapshot(value: Any, open_containers: set[int]) -> Any:
    if isinstance(value, (Mapping, list, tuple)):
        if id(value) in open_containers:
            return Unreadable(f"a {type(value).__name__} that contains itself")
        open_containers.add(id(value))
        try:
            if isinstance(value, Mapping):
                return {key: _snapshot(item, open_containers) for key, item in value.items()}
            items = [_snapshot(item, open_containers) for item in value]
            try:
                return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
            except Exception:  # a subclass whose constructor takes other arguments: its items still compare
                return tuple(items) if isinstance(value, tuple) else items
        finally:
            open_containers.discard(id(value))
    try:
        frozen = _composite(value) or _array(value)
    except Exception as error:  # a composite whose parts cannot be read
        return Unreadable(f"{type(value).__name__} ({type(error).__name__} reading it)")
    return value if frozen is None else frozen


# ---------------------------------------------------------------- comparing frozen results


def _dtype_kind(dtype: str) -> str:
    if dtype == "bool":
        return "bool"
    if dtype.startswith(("int", "uint", "qint", "quint")):
        return "int"
    if dtype.startswith(("float", "bfloat", "half")):
        return "float"
    if dtype.startswith("complex"):
        return "complex"
    if dtype in ("string", "object") or dtype.startswith(("bytes", "str")):
        return "string"
    return dtype


def _scalar_kind(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, complex):
        return "complex"
    if isinstance(value, (str, bytes, bytearray)):
        return "string"
    return None


def _as_bytes(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8")
    return bytes(value) if isinstance(value, bytearray) else value


def _close(left: Any, right: Any) -> bool:
    """Within the tolerance; infinities equal only themselves (inf - inf is nan), NaN equals NaN."""
    both_nan = all(isinstance(v, (float, complex)) and _isnan(v) for v in (left, right))
    if both_nan or left == right:
        return True
    if any(math.isinf(part) for v in (left, right) for part in (v.real, v.imag)):
        return False  # inf - (-inf) is inf, within any relative tolerance of inf
    return abs(left - right) <= RTOL * abs(right)


def _isnan(value: float | complex) -> bool:
    return math.isnan(value.real) or math.isnan(value.imag) if isinstance(value, complex) else math.isnan(value)


def _scalars_equal(kind: str, left: Any, right: Any) -> bool:
    if kind == "string":
        return _as_bytes(left) == _as_bytes(right)
    if kind in ("float", "complex"):
        return _close(left, right)
    return bool(left == right)


def _arrays(left: ArrayValue, right: ArrayValue, where: str) -> Comparison:
    if left.dtype != right.dtype:
        return Comparison(False, f"{where}dtype {left.dtype} against {right.dtype}")
    if left.array.shape != right.array.shape:
        return Comparison(False, f"{where}shape {left.array.shape} against {right.array.shape}")
    if _dtype_kind(left.dtype) in ("float", "complex"):
        equal = bool(np.allclose(left.array, right.array, rtol=RTOL, atol=0, equal_nan=True))
    else:
        equal = bool(np.array_equal(left.array, right.array))
    return Comparison(equal, "" if equal else f"{where}values differ")


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _scalar_and_array(scalar: Any, array: ArrayValue, scalar_first: bool, where: str) -> Comparison:
    kind = _scalar_kind(scalar)
    change = f"{type(scalar).__name__} -> {array.label}" if scalar_first else f"{array.label} -> {type(scalar).__name__}"
    change = where + change
    if array.array.ndim != 0:
        return Comparison(False, f"{change} of shape {array.array.shape}")
    if kind != _dtype_kind(array.dtype):
        return Comparison(False, f"{change}: {_article(kind)} is not {_article(_dtype_kind(array.dtype))}")
    equal = _scalars_equal(kind, scalar, array.array.item())
    return Comparison(equal, "" if equal else f"{where}values differ", [change])


def _kind_name(value: Any) -> str:
    if isinstance(value, ArrayValue):
        return value.label
    if isinstance(value, CompositeValue):
        return value.kind
    return type(value).__name__


def _merge(parts: list[tuple[str, Any, Any]], where: str) -> Comparison:
    changes: list[str] = []
    for key, left, right in parts:
        result = _compare(left, right, f"{where}{key}: ")
        changes += result.type_changes
        if not result.equal:
            return Comparison(False, result.reason, changes)
    return Comparison(True, "", changes)


def _same_dataclass(left: Any, right: Any) -> bool:
    """Each side loads the sample afresh, so equal dataclasses come from two copies of one class."""
    return (dataclasses.is_dataclass(left) and dataclasses.is_dataclass(right)
            and not isinstance(left, type) and type(left).__qualname__ == type(right).__qualname__)


def _compare(left: Any, right: Any, where: str) -> Comparison:
    for value in (left, right):
        if isinstance(value, Unreadable):
            raise CannotCompare(f"{where}cannot compare {value.description}")
    if isinstance(left, ArrayValue) and isinstance(right, ArrayValue):
        return _arrays(left, right, where)
    if isinstance(right, ArrayValue) and _scalar_kind(left) is not None:
        return _scalar_and_array(left, right, True, where)
    if isinstance(left, ArrayValue) and _scalar_kind(right) is not None:
        return _scalar_and_array(right, left, False, where)
    if isinstance(left, CompositeValue) and isinstance(right, CompositeValue) and left.kind == right.kind:
        if [k for k, _ in left.parts] != [k for k, _ in right.parts]:
            return Comparison(False, f"{where}{left.kind} parts {len(left.parts)} against {len(right.parts)}")
        return _merge([(k, a, b) for (k, a), (_, b) in zip(left.parts, right.parts, strict=True)], where)
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        if set(left) != set(right):
            return Comparison(False, f"{where}keys {sorted(map(repr, left))} against {sorted(map(repr, right))}")
        return _merge([(f"[{k!r}]", left[k], right[k]) for k in left], where)
    if isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
        if len(left) != len(right):
            return Comparison(False, f"{where}length {len(left)} against {len(right)}")
        return _merge([(f"[{i}]", a, b) for i, (a, b) in enumerate(zip(left, right, strict=True))], where)
    left_kind, right_kind = _scalar_kind(left), _scalar_kind(right)
    if left_kind is not None or right_kind is not None:
        if left_kind != right_kind:
            return Comparison(False, f"{where}{_kind_name(left)} against {_kind_name(right)}")
        equal = _scalars_equal(left_kind, left, right)
        return Comparison(equal, "" if equal else f"{where}values differ")
    if _same_dataclass(left, right):
        return _merge([(f".{f.name}", getattr(left, f.name), getattr(right, f.name))
                       for f in dataclasses.fields(left)], where)
    if any(isinstance(v, (ArrayValue, CompositeValue, Mapping, list, tuple)) for v in (left, right)):
        return Comparison(False, f"{where}{_kind_name(left)} against {_kind_name(right)}")
    try:
        result = left == right
    except Exception as error:
        raise CannotCompare(f"{where}cannot compare {type(left).__name__} ({type(error).__name__} in ==)") from None
    if not isinstance(result, (bool, np.bool_)):
        raise CannotCompare(f"{where}cannot compare {type(left).__name__} (== gave a {type(result).__name__})")
    return Comparison(bool(result), "" if result else f"{where}values differ")


def compare(left: Any, right: Any) -> Comparison:
    """Compare two frozen results (native first); never raises, whatever the values do."""
    try:
        return _compare(snapshot(left), snapshot(right), "")
    except CannotCompare as reason:
        return Comparison(False, str(reason))
    except RecursionError:
        return Comparison(False, "cannot compare values nested this deeply")
    except Exception as error:  # a user type whose parts misbehave mid-comparison
        return Comparison(False, f"cannot compare {type(left).__name__} ({type(error).__name__})")


def values_equal(left: Any, right: Any) -> bool:
    return compare(left, right).equal


# ---------------------------------------------------------------- showing values


def without_addresses(text: str) -> str:
    """Memory addresses change from run to run; a report that carries them is never reproducible."""
    return _ADDRESS.sub(lambda m: "" if m.group(0).startswith(" at ") else "0x…", text)


def _shorten(text: str) -> str:
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 1] + "…"


def _tensor_array_text(value: Any) -> str | None:
    """A TensorArray as its dtype and elements (its own repr is a wrapper's, with an address)."""
    tf = _tensorflow()
    if tf is None or not isinstance(value, tf.TensorArray):
        return None
    try:
        elements = np.asarray(value.stack().numpy()).tolist() if int(value.size()) else []
    except Exception:  # elements of unknown or mixed shape
        return f"TensorArray(dtype={value.dtype.name}, size={int(value.size())})"
    return f"TensorArray(dtype={value.dtype.name}, elements={_decode_nested(elements)!r})"


def describe(value: Any) -> str:
    """A short repr for reports; a repr that raises is itself worth reporting, not fatal."""
    try:
        return _shorten(without_addresses(_tensor_array_text(value) or repr(value)))
    except Exception as error:
        return f"<unprintable {type(value).__name__}: {type(error).__name__}>"


def _python_content(value: Any) -> Any:
    content = np.asarray(value.numpy()).tolist()
    return _decode_nested(content)


def _decode_nested(content: Any) -> Any:
    if isinstance(content, list):
        return [_decode_nested(item) for item in content]
    return content.decode("utf-8", "replace") if isinstance(content, bytes) else content


def describe_argument(value: Any) -> str:
    """An argument as the user would have written it: ``tf.constant(5)`` rather than a repr."""
    kind = type(value).__name__
    try:
        if kind == "EagerTensor" and value.shape.num_elements() > ARGUMENT_ELEMENTS_SHOWN:
            return f"<tf.Tensor shape={tuple(value.shape)} dtype={value.dtype.name}>"  # values would bury the call
        if kind == "EagerTensor":
            dtype = value.dtype.name
            suffix = "" if dtype in ("int32", "float32", "string", "bool") else f", tf.{dtype}"
            return _shorten(f"tf.constant({_python_content(value)!r}{suffix})")
        if kind == "ResourceVariable":
            return _shorten(f"tf.Variable({_python_content(value)!r})")
        if isinstance(value, np.ndarray) and value.size > ARGUMENT_ELEMENTS_SHOWN:
            return f"<np.ndarray shape={value.shape} dtype={value.dtype}>"  # as a big tensor is
    except Exception:  # an argument that cannot be read is still shown
        pass
    return describe(value)


def describe_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [describe_argument(a) for a in args]
    parts += [f"{key}={describe_argument(value)}" for key, value in kwargs.items()]
    return ", ".join(parts)
