"""``--args "tf.constant(3), k=2"``: one call's arguments written as Python, and the cases to run.

The text is evaluated as the argument list of a call (``_call(<text>)``), so keywords, starred
arguments and trailing commas mean what they mean in Python. Names resolve in the target's own
module, with ``tf`` and ``np`` available, as if the call were written at the bottom of that file.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from autoconv import _tf_internals
from autoconv.conversion import python_function
from autoconv.errors import AutoconvError
from autoconv.samples import Case, Sample, adhoc_sample
from autoconv.targets import Resolved, resolve
from autoconv.tracing import sample_target

CAPTURE = "__autoconv_call__"


def namespace_of(obj: Any) -> dict[str, Any]:
    """The globals ``--args`` is evaluated in: the function's module, plus ``tf`` and ``np``."""
    import numpy

    try:
        module_globals = python_function(obj).__globals__
    except AutoconvError:
        module_globals = {}
    return {"tf": _tf_internals.tensorflow(), "np": numpy, **module_globals}


def parse_call(text: str, namespace: dict[str, Any]) -> Case:
    """The arguments ``text`` writes; a syntax error or a failing expression is one AutoconvError."""
    try:
        code = compile(f"{CAPTURE}({text})", "<--args>", "eval")
    except SyntaxError as error:
        raise AutoconvError(f"--args {text!r} is not a Python argument list: {error.msg}") from None
    scope = {**namespace, CAPTURE: lambda *args, **kwargs: Case(tuple(args), dict(kwargs))}
    try:
        return eval(code, scope)  # noqa: S307 - the user's own expression, as the CLI documents
    except Exception as error:  # a NameError, a TypeError in tf.constant(...): the user's input
        raise AutoconvError(f"--args {text!r} raised {type(error).__name__}: {error}") from None


def chosen_case(name: str, cases: list[Case], number: int) -> Case:
    """Case ``number`` of a sample, counted from 1 as every view counts cases and calls."""
    if not 1 <= number <= len(cases):
        span = "1" if len(cases) == 1 else f"1..{len(cases)}"
        raise AutoconvError(f"sample {name!r} has case{'s' * (len(cases) != 1)} {span} (counted from 1); "
                            f"there is no case {number}")
    return cases[number - 1]


def _check_instance_given(resolved: Resolved, cases: list[Case]) -> None:
    """``file.py:Class.method`` is the function without an instance: each call gives one first."""
    owner = resolved.method_of
    if owner is None or all(case.args and isinstance(case.args[0], owner) for case in cases):
        return
    where = str(resolved.path) if resolved.path else "module"
    raise AutoconvError(
        f"{resolved.label} is a method of {owner.__name__}: give the instance as the first argument "
        f"(--args \"{owner.__name__}(...), x\"), or name an instance the file makes "
        f"({where}:instance.{resolved.label.rpartition('.')[2]})")


def cases_for(resolved: Resolved, calls: list[str] | None, case_number: int | None = None) -> list[Case]:
    """The calls to run: ``--args`` in order, else the sample's cases (one, with ``--case``, from 1)."""
    if calls:
        namespace = namespace_of(resolved.obj)
        cases = [parse_call(text, namespace) for text in calls]
        _check_instance_given(resolved, cases)
        return cases
    declared = resolved.sample
    if declared is None or declared.inputs is None:
        raise AutoconvError(f"{resolved.label} has no sample inputs: give --args \"...\" (one call's arguments)")
    cases = declared.cases()
    if case_number is None:
        return cases
    return [chosen_case(declared.name, cases, case_number)]


def target_sample(target: str, sample_paths: list[str] | None, calls: list[str] | None) -> Sample:
    """A sample to trace, graph or bench: the declared one, or the function with ``--args`` as inputs."""
    if not calls:
        return sample_target(target, sample_paths)
    resolved = resolve(target, sample_paths)
    cases = cases_for(resolved, calls)
    base = resolved.sample or adhoc_sample(resolved.obj, resolved.label, str(resolved.path or "<unknown>"))
    return dataclasses.replace(base, inputs=cases)
