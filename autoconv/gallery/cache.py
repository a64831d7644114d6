"""What the gallery and the Sphinx extension remember between builds, and how they write files.

A result is reused when the sha256 of its source file's bytes, autoconv's and TensorFlow's
versions and the options that shaped it are all unchanged (sphinx-gallery's content hash).
TensorFlow's version is read from the installed distribution's metadata: importing TensorFlow
to ask would cost the seconds an unchanged rebuild exists to save.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from autoconv import __version__

TENSORFLOW_DISTRIBUTIONS = ("tensorflow", "tf-nightly", "tensorflow-cpu", "tensorflow-macos")
CACHE_FORMAT = 7  # bump when what the gallery or the extension stores changes shape


@functools.cache
def tensorflow_version() -> str:
    """The installed TensorFlow's version, without importing it; "unknown" if none is found."""
    for distribution in TENSORFLOW_DISTRIBUTIONS:
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def content_key(source: bytes, options: dict[str, Any]) -> str:
    """sha256 over the source bytes, both versions and the options, in a stable order."""
    digest = hashlib.sha256(source)
    digest.update(json.dumps(
        {"autoconv": __version__, "tensorflow": tensorflow_version(), "format": CACHE_FORMAT, "options": options},
        sort_keys=True,
    ).encode())
    return digest.hexdigest()


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` atomically (temp file in the same folder, then ``os.replace``).

    Returns False, touching nothing, when the file already holds exactly this text: an unchanged
    rebuild leaves every mtime alone, so whatever serves or syncs the output sees no change.
    """
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide pages from a web server
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True


class JsonStore:
    """A folder of JSON entries named by a key; a missing or unreadable entry is simply absent."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def get(self, name: str) -> Any:
        try:
            return json.loads(self.path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, name: str, value: Any) -> None:
        write_if_changed(self.path(name), json.dumps(value, indent=1, sort_keys=True) + "\n")

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(name).unlink()


# Stands for the folder of the samples file in what the cache keeps: the cache sits in the built
# site, which may be published whole, and must not carry a path of the machine that built it.
FOLDER_MARK = "\x00samples folder\x00"


def _with_folder(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, list):
        return [_with_folder(item, old, new) for item in value]
    if isinstance(value, dict):
        return {key: _with_folder(item, old, new) for key, item in value.items()}
    return value


def portable(value: Any, folder: str) -> Any:
    """JSON data with ``folder`` written as ``FOLDER_MARK`` (``localised`` puts it back)."""
    return _with_folder(value, folder, FOLDER_MARK)


def localised(value: Any, folder: str) -> Any:
    """JSON data that ``portable`` wrote, with its folder put back: where the file is now."""
    return _with_folder(value, FOLDER_MARK, folder)


def path_key(path: str | os.PathLike[str]) -> str:
    """A file name for a source path's cache entry: stable, and safe whatever the path holds."""
    return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:24]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    """The sha256 of a regular file's bytes; None for anything else (missing, a folder, unreadable)."""
    try:
        return sha256_hex(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None


def inside(root: Path, relative: object) -> Path | None:
    """``root / relative`` if ``relative`` is a plain relative path whose target stays under ``root``.

    A recorded path is someone else's text (a manifest can be edited): ``..``, an absolute path,
    a drive, or a symlink on the way that leads out of ``root`` all give None.
    """
    if not isinstance(relative, str) or not relative or "\x00" in relative or "\\" in relative:
        return None
    path = PurePosixPath(relative)
    if path.is_absolute() or PureWindowsPath(relative).anchor or ".." in path.parts:
        return None
    try:
        real_root, real = root.resolve(), (root / path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return root / path if real != real_root and real.is_relative_to(real_root) else None
