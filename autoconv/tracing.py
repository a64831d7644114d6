"""``autoconv trace``: call one tf.function on every case of a sample and say when it traced, and why.

A tf.function keeps one concrete function (a graph) per trace key: tensors count by dtype and
shape, Python values by their value. Knowing which call traced, with what signature, and what
that trace printed is how one finds a retracing loop. The count is TensorFlow's own
(``experimental_get_tracing_count`` before and after each call), never a guess from the inputs;
the signatures only explain it. This module runs code and returns plain data; it never formats.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from autoconv import _tf_internals
from autoconv.equivalence import protocol
from autoconv.equivalence.compare import describe, describe_call
from autoconv.errors import AutoconvError
from autoconv.model.check import Side
from autoconv.model.trace import TraceCall, TraceReport
from autoconv.samples import Case, Sample
from autoconv.targets import resolve


def sample_target(target: str, sample_paths: list[str] | None) -> Sample:
    """The declared sample ``target`` names; trace, graph and bench need its cases."""
    resolved = resolve(target, sample_paths)
    if resolved.sample is None or resolved.sample.inputs is None:
        raise AutoconvError(f"{target} is not a sample with inputs; declare it with @sample(inputs=[...]) "
                            "or give --args \"...\" (one call's arguments)")
    return resolved.sample


@dataclass
class ArgumentSpec:
    """How the trace key sees one argument: a Python value, a tensor, or a structure of both."""

    text: str
    kind: str  # "python" | "tensor" | "structure"
    dtype: str | None = None
    shape: tuple[int | None, ...] | None = None
    value: Any = None  # the Python value itself, for kind "python": equal values share a trace


def _is_tensor_like(value: Any) -> bool:
    tf = _tf_internals.tensorflow()
    return tf.is_tensor(value) or isinstance(value, tf.Variable)


def _shape(shape: Any) -> tuple[int | None, ...] | None:
    return tuple(shape.as_list()) if shape.rank is not None else None


def _leaf_text(value: Any) -> str:
    if not _is_tensor_like(value):
        return describe(value)
    kind = "Variable" if isinstance(value, _tf_internals.tensorflow().Variable) else "TensorSpec"
    return f"{kind}(shape={_shape(value.shape)}, dtype=tf.{value.dtype.name})"


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
        return ArgumentSpec(_leaf_text(value), "tensor", value.dtype.name, _shape(value.shape))
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


def _reuse_reason(signature: dict[str, ArgumentSpec], traced: list[tuple[int, dict[str, ArgumentSpec]]]) -> str:
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


def trace_sample(declared: Sample) -> TraceReport:
    """Every case through one tf.function, in order, in this process."""
    protocol.seed_everything(0)
    cases = declared.cases()
    function = protocol.side_callable(declared.obj, Side.GRAPH)
    input_signature = function.input_signature
    report = TraceReport(declared.name, 0, input_signature=repr(input_signature) if input_signature else None)
    traced_signatures: list[tuple[int, dict[str, ArgumentSpec]]] = []
    fixed = declared_signature(function)
    for number, case in enumerate(cases, 1):
        signature = fixed or call_signature(function, case)
        before = function.experimental_get_tracing_count()
        _, record, _ = protocol.call_captured(function, case)
        new_traces = function.experimental_get_tracing_count() - before
        traced = new_traces > 0
        causes: list[str] = []
        if traced:
            causes, reason = explain_trace(signature, [old for _, old in traced_signatures])
            traced_signatures.append((number, signature))
        elif record.error:
            reason = (f"raised {record.error.type}, and no trace was kept: a trace that raises is "
                      "discarded, so the same arguments trace again next time")
        else:
            reason = _reuse_reason(signature, traced_signatures)
        if traced and fixed:
            reason += "; the input_signature is the only signature, every later call reuses it or is refused"
        if new_traces > 1:
            reason += (f"; traced {new_traces} times in this one call, as tf.function does when "
                       "a trace creates tf.Variables")
        report.calls.append(TraceCall(
            args=describe_call(case.args, case.kwargs),
            traced=traced,
            signature={name: spec.text for name, spec in signature.items()},
            trace_output=record.stdout if traced or record.error else "",
            reason=reason,
            causes=causes,
            error=record.error,
            new_traces=new_traces,
        ))
    report.traces = function.experimental_get_tracing_count()
    return report


def trace(target: str, sample_paths: list[str] | None = None) -> TraceReport:
    return trace_sample(sample_target(target, sample_paths))
