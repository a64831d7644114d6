"""Where samples live, and what they declare, read without running them.

``autoconv list`` must answer in well under a second and without TensorFlow, so declarations
are read from the AST: the ``@sample(...)`` keywords are literals by convention. Anything that
is not a literal is reported as unknown rather than guessed.
"""
from __future__ import annotations

import ast
import importlib.util
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
            files.extend(sorted(p for p in root.glob("*.py") if not p.name.startswith("_")))
        elif root.is_file():
            files.append(root)
        else:
            raise AutoconvError(f"no such file or directory: {root}")
    return files


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
