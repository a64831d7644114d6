"""From what the user typed to the Python object it names.

A target is a sample name, ``path/to/file.py:func`` (``file.py:Class.method`` too), or
``package.module:func``. Files are loaded afresh under a new module name every time, which is
what gives each side of a check its own module state.
"""
from __future__ import annotations

import importlib
import importlib.util
import itertools
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from autoconv import _tf_internals, catalogue
from autoconv.errors import AutoconvError
from autoconv.samples import Sample, SampleDeclarationError, declared_in, forget

_load_counter = itertools.count()
_loaded_names: list[str] = []  # the modules load_file made, until unload_user_modules forgets them


def _innermost_frame(error: BaseException, in_file: Callable[[Path], bool]) -> str | None:
    """``file:line`` of the innermost frame of ``error`` in a file ``in_file`` accepts."""
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if in_file(Path(frame.filename)):
            found = f"{frame.filename}:{frame.lineno}"
    return found


def _where_it_failed(path: Path, error: BaseException) -> str:
    """``file:line`` of the innermost frame in the user's file, so the message points at their code."""
    found = _innermost_frame(error, lambda frame_file: frame_file.resolve() == path.resolve())
    return f"{path}:{found.rpartition(':')[2]}" if found else str(path)


def _raised(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def load_file(path: str | Path, compiled: CodeType | None = None) -> ModuleType:
    """Execute ``path`` as a brand-new module; errors become one-line AutoconvErrors.

    ``compiled`` is the file's code compiled already (the explorer's editor code): each load is
    still a module of its own, but its functions share their code objects, and AutoGraph's
    conversions, cached by code object, are made once for all of them.

    Only what the user's module raises is caught (SystemExit too: ``sys.exit(3)`` on import is
    bad input, not autoconv's exit code); KeyboardInterrupt and the check's own timeout, which
    are not Exceptions, stay the caller's.
    """
    path = Path(path)
    catalogue.read_source(path)  # a folder, a binary or undecodable file: said plainly, before Python tries
    module_name = f"autoconv_user_{path.stem}_{next(_load_counter)}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise AutoconvError(f"cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        # Sibling helper modules import as they would when run directly; appended, not
        # prepended, so a sample file named like a standard module cannot shadow it.
        sys.path.append(folder)
    _tf_internals.tensorflow()  # imported quietly here, before the user's file imports it noisily
    sys.modules[module_name] = module
    _loaded_names.append(module_name)
    try:
        if compiled is None:
            spec.loader.exec_module(module)
        else:
            exec(compiled, module.__dict__)  # noqa: S102 - the user's own file, as exec_module would run it
    except SyntaxError as error:
        del sys.modules[module_name]
        raise _syntax_error(error, path) from None
    except SampleDeclarationError as error:
        del sys.modules[module_name]
        raise AutoconvError(f"{_where_it_failed(path, error)}: {error}") from None
    except (Exception, SystemExit) as error:
        del sys.modules[module_name]
        forget(module_name)
        raise AutoconvError(f"{_where_it_failed(path, error)}: loading raised {_raised(error)}") from None
    return module


def _is_module_file(frame_file: Path, module_name: str) -> bool:
    """Whether ``frame_file`` is where ``module_name`` lives: ``pkg/mod.py`` or ``pkg/mod/__init__.py``."""
    stem = frame_file.with_suffix("")
    parts = stem.parts[:-1] if stem.name == "__init__" else stem.parts
    names = tuple(module_name.split("."))
    return parts[-len(names):] == names


def _syntax_error(error: SyntaxError, where: str | Path) -> AutoconvError:
    line = f":{error.lineno}" if error.lineno else ""
    return AutoconvError(f"{error.filename or where}{line}: syntax error: {error.msg}")


def import_module(name: str) -> ModuleType:
    """``importlib.import_module`` whose every failure (SystemExit included) is one line naming where."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise AutoconvError(f"cannot import {name!r}: {error}") from None
    except SyntaxError as error:
        raise _syntax_error(error, name) from None
    except (Exception, SystemExit) as error:
        where = _innermost_frame(error, lambda frame_file: _is_module_file(frame_file, name))
        raise AutoconvError(f"{where or name}: importing {name!r} raised {_raised(error)}") from None


def samples_of(module: ModuleType) -> list[Sample]:
    return declared_in(module.__name__)


def load_samples(paths: list[str] | None) -> list[Sample]:
    """All samples of the given files and folders, refusing duplicate names."""
    found: list[Sample] = []
    seen: dict[str, Sample] = {}
    for path in catalogue.sample_files(paths):
        for declared in samples_of(load_file(path)):
            if declared.name in seen:
                raise AutoconvError(
                    f"duplicate sample name {declared.name!r}: {seen[declared.name].location} and {declared.location}"
                )
            seen[declared.name] = declared
            found.append(declared)
    return found


def find_sample(name: str, paths: list[str] | None) -> Sample:
    """Load only the file that declares ``name`` when the declarations say which one it is."""
    for declaration in catalogue.read_all(paths):
        if declaration.name == name:
            for declared in samples_of(load_file(declaration.filename)):
                if declared.name == name:
                    return declared
    for declared in load_samples(paths):
        if declared.name == name:
            return declared
    raise AutoconvError(f"unknown sample or target: {name!r} (see 'autoconv list')")


def _attribute_path(root: Any, qualname: str, where: str) -> Any:
    obj = root
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise AutoconvError(f"{where} has no {qualname!r}") from None
    return obj


@dataclass
class Resolved:
    """What a target string named; ``sample`` is set when it named a declared sample."""

    obj: Any
    label: str
    sample: Sample | None = None
    path: Path | None = None
    qualname: str | None = None
    method_of: type | None = None  # ``Class.method`` named through its class: calls need an instance first


def resolve(target: str, sample_paths: list[str] | None = None) -> Resolved:
    if ":" not in target:
        declared = find_sample(target, sample_paths)
        return Resolved(declared.obj, declared.name, declared, Path(declared.filename), None)
    where, _, qualname = target.rpartition(":")
    if not qualname:
        raise AutoconvError(f"target {target!r} names no function after ':'")
    if where.endswith(".py") or "/" in where or "\\" in where:
        module = load_file(where)
        path: Path | None = Path(where)
    else:
        module = import_module(where)
        path = Path(module.__file__) if getattr(module, "__file__", None) else None
    obj = _attribute_path(module, qualname, where)
    if not callable(obj):
        raise AutoconvError(f"{target} is a {type(obj).__name__}, not a function")
    declared = next((s for s in samples_of(module) if s.obj is obj), None)
    return Resolved(obj, qualname, declared, path, qualname, _method_owner(module, qualname))


def _method_owner(module: ModuleType, qualname: str) -> type | None:
    """The class when ``qualname`` is ``Class.method`` of a plain method (not static, not class)."""
    owner_path, _, name = qualname.rpartition(".")
    if not owner_path:
        return None
    owner = _attribute_path(module, owner_path, "")
    if not isinstance(owner, type):
        return None
    raw = next((vars(klass)[name] for klass in owner.__mro__ if name in vars(klass)), None)
    return None if raw is None or isinstance(raw, (staticmethod, classmethod)) else owner


def unload_user_modules() -> None:
    """Forget every user module loaded so far, so a long-lived worker does not keep them all.
    By their names as ``load_file`` gave them: sys.modules holds thousands of TensorFlow's."""
    while _loaded_names:
        module_name = _loaded_names.pop()
        sys.modules.pop(module_name, None)
        forget(module_name)
