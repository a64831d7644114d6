"""``autoconv.check``: the check for one function from Python code.

A function that can be found again in its file (a declared sample, or a module-level function)
runs on the isolated workers like ``autoconv check``. One typed in a notebook cell runs there
too, from the source IPython keeps of the cells that define it (``autoconv.cells``), so a
kernel's cached trace or module state cannot change the verdict. One defined in a script's
``__main__`` or a closure, or whose inputs cannot travel to a worker, runs here, on a fresh copy
of a ``tf.function`` (its earlier traces left out), and the report says module state was shared.
"""
from __future__ import annotations

import atexit
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
from autoconv.cells import notebook_program
from autoconv.conversion import convert, python_function
from autoconv.equivalence import protocol
from autoconv.equivalence.compare import describe_call
from autoconv.equivalence.messages import shown_location
from autoconv.equivalence.pool import WorkerPool
from autoconv.equivalence.runner import CaseTask, Progress, run_cases, run_check
from autoconv.errors import AutoconvError
from autoconv.model.check import (
    RAN_FROM_CELLS,
    RAN_HERE,
    CaseReport,
    CheckReport,
    ConversionStatus,
    SampleReport,
)
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


def _run_in_process(obj: Any, name: str, cases: list[Case], expected: list[str], calls: int,
                    timeout: float) -> list[CaseReport]:
    """Each case here, each side on its own fresh copy of a ``tf.function`` (so no trace the user's
    earlier calls left in its cache is reused, and the graph side traces as a fresh load would)."""
    reports = []
    for index, case in enumerate(cases):
        started = time.perf_counter()

        def load() -> Sample:
            fresh = _tf_internals.fresh_tf_function(obj) if _tf_internals.is_tf_function(obj) else obj
            return adhoc_sample(fresh, name)

        try:
            with _alarm(timeout):
                reports.append(protocol.run_case(load, index, calls, expected[index], cases))
        except protocol.CaseTimeout as expired:
            reports.append(CaseReport(describe_call(case.args, case.kwargs), Verdict.TIMEOUT, expected[index],
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
    # Given inputs are checked for a match; a declaration's own cases keep their declared verdicts.
    expected = [declared.expected(i) if inputs is None else str(Verdict.MATCH) for i in range(len(cases))]
    conversion = convert(obj)
    location = declared.location if declared else f"{conversion.filename}:{conversion.first_line}"
    report = SampleReport(name, shown_location(location),
                          ConversionStatus(conversion.ok, conversion.error))
    locator = _reloadable_locator(obj)
    texts = tuple(call_texts) if call_texts and locator else None
    blob = _pickled(cases) if locator and texts is None else None
    tensorflow = _tf_internals.tensorflow().__version__
    if locator and (blob is not None or texts is not None):
        tasks = [CaseTask(locator, i, calls, expected[i], describe_call(c.args, c.kwargs), blob, call_texts=texts)
                 for i, c in enumerate(cases)]
        report.cases = _run_on_workers(tasks, timeout)
        return CheckReport(__version__, tensorflow, [report])
    program = notebook_program(python_function(obj)) if not inspect.ismethod(obj) else None
    blob = _pickled(cases, travels_by_name=False) if program is not None else None
    if program is not None and blob is not None:
        tasks = [CaseTask(("", "text", program.name), i, calls, expected[i], describe_call(c.args, c.kwargs), blob,
                          source=program.source) for i, c in enumerate(cases)]
        report.cases = _run_on_kernel_workers(tasks, timeout)
        return CheckReport(__version__, tensorflow, [report], ran=RAN_FROM_CELLS, cells=list(program.cells))
    report.cases = _run_in_process(obj, name, cases, expected, calls, timeout)
    return CheckReport(__version__, tensorflow, [report], shared_state=True, ran=RAN_HERE)


def _run_on_workers(tasks: list[CaseTask], timeout: float) -> list[CaseReport]:
    with WorkerPool(min(os.cpu_count() or 1, len(tasks))) as pool:
        return run_cases(pool, tasks, timeout, Progress(len(tasks), False))


_cells_pool: WorkerPool | None = None


def _run_on_kernel_workers(tasks: list[CaseTask], timeout: float) -> list[CaseReport]:
    """A notebook's checks share one pool for the kernel's life: only the first pays for workers
    importing TensorFlow (seconds), and each case is still put back afterwards as in ``autoconv
    check``, each side loading the cells' source as a new module. The workers end with the kernel
    (at exit, or when their socket closes)."""
    global _cells_pool
    if _cells_pool is None:
        _cells_pool = WorkerPool(os.cpu_count() or 1)
        atexit.register(_cells_pool.__exit__, None, None, None)
    return run_cases(_cells_pool, tasks, timeout, Progress(len(tasks), False))


def _pickled(cases: list[Any], travels_by_name: bool = True) -> bytes | None:
    """The cases pickled for a worker, or None when they cannot travel: an object pickle cannot
    take (a lambda, an open file), or, with ``travels_by_name`` False, one that names a class or
    function of ``__main__`` (a notebook's), which a worker's own ``__main__`` does not have."""
    try:
        blob = pickle.dumps(cases)
    except Exception:  # tensors of exotic types, lambdas, open files: fall back to in-process
        return None
    return blob if travels_by_name or b"__main__" not in blob else None
