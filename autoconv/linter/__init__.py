"""Static checks for code that tf.function / AutoGraph will convert.

Pure AST: TensorFlow is never imported, so the lint is fast enough for a
pre-commit hook and runs where TensorFlow is not installed.
"""

from __future__ import annotations

import ast
import io
import os
import re
import sys
import tokenize
from collections.abc import Iterable, Iterator
from typing import TextIO

from autoconv.errors import AutoconvError
from autoconv.linter.checker import Checker
from autoconv.linter.finding import Finding
from autoconv.linter.render import render_json, render_text, summary
from autoconv.linter.rules import RULES, Rule, SyntaxErrorRule

__all__ = ["RULES", "Finding", "Rule", "check_source", "lint", "lint_paths", "main"]

_IGNORE = re.compile(r"#\s*autoconv:\s*ignore(?:\[([^\]]*)\])?")
_SKIP_DIRS = frozenset({"__pycache__", "build", "venv", "virtualenv", "site-packages", "node_modules"})


def _suppressions(source: str | bytes) -> dict[int, frozenset[str] | None]:
    """Line -> codes silenced there (None: all).  tokenize, not a text search,
    so that ``# autoconv: ignore`` inside a string literal does not count."""
    if (b"autoconv:" if isinstance(source, bytes) else "autoconv:") not in source:
        return {}
    if isinstance(source, bytes):
        tokens = tokenize.tokenize(io.BytesIO(source).readline)
    else:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    out: dict[int, frozenset[str] | None] = {}
    try:
        for tok in tokens:
            match = _IGNORE.search(tok.string) if tok.type == tokenize.COMMENT else None
            if match:
                codes = match.group(1)
                parsed = None if codes is None else frozenset(c.strip().upper() for c in codes.split(","))
                old = out.get(tok.start[0], frozenset())
                out[tok.start[0]] = None if parsed is None or old is None else old | parsed
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


def check_source(source: str | bytes, path: str = "<string>", all_functions: bool = False) -> list[Finding]:
    """Check one file's text.  A syntax error becomes an AC000 finding rather
    than an exception, so one broken file does not hide the others' results."""
    try:
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
        line = getattr(exc, "lineno", None) or 1
        col = getattr(exc, "offset", None) or 1
        return [SyntaxErrorRule.finding(path, line, col, getattr(exc, "msg", None) or str(exc))]
    findings = Checker(tree, path, all_functions).findings
    silenced = _suppressions(source)
    if silenced:
        findings = [
            f
            for f in findings
            if f.line not in silenced or (silenced[f.line] is not None and f.code not in silenced[f.line])
        ]
    return sorted(findings)


def _lint_file(path: str, all_functions: bool) -> list[Finding]:
    with open(path, "rb") as fh:  # bytes: let the parser honour coding cookies
        return check_source(fh.read(), path, all_functions)


def lint(path_or_source: str | os.PathLike[str], *, all_functions: bool = False) -> list[Finding]:
    """A path (PathLike, or a str naming an existing file) is read; any other
    str is taken as source text, which is what tests and notebooks pass."""
    if isinstance(path_or_source, os.PathLike):
        return _lint_file(os.fspath(path_or_source), all_functions)
    if "\n" not in path_or_source and os.path.isfile(path_or_source):
        return _lint_file(path_or_source, all_functions)
    if "\n" not in path_or_source and path_or_source.endswith(".py"):
        # a mistyped file name must not pass as one clean line of source
        raise AutoconvError(f"no such file: {path_or_source}")
    return check_source(path_or_source, "<string>", all_functions)


def _python_files(root: str) -> Iterator[str]:
    """Walk a folder the way a user means "my code": no hidden dirs, caches,
    virtualenvs or build output, which hold copies or third-party code."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in _SKIP_DIRS
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        )
        yield from (os.path.join(folder, f) for f in sorted(files) if f.endswith(".py"))


def lint_paths(paths: Iterable[str], *, all_functions: bool = False) -> list[Finding]:
    """Files are checked whatever their suffix (pre-commit already filtered
    them); folders are searched for ``*.py``.  A missing path raises
    FileNotFoundError."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            files: Iterable[str] = _python_files(path)
        elif os.path.exists(path):
            files = [path]
        else:
            raise FileNotFoundError(2, "no such file or directory", path)
        for file in files:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                findings.extend(_lint_file(file, all_functions))
    return findings


def main(
    paths: list[str],
    fmt: str = "text",
    all_functions: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Entry point behind ``autoconv lint``: 0 clean, 1 findings, 2 usage
    error.  Errors are one line on ``err``; a traceback would bury the path.
    The streams default to sys.stdout/sys.stderr as they are at call time."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    missing = [p for p in paths if not os.path.exists(p)]
    for path in missing:
        print(f"autoconv: error: no such file or directory: {path}", file=err)
    if missing:
        return 2
    if fmt not in ("text", "json"):
        print(f"autoconv: error: unknown format: {fmt} (choose text or json)", file=err)
        return 2
    try:
        findings = lint_paths(paths, all_functions=all_functions)
    except OSError as exc:
        print(f"autoconv: error: {exc.strerror or exc}: {exc.filename}", file=err)
        return 2
    if fmt == "json":
        print(render_json(findings), file=out)
    elif findings:
        print(render_text(findings), file=out)
        print(summary(findings), file=err)
    return 1 if findings else 0
