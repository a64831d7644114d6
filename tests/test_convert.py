"""autoconv.convert on every kind of callable, with real AutoGraph."""
import textwrap

import _convert_targets as targets
import pytest
import tensorflow as tf

import autoconv
from autoconv.annotations import ALL_KINDS
from autoconv.errors import AutoconvError

FEATURES = tf.autograph.experimental.Feature


def test_plain_function_has_source_map_and_code():
    conversion = autoconv.convert(targets.loop_and_branch)
    assert conversion.ok and conversion.error is None
    assert conversion.original.startswith("def loop_and_branch(n):")
    assert conversion.converted.startswith("def tf__loop_and_branch(n):")
    assert "ag__.for_stmt" in conversion.converted and "ag__.if_stmt" in conversion.converted


@pytest.mark.parametrize(
    ("obj", "original_start", "converted_start"),
    [
        (targets.make_closure(3), "def scaled(x):", "def tf__scaled(x):"),
        (targets.outer, "def outer(x):", "def tf__outer(x):"),
        (targets.double, "double = lambda x: x * 2", "tf__lam = lambda x:"),
        (targets.partial_loop, "def loop_and_branch(n):", "def tf__loop_and_branch(n):"),
        (targets.decorated, "@tf.function\ndef decorated(x):", "def tf__decorated(x):"),
        (targets.Counter.add, "@tf.function\ndef add(self, a):", "def tf__add(self, a):"),
        (targets.counter.add, "@tf.function\ndef add(self, a):", "def tf__add(self, a):"),
        (targets.counter.plain, "def plain(self, a):", "def tf__plain(self, a):"),
        (targets.Counter.plain, "def plain(self, a):", "def tf__plain(self, a):"),
        (targets.scaler, "@tf.function\ndef __call__(self, x):", "def tf____call__(self, x):"),
    ],
    ids=["closure", "nested", "lambda", "partial", "tf.function", "module-method", "bound-tf-method",
         "bound-method", "unbound-method", "callable-module"],
)
def test_each_kind_of_callable(obj, original_start, converted_start):
    conversion = autoconv.convert(obj)
    assert conversion.ok, conversion.error
    assert conversion.original.startswith(original_start)
    assert conversion.converted.startswith(converted_start)
    assert "bound_method_wrapper" not in conversion.converted


def test_line_map_of_a_loop_and_a_conditional():
    conversion = autoconv.convert(targets.loop_and_branch)
    original = conversion.original.splitlines()
    converted = conversion.converted.splitlines()

    def origin_of(fragment):
        line = next(i for i, text in enumerate(converted, 1) if fragment in text)
        return original[conversion.line_map[line] - conversion.first_line].strip()

    assert origin_of("def tf__loop_and_branch") == "def loop_and_branch(n):"
    assert origin_of("ag__.for_stmt(") == "for i in tf.range(n):"
    assert origin_of("ag__.if_stmt(") == "if i % 2 == 0:"
    assert origin_of("total += i") == "total += i"
    assert origin_of("total -= 1") == "total -= 1"
    assert origin_of("retval_ = ag__.ld(total)") == "return total"
    for_line = next(i for i, text in enumerate(converted, 1) if "ag__.for_stmt(" in text)
    assert for_line in conversion.converted_lines_of(conversion.first_line + 2)  # file lines


def test_annotations_cover_every_construct_autograph_emits():
    functions = [
        (targets.every_construct, [FEATURES.ASSERT_STATEMENTS, FEATURES.LISTS, FEATURES.EQUALITY_OPERATORS]),
        (targets.every_construct, None),  # its assert left as Python
        (targets.not_equal, [FEATURES.EQUALITY_OPERATORS]),
        (targets.return_in_loop, None),
        (targets.attribute_in_loop, None),
        (targets.loop_and_branch, None),
        (targets.double, None),
    ]
    seen = set()
    for function, features in functions:
        conversion = autoconv.convert(function, optional_features=features)
        converted = conversion.converted.splitlines()
        for annotation in conversion.annotations:
            line = converted[annotation.converted_line - 1]
            assert len(annotation.text) > 30
            assert annotation.kind.removeprefix("fscope.").rstrip("_") in line, (annotation, line)
            seen.add(annotation.kind)
    assert set(ALL_KINDS) <= seen, set(ALL_KINDS) - seen


def test_annotation_texts_explain_when_it_becomes_a_tensorflow_op():
    conversion = autoconv.convert(targets.loop_and_branch)
    by_kind = {a.kind: a for a in conversion.annotations}
    assert "tf.while_loop" in by_kind["for_stmt"].text and "unrolls" in by_kind["for_stmt"].text
    assert "tf.cond" in by_kind["if_stmt"].text
    assert by_kind["for_stmt"].original_line == conversion.first_line + 2
    assert by_kind["fscope.ret"].original_line is not None


@pytest.mark.parametrize(
    ("function", "phrase"),
    [
        (targets.generator, "generators"),
        (targets.walrus, "':='"),
        (targets.matcher, "'match'"),
        (targets.for_else, "else clause on a for loop"),
        (targets.while_else, "else clause on a while loop"),
    ],
)
def test_conversion_failures_are_explained(function, phrase):
    conversion = autoconv.convert(function)
    assert not conversion.ok and conversion.converted is None
    assert phrase in conversion.error
    assert "AutoGraph said:" in conversion.error
    assert "traces the function as it is" in conversion.error
    assert conversion.original.startswith(f"def {function.__name__}(")


def test_source_not_available():
    namespace = {}
    exec(textwrap.dedent("""
        def made_by_exec(x):
            return x + 1
    """), namespace)
    conversion = autoconv.convert(namespace["made_by_exec"])
    assert conversion.original is None and not conversion.ok
    assert "source code is not available" in conversion.error
    assert "InaccessibleSourceCodeError" in conversion.error or "source" in conversion.error.split("AutoGraph said:")[1]


def test_not_a_function():
    with pytest.raises(AutoconvError, match="not a Python function"):
        autoconv.convert(len)


def test_conversion_round_trips_as_plain_data():
    conversion = autoconv.convert(targets.loop_and_branch)
    again = type(conversion).from_dict(conversion.to_dict())
    assert again == conversion


def test_docstring_at_column_zero_does_not_break_the_view():
    conversion = autoconv.convert(targets.Documented.method)
    assert conversion.ok and conversion.original.startswith("def method(self, x):")
    assert conversion.converted.startswith("def tf__method(self, x):")
    assert "for_stmt" in {a.kind for a in conversion.annotations}
