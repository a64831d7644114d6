"""Trace keys: how ``tf.function`` sees a call's arguments, and why a call traced again or not.

A tf.function keeps one concrete function per trace key: tensors count by dtype and shape,
Python values by their value. ``call_signature`` and ``declared_signature`` describe a call as
that key sees it; ``explain_trace`` and ``reuse_reason`` compare it with the signatures traced
before. Shared by ``autoconv trace`` (``tracing``) and ``autoconv explain`` (``explanation.api``);
it runs nothing and imports neither.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from autoconv import _tf_internals
from autoconv.equivalence.compare import describe
from autoconv.samples import Case


@dataclass
class ArgumentSpec:
    """How the trace key sees one argument: a Python value, a tensor, or a structure of both."""

    text: str
    kind: str  # "python" | "tensor" | "structure"
    dtype: str | None = None
    shape: tuple[int | None, ...] | None = None
    value: Any = None  # the Python value itself, for kind "python": equal values share a trace


def _is_numpy_array(value: Any) -> bool:
    """A NumPy array: tf.function keys it by shape and dtype, as a tensor (so a tensor's trace fits it)."""
    return type(value).__module__ == "numpy" and type(value).__name__ == "ndarray"


def _is_tensor_like(value: Any) -> bool:
    tf = _tf_internals.tensorflow()
    return tf.is_tensor(value) or isinstance(value, tf.Variable) or _is_numpy_array(value)


def _dtype_name(value: Any) -> str:
    return str(value.dtype) if _is_numpy_array(value) else value.dtype.name


def _shape(shape: Any) -> tuple[int | None, ...] | None:
    if isinstance(shape, tuple):  # a NumPy array's
        return shape
    return tuple(shape.as_list()) if shape.rank is not None else None


def _leaf_text(value: Any) -> str:
    if not _is_tensor_like(value):
        return describe(value)
    kind = "Variable" if isinstance(value, _tf_internals.tensorflow().Variable) else "TensorSpec"
    return f"{kind}(shape={_shape(value.shape)}, dtype=tf.{_dtype_name(value)})"


def _structure_text(value: Any) -> tuple[str, bool]:
    """The text of a possibly nested argument, and whether any tensor sits inside it."""
    if isinstance(value, (list, tuple)) and not _is_tensor_like(value):
        parts = [_structure_text(item) for item in value]
        inner = ", ".join(text for text, _ in parts) + ("," if isinstance(value, tuple) and len(value) == 1 else "")
        brackets = "()" if isinstance(value, tuple) else "[]"
        return brackets[0] + inner + brackets[1], any(has for _, has in parts)
    if isinstance(value, dict):
        parts = {key: _structure_text(item) for key, item in value.items()}
        inner = ", ".join(f"{key!r}: {text}" for key, (text, _) in parts.items())
        return "{" + inner + "}", any(has for _, has in parts.values())
    return _leaf_text(value), _is_tensor_like(value)


def argument_spec(value: Any) -> ArgumentSpec:
    if _is_tensor_like(value):
        return ArgumentSpec(_leaf_text(value), "tensor", _dtype_name(value), _shape(value.shape))
    text, has_tensor = _structure_text(value)
    return ArgumentSpec(text, "structure") if has_tensor else ArgumentSpec(text, "python", value=value)


def call_signature(function: Any, case: Case) -> dict[str, ArgumentSpec]:
    """Argument name -> spec; positions stand in for names when the arguments do not bind."""
    try:
        bound = inspect.signature(function).bind(*case.args, **case.kwargs)
        named = dict(bound.arguments)
    except (TypeError, ValueError):
        named = {f"#{index + 1}": value for index, value in enumerate(case.args)} | dict(case.kwargs)
    return {name: argument_spec(value) for name, value in named.items()}


def declared_signature(function: Any) -> dict[str, ArgumentSpec] | None:
    """With an input_signature, every call is traced against it (or refused), whatever was passed."""
    if not function.input_signature:
        return None
    tensor_spec = _tf_internals.tensorflow().TensorSpec
    specs = {}
    for name, spec in zip(inspect.signature(function).parameters, function.input_signature, strict=False):
        if isinstance(spec, tensor_spec):
            text = f"TensorSpec(shape={_shape(spec.shape)}, dtype=tf.{spec.dtype.name})"
            specs[name] = ArgumentSpec(text, "tensor", spec.dtype.name, _shape(spec.shape))
        else:
            specs[name] = ArgumentSpec(repr(spec), "structure")
    return specs


def _difference(name: str, new: ArgumentSpec, old: ArgumentSpec | None) -> tuple[str, str, int]:
    """(cause, plain words, distance) for one argument whose spec differs from an earlier trace's.

    The distance ranks earlier traces by closeness: a new value or dtype or shape is a smaller
    step than a change of kind, so a float tensor is explained against the int tensor before it.
    """
    if old is None:
        return "structure", f"{name} was not passed before", 2
    if new.kind == old.kind == "python":
        return "python-value", f"{name} is the new Python value {new.text} (traced before with {old.text})", 1
    if new.kind == old.kind == "tensor" and new.dtype != old.dtype:
        return "dtype", f"{name} has the new dtype {new.dtype} (traced before with {old.dtype})", (
            1 + (new.shape != old.shape))
    if new.kind == old.kind == "tensor":
        return "shape", f"{name} has the new shape {new.shape} (traced before with {old.shape})", 1
    return "structure", f"{name} is now {new.text} (traced before as {old.text})", 2


def explain_trace(signature: dict[str, ArgumentSpec],
                  earlier: list[dict[str, ArgumentSpec]]) -> tuple[list[str], str]:
    """Causes and words for a trace, against the closest earlier traced signature."""
    if not earlier:
        return ["first"], "first trace"
    best: list[tuple[str, str, int]] | None = None
    for old in earlier:
        found = [_difference(name, spec, old.get(name)) for name, spec in signature.items()
                 if old.get(name) is None or old[name].text != spec.text]
        if best is None or sum(d for *_, d in found) < sum(d for *_, d in best):
            best = found
    if not best:
        return ["unexplained"], "same signature as an earlier trace"
    causes = list(dict.fromkeys(cause for cause, _, _ in best))
    return causes, "; ".join(words for _, words, _ in best)


def reuse_reason(signature: dict[str, ArgumentSpec], traced: list[tuple[int, dict[str, ArgumentSpec]]]) -> str:
    for number, old in traced:
        if {n: s.text for n, s in old.items()} == {n: s.text for n, s in signature.items()}:
            return f"reused the graph traced by call {number}"
    for number, old in traced:
        if old.keys() == signature.keys() and all(_same_key(signature[n], old[n]) for n in signature):
            return (f"reused the graph traced by call {number}: Python values that compare equal "
                    "(True == 1 == 1.0) are the same trace key, so the graph keeps the first one's value")
    return "reused an earlier graph whose signature accepts these arguments"


def _same_key(new: ArgumentSpec, old: ArgumentSpec) -> bool:
    if new.kind == old.kind == "python":
        try:
            return bool(new.value == old.value)
        except Exception:  # an == that raises is no match
            return False
    return new.text == old.text
