"""The processes autoconv starts and the scratch folder they write into: nothing outlives a run.

Worker processes run user code, and user code may start threads, fork, spawn programs or leave
AutoGraph's generated modules in the temp folder. So every helper process starts in its own session
(a process group of its own, which its children join), with the run's own scratch folder as its
``TMPDIR``; ending a process ends its whole group and every descendant still found, and the scratch
folder is removed when the process exits, after a signal as much as after a normal end.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_live: set[subprocess.Popen[bytes]] = set()
_scratch: str | None = None
_lock = threading.Lock()


def scratch_folder() -> str:
    """This run's temp folder (made on first use, removed at exit), for children's ``TMPDIR``."""
    global _scratch
    with _lock:
        if _scratch is None or not os.path.isdir(_scratch):
            _scratch = tempfile.mkdtemp(prefix="autoconv-run-")
            atexit.register(_at_exit)
        return _scratch


def use_scratch_folder() -> str:
    """Point this process's own temp files (AutoGraph's generated modules among them) at the scratch
    folder too: for the command line, which owns its process; never done behind an API caller's back."""
    folder = scratch_folder()
    tempfile.tempdir = folder
    os.environ["TMPDIR"] = folder
    return folder


def _die_with_parent() -> None:
    """In the child, before exec: the kernel kills it if autoconv dies (Linux), and a new session
    gives it, and whatever it starts, a process group of its own."""
    os.setsid()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def spawn(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start a helper process that ``end`` (or the end of the run) will take down with its children."""
    environment = dict(options.pop("env", None) or os.environ)
    environment["TMPDIR"] = scratch_folder()
    process = subprocess.Popen(command, env=environment, preexec_fn=_die_with_parent, **options)
    _live.add(process)
    return process


def _descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid``, found through psutil (any platform)."""
    import psutil

    try:
        return [child.pid for child in psutil.Process(pid).children(recursive=True)]
    except psutil.Error:  # gone, or not ours to read
        return []


def end(process: subprocess.Popen[bytes]) -> None:
    """Kill the process, its process group and every descendant still found, and reap it."""
    if process.poll() is None:
        descendants = _descendants(process.pid)
        for kill in (lambda: os.killpg(process.pid, signal.SIGKILL), process.kill):
            try:
                kill()
            except (ProcessLookupError, PermissionError):
                pass
        for pid in descendants:  # those that left the group with a session of their own
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # children the process left behind
        except (ProcessLookupError, PermissionError):
            pass
    process.wait()
    _live.discard(process)


def end_all() -> None:
    """End every helper process still running (the end of a command, or a signal)."""
    for process in list(_live):
        end(process)


def _at_exit() -> None:
    """End what is left and remove the scratch folder: only at exit, since AutoGraph's cached
    conversions point at modules in it for as long as this process lives."""
    global _scratch
    end_all()
    with _lock:
        if _scratch is not None:
            shutil.rmtree(_scratch, ignore_errors=True)
            if tempfile.tempdir == _scratch:
                tempfile.tempdir = None
            _scratch = None


class Interrupted(KeyboardInterrupt):
    """Ctrl-C reaching autoconv while it runs user code in its own process (the SIGINT handler of
    ``user_code_contained`` raises it), told apart from user code raising KeyboardInterrupt
    itself, which is that call's result."""


# Whether a KeyboardInterrupt that is not ``Interrupted`` is a call's result. It is in a worker (a
# session of its own: no terminal's Ctrl-C reaches it) and inside ``user_code_contained``, where a
# real Ctrl-C arrives as ``Interrupted``. In a caller's own process (a notebook's interrupt button,
# a script calling the API) it may be the user stopping the work, so it stops the work.
interrupts_are_results = False


def raised_by_user_code(error: BaseException) -> bool:
    """Whether an exception that escaped a user's call is what the call did (reported, and the
    run goes on: SystemExit and a raised KeyboardInterrupt included), rather than autoconv being
    stopped (a real Ctrl-C, SIGTERM or SIGHUP, or autoconv's own timeout)."""
    if isinstance(error, (Interrupted, Stop)):
        return False
    if isinstance(error, KeyboardInterrupt):
        return interrupts_are_results
    return True


class Stop(BaseException):
    """Raised into user code by autoconv itself to stop it; never the result of a user's call."""


class Terminated(Stop):
    """SIGTERM or SIGHUP, raised in the main thread so that every ``with`` block unwinds; never
    the result of a user's call (the protocol lets it through, as KeyboardInterrupt)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOP_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)
PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper() -> bool:
    """Linux: orphans of our descendants (a double-forked daemon) become our children, so they can
    be found and ended. Elsewhere they go to init: only what is still our descendant is ended."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _own_descendants() -> set[int]:
    """Every live descendant of this process."""
    return set(_descendants(os.getpid()))


def end_descendants(spared: set[int]) -> None:
    """Kill and reap every descendant not in ``spared`` (those that were there before)."""
    helpers = {process.pid for process in _live}
    doomed = _own_descendants() - spared - helpers
    for pid in doomed:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    for pid in doomed:
        try:
            os.waitpid(pid, 0)  # ours (a child, or an orphan reparented to us): reaped
        except (ChildProcessError, OSError):
            pass


@contextmanager
def user_code_contained(stop: Callable[[int, Any], None]) -> Iterator[None]:
    """Run a command whose user code runs in this process: ``stop`` stays the handler of SIGINT,
    SIGTERM and SIGHUP whatever handler the code installs (it is recorded, not installed), and
    every process the code started, daemons that double-forked included, ends with the block."""
    spared = _own_descendants()
    _become_subreaper()
    install = signal.signal
    user_handlers: dict[int, Any] = {}

    def recorded(signum: int, handler: Any) -> Any:
        if signum in STOP_SIGNALS:
            previous = user_handlers.get(signum, signal.getsignal(signum))
            user_handlers[signum] = handler
            return previous
        return install(signum, handler)

    global interrupts_are_results
    main_thread = threading.current_thread() is threading.main_thread()
    saved = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    interrupts_before = interrupts_are_results
    if main_thread:
        for signum in STOP_SIGNALS:
            install(signum, stop)
        signal.signal = recorded
        interrupts_are_results = True  # a real Ctrl-C now arrives as Interrupted
    try:
        yield
    finally:
        interrupts_are_results = interrupts_before
        if main_thread:
            signal.signal = install
            for signum, handler in saved.items():
                if handler is not None:
                    install(signum, handler)
        end_descendants(spared)
