"""``autoconv trace``: call one tf.function on every case of a sample and say when it traced, and why.

A tf.function keeps one concrete function (a graph) per trace key: tensors count by dtype and
shape, Python values by their value. Knowing which call traced, with what signature, and what
that trace printed is how one finds a retracing loop. The count is TensorFlow's own
(``experimental_get_tracing_count`` before and after each call), never a guess from the inputs;
the signatures (``trace_keys``) only explain it. This module runs code and returns plain data; it never formats.
"""
from __future__ import annotations

from autoconv.equivalence import protocol
from autoconv.equivalence.compare import describe_call
from autoconv.errors import AutoconvError
from autoconv.model.trace import TraceCall, TraceReport
from autoconv.model.verdicts import Side
from autoconv.samples import Sample
from autoconv.targets import resolve
from autoconv.trace_keys import ArgumentSpec, call_signature, declared_signature, explain_trace, reuse_reason


def sample_target(target: str, sample_paths: list[str] | None) -> Sample:
    """The declared sample ``target`` names; trace, graph and bench need its cases."""
    resolved = resolve(target, sample_paths)
    if resolved.sample is None or resolved.sample.inputs is None:
        raise AutoconvError(f"{target} is not a sample with inputs; declare it with @sample(inputs=[...]) "
                            "or give --args \"...\" (one call's arguments)")
    return resolved.sample


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
            reason = reuse_reason(signature, traced_signatures)
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
