"""Keras-3-only findings and the TensorFlow a project declares: AC403 and the Keras 3 case of
AC202 (a Dropout's seed variable) do not happen under TensorFlow < 2.16, whose tf.keras is Keras 2,
so a project pinned below it is not told about them; findings of any Keras stay.

Each project is written into a temporary folder: the same layer module (``LAYERS``) where that
project keeps its code, beside the files that declare its TensorFlow.  Read by the lint, never
imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autoconv.linter import ConfigError, lint_paths
from autoconv.linter.pins import declared_tensorflow

LAYERS = '''"""A Keras layer with a Python if on a tensor, and layers made inside a tf.function."""

import tensorflow as tf


class Gate(tf.keras.layers.Layer):
    def call(self, inputs):
        if tf.reduce_sum(inputs) > 0:
            return inputs
        return -inputs


@tf.function
def noisy(x):
    drop = tf.keras.layers.Dropout(0.5)
    dense = tf.keras.layers.Dense(3)
    return dense(drop(x))
'''
KERAS3_ONLY = {(8, "AC403"), (15, "AC202")}  # the if on a tensor in call, the Dropout
ANY_KERAS = {(16, "AC202")}  # the Dense

# project -> (where its layer module lives, the files that declare its TensorFlow)
PROJECTS: dict[str, tuple[str, dict[str, str]]] = {
    "below": ("pkg/layers.py", {
        "requirements.txt": "numpy>=1.19\ntensorflow-gpu==2.3.1  # the CUDA 10.1 build\ntensorflow-probability==0.11\n"}),
    "docker": ("src/pkg/layers.py", {  # the image two folders up; its commented-out 2.17 image ignored
        "docker/Dockerfile": "FROM tensorflow/tensorflow:2.3.1-gpu\n# FROM tensorflow/tensorflow:2.17.0-gpu\n"
                             "RUN pip install pillow\n"}),
    "stated_below": ("layers.py", {  # the lint settings' 2.15 over a 2.17 pin
        "requirements.txt": "tensorflow==2.17.0\n",
        "setup.cfg": "[metadata]\nname = stated_below\n\n[autoconv.lint]\ntensorflow = 2.15\n"}),
    "above": ("layers.py", {
        "pyproject.toml": '[project]\nname = "above"\ndependencies = ["numpy", "tensorflow>=2.4,<2.18"]\n'}),
    "unpinned": ("layers.py", {
        "setup.py": 'from setuptools import setup\n\nsetup(name="unpinned", install_requires=["tensorflow", "numpy"])\n'}),
    "stated_above": ("layers.py", {  # the lint settings' 2.17 over a 2.3.0 pin
        "requirements.txt": "tensorflow==2.3.0\n",
        "pyproject.toml": '[tool.autoconv.lint]\ntensorflow = "2.17"\n'}),
}


def _found(project: str, root: Path) -> set[tuple[int, str]]:
    module, declarations = PROJECTS[project]
    for name, text in {**declarations, module: LAYERS}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return {(f.line, f.code) for f in lint_paths([str(root)])}


@pytest.mark.parametrize("project", ["below", "docker", "stated_below"])
def test_project_pinned_below_keras3_is_not_told_keras3_findings(project: str, tmp_path: Path) -> None:
    assert _found(project, tmp_path) == ANY_KERAS


@pytest.mark.parametrize("project", ["above", "unpinned", "stated_above"])
def test_project_that_may_run_keras3_keeps_them(project: str, tmp_path: Path) -> None:
    assert _found(project, tmp_path) == KERAS3_ONLY | ANY_KERAS


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
