"""Exception messages as a user should read them, and the same from one run to the next.

TensorFlow puts stack traces inside its messages ("defined at (most recent call last): File ...").
Those list every frame: the interpreter's, TensorFlow's, autoconv's own worker and protocol, and
AutoGraph's generated module with its random name. Only the user's frames say anything about the
user's code, and absolute paths and memory addresses make two runs of one check differ.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sysconfig
from pathlib import Path

from autoconv.equivalence.compare import without_addresses

# ECMA-48 control sequences: Keras 3 bolds words of its messages for a terminal ("\x1b[1m")
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_FRAME = re.compile(r'^(?P<indent>\s*)File "(?P<path>[^"]+)", line (?P<line>\d+)(?P<rest>.*)$')
_AUTOCONV_ROOT = str(Path(__file__).resolve().parents[1]) + os.sep


def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if paths.get(key)}
    return tuple(sorted(str(Path(root).resolve()) + os.sep for root in roots))


_LIBRARY_ROOTS = _library_roots()


def _builtin_samples_root() -> str | None:
    spec = importlib.util.find_spec("autoconv.builtin_samples")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return str(Path(locations[0]).resolve()) + os.sep if locations else None


_SAMPLES_ROOT = _builtin_samples_root()


def is_user_frame(path: str) -> bool:
    """A frame of the user's own code (the built-in samples count): not autoconv itself, not the
    standard library or an installed package, not AutoGraph's generated module."""
    if path.startswith("<") or "__autograph_generated_file" in path:
        return False
    resolved = str(Path(path).resolve())
    if _SAMPLES_ROOT and resolved.startswith(_SAMPLES_ROOT):
        return True
    return not resolved.startswith((_AUTOCONV_ROOT, *_LIBRARY_ROOTS))


def shown_path(path: str) -> str:
    """Relative to the working folder when the file is inside it; otherwise as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def shown_location(location: str) -> str:
    """``path:line`` with the path as ``shown_path`` gives it."""
    path, separator, line = location.rpartition(":")
    return f"{shown_path(path)}:{line}" if separator and line.isdigit() else location


def clean_message(message: str) -> str:
    """The message with only the user's frames (paths made relative), no memory addresses and no
    terminal colour codes: every view shows it as text, and a page would print the codes."""
    lines = _TERMINAL_CODES.sub("", message).splitlines()
    kept: list[str] = []
    skipping_indent: int | None = None
    for line in lines:
        frame = _FRAME.match(line)
        if frame:
            if is_user_frame(frame["path"]):
                skipping_indent = None
                kept.append(f'{frame["indent"]}File "{shown_path(frame["path"])}", line {frame["line"]}{frame["rest"]}')
            else:
                skipping_indent = len(frame["indent"])
            continue
        if skipping_indent is not None:
            indent = len(line) - len(line.lstrip())
            if line.strip() and indent > skipping_indent:
                continue  # the source line printed under a dropped frame
            skipping_indent = None
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text)  # dropped frames leave runs of blank lines
    return without_addresses(text)


SHORTENED = " […]"


def shortened_message(message: str, limit: int = 300) -> str:
    """``message`` in at most about ``limit`` characters, cut at a line or word boundary and marked
    with ``[…]``, never inside a word (a type name or path cut in half reads as a different one)."""
    text = message.rstrip()
    if len(text) <= limit:
        return text
    head = text[:limit]
    at_line = head.rfind("\n")
    at_word = max(head.rfind(" "), head.rfind("\t"))
    cut = at_line if at_line >= limit // 2 else at_word
    if cut <= 0:
        cut = limit
    return head[:cut].rstrip() + SHORTENED


def first_paragraph(message: str) -> str:
    """The message up to its first blank line: what the error says, before where it came from."""
    paragraph: list[str] = []
    for line in message.strip().splitlines():
        if not line.strip():
            if paragraph:
                break
            continue
        paragraph.append(line.strip())
    return " ".join(paragraph)
