"""Capture what a piece of code writes to file descriptors 1 and 2.

``sys.stdout`` redirection is not enough: ``tf.print`` and TensorFlow's C++ logging write to
fd 2 directly, so both descriptors are swapped for temporary files at the OS level.
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Captured:
    """What was written, exactly (``*_bytes``, for comparing) and as text to show (undecodable
    bytes replaced)."""

    stdout_bytes: bytes = b""
    stderr_bytes: bytes = b""

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8", errors="replace")


def _flush_python_streams() -> None:
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass


@contextmanager
def capture_fds() -> Iterator[Captured]:
    """Yields a ``Captured`` that is filled in when the block ends, even if it raised."""
    captured = Captured()
    _flush_python_streams()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    files = {fd: tempfile.TemporaryFile() for fd in (1, 2)}
    saved_streams = sys.stdout, sys.stderr
    try:
        for fd, file in files.items():
            os.dup2(file.fileno(), fd)
        # A host such as pytest may have replaced sys.stdout with an object that is not fd 1.
        sys.stdout, sys.stderr = (open(fd, "w", buffering=1, errors="replace", closefd=False) for fd in (1, 2))
        yield captured
    finally:
        _flush_python_streams()
        sys.stdout, sys.stderr = saved_streams
        for fd, original in saved.items():
            os.dup2(original, fd)
            os.close(original)
        written = []
        for file in files.values():
            file.seek(0)
            written.append(file.read())
            file.close()
        captured.stdout_bytes, captured.stderr_bytes = written


@contextmanager
def silenced() -> Iterator[None]:
    """Hide fds 1 and 2 for a moment (TensorFlow's import banner), whatever writes to them."""
    with capture_fds():
        yield
