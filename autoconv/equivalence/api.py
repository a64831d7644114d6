"""``autoconv.check``: the check for one function from Python code.

A function that can be found again in its file (a declared sample, or a module-level function)
runs on the isolated workers like ``autoconv check``. One defined in ``__main__``, a notebook,
or a closure cannot be reloaded, so it runs here, and the report says module state was shared.
"""
from __future__ import annotations

import inspect
import os
import pickle
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from autoconv import _tf_internals
from autoconv._version import __version__
from autoconv.conversion import convert, python_function
from autoconv.equivalence import protocol
from autoconv.equivalence.compare import describe_call
from autoconv.equivalence.messages import shown_location
from autoconv.equivalence.pool import WorkerPool
from autoconv.equivalence.runner import CaseTask, Progress, run_cases, run_check
from autoconv.errors import AutoconvError
from autoconv.model.check import CaseReport, CheckReport, ConversionStatus, SampleReport
from autoconv.model.verdicts import Verdict
from autoconv.samples import Case, Sample, _registry, adhoc_sample, normalize_inputs
from autoconv.targets import resolve


def _declared(obj: Any) -> tuple[str, Sample] | tuple[None, None]:
    """The sample declared for ``obj`` and the module that declared it."""
    for module_name, declarations in _registry.items():
        for declared in declarations:
            if declared.obj is obj:
                return module_name, declared
    return None, None


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """A timeout for the in-process fallback, where no worker can be killed: SIGALRM, when this
    is the main thread of a Unix process; otherwise no limit (said in the docs)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise protocol.CaseTimeout(f"ran past the {seconds:g} s timeout")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _run_in_process(sample: Sample, cases: list[Case], calls: int, timeout: float) -> list[CaseReport]:
    reports = []
    for index, case in enumerate(cases):
        started = time.perf_counter()
        try:
            with _alarm(timeout):
                reports.append(protocol.run_case(lambda: sample, index, calls, Verdict.MATCH, cases))
        except protocol.CaseTimeout as expired:
            reports.append(CaseReport(describe_call(case.args, case.kwargs), Verdict.TIMEOUT, Verdict.MATCH,
                                      seconds=round(time.perf_counter() - started, 4), detail=str(expired)))
    return reports


def _reloadable_locator(obj: Any) -> tuple[str, str, str] | None:
    """(path, "attr", qualname) when a fresh load of the file yields the same function."""
    if inspect.ismethod(obj) or _tf_internals.is_tf_function(obj) and _tf_internals.unwrap_tf_function(obj)[1]:
        return None
    function = python_function(obj)
    path = inspect.getsourcefile(function)
    path = os.path.abspath(path) if path else path
    qualname = getattr(obj, "__qualname__", function.__qualname__)
    if function.__module__ == "__main__" or not path or not os.path.isfile(path) or "<" in qualname:
        return None
    return path, "attr", qualname


def check(target: Any, inputs: Any = None, *, calls: int = 2, timeout: float = 60,
          call_texts: list[str] | None = None) -> CheckReport:
    """Check ``target`` on ``inputs`` (or its declared cases). ``call_texts`` are the ``--args``
    the inputs were built from: a worker builds each side's inputs from them again, in its own load
    of the target's module, so objects of that module need no pickling."""
    if isinstance(target, str):
        resolved = resolve(target)
        obj, declared = resolved.obj, resolved.sample
        declaring_module = None
    else:
        obj = target
        declaring_module, declared = _declared(target)
    if inputs is None:
        if declared is None or declared.inputs is None:
            raise AutoconvError("no inputs: pass inputs=[...] or declare the function with @sample(inputs=...)")
        # A script's own samples are not reloaded: loading it again would run the script again.
        if declaring_module != "__main__" and os.path.isfile(declared.filename):
            return run_check([declared.filename], names=[declared.name], timeout=timeout, calls=calls)
    name = declared.name if declared else python_function(obj).__name__
    cases = normalize_inputs(name, inputs if inputs is not None else declared.cases())
    conversion = convert(obj)
    report = SampleReport(name, shown_location(f"{conversion.filename}:{conversion.first_line}"),
                          ConversionStatus(conversion.ok, conversion.error))
    locator = _reloadable_locator(obj)
    texts = tuple(call_texts) if call_texts and locator else None
    blob = _pickled(cases) if locator and texts is None else None
    if locator and (blob is not None or texts is not None):
        tasks = [CaseTask(locator, i, calls, "match", describe_call(c.args, c.kwargs), blob, call_texts=texts)
                 for i, c in enumerate(cases)]
        with WorkerPool(min(os.cpu_count() or 1, len(tasks))) as pool:
            report.cases = run_cases(pool, tasks, timeout, Progress(len(tasks), False))
        return CheckReport(__version__, _tf_internals.tensorflow().__version__, [report])
    report.cases = _run_in_process(adhoc_sample(obj, name), cases, calls, timeout)
    return CheckReport(__version__, _tf_internals.tensorflow().__version__, [report], shared_state=True)


def _pickled(cases: list[Any]) -> bytes | None:
    try:
        return pickle.dumps(cases)
    except Exception:  # tensors of exotic types, lambdas, open files: fall back to in-process
        return None
