"""A long-lived worker process: imports TensorFlow once, then runs requests one at a time.

Started by ``pool.Worker`` as ``python -m autoconv.equivalence.worker FD``; requests and replies
travel as pickles over the socket ``FD``, never over stdout/stderr, which belong to the user's code
(and are captured per call). Each request gets two messages back: its answer, as soon as it
exists, then, once the process is put back, ``("restored", reason)``, why it can no longer be
trusted or None (``pool.Task``). A request that kills the process (``os._exit``, a segfault) is
reported by the pool. The requests: ``describe`` a sample file, run one check ``case``, convert
(and maybe explain) one ``target`` such as a Sphinx page's ``pkg.mod:func``, and for code typed in
``autoconv serve``'s editor, ``convert_text``, ``explain_text`` and ``call_text``, and for a notebook's cells,
``case_text`` (``editor_code``).
"""
from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import resource
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from autoconv import _tf_internals, processes, targets
from autoconv.arguments import namespace_of, parse_call
from autoconv.conversion import convert
from autoconv.equivalence import editor_code, isolation, protocol
from autoconv.equivalence.compare import describe_call
from autoconv.equivalence.messages import shortened_message
from autoconv.equivalence.pool import CASE_REQUESTS, MEMORY_LIMIT, USER_PATH
from autoconv.errors import AutoconvError
from autoconv.explanation.api import Explainer
from autoconv.fdcapture import capture_fds
from autoconv.samples import Case, Sample, adhoc_sample


def _loader(path: str, kind: str, key: str, call_texts: tuple[str, ...] | None = None) -> Any:
    """A function that loads ``path`` afresh and returns the sample it names; with ``call_texts``
    (``--args``), its inputs are those calls, evaluated in that fresh module's namespace, so any
    object of the module (a function, an instance from its factory) works, and is each side's own."""

    def load() -> Sample:
        module = targets.load_file(path)
        if kind == "sample":
            for declared in targets.samples_of(module):
                if declared.name == key:
                    return _with_calls(declared, call_texts)
            raise AutoconvError(f"{path} no longer declares sample {key!r}")
        obj = module
        for part in key.split("."):
            obj = getattr(obj, part)
        return _with_calls(adhoc_sample(obj, key, path), call_texts)

    return load


def _with_calls(declared: Sample, call_texts: tuple[str, ...] | None) -> Sample:
    if not call_texts:
        return declared
    namespace = namespace_of(declared.obj)
    return dataclasses.replace(declared, inputs=[parse_call(text, namespace) for text in call_texts])


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
             inputs_blob: bytes | None, with_graph: bool, explain: bool = False,
             call_texts: tuple[str, ...] | None = None) -> dict[str, Any]:
    inputs: list[Case] | None = pickle.loads(inputs_blob) if inputs_blob is not None else None
    report = protocol.run_case(_loader(path, kind, key, call_texts), case_index, calls, expected, inputs,
                               with_graph, explain)
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


HANDLERS = {"describe": describe_file, "case": run_case, "target": describe_target,
            "convert_text": editor_code.convert_text, "explain_text": editor_code.explain_text,
            "call_text": editor_code.call_text,
            "case_text": editor_code.case_text}


def _append_user_path() -> None:
    """The parent's sys.path after this process's own: the user's modules (a docs folder's
    ``pkg.mod``) are found, and a sample folder's ``collections.py`` shadows nothing."""
    for entry in os.environ.pop(USER_PATH, "").split(os.pathsep):
        if entry and entry not in sys.path:
            sys.path.append(entry)


def _limit_memory() -> None:
    """At most ``MEMORY_LIMIT`` bytes of address space more than TensorFlow took to import: user
    code that asks for more gets a MemoryError (an answer), not the machine's memory."""
    extra = os.environ.pop(MEMORY_LIMIT, "")
    if not extra:
        return
    with open("/proc/self/statm") as statm:
        in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = in_use + int(extra)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


SUPERSEDE_SIGNAL = getattr(signal, "SIGUSR1", None)  # the parent's "stop this request" (pool.Worker.supersede)
_answering = [False]  # a request's handler is running: only then does the signal interrupt anything


def _superseded(signum: int, frame: Any) -> None:
    """Unwind the request running now (the restore around it still runs in full); between
    requests, and while the process is being put back, the signal is ignored."""
    if _answering[0]:
        _answering[0] = False
        raise protocol.Superseded("superseded by a newer request")


Reply = Callable[[str, Any], None]  # sends a request's answer (status, value) to the parent


def _answer(kind: str, arguments: tuple[Any, ...], reply: Reply) -> str | None:
    """One request: its answer goes to ``reply`` as soon as it exists, and only then is the process
    put back (the answer need not wait for that). Returns why the process can no longer be
    trusted, or None; the parent gives this worker nothing more before it knows."""
    unrestorable: list[str] = []
    answer: tuple[str, Any] = "error", "no answer"
    replied = False
    try:
        with isolation.restored_afterwards(unrestorable):
            try:
                try:
                    _answering[0] = True
                    try:
                        answer = "ok", HANDLERS[kind](*arguments)
                    finally:
                        _answering[0] = False
                except AutoconvError as error:
                    answer = "error", str(error)
                except Exception as error:  # reported to the parent, which decides what it means
                    answer = "error", f"{type(error).__name__}: {protocol.exception_text(error)}"
                isolation.leave_if_forked()  # a process the request forked never answers for it
                reply(*answer)
                replied = True
            finally:  # part of putting the process back: what the request loaded is not kept
                targets.unload_user_modules()
    except BaseException as error:  # user code that escaped every guard (SystemExit from a thread...)
        if replied:  # putting the process back failed half-way: it cannot be trusted
            unrestorable.append(f"putting the process back failed ({type(error).__name__})")
        else:
            answer = "error", f"{type(error).__name__}: {protocol.exception_text(error)}"
            reply(*answer)
    status, value = answer
    inner = value.get("worker_recycled") if kind in CASE_REQUESTS and status == "ok" else None
    return inner or (unrestorable[0] if unrestorable else None)


def _sendable(status: str, value: Any) -> bytes:
    """The answer message pickled; one that cannot be (a user object left in it) becomes an error."""
    try:
        return pickle.dumps(("answer", status, value))
    except Exception as error:
        return pickle.dumps(("answer", "error", f"the result could not be sent back ({type(error).__name__})"))


def _answer_in_fork(kind: str, arguments: tuple[Any, ...], reply: Reply) -> None:
    """``--isolation fresh``: the request runs in a child forked from this pristine process, which
    has imported TensorFlow but never ran an op or loaded user code, and so stays pristine (it has
    nothing to put back: its answer is the whole request)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, write, leave without running anything of the parent's
        try:
            os.close(read_end)
            isolation.adopt_this_process()
            answers: list[bytes] = []
            _answer(kind, arguments, lambda status, value: answers.append(_sendable(status, value)))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(len(answers[0]).to_bytes(8, "big") + answers[0])
        finally:
            os._exit(0)
    os.close(write_end)
    # Length first: a process the case forked may hold the pipe open long after the reply.
    with os.fdopen(read_end, "rb") as pipe:
        size = int.from_bytes(pipe.read(8) or b"\0", "big")
        answer = pipe.read(size) if size else b""
    _, status = os.waitpid(pid, 0)
    if answer:
        _, status, value = pickle.loads(answer)
        if kind in CASE_REQUESTS and status == "ok":
            value["worker_recycled"] = None  # the child is gone; this process never ran the case
        reply(status, value)
        return
    code = os.waitstatus_to_exitcode(status)
    described = f"killed by signal {-code}" if code < 0 else f"exited with code {code}"
    reply("crash", f"the case's process {described}")


def serve(connection: Connection, mode: str = "restore") -> None:
    processes.interrupts_are_results = True
    isolation.collect_after_side = True
    _tf_internals.tensorflow()
    _append_user_path()
    _limit_memory()
    gc.freeze()  # TensorFlow's heap: never garbage, never scanned again (and shared by forks, unwritten)
    if SUPERSEDE_SIGNAL is not None:
        signal.signal(SUPERSEDE_SIGNAL, _superseded)
    connection.send(("ready", _tf_internals.tensorflow().__version__))

    def reply(status: str, value: Any) -> None:
        connection.send_bytes(_sendable(status, value))

    while True:
        try:
            kind, arguments = connection.recv()
        except (EOFError, OSError):
            return
        if mode == "fresh":
            _answer_in_fork(kind, arguments, reply)
            connection.send(("restored", None))
        else:
            connection.send(("restored", _answer(kind, arguments, reply)))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])), sys.argv[2] if len(sys.argv) > 2 else "restore")
