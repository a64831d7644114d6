"""The TensorFlow a linted project declares, read from its own files: some findings hold only
under Keras 3 (TensorFlow >= 2.16), and a project pinned below that runs Keras 2, where they do
not happen.  Only small text files in the project root are read: no network, nothing imported,
and an odd file is skipped, never an error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

KERAS3 = (2, 16)  # tf.keras is Keras 3 from TensorFlow 2.16 on
_MAX_BYTES = 1 << 20
_MANIFESTS = ("setup.py", "setup.cfg", "pyproject.toml")
_DOCKERFILES = ("Dockerfile", os.path.join("docker", "Dockerfile"))
# ``tensorflow==2.7.0``, ``tensorflow-gpu>=2.3,<2.6``; not tensorflow-probability or tensorflow_addons.
_REQUIREMENT = re.compile(
    r"(?<![\w.-])tensorflow(?:[-_](?:gpu|cpu|macos|intel))?\s*(?:\[[^\]\n]*\])?\s*"
    r"((?:(?:==|<=|<|~=|>=|>|!=)\s*[0-9][\w.*]*\s*,?\s*)+)",
    re.IGNORECASE,
)
# ``tensorflow`` alone on a requirements line or in quotes: any release, so no cap.
_BARE = re.compile(
    r"""(?:^|["'])[ \t]*tensorflow(?:[-_](?:gpu|cpu|macos|intel))?[ \t]*(?:\[[^\]\n]*\])?[ \t]*(?:;[^\n"']*)?(?:$|["'])""",
    re.IGNORECASE | re.MULTILINE,
)
_CLAUSE = re.compile(r"(==|<=|<|~=|>=|>|!=)\s*([0-9][\w.*]*)")
_IMAGE = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*tensorflow/tensorflow:(\S+)", re.IGNORECASE | re.MULTILINE)


def parse_version(text: str) -> tuple[int, int] | None:
    """``"2.3.1-gpu"`` -> (2, 3); None for ``latest``, ``2.*`` or anything without major.minor."""
    match = re.match(r"(\d+)\.(\d+)", text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def _highest(spec: str) -> tuple[int, int] | None:
    """The highest (major, minor) a specifier allows, or None when it allows any newer one."""
    highest = None
    for op, version in _CLAUSE.findall(spec):
        parsed = parse_version(version)
        parts = version.split(".")
        if parsed is None or op in (">=", ">", "!="):
            continue
        if op == "<" and len(parts) >= 2 and parts[1].isdigit():
            bound = (parsed[0], parsed[1] - 1) if all(p.strip("0") == "" for p in parts[2:]) else parsed
        elif op == "~=":
            if len(parts) < 3:
                continue  # ~=2.5 allows every 2.x
            bound = parsed
        elif op == "==" and parts[1] == "*":
            continue
        else:  # ==, <=
            bound = parsed
        highest = bound if highest is None else min(highest, bound)
    return highest


def _text(path: str) -> str | None:
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > _MAX_BYTES:
            return None
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def _uncommented(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def _root_files(folder: str) -> list[str]:
    """The project files of ``folder`` that mark it a project root (empty when it is none)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [n for n in _MANIFESTS if n in names]
    found += sorted(n for n in names if n.startswith("requirements") and n.endswith(".txt"))
    found += [n for n in _DOCKERFILES if os.path.isfile(os.path.join(folder, n))]
    return [os.path.join(folder, n) for n in found]


def declared_tensorflow(files: list[str]) -> tuple[int, int] | None:
    """The highest TensorFlow (major, minor) that ``files`` (a project root's) let it run, or
    None when they declare none or one allows any newer release: a requirement on
    ``tensorflow``/``tensorflow-gpu``/``-cpu`` (a pin, ``<``, ``<=``, ``~=X.Y.Z``) or a
    ``FROM tensorflow/tensorflow:X`` image.  Every declaration must be capped for a cap."""
    caps = []
    for path in files:
        text = _text(path)
        if text is None:
            continue
        text = _uncommented(text)
        caps += [_highest(spec) for spec in _REQUIREMENT.findall(text)]
        caps += [None for _ in _BARE.finditer(text)]
        if os.path.basename(path) == "Dockerfile":
            caps += [parse_version(tag) for tag in _IMAGE.findall(text)]
    if not caps or None in caps:
        return None
    return max(caps)


WALK_ON = object()  # what a folder with nothing to say answers in ``nearest_above``


def nearest_above(path: str, known: dict[str, Any], answer: Callable[[str], Any], default: Any) -> Any:
    """What the nearest folder at or above ``path``'s own answers (``answer(folder)`` is ``WALK_ON``
    when a folder has nothing to say), else ``default``; every folder walked is remembered in
    ``known``, so a package's files read each folder once."""
    folder = os.path.dirname(os.path.abspath(path))
    walked = []
    found = default
    while True:
        if folder in known:
            found = known[folder]
            break
        walked.append(folder)
        said = answer(folder)
        if said is not WALK_ON:
            found = said
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for seen in walked:
        known[seen] = found
    return found


class PinFinder:
    """The TensorFlow declared by the nearest project root above each file, each folder read once."""

    def __init__(self) -> None:
        self._by_folder: dict[str, tuple[int, int] | None] = {}

    def tensorflow_for(self, path: str) -> tuple[int, int] | None:
        return nearest_above(path, self._by_folder, self._declared, None)

    @staticmethod
    def _declared(folder: str) -> Any:
        """A project root's declared TensorFlow (None: any release); a folder that is no project
        root has nothing to say."""
        files = _root_files(folder)
        return declared_tensorflow(files) if files else WALK_ON
