"""Process-wide state that a sample may change, put back after each side of a case.

A worker serves many cases, so whatever one sample changes in the process (the working folder,
``builtins.print``, ``tf.config.run_functions_eagerly``, warning filters, ``os.environ``...) would
otherwise change the verdicts of the cases after it. ``ProcessState.capture()`` before a side and
``restore()`` after it put back everything that can be put back, and say why the process can no
longer be trusted when something cannot (a thread or child process still running, eager
execution switched off): the pool then replaces the worker before its next case.
"""
from __future__ import annotations

import ctypes
import faulthandler
import gc
import locale
import logging
import os
import signal
import socket
import sys
import sysconfig
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from autoconv import _tf_internals
from autoconv.fdcapture import capture_fds
from autoconv.samples import forget

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

# Modules whose attributes samples replace (``tf.print = ...``, ``np.random.rand = ...``,
# ``time.time = ...``); TensorFlow's public API modules and switch-holding internals are added.
_PLAIN_MODULES = ("builtins", "random", "time", "math", "os", "os.path", "warnings", "json", "numpy",
                  "numpy.random", "numpy.linalg", "logging")
_SIGNALS = sorted(set(signal.valid_signals()) - {signal.SIGKILL, signal.SIGSTOP}) if hasattr(signal, "SIGKILL") else []
_LIMITS = [getattr(resource, name) for name in ("RLIMIT_NOFILE", "RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_STACK",
           "RLIMIT_DATA", "RLIMIT_FSIZE", "RLIMIT_CORE") if hasattr(resource, name)] if resource else []

_TIMERS = [getattr(signal, name) for name in ("ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF")
           if hasattr(signal, name)]

_WORKER_PID = os.getpid()


def leave_if_forked() -> None:
    """A child forked by user code must never run autoconv's side of the worker (or reply for it)."""
    if os.getpid() != _WORKER_PID:
        os._exit(0)


def adopt_this_process() -> None:
    """In a child autoconv forked on purpose (``--isolation fresh``): this process is the worker now."""
    global _WORKER_PID
    _WORKER_PID = os.getpid()


# An audit hook cannot be removed, nor can the hooks be listed: ``sys.addaudithook`` is wrapped
# on the first capture, so a side that adds one is known (and its worker replaced).
_audit_hooks_added = [0]
_add_audit_hook = sys.addaudithook


def _counting_add_audit_hook(hook: Callable[[str, tuple[Any, ...]], Any]) -> None:
    _audit_hooks_added[0] += 1
    _add_audit_hook(hook)


def _watch_audit_hooks() -> int:
    if sys.addaudithook is not _counting_add_audit_hook:
        sys.addaudithook = _counting_add_audit_hook
    return _audit_hooks_added[0]


@dataclass
class Setting:
    """One process-wide value with a getter and a setter: restored by writing the old value back."""

    name: str
    read: Callable[[], Any]
    write: Callable[[Any], None]


def _settings() -> list[Setting]:
    import numpy as np

    settings = [
        Setting("working folder", os.getcwd, os.chdir),
        Setting("sys.path", lambda: list(sys.path), lambda v: sys.path.__setitem__(slice(None), v)),
        Setting("sys.meta_path", lambda: list(sys.meta_path), lambda v: sys.meta_path.__setitem__(slice(None), v)),
        Setting("sys.path_hooks", lambda: list(sys.path_hooks), lambda v: sys.path_hooks.__setitem__(slice(None), v)),
        Setting("os.environ", lambda: dict(os.environ), _write_environ),
        Setting("warning filters", lambda: list(warnings.filters), _write_warning_filters),
        Setting("recursion limit", sys.getrecursionlimit, sys.setrecursionlimit),
        Setting("switch interval", sys.getswitchinterval, sys.setswitchinterval),
        Setting("standard streams", lambda: (sys.stdin, sys.stdout, sys.stderr), _write_streams),
        Setting("hooks", lambda: (sys.displayhook, sys.excepthook, sys.unraisablehook), _write_hooks),
        Setting("trace function", sys.gettrace, sys.settrace),
        Setting("profile function", sys.getprofile, sys.setprofile),
        Setting("umask", _read_umask, os.umask),
        Setting("garbage collector", lambda: (gc.isenabled(), gc.get_threshold()), _write_gc),
        Setting("gc callbacks", lambda: list(gc.callbacks), lambda v: gc.callbacks.__setitem__(slice(None), v)),
        Setting("faulthandler", faulthandler.is_enabled, _write_faulthandler),
        Setting("socket timeout", socket.getdefaulttimeout, socket.setdefaulttimeout),
        Setting("locale", lambda: locale.setlocale(locale.LC_ALL), lambda v: locale.setlocale(locale.LC_ALL, v)),
        Setting("numpy errors", np.geterr, lambda v: np.seterr(**v)),
        Setting("numpy print options", np.get_printoptions, lambda v: np.set_printoptions(**v)),
        Setting("logging", _read_logging, _write_logging),
        Setting("signal handlers", _read_signals, _write_signals),
    ]
    settings += [Setting(f"interval timer {which}", lambda w=which: signal.getitimer(w),
                         lambda v, w=which: signal.setitimer(w, *v)) for which in _TIMERS]
    if _libc_environ() is not None:
        settings.append(Setting("process environment", _libc_environ, _write_process_environment))
    if hasattr(sys, "get_int_max_str_digits"):
        settings.append(Setting("int digits", sys.get_int_max_str_digits, sys.set_int_max_str_digits))
    if _LIMITS:
        settings.append(Setting("resource limits", _read_limits, _write_limits))
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        settings += [Setting(name, read, write) for name, read, write in _tf_internals.config_settings()]
        settings += [Setting(name, read, write) for name, read, write in _tf_internals.switches()]
    settings += [Setting(name, read, write) for name, read, write in _tf_internals.keras_settings()]
    keras = sys.modules.get("keras")
    keras_config = getattr(keras, "config", None)
    for name in ("floatx", "image_data_format", "epsilon", "dtype_policy"):
        if hasattr(keras_config, name) and hasattr(keras_config, f"set_{name}"):
            settings.append(Setting(f"keras.config.{name}", getattr(keras_config, name), getattr(keras_config, f"set_{name}")))
    return settings


def _write_environ(saved: dict[str, str]) -> None:
    for key in [k for k in os.environ if k not in saved]:
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _libc_environ() -> dict[bytes, bytes] | None:
    """The C library's environment, which ``os.putenv`` and ``os.unsetenv`` change behind
    ``os.environ``'s back (and which child processes and TensorFlow's C++ read); None where
    it cannot be read (Windows)."""
    if os.name != "posix":
        return None
    try:
        entries = ctypes.POINTER(ctypes.c_char_p).in_dll(ctypes.CDLL(None), "environ")
    except (OSError, ValueError):
        return None
    found: dict[bytes, bytes] = {}
    index = 0
    while entries[index] is not None:
        key, _, value = entries[index].partition(b"=")
        found[key] = value
        index += 1
    return found


def _write_process_environment(saved: dict[bytes, bytes]) -> None:
    current = _libc_environ() or {}
    for key in [k for k in current if k not in saved]:
        os.unsetenv(key)
    for key, value in saved.items():
        if current.get(key) != value:
            os.putenv(key, value)


def _write_faulthandler(enabled: bool) -> None:
    faulthandler.enable() if enabled else faulthandler.disable()


def _write_warning_filters(saved: list[Any]) -> None:
    warnings.filters[:] = saved
    warnings._filters_mutated()  # the module caches the filters' version; tell it they changed


def _write_streams(saved: tuple[Any, Any, Any]) -> None:
    sys.stdin, sys.stdout, sys.stderr = saved


def _write_hooks(saved: tuple[Any, Any, Any]) -> None:
    sys.displayhook, sys.excepthook, sys.unraisablehook = saved


def _read_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _write_gc(saved: tuple[bool, tuple[int, ...]]) -> None:
    enabled, threshold = saved
    gc.enable() if enabled else gc.disable()
    gc.set_threshold(*threshold)


def _loggers() -> list[logging.Logger]:
    manager = logging.Logger.manager
    return [logging.getLogger()] + [lg for lg in list(manager.loggerDict.values()) if isinstance(lg, logging.Logger)]


def _read_logging() -> tuple[int, dict[str, tuple[Any, ...]]]:
    return logging.root.manager.disable, {
        lg.name: (lg.level, lg.disabled, lg.propagate, tuple(lg.handlers)) for lg in _loggers()
    }


def _write_logging(saved: tuple[int, dict[str, tuple[Any, ...]]]) -> None:
    disable, loggers = saved
    logging.disable(disable)
    for logger in _loggers():
        if logger.name in loggers:
            logger.level, logger.disabled, logger.propagate, handlers = loggers[logger.name]
            logger.handlers = list(handlers)
        else:  # a logger the sample made: quiet again, as a fresh process would have it
            logger.setLevel(logging.NOTSET)
            logger.handlers = []
    logging.Logger.manager._clear_cache()


def _read_signals() -> dict[int, Any]:
    return {number: signal.getsignal(number) for number in _SIGNALS}


def _write_signals(saved: dict[int, Any]) -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for number, handler in saved.items():
        if handler is not None and signal.getsignal(number) != handler:
            signal.signal(number, handler)


def _read_limits() -> dict[int, tuple[int, int]]:
    return {limit: resource.getrlimit(limit) for limit in _LIMITS}


def _write_limits(saved: dict[int, tuple[int, int]]) -> None:
    for limit, value in saved.items():
        if resource.getrlimit(limit) != value:
            resource.setrlimit(limit, value)  # raises when a hard limit was lowered: unrestorable


def _same(a: Any, b: Any) -> bool:
    try:
        return a is b or bool(a == b)
    except Exception:  # values whose == gives an array or raises: only identity counts
        return False


def _namespaces() -> list[Any]:
    """Modules and classes whose attributes are compared and put back one by one."""
    modules = [sys.modules[name] for name in _PLAIN_MODULES if name in sys.modules]
    modules += _tf_internals.state_modules()
    return modules + _tf_internals.state_classes()


def _attributes(namespace: Any) -> dict[str, Any]:
    return dict(vars(namespace))


def _restore_attributes(namespace: Any, saved: dict[str, Any]) -> bool:
    """Put back replaced and removed attributes and drop added ones; True if anything changed."""
    current = vars(namespace)
    try:
        if current == saved:
            return False
    except Exception:  # an attribute replaced by something whose == is not a bool
        pass
    changed = False
    for key, value in saved.items():
        if key not in current or current[key] is not value:
            setattr(namespace, key, value)
            changed = True
    for key in [k for k in current if k not in saved]:
        if not isinstance(current[key], ModuleType):  # a submodule imported meanwhile is no change
            delattr(namespace, key)
            changed = True
    return changed


def _library_roots() -> tuple[str, ...]:
    """Folders whose modules are the interpreter's and installed packages': kept once imported,
    as a fresh worker has them (a second copy of TensorFlow's modules would break it)."""
    paths = sysconfig.get_paths()
    roots = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    roots.add(str(Path(__file__).resolve().parents[1]))  # autoconv itself
    return tuple(os.path.join(os.path.realpath(root), "") for root in roots)


_LIBRARY_ROOTS = _library_roots()
_BUILTIN_SAMPLES = os.path.join(str(Path(__file__).resolve().parents[1]), "builtin_samples", "")


def _is_user_module(module: Any) -> bool:
    """A module of the user's (a sample's helper.py, a package next to it), by where it lives."""
    locations = [getattr(module, "__file__", None)] + list(getattr(module, "__path__", None) or [])
    locations = [os.path.realpath(location) for location in locations if isinstance(location, str)]
    return bool(locations) and not all(
        location.startswith(_LIBRARY_ROOTS) and not location.startswith(_BUILTIN_SAMPLES) for location in locations)


def _remove_imported_modules(before: dict[str, Any]) -> list[str]:
    """Forget the user modules imported since ``before``: the next side imports its own helpers
    afresh, from its own folder (two sample folders may each have a ``helper.py``)."""
    added = sys.modules.keys() - before.keys()  # a set difference in C: sys.modules holds thousands
    removed = [name for name in added if name in sys.modules and _is_user_module(sys.modules[name])]
    for name in removed:
        del sys.modules[name]
        forget(name)
    return removed


# Set by a worker, which owns its process: after each side the garbage is collected and what
# survives frozen (``gc.freeze``), so the next collection reads only what later sides make; a full
# collection of TensorFlow's heap costs a large part of a second. A user's own process (an
# in-process check) is left as it is.
collect_after_side = False


def _run_finalisers() -> None:
    """Collect what the side left behind now, its finalisers' output captured and dropped: in a
    fresh process they would run at exit (or never), not during a later case."""
    if not collect_after_side:
        return
    with capture_fds():
        gc.collect()
    gc.freeze()


def _child_pids() -> set[int]:
    """This process's children, found through psutil (any platform)."""
    import psutil

    try:
        return {child.pid for child in psutil.Process().children()}
    except psutil.Error:
        return set()


def _has_no_children() -> bool:
    """True when this process has no child process at all, asked of the kernel in one system call
    (``waitpid(-1, WNOHANG)`` fails with ECHILD): psutil finds children by reading every process
    on the machine (a millisecond or two, twice per isolated request). A child that has already
    exited is reaped by the question, as ``_children`` reaps it anyway."""
    if not hasattr(os, "WNOHANG"):
        return False
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _children() -> set[int]:
    """Live child processes of this process; zombies are reaped, not counted."""
    if _has_no_children():
        return set()
    found = _child_pids()
    alive = set()
    for pid in found:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        if not finished:
            alive.add(pid)
    return alive


@dataclass
class ProcessState:
    settings: list[tuple[Setting, Any]] = field(default_factory=list)
    namespaces: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    modules: dict[str, Any] = field(default_factory=dict)
    threads: set[threading.Thread] = field(default_factory=set)
    children: set[int] = field(default_factory=set)
    runtime: dict[str, Any] = field(default_factory=dict)
    audit_hooks: int = 0
    restored: list[str] = field(default_factory=list)  # what the last restore() had to put back

    @classmethod
    def capture(cls) -> ProcessState:
        state = cls()
        for setting in _settings():
            try:
                state.settings.append((setting, setting.read()))
            except Exception:  # a setting this platform cannot read is not ours to guard
                continue
        state.namespaces = [(ns, _attributes(ns)) for ns in _namespaces()]
        state.modules = dict(sys.modules)
        state.threads = set(threading.enumerate())
        state.children = _children()
        state.runtime = _tf_internals.unrestorable_state()
        state.audit_hooks = _watch_audit_hooks()
        return state

    def restore(self) -> str | None:
        """Put back what can be; the reason the process cannot be trusted any more, or None."""
        self.restored = []
        unrestorable = None
        if _remove_imported_modules(self.modules):
            self.restored.append("modules imported by the sample")
        _run_finalisers()
        faulthandler.cancel_dump_traceback_later()  # cannot be read: a fresh process has none
        for namespace, saved in self.namespaces:
            if _restore_attributes(namespace, saved):
                self.restored.append(getattr(namespace, "__name__", repr(namespace)))
        if sys.modules != self.modules:  # modules compare by identity: one pass in C when unchanged
            for name, module in self.modules.items():
                if sys.modules.get(name) is not module:
                    sys.modules[name] = module
                    self.restored.append(f"sys.modules[{name!r}]")
        for setting, saved in self.settings:
            try:
                if not _same(setting.read(), saved):
                    setting.write(saved)
                    self.restored.append(setting.name)
            except Exception as error:
                unrestorable = unrestorable or f"{setting.name} could not be put back ({type(error).__name__})"
        return unrestorable or self._unrestorable_after()

    def _unrestorable_after(self) -> str | None:
        if _audit_hooks_added[0] != self.audit_hooks:
            return "the sample added an audit hook, which cannot be removed"
        runtime = _tf_internals.unrestorable_state()
        for name, value in self.runtime.items():
            if runtime.get(name) != value:
                return f"the sample changed TensorFlow's {name}, which cannot be put back"
        started = [t for t in threading.enumerate() if t not in self.threads and t.is_alive()]
        for thread in started:
            thread.join(0.05)
        if any(t.is_alive() for t in started):
            return "a thread started by the sample is still running"
        for _ in range(10):  # a child on its way out gets a moment to finish
            if not _children() - self.children:
                break
            time.sleep(0.01)
        else:
            return "a process started by the sample is still running"
        return None


@contextmanager
def restored_afterwards(reasons: list[str]) -> Iterator[None]:
    """Run a block, then put the process back; a reason it could not be is appended to ``reasons``."""
    state = ProcessState.capture()
    try:
        yield
    finally:
        leave_if_forked()
        reason = state.restore()
        if reason:
            reasons.append(reason)


