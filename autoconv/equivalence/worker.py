"""A long-lived worker process: imports TensorFlow once, then runs requests one at a time.

Started by ``pool.Worker`` as ``python -m autoconv.equivalence.worker FD``; requests and replies
travel as pickles over the socket ``FD``, never over stdout/stderr, which belong to the user's code
(and are captured per call). A request that kills the process (``os._exit``, a segfault) is
reported by the pool. The requests: ``describe`` a sample file, run one check ``case``, convert
(and maybe explain) one ``target`` such as a Sphinx page's ``pkg.mod:func``.
"""
from __future__ import annotations

import os
import pickle
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from autoconv import _tf_internals, targets
from autoconv.arguments import namespace_of, parse_call
from autoconv.conversion import convert
from autoconv.equivalence import isolation, protocol
from autoconv.equivalence.compare import describe_call
from autoconv.equivalence.messages import shortened_message
from autoconv.equivalence.pool import USER_PATH
from autoconv.errors import AutoconvError
from autoconv.explanation.api import Explainer
from autoconv.fdcapture import capture_fds
from autoconv.samples import Case, Sample, adhoc_sample


def _loader(path: str, kind: str, key: str) -> Any:
    """A function that loads ``path`` afresh and returns the sample it names."""

    def load() -> Sample:
        module = targets.load_file(path)
        if kind == "sample":
            for declared in targets.samples_of(module):
                if declared.name == key:
                    return declared
            raise AutoconvError(f"{path} no longer declares sample {key!r}")
        obj = module
        for part in key.split("."):
            obj = getattr(obj, part)
        return adhoc_sample(obj, key, path)

    return load


def describe_file(path: str) -> dict[str, Any]:
    """Everything known about a file's samples before running them, conversions included.

    The gallery builds its pages from this same description, so nothing converts twice.
    """
    samples = []
    for declared in targets.samples_of(targets.load_file(path)):
        protocol.seed_everything(0)
        cases = declared.cases()
        started = time.perf_counter()
        conversion = convert(declared.obj)
        samples.append({
            "name": declared.name,
            "location": declared.location,
            "sample": declared.facts(),  # title, tags, note...: what a gallery page says about it
            "cases": [describe_call(c.args, c.kwargs) for c in cases],
            "expected": [declared.expected(i) for i in range(len(cases))],
            "calls": declared.calls,
            "saved_model": declared.saved_model,
            "conversion": conversion.to_dict(),
            "convert_seconds": round(time.perf_counter() - started, 4),
        })
    return {"tensorflow": _tf_internals.tensorflow().__version__, "samples": samples}


def run_case(path: str, kind: str, key: str, case_index: int, calls: int, expected: str,
             inputs_blob: bytes | None, with_graph: bool, explain: bool = False) -> dict[str, Any]:
    inputs: list[Case] | None = pickle.loads(inputs_blob) if inputs_blob is not None else None
    report = protocol.run_case(_loader(path, kind, key), case_index, calls, expected, inputs, with_graph, explain)
    return report.to_dict()


def _explained(obj: Any, arguments: str) -> dict[str, Any]:
    """``{"explanation": data}`` for one call written as ``autoconv explain --args`` takes it (a call
    that raises is explained too, up to its error), or ``{"error": message}`` when the arguments
    cannot be read or the function cannot be explained at all."""
    try:
        case = parse_call(arguments, namespace_of(obj))
        explainer = Explainer(obj)
    except AutoconvError as error:
        return {"error": " ".join(str(error).split())}
    except Exception as error:
        return {"error": f"cannot explain it: {type(error).__name__}: {shortened_message(' '.join(str(error).split()))}"}
    try:
        with capture_fds():  # what the call prints while tracing is not this process's output
            explainer(*case.args, **case.kwargs)
    except Exception:  # kept in the explanation: the facts up to the failing line, and the error
        pass
    return {"explanation": explainer.explanation().to_data()}


def describe_target(target: str, explain_arguments: str | None = None) -> dict[str, Any]:
    """A target's conversion (a sample name, ``file.py:func`` or ``pkg.mod:func``), as the gallery's
    answer for it: ``{"error": None, "entries": [{"sample": facts | None, "conversion": Conversion dict,
    "seconds": float}]}``, the entry also ``"explained"`` for ``explain_arguments`` (one call's ``--args``).

    Sample files are described by ``describe_file`` instead; a target that fails raises, as any request.
    """
    resolved = targets.resolve(target)
    started = time.perf_counter()
    conversion = convert(resolved.obj)
    entry = {
        "sample": resolved.sample.facts() if resolved.sample is not None else None,
        "conversion": conversion.to_dict(),
        "seconds": round(time.perf_counter() - started, 4),
    }
    if explain_arguments is not None:
        entry["explained"] = _explained(resolved.obj, explain_arguments)
    return {"error": None, "entries": [entry]}


HANDLERS = {"describe": describe_file, "case": run_case, "target": describe_target}


def _append_user_path() -> None:
    """The parent's sys.path after this process's own: the user's modules (a docs folder's
    ``pkg.mod``) are found, and a sample folder's ``collections.py`` shadows nothing."""
    for entry in os.environ.pop(USER_PATH, "").split(os.pathsep):
        if entry and entry not in sys.path:
            sys.path.append(entry)


def serve(connection: Connection) -> None:
    _tf_internals.tensorflow()
    _append_user_path()
    connection.send(("ready", _tf_internals.tensorflow().__version__))
    while True:
        try:
            kind, arguments = connection.recv()
        except (EOFError, OSError):
            return
        unrestorable: list[str] = []
        try:
            with isolation.restored_afterwards(unrestorable):
                try:
                    status, value = "ok", HANDLERS[kind](*arguments)
                except AutoconvError as error:
                    status, value = "error", str(error)
                except Exception as error:  # reported to the parent, which decides what it means
                    status, value = "error", f"{type(error).__name__}: {error}"
                finally:
                    targets.unload_user_modules()
        except BaseException as error:  # user code that escaped every guard (SystemExit from a thread...)
            status, value = "error", f"{type(error).__name__}: {error}"
        recycled = (value.get("worker_recycled") if kind == "case" and status == "ok" else None) or (
            unrestorable[0] if unrestorable else None)
        if kind == "case" and status == "ok" and recycled:
            value["worker_recycled"] = recycled
        connection.send((status, value, recycled))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
