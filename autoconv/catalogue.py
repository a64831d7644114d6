"""Where samples live, and what they declare, read without running them.

``autoconv list`` must answer in well under a second and without TensorFlow, so declarations
are read from the AST: the ``@sample(...)`` keywords are literals by convention. Anything that
is not a literal is reported as unknown rather than guessed.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from autoconv.errors import AutoconvError


def builtin_path() -> Path:
    """The built-in catalogue: ``samples/`` in a source tree, ``autoconv.builtin_samples`` once installed."""
    spec = importlib.util.find_spec("autoconv.builtin_samples")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / "samples"


def sample_files(paths: list[str] | None) -> list[Path]:
    """Expand files and folders into sample files; no paths means the built-in catalogue."""
    roots = [Path(p) for p in paths] if paths else [builtin_path()]
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            found = sorted(p for p in root.glob("*.py") if not p.name.startswith("_"))
        elif root.exists():
            found = [root]
        else:
            raise AutoconvError(f"no such file or directory: {root}")
        files += [p for p in found if is_regular_file(p)]
    return files


def is_regular_file(path: Path | str) -> bool:
    """False, with a one-line note on stderr, for what only looks like a file (a FIFO named
    ``x.py`` would hang whoever reads it, a device would never end)."""
    if os.path.isfile(path):
        return True
    if os.path.lexists(path) and not os.path.isdir(path):
        sys.stderr.write(f"autoconv: note: skipped {path}: not a regular file\n")
    return False


def read_source(path: Path) -> str:
    """The text of a Python file decoded as Python decodes it (a PEP 263 cookie, else UTF-8).

    Whatever is wrong with the file becomes one AutoconvError that says what the file is.
    """
    if path.is_dir():
        raise AutoconvError(f"{path}: is a folder, not a Python file")
    try:
        with tokenize.open(path) as stream:
            text = stream.read()
    except FileNotFoundError:
        raise AutoconvError(f"no such file: {path}") from None
    except OSError as error:
        raise AutoconvError(f"{path}: cannot read it: {error.strerror}") from None
    except (SyntaxError, UnicodeDecodeError):  # no or a wrong coding cookie, bytes that do not decode
        raise AutoconvError(
            f"{path}: not a Python source file (not text in UTF-8 or in the encoding its coding line names)"
        ) from None
    if "\x00" in text:
        raise AutoconvError(f"{path}: not a Python source file (it holds null bytes)")
    return text


@dataclass
class Declaration:
    """A sample as written in its file: enough to list it, nothing that needs running it."""

    name: str
    filename: str
    line: int
    title: str
    tags: tuple[str, ...] = ()
    expected: tuple[str, ...] = ("match",)
    cases: int | None = 0
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    def_line: int = 0  # the ``def`` line (``line`` is the declaration's): what a ``file:line`` names

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "location": f"{self.filename}:{self.def_line or self.line}",  # the def line, as everywhere
            "title": self.title,
            "tags": list(self.tags),
            "expected": list(self.expected),
            "cases": self.cases,
        }


def _is_sample_call(node: ast.expr) -> bool:
    target = node.func if isinstance(node, ast.Call) else node
    return (isinstance(target, ast.Name) and target.id == "sample") or (
        isinstance(target, ast.Attribute) and target.attr == "sample"
    )


def _literal(node: ast.expr | None, default: object) -> object:
    if node is None:
        return default
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _declaration(decorator: ast.expr, wrapped_name: str | None, filename: str,
                 def_line: int | None = None) -> Declaration:
    keywords = {k.arg: k.value for k in decorator.keywords} if isinstance(decorator, ast.Call) else {}
    name = _literal(keywords.get("name"), None) or wrapped_name or "?"
    inputs = keywords.get("inputs")
    cases: int | None
    if inputs is None:
        cases = 0
    elif isinstance(inputs, (ast.List, ast.Tuple)):
        cases = len(inputs.elts)
    else:
        cases = None  # a factory: known only by running it
    expect = _literal(keywords.get("expect"), "match")
    if isinstance(expect, str):
        expected: tuple[str, ...] = (expect,) * (cases or 1)
    elif isinstance(expect, (list, tuple)):
        expected = tuple(expect)
    else:
        expected = ("?",)
    tags = _literal(keywords.get("tags"), ())
    title = _literal(keywords.get("title"), None)
    return Declaration(
        name=str(name),
        filename=filename,
        line=decorator.lineno,
        title=str(title or str(name).replace("_", " ")),
        tags=tuple(tags) if isinstance(tags, (list, tuple)) else (),
        expected=expected,
        cases=cases,
        note=str(_literal(keywords.get("note"), "") or ""),
        def_line=def_line or decorator.lineno,
    )


def _wrapped_name(node: ast.expr) -> str | None:
    """``sample(...)(counter.add)`` is named ``add``, like ``fn.__name__`` would say."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _wrapped_name(node.func) if not node.args else _wrapped_name(node.args[0])
    return None


def read_declarations(path: Path) -> list[Declaration]:
    """The samples a file declares, in order; raises AutoconvError on a syntax error."""
    try:
        tree = ast.parse(read_source(path), filename=str(path))
    except SyntaxError as error:
        raise AutoconvError(f"{path}:{error.lineno}: syntax error: {error.msg}") from None
    found: list[Declaration] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.extend(
                _declaration(d, node.name, str(path), node.lineno) for d in node.decorator_list
                if _is_sample_call(d)
            )
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Call)
            and _is_sample_call(node.func)
            and node.args
        ):
            found.append(_declaration(node.func, _wrapped_name(node.args[0]), str(path)))
        elif isinstance(node, ast.Call) and _is_sample_call(node) and node.args:
            found.append(_declaration(node, _wrapped_name(node.args[0]), str(path)))
    return sorted(found, key=lambda d: d.line)


def read_all(paths: list[str] | None) -> list[Declaration]:
    return [d for f in sample_files(paths) for d in read_declarations(f)]


def _call_arguments(case: ast.expr, source: str) -> str | None:
    """One case of a literal ``inputs`` list as ``--args`` text: ``(a, b)`` -> ``a, b``, ``case(a, k=1)``
    -> ``a, k=1``; None for anything else (a bare value is one argument)."""
    if isinstance(case, ast.Tuple):
        return ", ".join(ast.get_source_segment(source, element) or "" for element in case.elts)
    if isinstance(case, ast.Call) and isinstance(case.func, ast.Name) and case.func.id == "case":
        parts = [ast.get_source_segment(source, a) or "" for a in case.args]
        parts += [f"{k.arg}={ast.get_source_segment(source, k.value)}" for k in case.keywords if k.arg]
        return ", ".join(parts)
    return None


def editor_code(declaration: Declaration) -> tuple[str, str, list[str]]:
    """A sample as code to edit on its own: the file's imports (autoconv's aside) and the function
    without its ``@sample`` line; the function's name; the literal inputs as ``--args`` lines."""
    source = read_source(Path(declaration.filename))
    tree = ast.parse(source, filename=declaration.filename)
    lines = source.splitlines()
    imports = [ast.get_source_segment(source, node) or "" for node in tree.body
               if isinstance(node, (ast.Import, ast.ImportFrom))
               and not (isinstance(node, ast.ImportFrom) and node.module == "autoconv")]
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        declared = [d for d in node.decorator_list if _is_sample_call(d) and d.lineno == declaration.line]
        if not declared:
            continue
        kept = [d for d in node.decorator_list if d not in declared]
        first = min([d.lineno for d in kept] + [node.lineno])
        function = "\n".join(lines[first - 1:node.end_lineno])
        inputs = {k.arg: k.value for k in getattr(declared[0], "keywords", [])}.get("inputs")
        calls = [text for case in getattr(inputs, "elts", []) if (text := _call_arguments(case, source)) is not None]
        return "\n".join(imports) + "\n\n\n" + function + "\n", node.name, calls
    raise AutoconvError(f"sample {declaration.name!r} is not a function defined at the top of its file")
