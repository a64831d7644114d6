"""Tests for autoconv.lint: every rule fires on its pitfall and stays quiet on
its fixed twin, and the cases that must never be reported are not."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autoconv.cli import run_lint
from autoconv.linter import RULES, lint, lint_paths
from autoconv.model.lint import Finding

REPO = Path(__file__).resolve().parent.parent
HEADER = "import tensorflow as tf\n"


def _src(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def lint_snippet(tmp_path: Path, code: str, name: str = "snippet.py", **kw: bool) -> list[Finding]:
    path = tmp_path / name
    path.write_text(_src(code))
    return lint(path, **kw)


def lint_tf(tmp_path: Path, code: str, **kw: bool) -> list[Finding]:
    """Lint a snippet that gets ``import tensorflow as tf`` put in front of it."""
    return lint_snippet(tmp_path, HEADER + _src(code), **kw)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# code, pitfall, line of the finding, text in the message, fixed twin
RULE_CASES = [
    (
        "AC101",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            print("value", x)
            return x + 1
        """,
        5,
        "print() runs only while tracing",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            tf.print("every call", x)
            return x + 1
        """,
    ),
    (
        "AC102",
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x):
            noise = np.random.uniform()
            return x + noise
        """,
        6,
        "np.random.uniform() draws its value once",
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x):
            noise = tf.random.uniform([])
            return x + noise + np.float32(1)
        """,
    ),
    (
        "AC103",
        """
        import time
        import tensorflow as tf

        @tf.function
        def f(x):
            return x, time.time()
        """,
        6,
        "time.time() is read once",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            return x, tf.timestamp()
        """,
    ),
    (
        "AC104",
        """
        import tensorflow as tf

        numbers = iter([1, 2, 3])

        @tf.function
        def f(x):
            return x + next(numbers)
        """,
        7,
        "next(numbers) advances a Python iterator once",
        """
        import tensorflow as tf

        numbers = iter(tf.data.Dataset.from_tensor_slices([1, 2, 3]))

        @tf.function
        def f(x):
            return x + next(numbers)
        """,
    ),
    (
        "AC105",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            y = tf.square(x)
            return y.numpy()
        """,
        6,
        ".numpy() on a symbolic tensor",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            y = tf.square(x)
            return y

        value = f(tf.constant(2)).numpy()
        """,
    ),
    (
        "AC106",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            steps = int(tf.reduce_sum(x))
            return tf.constant([1.0] * steps)
        """,
        6,
        "int() of a symbolic tensor used as a Python value",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            steps = int(tf.reduce_sum(x))
            return tf.fill([steps], 1.0) * float(x.shape[0])
        """,
    ),
    (
        "AC107",
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x):
            return np.mean(x) + 1.0
        """,
        6,
        "numpy.mean() on a symbolic tensor",
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x):
            return tf.reduce_mean(x) + np.float32(1.0) * np.prod(x.shape)
        """,
    ),
    (
        "AC108",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            return tf.constant([x[0], 1.0])
        """,
        5,
        "tf.constant() of a symbolic tensor",
        """
        import tensorflow as tf

        @tf.function
        def f(x, scale):
            return tf.constant([1.0, 2.0]) * tf.convert_to_tensor(x) + tf.constant(scale)
        """,
    ),
    (
        "AC109",
        """
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])

        @tf.function
        def f(x):
            return model.predict(x)
        """,
        7,
        "model.predict() inside traced code",
        """
        import tensorflow as tf

        class Forecaster:
            def predict(self, x):
                return x * 2

        forecaster = Forecaster()
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])

        @tf.function
        def f(x):
            return forecaster.predict(x) + model(x, training=False)
        """,
    ),
    (
        "AC201",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            v = tf.Variable(1.0)
            return v * x
        """,
        5,
        "tf.Variable created inside the function",
        """
        import tensorflow as tf

        v = tf.Variable(1.0)

        @tf.function
        def f(x):
            v.assign_add(x)
            return v.read_value()
        """,
    ),
    (
        "AC202",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            mean = tf.keras.metrics.Mean()
            mean.update_state(x)
            return mean.result()
        """,
        5,
        "Keras metric Mean created inside traced code",
        """
        import tensorflow as tf

        mean = tf.keras.metrics.Mean()

        @tf.function
        def f(x):
            mean.update_state(x)
            return mean.result()
        """,
    ),
    (
        "AC301",
        """
        import tensorflow as tf

        seen = []

        @tf.function
        def f(x):
            seen.append(x)
            return x
        """,
        7,
        "mutates 'seen'",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            seen = []
            seen.append(x)
            return seen
        """,
    ),
    (
        "AC302",
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            out = []
            for i in tf.range(n):
                out.append(i * i)
            return tf.stack(out)
        """,
        7,
        "Python list 'out' grows inside a loop over a tensor",
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
            for i in tf.range(n):
                ta = ta.write(i, i * i)
            return ta.stack()
        """,
    ),
    (
        "AC303",
        """
        import tensorflow as tf

        class Counter(tf.Module):
            def __init__(self):
                self.calls = 0

            @tf.function
            def __call__(self, x):
                self.calls += 1
                return x * self.calls
        """,
        9,
        "'self.calls' is a Python number",
        """
        import tensorflow as tf

        class Counter(tf.Module):
            def __init__(self):
                self.calls = tf.Variable(0)

            @tf.function
            def __call__(self, x):
                self.calls.assign_add(1)
                return x * self.calls
        """,
    ),
    (
        "AC304",
        """
        import tensorflow as tf

        scale = 1.0

        @tf.function
        def f(x):
            return x * scale

        print(f(tf.constant(1.0)))
        scale = 2.0
        print(f(tf.constant(1.0)))
        """,
        7,
        "reads global 'scale', which is rebound at line 10",
        """
        import tensorflow as tf

        scale = tf.Variable(1.0)

        @tf.function
        def f(x):
            return x * scale

        print(f(tf.constant(1.0)))
        scale.assign(2.0)
        """,
    ),
    (
        "AC305",
        """
        import tensorflow as tf

        class Memory(tf.Module):
            @tf.function
            def __call__(self, x):
                self.last = tf.square(x)
                return x

            def peek(self):
                return self.last
        """,
        6,
        "stores a graph tensor on 'self.last'",
        """
        import tensorflow as tf

        class Memory(tf.Module):
            def __init__(self):
                self.last = tf.Variable(0.0)

            @tf.function
            def __call__(self, x):
                self.last.assign(tf.square(x))
                return x
        """,
    ),
    (
        "AC306",
        """
        import tensorflow as tf

        class Scaler(tf.Module):
            def __init__(self):
                self.factor = 1.0

            @tf.function
            def scale(self, x):
                return x * self.factor

            def double(self):
                self.factor = self.factor * 2
        """,
        9,
        "reads attribute 'self.factor', a Python value rebound at line 12",
        """
        import tensorflow as tf

        class Scaler(tf.Module):
            def __init__(self):
                self.factor = tf.Variable(1.0)

            @tf.function
            def scale(self, x):
                return x * self.factor

            def double(self):
                self.factor.assign(self.factor * 2)
        """,
    ),
    (
        "AC401",
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            for i in tf.range(n):
                if i > 3:
                    return i
            return n
        """,
        7,
        "return inside a loop over a tensor",
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            result = n
            for i in tf.range(n):
                if i > 3:
                    result = i
                    break
            return result
        """,
    ),
    (
        "AC402",
        """
        import tensorflow as tf

        @tf.function
        def f(x: tf.Tensor):
            if x > 0:
                y = x * 2
            return y
        """,
        5,
        "'y' is assigned in only one branch",
        """
        import tensorflow as tf

        @tf.function
        def f(x: tf.Tensor):
            if x > 0:
                y = x * 2
            else:
                y = -x
            return y
        """,
    ),
    (
        "AC403",
        """
        import tensorflow as tf

        class Doubler(tf.keras.layers.Layer):
            def call(self, x):
                if tf.shape(x)[1] > 1:
                    return x * 2.0
                return x
        """,
        5,
        "under Keras 3 (TF >= 2.16) Keras does not convert call",
        """
        import tensorflow as tf

        class Doubler(tf.keras.layers.Layer):
            def call(self, x):
                return tf.cond(tf.shape(x)[1] > 1, lambda: x * 2.0, lambda: x)
        """,
    ),
    (
        "AC404",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            assert tf.reduce_sum(x) > 0, "empty"
            return x
        """,
        5,
        "AutoGraph leaves assert statements as Python",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            assert x.shape[0] > 0, "the static shape is a Python value"
            tf.debugging.assert_greater(tf.reduce_sum(x), 0.0, message="empty")
            return x
        """,
    ),
    (
        "AC405",
        """
        import tensorflow as tf

        class Model(tf.keras.Model):
            def train_step(self, data):
                x, y = data
                loss = tf.reduce_mean((self(x) - y) ** 2)
                if loss > 100.0:
                    loss = loss / 2
                return {"loss": loss}
        """,
        7,
        "Keras train_step: Keras runs train_step, test_step and predict_step without AutoGraph",
        """
        import tensorflow as tf

        class Model(tf.keras.Model):
            def train_step(self, data):
                if isinstance(data, tuple) and len(data) == 3:
                    x, y, sample_weight = data
                else:
                    (x, y), sample_weight = data, None
                if sample_weight is not None and self.weighted:
                    y = y * sample_weight
                loss = tf.reduce_mean((self(x) - y) ** 2)
                loss = tf.cond(loss > 100.0, lambda: loss / 2, lambda: loss)
                return {"loss": loss}
        """,
    ),
    (
        "AC501",
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            for i in tf.range(n):
                if i == 3:
                    break
            else:
                n = n + 1
            return n
        """,
        5,
        "for ... else",
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            found = tf.constant(False)
            for i in tf.range(n):
                if i == 3:
                    found = tf.constant(True)
                    break
            return tf.where(found, n, n + 1)
        """,
    ),
    (
        "AC502",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            while x > 0:
                x -= 1
            else:
                x = x + 10
            return x
        """,
        5,
        "while ... else",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            while x > 0:
                x -= 1
            x = x + 10
            return x
        """,
    ),
    (
        "AC503",
        """
        import tensorflow as tf

        @tf.function
        def f(x: tf.Tensor):
            while True:
                x = x - 1
                if x < 0:
                    break
            return x
        """,
        5,
        "while True whose only exit is a break",
        """
        import tensorflow as tf

        @tf.function
        def f(x: tf.Tensor):
            while x >= 0:
                x = x - 1
            return x
        """,
    ),
    (
        "AC601",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            for i in range(3):
                yield x + i
        """,
        6,
        "'f' is a generator",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            return tf.stack([x + i for i in range(3)])
        """,
    ),
    (
        "AC602",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            if (y := x * 2) > 0:
                return y
            return -y
        """,
        5,
        "assignment expression (:=)",
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            y = x * 2
            if y > 0:
                return y
            return -y
        """,
    ),
    (
        "AC603",
        """
        import tensorflow as tf

        @tf.function
        def f(x, mode: str):
            match mode:
                case "double":
                    return x * 2
                case _:
                    return x
        """,
        5,
        "match statement",
        """
        import tensorflow as tf

        @tf.function
        def f(x, mode: str):
            if mode == "double":
                return x * 2
            return x
        """,
    ),
]


def test_rule_cases_cover_every_rule() -> None:
    assert [case[0] for case in RULE_CASES] == [rule.code for rule in RULES]


def test_rules_are_well_formed() -> None:
    seen = set()
    for rule in RULES:
        assert re.fullmatch(r"AC\d{3}", rule.code) and rule.code not in seen
        seen.add(rule.code)
        assert rule.message and rule.hint and rule.sample and rule.fixed
    assert [r.code for r in RULES] == sorted(seen)


@pytest.mark.parametrize(("code", "bad", "line", "text", "fixed"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_rule_flags_pitfall(tmp_path: Path, code: str, bad: str, line: int, text: str, fixed: str) -> None:
    findings = lint_snippet(tmp_path, bad)
    assert codes(findings) == [code], findings
    (finding,) = findings
    rule = next(r for r in RULES if r.code == code)
    assert finding.line == line
    assert text in finding.message
    assert finding.sample == rule.sample and finding.fixed_sample == rule.fixed
    assert finding.path == str(tmp_path / "snippet.py")


@pytest.mark.parametrize(("code", "bad", "line", "text", "fixed"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_hints_are_filled_in(tmp_path: Path, code: str, bad: str, line: int, text: str, fixed: str) -> None:
    """A hint that names the finding's subject names it, never a ``{0}`` left unfilled."""
    (finding,) = lint_snippet(tmp_path, bad)
    assert "{" not in finding.hint and "}" not in finding.hint, finding.hint
    if code == "AC303":
        assert "self.calls = tf.Variable(0) in __init__" in finding.hint


@pytest.mark.parametrize(("code", "bad", "line", "text", "fixed"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_fixed_twin_is_clean(tmp_path: Path, code: str, bad: str, line: int, text: str, fixed: str) -> None:
    assert lint_snippet(tmp_path, fixed) == []


# ---- what must never be reported --------------------------------------------------
CLEAN = {
    "asserts_on_python_values": """
        class Net(tf.keras.Model):
            def call(self, x):
                x_list = [x]
                x = self.block(x, x_list)
                assert not x_list, "a list's truth is its length"
                grads = [x * 3]
                assert all(g is not None for g in grads)
                assert x.shape.rank == 4 and not isinstance(x, list)
                return x

        @tf.function
        def cast(value, output_dtype):
            if output_dtype == tf.int32:
                return value + 1
            assert output_dtype in [tf.float32, tf.float64], "a dtype comparison is Python's"
            return value
        """,
    "assert_converted_on_request": """
        @tf.function(experimental_autograph_options=tf.autograph.experimental.Feature.ASSERT_STATEMENTS)
        def f(x):
            assert x > 0
            return x
        """,
    "local_list_outside_tensor_loops": """
        @tf.function
        def f(x):
            parts = []
            parts.append(x)
            parts.append(x * 2)
            return tf.concat(parts, 0)
        """,
    "variable_assign_methods": """
        v = tf.Variable(0.0)

        @tf.function
        def f(x):
            v.assign(x)
            v.assign_add(x)
            v.assign_sub(1.0)
            return v
        """,
    "tf_print_and_tf_random": """
        @tf.function
        def f(x):
            tf.print(x)
            g = tf.random.Generator.from_seed(1)
            return x + tf.random.uniform([]) + tf.random.normal([]) + g.normal([])
        """,
    "assigned_in_both_branches": """
        @tf.function
        def f(x):
            if x > 0:
                y = x
            elif x < -5:
                y = -x
            else:
                y = tf.zeros_like(x)
            return y
        """,
    "tf_module_self_state": """
        class Counter(tf.Module):
            def __init__(self):
                self.v = tf.Variable(0.0)
                self.trace_count = 0
                self.history = []

            @tf.function
            def __call__(self, x):
                self.v.assign_add(x)
                self.trace_count += 1
                self.history.append(x)
                return self.v
        """,
    "append_in_python_range_and_literal_loops": """
        @tf.function
        def f(x):
            out = []
            for i in range(3):
                out.append(x * i)
            for k in [1, 2, 3]:
                out.append(x + k)
            for j in (4, 5):
                out += [x - j]
            return tf.stack(out)
        """,
    "print_in_unconverted_function": """
        def report(x):
            print(x)
            seen = []
            seen.append(x)
            for i in tf.range(3):
                seen.append(i)
            return seen
        """,
    "local_dict_mutated_locally": """
        @tf.function
        def f(x):
            d = {}
            d["a"] = x
            d.update(b=x * 2)
            d.setdefault("c", x)
            del d["a"]
            s = set()
            s.add(1)
            return d["b"] + d.pop("c")
        """,
    "train_step_gradient_lists": """
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        opt = tf.keras.optimizers.SGD()

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((model(x) - y) ** 2)
            grads = tape.gradient(loss, model.trainable_variables)
            clipped = []
            for g in grads:
                clipped.append(tf.clip_by_norm(g, 1.0))
            for t in tf.unstack(x):
                clipped.append(t)
            opt.apply_gradients(zip(clipped, model.trainable_variables))
            return loss
        """,
    "variable_created_once_under_guard": """
        class Lazy(tf.Module):
            def __init__(self):
                self.v = None

            @tf.function
            def __call__(self, x):
                if self.v is None:
                    self.v = tf.Variable(tf.zeros_like(x))
                return self.v.assign_add(x)
        """,
    "variable_under_init_scope": """
        class M(tf.Module):
            @tf.function
            def __call__(self, x):
                with tf.init_scope():
                    self.v = tf.Variable(1.0)
                return self.v * x
        """,
    "while_true_left_by_return": """
        @tf.function
        def f(x):
            while True:
                if x > 0:
                    break
                return x
            return -x
        """,
    "python_flags_and_shapes_in_if": """
        @tf.function
        def f(x, training=False, mode: str = "a"):
            if training:
                y = x * 0.5
            if x.shape[0] > 2:
                z = 1
            if len(x.shape) == 2:
                w = 2
            return x
        """,
    "one_branch_temporary_not_used_after": """
        @tf.function
        def f(x):
            y = tf.zeros_like(x)
            if x > 0:
                t = x * 2
                y = t + 1
            return y
        """,
    "one_branch_returns": """
        @tf.function
        def f(x):
            if x > 0:
                return x
            else:
                y = -x
            return y
        """,
    "while_true_with_python_exit": """
        @tf.function
        def f(x):
            n = 0
            while True:
                x = x * 2
                n += 1
                if n > 3:
                    break
            return x
        """,
    "tensorflow_random_module_is_tf": """
        from tensorflow import random

        @tf.function
        def f(x):
            return x + random.uniform([])
        """,
    "ignore_marker_inside_string": """
        def f(x):
            return "# autoconv: ignore"
        """,
    "dataset_loop_with_reduce": """
        @tf.function
        def f(ds):
            total = tf.constant(0)
            for batch in ds:
                total += tf.reduce_sum(batch)
            return total
        """,
}


@pytest.mark.parametrize("name", sorted(CLEAN))
def test_never_reported(tmp_path: Path, name: str) -> None:
    assert lint_snippet(tmp_path, HEADER + "\n" + _src(CLEAN[name])) == []


def test_a_parameter_of_a_traced_function_is_a_tensor_unless_shown_python(tmp_path: Path) -> None:
    """tf.function passes tensors to the function it traces; a Python default, a non-tensor
    annotation, a call with a constant, or being left out of input_signature says otherwise."""
    body = """
        @tf.function{signature}
        def f(x, training{annotation}):
            if training:
                y = x * 0.5
            return y
        """
    assert codes(lint_tf(tmp_path, body.format(signature="", annotation=""))) == ["AC402"]
    assert codes(lint_tf(tmp_path, body.format(signature="", annotation=": tf.Tensor"))) == ["AC402"]
    assert lint_tf(tmp_path, body.format(signature="", annotation=": bool")) == []
    assert lint_tf(tmp_path, body.format(signature="", annotation="=False")) == []
    assert lint_tf(tmp_path, body.format(signature="", annotation="") + "f(1.0, True)\n") == []
    assert lint_tf(tmp_path, body.format(signature="", annotation="") + "f(1.0, training=True)\n") == []
    signature = "(input_signature=[tf.TensorSpec([]), tf.TensorSpec([], tf.bool)])"
    assert codes(lint_tf(tmp_path, body.format(signature=signature, annotation=""))) == ["AC402"]
    assert lint_tf(tmp_path, body.format(signature="(input_signature=[tf.TensorSpec([])])", annotation="")) == []


def test_a_parameter_used_as_range_bound_is_python(tmp_path: Path) -> None:
    body = """
        @tf.function
        def f(x, n):
            for _ in range(n):
                x = x + 1
            if n > 2:
                y = x
            return y
        """
    assert lint_tf(tmp_path, body) == []


# ---- which functions are converted --------------------------------------------------
@pytest.mark.parametrize(
    "decorated",
    [
        "import tensorflow as tf\n@tf.function\ndef f(x):\n    print(x)\n",
        "import tensorflow as tf\n@tf.function(input_signature=[tf.TensorSpec([], tf.float32)])\ndef f(x):\n    print(x)\n",
        "import tensorflow\n@tensorflow.function\ndef f(x):\n    print(x)\n",
        "import tensorflow as xtf\n@xtf.function(jit_compile=True)\ndef f(x):\n    print(x)\n",
        "from tensorflow import function\n@function\ndef f(x):\n    print(x)\n",
        "from tensorflow import function as tff\n@tff\ndef f(x):\n    print(x)\n",
        "from autoconv import sample\n@sample\ndef f(x):\n    print(x)\n",
        "from autoconv import sample\n@sample(inputs=[1], expect='differ')\ndef f(x):\n    print(x)\n",
        "import autoconv\n@autoconv.sample(inputs=[1])\ndef f(x):\n    print(x)\n",
        "import tensorflow as tf\ndef f(x):\n    print(x)\ng = tf.function(f)\n",
        "import tensorflow as tf\ndef f(x):\n    print(x)\ng = tf.function(f, reduce_retracing=True)\n",
        "import tensorflow as tf\ndef f(x):\n    print(x)\ng = tf.function(jit_compile=True)(f)\n",
        "import tensorflow as tf\n@tf.function\ndef outer(x):\n    def f(y):\n        print(y)\n    return f(x)\n",
        "import tensorflow as tf\nclass M(tf.Module):\n    @tf.function\n    def f(self, x):\n        print(x)\n",
    ],
)
def test_converted_function_forms(tmp_path: Path, decorated: str) -> None:
    assert codes(lint_snippet(tmp_path, decorated)) == ["AC101"]


@pytest.mark.parametrize(
    "plain",
    [
        "import tensorflow as tf\ndef f(x):\n    print(x)\n",
        "import functools\n@functools.lru_cache\ndef f(x):\n    print(x)\n",
        "from mylib import sample\n@sample\ndef f(x):\n    print(x)\n",
        "import tensorflow as tf\ndef f(x):\n    print(x)\ng = tf.function(lambda x: x)\n",
        "import tensorflow as tf\ndef g(x):\n    return x\n@tf.function\ndef h(x):\n    return g(x)\ndef f(x):\n    print(x)\n",
    ],
)
def test_unconverted_function_forms(tmp_path: Path, plain: str) -> None:
    assert lint_snippet(tmp_path, plain) == []


# ---- rule variants --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("import random", "random.random()"),
        ("import random as rnd", "rnd.randint(0, 9)"),
        ("from random import randint", "randint(0, 9)"),
        ("import numpy", "numpy.random.rand()"),
        ("from numpy import random", "random.normal()"),
        ("import numpy.random as npr", "npr.uniform()"),
        ("from numpy.random import default_rng", "default_rng(0)"),
    ],
)
def test_python_random_variants(tmp_path: Path, imports: str, call: str) -> None:
    src = f"{imports}\nimport tensorflow as tf\n@tf.function\ndef f(x):\n    return x + {call}\n"
    findings = lint_snippet(tmp_path, src)
    assert codes(findings) == ["AC102"]
    assert findings[0].line == 5 and findings[0].message.startswith(call.split("(")[0] + "()")


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("import time", "time.perf_counter()"),
        ("import time", "time.monotonic()"),
        ("from time import time", "time()"),
        ("import datetime", "datetime.datetime.now()"),
        ("from datetime import datetime", "datetime.now()"),
    ],
)
def test_python_time_variants(tmp_path: Path, imports: str, call: str) -> None:
    src = f"{imports}\nimport tensorflow as tf\n@tf.function\ndef f(x):\n    t = {call}\n    return x\n"
    assert codes(lint_snippet(tmp_path, src)) == ["AC103"]


def test_outer_state_mutations(tmp_path: Path) -> None:
    findings = lint_tf(
        tmp_path,
        """
        cache = {}
        calls = []
        counter = 0

        @tf.function
        def f(x: tf.Tensor):
            global counter
            counter += 1
            cache["last"] = x
            del cache["old"]
            calls.extend([x])
            return x * counter
        """,
    )
    assert [(f.code, f.line) for f in findings] == [("AC301", 9), ("AC301", 10), ("AC301", 11), ("AC301", 12)]
    assert "mutates 'counter'" in findings[0].message
    assert "mutates 'cache'" in findings[1].message


def test_closure_list_of_unconverted_outer_function(tmp_path: Path) -> None:
    findings = lint_tf(
        tmp_path,
        """
        def make():
            log = []

            @tf.function
            def step(x):
                log.append(x)
                return x
            return step, log
        """,
    )
    assert [(f.code, f.line) for f in findings] == [("AC301", 7)]


def test_tensor_loops(tmp_path: Path) -> None:
    findings = lint_tf(
        tmp_path,
        """
        @tf.function
        def f(xs: tf.Tensor, n: tf.Tensor):
            a, b, c, d = [], [], [], []
            for x in xs:
                a.append(x)
            for y in tf.data.Dataset.range(3).map(lambda v: v * 2):
                b.append(y)
            i = tf.constant(0)
            while i < n:
                c += [i]
                i += 1
            for k in tf.range(n):
                for j in range(2):
                    d.append(k * j)
            return a, b, c, d
        """,
    )
    assert [(f.code, f.line) for f in findings] == [("AC302", 6), ("AC302", 8), ("AC302", 11), ("AC302", 15)]


def test_list_created_inside_tensor_loop_is_a_temporary(tmp_path: Path) -> None:
    assert (
        lint_tf(
            tmp_path,
            """
        @tf.function
        def f(n):
            total = tf.constant(0)
            for i in tf.range(n):
                parts = []
                parts.append(i)
                parts.append(i + 1)
                total += tf.add_n(parts)
            return total
        """,
        )
        == []
    )


def test_each_one_branch_name_reported_once(tmp_path: Path) -> None:
    findings = lint_tf(
        tmp_path,
        """
        @tf.function
        def f(x: tf.Tensor):
            y = x + 1
            if y > 0:
                a = 1
                b = 2
            else:
                a = 3
            return a + b + b
        """,
    )
    assert [(f.code, f.line, f.message.split("'")[1]) for f in findings] == [("AC402", 5, "b")]


# ---- suppression ------------------------------------------------------------------------
def _print_twice(comment: str) -> str:
    return HEADER + _src(f"""
        seen = []

        @tf.function
        def f(x):
            print(x); seen.append(x)  {comment}
            print(x)
        """)


@pytest.mark.parametrize(
    ("comment", "left"),
    [
        ("# autoconv: ignore[AC101]", [("AC301", 6), ("AC101", 7)]),
        ("# autoconv: ignore[AC101,AC301]", [("AC101", 7)]),
        ("# autoconv: ignore[AC101, AC301]", [("AC101", 7)]),
        ("# autoconv: ignore", [("AC101", 7)]),
        ("# autoconv: ignore[AC999]", [("AC101", 6), ("AC301", 6), ("AC101", 7)]),
        ("# noqa", [("AC101", 7)]),
        ("# noqa: AC101", [("AC301", 6), ("AC101", 7)]),
        ("# noqa:AC101,AC301", [("AC101", 7)]),
        ("# NOQA: E501", [("AC101", 6), ("AC301", 6), ("AC101", 7)]),
    ],
)
def test_suppression(tmp_path: Path, comment: str, left: list[tuple[str, int]]) -> None:
    assert [(f.code, f.line) for f in lint_snippet(tmp_path, _print_twice(comment))] == left


# ---- files, paths and output --------------------------------------------------------------
BAD = HEADER + "@tf.function\ndef f(x):\n    print(x)\n    return x\n"
GOOD = HEADER + "@tf.function\ndef f(x):\n    tf.print(x)\n    return x\n"


def test_lint_accepts_source_path_and_str_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    from_source = lint(BAD)
    assert [(f.path, f.line) for f in from_source] == [("<string>", 4)]
    assert [(f.path, f.line) for f in lint(str(path))] == [(str(path), 4)]
    assert lint(path) == lint(str(path))


def test_syntax_error_file_among_good_files(tmp_path: Path) -> None:
    (tmp_path / "a_bad.py").write_text(BAD)
    (tmp_path / "b_broken.py").write_text("def f(:\n    pass\n")
    (tmp_path / "c_good.py").write_text(GOOD)
    findings = lint_paths([str(tmp_path)])
    assert [(Path(f.path).name, f.code, f.line) for f in findings] == [
        ("a_bad.py", "AC101", 4),
        ("b_broken.py", "AC000", 1),
    ]
    broken = findings[1]
    assert broken.message.startswith("syntax error: ") and broken.col >= 1


def test_folder_walk_skips_hidden_cache_build_and_venvs(tmp_path: Path) -> None:
    for folder in (".hidden", "__pycache__", "build", "venv", "myenv", "pkg/sub"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "m.py").write_text(BAD)
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "pkg" / "notes.txt").write_text(BAD)
    findings = lint_paths([str(tmp_path)])
    assert [Path(f.path).relative_to(tmp_path).as_posix() for f in findings] == ["pkg/sub/m.py"]


def test_main_json(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "broken.py").write_text("x = (\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_lint([str(tmp_path)], "json", out=out, err=err) == 1
    data = json.loads(out.getvalue())
    assert isinstance(data, list) and len(data) == 2
    for item in data:
        # the seven keys of the contract, and the chain added for whole-project scope
        assert set(item) == {"path", "line", "col", "code", "message", "hint", "sample", "chain", "severity"}
    first = data[0]
    assert first["chain"] == []
    assert first["code"] == "AC101" and first["line"] == 4 and first["col"] == 5
    assert first["sample"] == "print_only_while_tracing"
    assert first["path"] == str(tmp_path / "bad.py")
    assert data[1]["code"] == "AC000" and data[1]["sample"] == ""
    assert err.getvalue() == ""


def test_main_json_clean_is_empty_list(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    out = io.StringIO()
    assert run_lint([str(tmp_path)], "json", out=out, err=io.StringIO()) == 0
    assert json.loads(out.getvalue()) == []


def test_main_text_format(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    out, err = io.StringIO(), io.StringIO()
    assert run_lint([str(path)], "text", out=out, err=err) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"{re.escape(str(path))}:4:5: AC101 info: print\(\) runs only while tracing.*", lines[0])
    assert re.fullmatch(
        r"  hint: use tf\.print\(\.\.\.\).* \(see sample 'print_only_while_tracing', fixed in 'tf_print_every_call'\)",
        lines[1],
    )
    assert err.getvalue().strip() == "1 finding in 1 file"


def test_main_clean_exit_zero_and_silent(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    out, err = io.StringIO(), io.StringIO()
    assert run_lint([str(tmp_path)], "text", out=out, err=err) == 0
    assert out.getvalue() == "" and err.getvalue() == ""


def test_main_missing_path(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    missing = str(tmp_path / "nope.py")
    out, err = io.StringIO(), io.StringIO()
    assert run_lint([str(tmp_path), missing], "text", out=out, err=err) == 2
    assert err.getvalue() == f"autoconv: error: no such file or directory: {missing}\n"
    assert out.getvalue() == ""


def test_finding_to_dict_keys() -> None:
    (finding,) = lint(BAD)
    assert list(finding.to_dict()) == ["path", "line", "col", "code", "message", "hint", "sample", "chain", "severity"]


def test_lint_does_not_import_tensorflow(python_env, tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(BAD)
    code = (
        "import autoconv.linter, sys; "
        f"found = autoconv.linter.lint_paths([{str(tmp_path)!r}]); "
        "assert found, found; "
        "assert 'tensorflow' not in sys.modules, 'tensorflow imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], env=python_env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_pre_commit_hook_declared() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert "id: autoconv-lint" in text and "entry: autoconv lint" in text
    assert "language: python" in text and "types: [python]" in text


def test_compat_v1_names(tmp_path: Path) -> None:
    findings = lint_tf(
        tmp_path,
        """
        @tf.compat.v1.function
        def f(x):
            v = tf.compat.v1.Variable(1.0)
            return v * x
        """,
    )
    assert [(f.code, f.line) for f in findings] == [("AC201", 4)]


def test_same_file_given_twice_is_checked_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    assert len(lint_paths([str(path), str(tmp_path)])) == 1


def test_a_missing_py_file_is_an_error_not_source():
    import autoconv
    from autoconv.errors import AutoconvError

    with pytest.raises(AutoconvError, match="no such file: typo.py"):
        autoconv.lint("typo.py")


def test_a_train_step_is_unconverted_under_keras_2_too(tmp_path: Path) -> None:
    """Keras 2 (tf_keras) converted a layer's call but, like Keras 3, runs train_step under
    do_not_convert: an if on a tensor there fails under fit in both (AC405, never silenced by a
    pin below TF 2.16 as AC403 is)."""
    findings = lint_snippet(tmp_path, """
        import tensorflow as tf
        import tf_keras as keras

        class Model(keras.Model):
            def test_step(self, data):
                x, y = data
                error = tf.reduce_max(tf.abs(self(x) - y))
                while error > 1.0:
                    error = error / 2
                return {"error": error}
        """)
    assert [(f.code, f.line) for f in findings] == [("AC405", 8)]
    assert "Keras test_step" in findings[0].message
