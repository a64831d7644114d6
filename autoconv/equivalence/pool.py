"""Persistent worker processes with per-task timeouts and crash isolation.

Each worker imports TensorFlow once and then serves many tasks. A task that hangs or kills
its worker costs that worker (restarted on demand), never the run: pytest's rule that a
crashing test does not end the session.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from autoconv import processes
from autoconv.errors import AutoconvError

# Named here, read by the worker (which imports TensorFlow, so the pool cannot import it).
USER_PATH = "AUTOCONV_WORKER_USER_PATH"
EDITOR_FILE = "explorer.py"  # what code typed in the explorer is called in its messages
CELLS_FILE = "notebook_cells.py"  # and a notebook's cells, run by autoconv.check from a kernel
MEMORY_LIMIT = "AUTOCONV_WORKER_MEMORY_LIMIT"  # bytes of address space a worker may add after its start

STARTUP_TIMEOUT = 300.0
SETTLING_TASKS = 20  # a recycling worker's growth counts from its resident size after this many tasks
# The requests whose answer is a CaseReport dict, which says whether its worker was recycled: their
# outcome waits for the worker's "restored" message (any other answer goes out as soon as it comes).
CASE_REQUESTS = ("case", "case_text")


@dataclass
class Outcome:
    """``status`` is ok | error | timeout | crash; ``value`` is the reply or an explanation;
    ``recycled`` says why the worker was replaced after a task that left it untrustworthy."""

    status: str
    value: Any = None
    seconds: float = 0.0
    recycled: str | None = None  # known for a case request's outcome (``CASE_REQUESTS``) only


@dataclass
class Task:
    """A task a worker holds from the moment it is sent until the worker says its process is put
    back. A worker answers first, ``("answer", status, value)``, then puts its process back and says
    whether it can still be trusted, ``("restored", reason or None)``; it gets no new task before
    that second message. ``run`` is the ``WorkerPool.run`` that sent it: a task of a run left
    early (``autoconv serve`` takes its one outcome and goes) only needs its worker settled."""

    run: object
    index: int
    kind: str
    started: float
    answer: Outcome | None = None  # a case's answer, kept until the restore's outcome joins it
    yielded: bool = False  # its outcome went to its run


def worker_environment(memory_limit: int | None = None) -> dict[str, str]:
    """The environment a worker starts with.

    ``PYTHONPATH`` holds only what imports autoconv itself: the parent's whole sys.path may hold
    sample folders whose modules (say, collections.py) would shadow the standard library at
    start-up. The parent's sys.path (the current folder for its ``""``) goes separately, for the
    worker to append to its own once started, so it still finds what the user's targets import
    (a Sphinx page's ``pkg.mod:func`` from the docs folder ``conf.py`` put on sys.path).
    """
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p
    )
    environment[USER_PATH] = os.pathsep.join(p or os.getcwd() for p in sys.path)
    environment.pop(MEMORY_LIMIT, None)
    if memory_limit is not None:
        environment[MEMORY_LIMIT] = str(memory_limit)
    return environment


class Worker:
    """One ``python -m autoconv.equivalence.worker`` child: the only way autoconv starts a process
    that imports TensorFlow (the check, the gallery and the Sphinx extension all use it)."""

    def __init__(self, isolation: str = "restore", memory_limit: int | None = None) -> None:
        parent_end, child_end = socket.socketpair()
        environment = worker_environment(memory_limit)
        self.process = processes.spawn(
            [sys.executable, "-m", "autoconv.equivalence.worker", str(child_end.fileno()), isolation],
            pass_fds=[child_end.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment,
        )
        child_end.close()
        self.connection = Connection(parent_end.detach())
        self.ready = False
        self.tensorflow_version: str | None = None
        self.started = time.monotonic()
        self.tasks = 0  # tasks answered so far
        self.task: Task | None = None  # what it is answering, or putting its process back after
        self.settled: int | None = None  # resident bytes once warmed up: what growth counts from

    def resident(self) -> int | None:
        """The process's resident bytes now (None once it is gone); psutil is imported only here,
        when a pool recycles by memory."""
        import psutil

        try:
            return int(psutil.Process(self.process.pid).memory_info().rss)
        except psutil.Error:
            return None

    def worn(self, after: int | None, growth: int | None) -> str | None:
        """Why this worker should be replaced after the task it just answered, or None: it has
        answered ``after`` tasks, or grown ``growth`` resident bytes beyond its mark after
        ``SETTLING_TASKS`` tasks (the first traces fill TensorFlow's one-time caches)."""
        self.tasks += 1
        if after is not None and self.tasks >= after:
            return f"recycled after {self.tasks} tasks"
        if growth is None or self.tasks < SETTLING_TASKS:
            return None
        resident = self.resident()
        if resident is None or self.settled is None:
            self.settled = resident
            return None
        if resident - self.settled >= growth:
            return f"recycled after growing {(resident - self.settled) / 2 ** 20:.0f} MiB"
        return None

    def supersede(self) -> None:
        """Ask the worker to drop the request it is running (``protocol.Superseded``): it unwinds,
        replies and puts the process back; a request it is not running is not touched."""
        if self.process.poll() is None and hasattr(signal, "SIGUSR1"):
            os.kill(self.process.pid, signal.SIGUSR1)

    def stop(self) -> None:
        """End the worker with everything its user code started (threads die with it, children and
        their children with its process group)."""
        self.connection.close()
        processes.end(self.process)

    def exit_description(self) -> str:
        code = self.process.wait()
        if code < 0:
            return f"the worker process was killed by signal {-code}"
        return f"the worker process exited with code {code}"


ISOLATION_MODES = ("restore", "fresh")


class WorkerPool:
    """Runs tasks ``(kind, arguments)`` on up to ``size`` workers; yields outcomes as they finish.

    ``isolation`` is how each task is kept from the ones before it: ``restore`` runs it in the
    worker and puts the process back afterwards (replacing the worker when it cannot), ``fresh``
    runs it in a child forked from a worker that has imported TensorFlow and nothing else.
    ``memory_limit``: the bytes each worker may add to what it holds once TensorFlow is imported.
    ``recycle_after`` and ``recycle_growth``: a worker is replaced, between tasks, once it has
    answered that many tasks or grown that many resident bytes since its first (a long-lived server
    whose workers would otherwise keep what TensorFlow and the allocator never give back).
    """

    def __init__(self, size: int, isolation: str = "restore", memory_limit: int | None = None,
                 recycle_after: int | None = None, recycle_growth: int | None = None) -> None:
        if isolation not in ISOLATION_MODES:
            raise AutoconvError(f"unknown isolation {isolation!r}; use one of {', '.join(ISOLATION_MODES)}")
        self.size = max(1, size)
        self.isolation = isolation
        self.memory_limit = memory_limit
        self.recycle_after, self.recycle_growth = recycle_after, recycle_growth
        self.workers: list[Worker] = []
        self.tensorflow_version: str | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers.clear()

    def _start(self) -> Worker:
        worker = Worker(self.isolation, self.memory_limit)
        self.workers.append(worker)
        return worker

    def _replace(self, worker: Worker) -> None:
        worker.task = None
        worker.stop()
        self.workers.remove(worker)

    def run(self, tasks: list[tuple[str, tuple[Any, ...]]], timeout: float) -> Iterator[tuple[int, Outcome]]:
        """Each task's ``(index in tasks, Outcome)``, as they finish. ``timeout`` bounds a task from
        its sending until its worker has put its process back; a worker still putting it back after
        an earlier task gets a new one only once it said it could (or is replaced)."""
        run = object()
        pending = deque(enumerate(tasks))
        starting: dict[Worker, float] = {}
        while pending or any(w.task.run is run and not w.task.yielded for w in self.workers if w.task):
            for worker in [w for w in self.workers if w.ready and w.task is None]:
                if not pending:
                    break
                index, (kind, arguments) = pending.popleft()
                worker.connection.send((kind, arguments))
                worker.task = Task(run, index, kind, time.monotonic())
            occupied = sum(w.task is not None for w in self.workers)
            while len(self.workers) < min(self.size, len(pending) + occupied):
                starting[self._start()] = time.monotonic()
            yield from self._wait_once(run, starting, timeout)

    def settle(self, timeout: float) -> None:
        """Wait until every worker has put its process back after its last task, replacing those
        that cannot be trusted: a server between requests (``autoconv serve``), so that a replaced
        worker's successor can start importing at once."""
        while any(w.task is not None for w in self.workers):
            for _ in self._wait_once(None, {}, timeout):
                pass  # tasks of runs already left: nobody waits for their outcomes

    def _wait_once(self, run: object, starting: dict[Worker, float],
                   timeout: float) -> Iterator[tuple[int, Outcome]]:
        now = time.monotonic()
        holding = [w for w in self.workers if w.task is not None]
        deadlines = [w.task.started + timeout for w in holding if w.task]
        deadlines += [started + STARTUP_TIMEOUT for started in starting.values()]
        by_connection = {w.connection: w for w in (*holding, *starting)}
        ready = wait(list(by_connection), timeout=max(0.0, min(deadlines) - now))
        for connection in ready:
            worker = by_connection[connection]
            try:
                message = connection.recv()
            except (EOFError, OSError):
                message = None
            if worker in starting:
                del starting[worker]
                if message is None or message[0] != "ready":
                    self._replace(worker)
                    raise AutoconvError("a worker process failed to start (is TensorFlow importable?)")
                worker.ready, self.tensorflow_version = True, message[1]
                continue
            yield from self._received(worker, message, run)
        now = time.monotonic()
        for worker in holding:
            task = worker.task
            if task is not None and now - task.started >= timeout:
                self._replace(worker)
                if task.run is run and not task.yielded:
                    yield task.index, Outcome("timeout", f"ran past the {timeout:g} s timeout", now - task.started)
        for worker, started in list(starting.items()):
            if now - started >= STARTUP_TIMEOUT:
                self._replace(worker)
                raise AutoconvError("a worker process did not start in time")

    def _received(self, worker: Worker, message: tuple[Any, ...] | None, run: object) -> Iterator[tuple[int, Outcome]]:
        """What one message of a working worker means: ``None`` is its death (while answering or
        putting its process back: a crash either way), then its answer, then its restore's outcome."""
        task = worker.task
        assert task is not None
        seconds = time.monotonic() - task.started
        if message is None:
            description = worker.exit_description()
            self._replace(worker)
            if task.run is run and not task.yielded:
                yield task.index, Outcome("crash", description, seconds)
            return
        if message[0] == "answer":
            _, status, value = message
            if task.kind in CASE_REQUESTS:  # its report says whether its worker was recycled
                task.answer = Outcome(status, value)
            elif task.run is run:
                task.yielded = True
                yield task.index, Outcome(status, value, seconds)
            return
        _, recycled = message  # ("restored", why the process can no longer be trusted, or None)
        worker.task = None
        if recycled:  # the task left state behind that no restore undoes
            self._replace(worker)
        elif self.recycle_after is not None or self.recycle_growth is not None:
            if worker.worn(self.recycle_after, self.recycle_growth):
                self._replace(worker)
        if task.answer is not None and task.run is run:
            answer = task.answer
            if recycled and answer.status == "ok":
                answer.value["worker_recycled"] = recycled
            yield task.index, Outcome(answer.status, answer.value, seconds, recycled)
