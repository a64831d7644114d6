"""The house has one-way traffic: no import cycle, and the data layer imports nothing above it.

Every ``import`` counts, the ones inside functions and under ``TYPE_CHECKING`` too: a cycle
hidden in a function still ties the modules together, and a data class that imports a view to
draw itself is a view.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "autoconv"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The autoconv modules ``name`` imports (a submodule importing its own package aside)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            candidates = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name and not name.startswith(candidate + "."):
                targets.add(candidate)
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_data_layer_imports_only_data() -> None:
    graph = import_graph()
    leaks = {module: sorted(target for target in targets if not target.startswith("autoconv.model"))
             for module, targets in graph.items() if module.startswith("autoconv.model")}
    assert {module: targets for module, targets in leaks.items() if targets} == {}


def test_renderers_import_no_engine_or_front_end() -> None:
    """A renderer formats data: it may read the data, styles and the other renderers, nothing that computes."""
    allowed = ("autoconv.model", "autoconv.render", "autoconv.errors", "autoconv._version")
    graph = import_graph()
    leaks = {module: sorted(target for target in targets if not target.startswith(allowed))
             for module, targets in graph.items() if module.startswith("autoconv.render")}
    assert {module: targets for module, targets in leaks.items() if targets} == {}


def test_the_checks_can_fail() -> None:
    """A cycle and a leak made on purpose are found."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
