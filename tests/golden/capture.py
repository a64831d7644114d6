"""Capture what autoconv says about the whole catalogue, for the golden test.

``python tests/golden/capture.py OUT`` writes one JSON file per kind of output into OUT: the
``check --json`` document, ``explain --json`` per sample, ``lint --format json`` of the samples,
and the text and HTML views of every sample. Times are left out (they differ on every run) and
the checkout's own path is replaced by ``<ROOT>``, so two runs on two commits compare as text.
It drives the CLI's ``main`` in one process, the interface both sides of a refactor share.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIME_KEYS = {"seconds", "convert_seconds"}
# What differs between two runs of the same code: object addresses, graph ids, TF's name counters.
RUN_SPECIFIC = [(re.compile(r"0x[0-9a-f]{6,}"), "0x?"), (re.compile(r"\bid=\d+"), "id=?"),
                (re.compile(r"_\d{3,}\b"), "_?")]


def _normalised(text: str) -> str:
    text = text.replace(str(ROOT), "<ROOT>")
    for pattern, replacement in RUN_SPECIFIC:
        text = pattern.sub(replacement, text)
    return text


# TensorFlow's "N out of the last M calls triggered retracing" counts calls of every function in
# the process, so which case gets it depends on the order the workers took the cases in.
# TensorFlow's C++ log lines (and their continuation) arrive asynchronously, whichever case runs.
PROCESS_HISTORY_WARNING = re.compile(r"triggered tf.function retracing|^[WIEF] \S+\.cc:\d+\]|^\t \[\[")


TIME_TEXT = re.compile(r"\d+(?:\.\d+)?(?:\s|&nbsp;|\u202f)?(?:ms|µs|s|×)(?![a-z])")


TIME_CELL = re.compile(r"(class=num>)\d+(?:\.\d+)?(?:×)?<")


# The gallery's timing table: which row is marked slower, and whether a call was too quick to
# time, changes from run to run, so the table is compared by its place only.
TIMING_TABLE = re.compile(r"<table(?:(?!</table>).)*ms, one call.*?</table>")


# Graphviz lays out a graph whose nodes came in another order a few points differently.
DRAWING = re.compile(r"<svg.*?</svg>", re.S)


# The warnings a call logged (a page shows them folded) include TensorFlow's asynchronous C++ log.
WARNINGS_CELL = re.compile(r"<details><summary>\d+ warnings?</summary>.*?</details>", re.S)


def _untimed_text(text: str) -> str:
    text = DRAWING.sub("<svg/>", TIMING_TABLE.sub("<timing table>", text))
    text = WARNINGS_CELL.sub("", text)
    return TIME_CELL.sub(r"\1<time><", TIME_TEXT.sub("<time>", text))


def _untimed(value):
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item for item in value if not PROCESS_HISTORY_WARNING.search(item)]
    if isinstance(value, dict):
        return {key: _untimed(item) for key, item in value.items() if key not in TIME_KEYS}
    if isinstance(value, list):
        return [_untimed(item) for item in value]
    return value


def _run(argv: list[str]) -> tuple[int, str]:
    """One command on the checkout's own catalogue (named, so that a second checkout reads its own)."""
    from autoconv.cli import main

    if argv[0] not in ("lint",):
        argv = [*argv, "--samples", "samples"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, _normalised(out.getvalue())


def _view(argv: list[str]) -> list[str]:
    """A view as lines, so that a failing comparison shows the lines that differ."""
    return _run(argv)[1].splitlines()


def _write(path: Path, document: object) -> None:
    """Gzipped with a fixed time stamp: the views of the catalogue are megabytes of text."""
    with gzip.GzipFile(path.with_suffix(".json.gz"), "wb", mtime=0) as file:
        file.write(json.dumps(document, indent=1, sort_keys=True).encode())


def capture(out: Path) -> None:
    os.chdir(ROOT)
    out.mkdir(parents=True, exist_ok=True)
    os.environ["COLUMNS"] = "180"
    names = [entry["name"] for entry in json.loads(_run(["list", "--json"])[1])]

    code, text = _run(["check", "--json", "--jobs", "2"])
    _write(out / "check.json", {"exit": code, "report": _untimed(json.loads(text))})

    explained = {}
    for name in names:
        code, text = _run(["explain", name, "--json"])
        # a call that raised exits 1 and is explained all the same (issue 19): the JSON whenever there is one
        explained[name] = {"exit": code, "explanation": json.loads(text) if text.strip() else None}
    _write(out / "explain.json", explained)

    code, text = _run(["lint", "samples", "--format", "json"])
    _write(out / "lint.json", {"exit": code, "findings": json.loads(text)})

    views = {}
    for name in names:
        views[name] = {
            "text": _view(["show", name, "--no-color"]),
            "text-fold": _view(["show", name, "--no-color", "--fold"]),
            "html": _view(["show", name, "--format", "html"]),
            "markdown": _view(["show", name, "--format", "markdown"]),
            "rst": _view(["show", name, "--format", "rst"]),
        }
    _write(out / "views.json", views)

    with tempfile.TemporaryDirectory() as gallery:
        code, text = _run(["docs", gallery, "--jobs", "2"])
        pages = {str(page.relative_to(gallery)): _untimed_text(_normalised(page.read_text())).splitlines()
                 for page in sorted(Path(gallery).rglob("*")) if page.suffix in (".html", ".md", ".css", ".js")}
    summary = _untimed_text(text.replace(gallery, "<OUT>"))
    _write(out / "gallery.json", {"exit": code, "summary": summary, "pages": pages})


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") != "0":  # AutoGraph orders some names by set iteration
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    sys.path.insert(0, str(ROOT))
    capture(Path(sys.argv[1]))
