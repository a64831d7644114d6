"""Whole-project scope and the newer rules, on the small packages of tests/lint_project/
(written for these tests, read and never imported): a pitfall in one file is traced only
because another file's traced code reaches it."""

from __future__ import annotations

import ast
import io
import json
import os
from pathlib import Path

from autoconv.cli import run_lint
from autoconv.linter import _prepare, _python_files, _read, lint, lint_paths
from autoconv.linter.checker import Checker
from autoconv.linter.project import Project, package_files
from autoconv.linter.scope import index
from autoconv.model.lint import TraceStep

PROJECT = Path(__file__).resolve().parent / "lint_project"
TRAINER = PROJECT / "trainer"


def _line(path: Path, text: str) -> int:
    (line,) = [i for i, source in enumerate(path.read_text().splitlines(), 1) if text in source]
    return line


def _by_function(findings):
    return {(f.chain[0].function if f.chain else None, f.code) for f in findings}


def test_helper_in_another_module_is_traced_through_its_caller() -> None:
    findings = lint_paths([str(TRAINER)])
    (augment,) = [f for f in findings if f.line == 8]
    assert augment.path == str(TRAINER / "augment.py") and augment.code == "AC102"
    assert augment.chain == (
        TraceStep("augment", str(TRAINER / "augment.py"), 6),
        TraceStep("train_step", str(TRAINER / "train" / "loop.py"), 14),
    )
    # relative ``from ..augment import augment``; the untraced twin and tf.random stay silent
    assert {f.line for f in findings} == {8, 13}


def test_dataset_callback_imported_absolutely_names_the_map_call() -> None:
    (jitter,) = [f for f in lint_paths([str(TRAINER)]) if f.line == 13]
    assert [step.function for step in jitter.chain] == ["jitter", "Dataset.map"]
    assert jitter.chain[1] == TraceStep("Dataset.map", str(TRAINER / "data.py"), 7)


def test_one_file_of_a_package_reads_its_siblings() -> None:
    """The pre-commit hook passes only the changed file: the scope must not shrink."""
    alone = lint(TRAINER / "augment.py")
    assert alone == lint_paths([str(TRAINER)])
    assert lint(TRAINER / "train" / "loop.py") == []  # the finding is reported where it is


def test_a_file_nothing_traces_is_released_and_read_again_when_traced_code_reaches_it() -> None:
    """Memory on a large package: while the call graph is built, a file with nothing traced
    in it keeps only its outline.  augment.py is such a file until data.py hands ``jitter``
    to Dataset.map and train_step calls ``augment``: then it is read again, and traced
    exactly as when every tree was held."""
    parsed: list[str] = []
    released: list[str] = []

    def parse(path: str) -> Checker | None:
        parsed.append(os.path.relpath(path, TRAINER))
        return _prepare(_read(path), path)[1]

    project = Project(parse, lambda path: released.append(os.path.relpath(path, TRAINER)))
    for file in package_files(str(TRAINER / "augment.py"), _python_files):
        project.load(file)
    loop = os.path.join("train", "loop.py")
    assert released == ["__init__.py", "augment.py", os.path.join("train", "__init__.py")]
    assert sorted(os.path.relpath(key, TRAINER) for key in project.checkers) == ["data.py", loop]
    project.propagate()
    assert parsed.count("augment.py") == 2 and parsed.count(loop) == 1
    augment = project.checkers[str(TRAINER / "augment.py")]
    assert sorted(node.name for node in augment.traced.modes) == ["augment", "fixed_augment", "jitter"]
    assert {(f.line, f.code) for f in lint(TRAINER / "augment.py")} == {(8, "AC102"), (13, "AC102")}


def test_index_leaves_the_operators_cpython_shares_alone() -> None:
    """One ``Not``, ``Add``, ``Lt``, ``Load`` object serves every tree CPython parses: a
    ``scope_`` set on it would tie it to the last tree indexed, and keep a tree the lint
    dropped alive (it did: every released file of tensorflow_probability stayed in memory)."""
    tree = ast.parse("def f(a, b):\n    return not a + b < 2 and a\n")
    index(tree)
    shared = (ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context)
    nodes = list(ast.walk(tree))
    assert {type(n).__name__ for n in nodes if isinstance(n, shared)} == {"Not", "Add", "Lt", "And", "Load"}
    assert not any(hasattr(n, "scope_") for n in nodes if isinstance(n, shared))
    assert all(hasattr(n, "scope_") for n in nodes if not isinstance(n, shared))


def test_chain_in_text_and_json(monkeypatch) -> None:
    monkeypatch.chdir(PROJECT)
    out, err = io.StringIO(), io.StringIO()
    assert run_lint(["trainer"], "text", out=out, err=err) == 1
    loop = os.path.join("trainer", "train", "loop.py")
    assert f"  traced via: augment ← train_step in {loop}:14\n" in out.getvalue()
    out = io.StringIO()
    run_lint(["trainer"], "json", out=out, err=err)
    first = json.loads(out.getvalue())[0]
    assert first["chain"][1] == {"function": "train_step", "path": loop, "line": 14}


def test_namespace_package_across_folders() -> None:
    """No ``__init__.py``: each folder is linted on its own, and what one folder's traced
    code reaches in another is still judged as traced, whichever folder comes first."""
    namespace = PROJECT / "namespace"
    (found,) = lint_paths([str(namespace)])
    assert (found.path, found.line, found.code) == (str(namespace / "lib" / "ops.py"), 6, "AC103")
    assert [step.function for step in found.chain] == ["scale", "serve"]
    assert lint_paths([str(namespace / "lib"), str(namespace / "app")]) == [found]


SERVICE = PROJECT / "service"


def _service() -> dict[tuple[str, int], object]:
    return {(Path(f.path).name, f.line): f for f in lint_paths([str(SERVICE)])}


def test_rebound_attribute_is_a_frozen_read() -> None:
    found = _service()
    threshold = found[("model.py", 23)]
    assert threshold.code == "AC306" and "'self.threshold'" in threshold.message and "line 13" in threshold.message
    assert not any(f.code == "AC306" and "limit" in f.message for f in found.values())  # a tf.Variable


def test_rebound_closure_variable_is_a_frozen_read() -> None:
    found = _service()
    assert found[("loop.py", 22)].code == "AC306" and "closure variable 'scale'" in found[("loop.py", 22)].message
    assert ("loop.py", 36) not in found  # bound once, before the def


def test_numpy_function_on_a_tensor_in_a_helper_of_another_module() -> None:
    summarize = _service()[("helpers.py", 7)]
    assert summarize.code == "AC107" and [s.function for s in summarize.chain] == ["summarize", "score"]


def test_eager_only_numpy_is_not_traced_scope() -> None:
    found = _service()
    assert ("helpers.py", 12) not in found  # under `if tf.executing_eagerly() and ...`
    assert found[("helpers.py", 17)].code == "AC105"


def test_outer_dict_mutation() -> None:
    found = _service()
    assert found[("loop.py", 8)].code == "AC301"
    assert {key for key in found if key[0] == "loop.py"} == {("loop.py", 8), ("loop.py", 22)}


TAGGING = PROJECT / "tagging"


def test_python_values_on_self_are_not_graph_tensors() -> None:
    """A dict of enum members (the enum in another module) and a sorted list of names are Python."""
    found = [(Path(f.path).name, f.line, f.code) for f in lint_paths([str(TAGGING)])]
    assert ("tagger.py", 18, "AC305") in found
    assert not any(name == "tagger.py" and line in (16, 17) for name, line, _ in found)


def test_keras_wrapper_without_variables_and_versions() -> None:
    found = {(Path(f.path).name, f.line): f for f in lint_paths([str(TAGGING)])}
    assert ("train.py", 11) not in found  # TimeDistributed(tagger.dense)
    assert ("train.py", 13) not in found  # tf_keras (Keras 2) Dropout
    assert "under Keras 3, TF >= 2.16" in found[("train.py", 12)].message
    assert found[("train.py", 14)].message.endswith("on every trace")  # Dense: every Keras version


def test_severity_levels_and_min_severity(tmp_path: Path, monkeypatch) -> None:
    from autoconv.linter import RULES

    assert {rule.severity for rule in RULES} == {"error", "warning", "info"}
    levels = {f.code: f.severity for f in lint_paths([str(SERVICE)])}
    assert levels == {"AC107": "error", "AC105": "error", "AC301": "warning", "AC306": "warning"}
    assert {f.code for f in lint_paths([str(SERVICE)], min_severity="error")} == {"AC107", "AC105"}
    (tmp_path / "pyproject.toml").write_text('[tool.autoconv.lint]\nmin-severity = "error"\n')
    (tmp_path / "m.py").write_text("import tensorflow as tf\n\n@tf.function\ndef f(x):\n    print(x)\n    return x.numpy()\n")
    assert [f.code for f in lint(tmp_path / "m.py")] == ["AC105"]
    assert [f.code for f in lint(tmp_path / "m.py", min_severity="info")] == ["AC101", "AC105"]
    out, err = io.StringIO(), io.StringIO()
    assert run_lint([str(tmp_path / "m.py")], "text", out=out, err=err, min_severity="info") == 1
    assert ": AC101 info: print()" in out.getvalue() and ": AC105 error: .numpy()" in out.getvalue()


def test_numpy_in_keras_call_of_a_model_only_called_eagerly(tmp_path: Path) -> None:
    """One layer in two projects: the one that trains it in an eager GradientTape loop has
    values in ``call`` (no AC105); the one that fits it traces ``call`` (AC105)."""
    eager, fitted = PROJECT / "eager_loop", tmp_path / "fitted"
    fitted.mkdir()
    (fitted / "net.py").write_text((eager / "net.py").read_text())
    (fitted / "search.py").write_text((PROJECT / "fitted_search.py").read_text())
    line = _line(eager / "net.py", "mask.numpy()")
    found = {(Path(f.path).parent.name, f.line, f.code) for f in lint_paths([str(eager), str(fitted)])}
    assert ("eager_loop", line, "AC105") not in found
    assert ("fitted", line, "AC105") in found
    # alone, the layer's file shows no tracing either; run_eagerly=True keeps fit eager
    assert [f.code for f in lint(eager / "net.py")] == []
    layer = (eager / "net.py").read_text()
    assert [f.code for f in lint(layer + "\nNet().fit(x, y)\n")] == ["AC105"]
    assert [f.code for f in lint(layer + "\nm = Net()\nm.compile(run_eagerly=True)\nm.fit(x, y)\n")] == []


def test_methods_of_an_object_held_in_an_attribute_are_traced() -> None:
    """``self.memory = Memory(...)`` in ``__init__`` (a class of another module of the package) and
    ``self.schedule = Schedule()`` (of the same module): what the traced ``learn`` calls on them
    runs while tracing, and a value another method rebinds is read frozen."""
    agent = PROJECT / "agent"
    learner, memory = agent / "learner.py", agent / "memory.py"
    found = {(Path(f.path).name, f.line, f.code): f for f in lint_paths([str(agent)])}
    drawn = found[("memory.py", _line(memory, "random.randrange"), "AC102")]
    assert [step.function for step in drawn.chain] == ["draw", "learn"]
    assert ("learner.py", _line(learner, "np.random.normal"), "AC102") in found
    rate = found[("learner.py", _line(learner, "self.schedule.rate *"), "AC306")]
    assert "'self.schedule.rate'" in rate.message and f"line {_line(learner, 'self.rate = self.rate')}" in rate.message
    # add() and decay() run eagerly, from remember(): nothing in them is judged
    assert len(found) == 3
