"""Static checks for code that tf.function / AutoGraph will convert.

Pure AST: TensorFlow is never imported, so the lint is fast enough for a
pre-commit hook and runs where TensorFlow is not installed.
"""

from __future__ import annotations

import ast
import gc
import io
import os
import re
import tokenize
from collections.abc import Iterable, Iterator

from autoconv.catalogue import is_regular_file
from autoconv.errors import AutoconvError
from autoconv.linter.checker import Checker
from autoconv.linter.config import ConfigError, ConfigFinder, Selection
from autoconv.linter.keras_use import KerasUse
from autoconv.linter.project import Project, Seed, package_files
from autoconv.linter.rules import RULES, Rule, SyntaxErrorRule, UncheckableRule, keras3_only
from autoconv.model.lint import Finding

__all__ = ["RULES", "ConfigError", "Finding", "Rule", "Selection", "check_source", "lint", "lint_paths"]

_IGNORE = re.compile(
    r"#\s*(?:autoconv:\s*ignore(?:\[([^\]]*)\])?|noqa\b(?::\s*([A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?)", re.IGNORECASE
)
_FILES_PER_COLLECT = 200
_SKIP_DIRS = frozenset({"__pycache__", "build", "venv", "virtualenv", "site-packages", "node_modules"})


def _suppressions(source: str) -> dict[int, frozenset[str] | None]:
    """Line -> codes silenced there (None: all).  tokenize, not a text search,
    so that a marker inside a string literal does not count.  ``# noqa`` and
    ``# noqa: CODE`` work as in flake8; ``# autoconv: ignore[CODE]`` too."""
    if "autoconv:" not in source and "noqa" not in source.lower():
        return {}
    out: dict[int, frozenset[str] | None] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            match = _IGNORE.search(tok.string) if tok.type == tokenize.COMMENT else None
            if match:
                codes = match.group(1) if match.group(1) is not None else match.group(2)
                parsed = None if codes is None else frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c)
                old = out.get(tok.start[0], frozenset())
                out[tok.start[0]] = None if parsed is None or old is None else old | parsed
    except (tokenize.TokenError, SyntaxError):
        pass
    return out


def decode_source(data: bytes, path: str) -> str:
    """Bytes to text the way Python reads a module (``tokenize.open``): a BOM
    or PEP 263 cookie picks the encoding, UTF-8 otherwise.  Raises SyntaxError
    for bytes that are not text in that encoding (a binary file)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding).removeprefix("\ufeff")
    except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
        raise SyntaxError(f"not Python source text ({exc.__class__.__name__}: {exc})") from None


def _prepare(source: str | bytes, path: str) -> tuple[str, Checker | None, list[Finding]]:
    """Text, the file's prepared checker (None if it cannot be checked), and the AC000/AC001
    finding that says why: one bad file must not hide the others."""
    try:
        text = decode_source(source, path) if isinstance(source, bytes) else source
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError) as exc:  # ValueError: NUL bytes in the source
        line = getattr(exc, "lineno", None) or 1
        col = getattr(exc, "offset", None) or 1
        return "", None, [SyntaxErrorRule.finding(path, line, col, getattr(exc, "msg", None) or str(exc))]
    except (RecursionError, MemoryError) as exc:
        return "", None, [UncheckableRule.finding(path, 1, 1, f"too deeply nested to parse ({exc.__class__.__name__})")]
    try:
        return text, Checker(tree, path, walk=False), []
    except RecursionError:
        return text, None, [UncheckableRule.finding(path, 1, 1, "too deeply nested to walk (RecursionError)")]


def _judge(
    text: str, checker: Checker | None, failed: list[Finding], selection: Selection | None, keras_use: KerasUse | None = None
) -> list[Finding]:
    """The findings of one prepared file.  ``keras_use`` answers whether its project makes Keras
    trace its models; without it (a text checked alone) the text itself is the project."""
    findings = failed
    if checker is not None:
        checker.keras_traced = (keras_use or KerasUse([], lambda _path: text)).traced
        try:
            findings = checker.run()
        except RecursionError:
            findings = [UncheckableRule.finding(checker.path, 1, 1, "too deeply nested to walk (RecursionError)")]
        silenced = _suppressions(text)
        if silenced:
            findings = [
                f
                for f in findings
                if f.line not in silenced or (silenced[f.line] is not None and f.code not in silenced[f.line])
            ]
    selection = selection or Selection()
    return sorted(
        f for f in findings if selection.wants(f.code, f.severity) and not (selection.keras2 and keras3_only(f))
    )


def check_source(source: str | bytes, path: str = "<string>", selection: Selection | None = None) -> list[Finding]:
    """Check one file's text on its own.  A syntax error (or an undecodable, binary file)
    becomes an AC000 finding, and a file too deeply nested to walk an AC001 finding,
    rather than an exception."""
    return _judge(*_prepare(source, path), selection)


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:  # bytes: decoded as Python would, cookies honoured
        return fh.read()


def _lint_files(files: list[str], selections: dict[str, Selection]) -> list[Finding]:
    """Lint ``files`` package by package: each package's other files are read too (once),
    so that a helper a traced function of another file calls is judged as traced.  One
    package at a time, so memory holds one package (and what it imports), not the tree."""
    by_package: dict[tuple[str, ...], list[str]] = {}
    package_of_folder: dict[str, tuple[str, ...]] = {}
    for file in files:
        folder = os.path.dirname(os.path.abspath(file))
        if folder not in package_of_folder:
            package_of_folder[folder] = tuple(package_files(file, _python_files))
        by_package.setdefault(package_of_folder[folder], []).append(file)
    # Traced code of one package may reach files of another (a namespace package, a folder
    # of scripts): seeds wait for that package, or have a file judged already judged again.
    # Smallest first: scripts beside a library import it, rarely the reverse, so their seeds
    # are in before the library is judged, and a late re-judging re-reads a small package.
    run = _Run(files, selections)
    collecting = gc.isenabled()
    gc.disable()  # see _Run.collect
    try:
        for package, given in sorted(by_package.items(), key=lambda item: len(item[0])):
            run.lint_package(given, package)
            run.collect(len(package))
        for _ in range(3):
            late: dict[tuple[str, ...], list[str]] = {}
            for file in files:
                if len(run.seeds.get(run.real_paths[file], ())) > run.seeds_seen[file]:
                    late.setdefault(package_of_folder[os.path.dirname(os.path.abspath(file))], []).append(file)
            for package, given in late.items():  # one re-reading per package, however many files
                run.lint_package(given, package)
                run.collect(len(package))
    finally:
        if collecting:
            gc.enable()
    return [finding for file in files for finding in run.findings[file]]


class _Run:
    """One ``lint_paths`` call: findings by file, and the seeds crossing packages."""

    def __init__(self, files: list[str], selections: dict[str, Selection]):
        self.selections = selections
        self.real_paths = {file: os.path.realpath(file) for file in files}
        self.seeds: dict[str, set[Seed]] = {}
        self.seeds_seen: dict[str, int] = {}
        self.findings: dict[str, list[Finding]] = {}
        self.parsed_since_collect = 0
        self.keras_use = KerasUse(files, lambda path: decode_source(_read(path), path))

    def collect(self, parsed: int) -> None:
        """The cyclic collector, by hand.  Each node's ``scope_`` points back up its tree, so a
        package's trees are cycles that only the collector frees; left on, it also scans every
        tree still held, again and again while a large package is read (a third of the time on
        tensorflow/agents).  Off while linting, and one full collection after every few hundred
        files read, between packages, when their trees are garbage."""
        self.parsed_since_collect += parsed
        if self.parsed_since_collect >= _FILES_PER_COLLECT:
            gc.collect()
            self.parsed_since_collect = 0

    def lint_package(self, files: list[str], package: tuple[str, ...]) -> None:
        prepared: dict[str, tuple[str, Checker | None, list[Finding]]] = {}
        released: dict[str, list[Finding]] = {}
        wanted = set(files)

        def parse(path: str) -> Checker | None:
            try:
                prepared[path] = _prepare(_read(path), path)
            except OSError:
                return None
            return prepared[path][1]

        def release(path: str) -> None:
            """Nothing is traced in the file: judge it now if it is one to judge, as it would
            be judged at the end unless a seed reaches it (then it is read again, and judged
            then), and free its tree.  The tree is a web of cycles (``scope_``) and the
            collector is off, so collect the youngest generation: the tree, just made, is
            all in it; what survives is held and is not scanned again."""
            text, checker, failed = prepared.pop(path)
            if path in wanted:
                released[path] = _judge(text, checker, failed, self.selections[path], self.keras_use)
            del text, checker, failed
            gc.collect(0)

        mine = {self.real_paths[file] for file in files}
        self.keras_use.add(package)
        project = Project(parse, release, elsewhere=frozenset(self.real_paths.values()) - mine)
        for file in [*files, *package]:
            project.load(file)
        project.apply(seed for path in mine for seed in sorted(self.seeds.get(path, ()), key=repr))
        project.propagate()
        for seed in project.crossing:
            self.seeds.setdefault(seed.real_path, set()).add(seed)
        for file in files:
            self.seeds_seen[file] = len(self.seeds.get(self.real_paths[file], ()))
            self.findings[file] = (
                _judge(*prepared[file], self.selections[file], self.keras_use) if file in prepared else released[file]
            )


def _lint_file(path: str, selection: Selection | None) -> list[Finding]:
    return _lint_files([path], {path: selection or Selection()})


def lint(
    path_or_source: str | os.PathLike[str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    min_severity: str | None = None,
) -> list[Finding]:
    """A path (PathLike, or a str naming an existing file) is read; any other
    str is taken as source text, which is what tests and notebooks pass.
    ``select``/``ignore`` are codes or code prefixes (``AC3``), as on the CLI."""
    selection = Selection().override(select, ignore, min_severity)
    path = os.fspath(path_or_source) if isinstance(path_or_source, os.PathLike) else None
    if path is None and "\n" not in path_or_source and os.path.isfile(path_or_source):
        path = path_or_source
    if path is not None:
        return _lint_file(path, ConfigFinder().selection_for(path).override(select, ignore, min_severity))
    if "\n" not in path_or_source and path_or_source.endswith(".py"):
        # a mistyped file name must not pass as one clean line of source
        raise AutoconvError(f"no such file: {path_or_source}")
    return check_source(path_or_source, "<string>", selection)


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
        yield from (os.path.join(folder, f) for f in sorted(files)
                    if f.endswith(".py") and is_regular_file(os.path.join(folder, f)))


def lint_paths(
    paths: Iterable[str],
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    min_severity: str | None = None,
) -> list[Finding]:
    """Files are checked whatever their suffix (pre-commit already filtered
    them); folders are searched for ``*.py``.  Each file is checked with the
    configuration of its own project (the nearest pyproject.toml / setup.cfg
    with an autoconv lint table), and ``select``/``ignore`` given here win
    over it.  A missing path raises FileNotFoundError."""
    given: list[str] = []
    selections: dict[str, Selection] = {}
    seen: set[str] = set()
    configs = ConfigFinder()
    for path in paths:
        if os.path.isdir(path):
            files: Iterable[str] = _python_files(path)
        elif os.path.exists(path):
            files = [path] if is_regular_file(path) else []
        else:
            raise FileNotFoundError(2, "no such file or directory", path)
        for file in files:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                given.append(file)
                selections[file] = configs.selection_for(file).override(select, ignore, min_severity)
    return _lint_files(given, selections)


