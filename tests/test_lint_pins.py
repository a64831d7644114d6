"""Keras-3-only findings and the TensorFlow a project declares, on the project folders of
tests/lint_pins/ (written for these tests, read and never imported): AC403 and the Keras 3 case of
AC202 (a Dropout's seed variable) do not happen under TensorFlow < 2.16, whose tf.keras is Keras 2,
so a project pinned below it is not told about them; findings of any Keras stay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autoconv.linter import ConfigError, lint_paths
from autoconv.linter.pins import declared_tensorflow

PROJECTS = Path(__file__).resolve().parent / "lint_pins"
KERAS3_ONLY = {(8, "AC403"), (15, "AC202")}  # the if on a tensor in call, the Dropout
ANY_KERAS = {(16, "AC202")}  # the Dense


def _found(project: str) -> set[tuple[int, str]]:
    return {(f.line, f.code) for f in lint_paths([str(PROJECTS / project)])}


@pytest.mark.parametrize("project", ["below", "docker", "stated_below"])
def test_project_pinned_below_keras3_is_not_told_keras3_findings(project: str) -> None:
    # requirements.txt tensorflow-gpu==2.3.1; docker/Dockerfile FROM tensorflow/tensorflow:2.3.1-gpu
    # two folders up (its commented-out 2.17 image ignored); [autoconv.lint] tensorflow = 2.15 over a 2.17 pin
    assert _found(project) == ANY_KERAS


@pytest.mark.parametrize("project", ["above", "unpinned", "stated_above"])
def test_project_that_may_run_keras3_keeps_them(project: str) -> None:
    # tensorflow>=2.4,<2.18; install_requires=["tensorflow"]; tensorflow = "2.17" over a 2.3.0 pin
    assert _found(project) == KERAS3_ONLY | ANY_KERAS


def test_declarations_are_read_as_the_highest_release_they_allow(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    cases = {
        "tensorflow==2.7.0\n": (2, 7),
        "tensorflow<2.16\n": (2, 15),
        "tensorflow[and-cuda]==2.16.1\n": (2, 16),
        "tensorflow-cpu~=2.5.0\n": (2, 5),
        "tensorflow~=2.5\n": None,  # every 2.x
        "tensorflow>=2.3\n": None,
        "tensorflow-addons==0.11\n": None,  # another package
        "tensorflow==2.3\ntensorflow-gpu\n": None,  # one declaration allows any release
    }
    for text, expected in cases.items():
        requirements.write_text(text)
        assert declared_tensorflow([str(requirements)]) == expected, text
    requirements.write_bytes(b"\xff\xfe\x00tensorflow==\x00\x80")  # not text: skipped, no error
    assert declared_tensorflow([str(requirements), str(tmp_path / "Dockerfile")]) is None


def test_stated_version_must_be_one(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.autoconv.lint]\ntensorflow = "latest"\n')
    (tmp_path / "model.py").write_text("import tensorflow as tf\n")
    with pytest.raises(ConfigError, match="tensorflow"):
        lint_paths([str(tmp_path)])
    run = subprocess.run(
        [sys.executable, "-m", "autoconv", "lint", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "2.15" in run.stderr
