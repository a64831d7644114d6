"""Each lint rule is proven by running code: its catalogue pitfall is flagged and really fails;
its fixed twin is not flagged. The sample names are the rules' own contract."""
import ast
import json
from pathlib import Path

import pytest

from autoconv.catalogue import read_all
from autoconv.linter import RULES, lint

DECLARATIONS = {d.name: d for d in read_all(None)}


def _function_lines(name: str) -> tuple[Path, range]:
    """The lines of the function a sample declares: decorated, or named by
    ``sample(...)(instance.method)``, whose method is the nearest one above."""
    declaration = DECLARATIONS[name]
    path = Path(declaration.filename)
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(d.lineno == declaration.line for d in node.decorator_list):
            return path, range(node.lineno, node.end_lineno + 1)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.func.lineno == declaration.line and node.args:
            wrapped = node.args[0]
            if isinstance(wrapped, ast.Attribute):
                methods = [m for m in ast.walk(tree) if isinstance(m, ast.FunctionDef) and m.name == wrapped.attr
                           and m.lineno < declaration.line]
                method = max(methods, key=lambda m: m.lineno)
                return path, range(method.lineno, method.end_lineno + 1)
    raise AssertionError(f"no function declared at {declaration.filename}:{declaration.line}")


STEPS = ("train_step", "test_step", "predict_step")


def _called_layer_lines(path: Path, lines: range) -> set[int]:
    """The lines of ``call`` of each module-level layer the sample function calls
    (``doubler = Doubler()``, ``return doubler(x)``), and of each model step it takes
    (``model.test_step``): a pitfall of a Keras ``call`` or step sits there, since only a
    caller outside the class shows it as a graph."""
    tree = ast.parse(path.read_text())
    used = {(n.func.id, "call") for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.lineno in lines}
    used |= {(n.value.id, n.attr) for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in STEPS
             and isinstance(n.value, ast.Name) and n.lineno in lines}
    classes = {node.targets[0].id: node.value.func.id for node in tree.body
               if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
               and isinstance(node.value.func, ast.Name) and isinstance(node.targets[0], ast.Name)}
    wanted = {(classes.get(name), method) for name, method in used}
    out: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and (node.name, method.name) in wanted:
                    out.update(range(method.lineno, method.end_lineno + 1))
    return out


def _codes_in(name: str) -> set[str]:
    path, lines = _function_lines(name)
    covered = set(lines) | _called_layer_lines(path, lines)
    return {finding.code for finding in lint(path) if finding.line in covered}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_rule_flags_its_pitfall_and_not_its_fixed_twin(rule):
    assert rule.sample in DECLARATIONS and rule.fixed in DECLARATIONS
    assert rule.code in _codes_in(rule.sample)
    assert rule.code not in _codes_in(rule.fixed)
    assert any(verdict != "match" for verdict in DECLARATIONS[rule.sample].expected)


def test_every_pitfall_really_fails_when_checked(run_autoconv):
    names = sorted({rule.sample for rule in RULES})
    result = run_autoconv("check", *names, "--json")
    assert result.returncode == 0, result.stderr  # every verdict is what its sample declares
    verdicts = {s["name"]: {c["verdict"] for c in s["cases"]} for s in json.loads(result.stdout)["samples"]}
    assert set(verdicts) == set(names)
    for name, seen in verdicts.items():
        assert seen - {"match"}, f"{name} never fails, so it proves nothing"


@pytest.mark.parametrize(("pitfall", "fixed", "code"), [("outer_dict_mutated", "outer_dict_returned", "AC301")])
def test_second_pitfalls_of_a_rule(pitfall, fixed, code, run_autoconv):
    """A rule's other shapes (rule 3 on a dict, not only a list) are proven the same way."""
    assert code in _codes_in(pitfall) and code not in _codes_in(fixed)
    result = run_autoconv("check", pitfall, fixed, "--json")
    assert result.returncode == 0, result.stderr
    verdicts = {s["name"]: {c["verdict"] for c in s["cases"]} for s in json.loads(result.stdout)["samples"]}
    assert verdicts[pitfall] - {"match"} and verdicts[fixed] == {"match"}
