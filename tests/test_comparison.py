"""The comparison rules of protocol v2, on real TensorFlow values (docs/how-the-check-works.rst)."""
from __future__ import annotations

import collections
import dataclasses
import math

import numpy as np
import pytest
import tensorflow as tf

from autoconv.equivalence.compare import compare, describe, describe_call, snapshot, values_equal


def test_arrays_agree_only_with_the_same_dtype_and_shape() -> None:
    assert values_equal(tf.constant([1, 2]), tf.constant([1, 2]))
    assert compare(tf.constant(6), tf.constant(6.0)).reason == "dtype int32 against float32"
    assert not values_equal(tf.constant(6, tf.int64), tf.constant(6, tf.int32))
    assert not values_equal(tf.constant([1, 2]), tf.constant([[1, 2]]))
    assert not values_equal(np.float32(1.0), np.float64(1.0))


def test_floats_within_the_tolerance_agree_and_nan_equals_nan() -> None:
    assert values_equal(tf.constant([1.0, np.nan]), tf.constant([1.0 + 1e-7, np.nan]))
    assert not values_equal(tf.constant(1.0), tf.constant(1.001))
    assert values_equal(1.0, 1.0 + 1e-8) and not values_equal(1.0, 1.0 + 1e-4)
    assert values_equal(float("nan"), float("nan"))


def test_a_python_scalar_against_a_0d_tensor_of_its_kind_agrees_and_records_the_type_change() -> None:
    result = compare(10, tf.constant(10))
    assert result.equal and result.type_change == "int -> int32 tensor"
    assert compare(tf.constant(2.5), 2.5).type_change == "float32 tensor -> float"
    assert compare("text", tf.constant("text")).equal
    assert compare(b"text", tf.constant("text")).equal
    assert compare(True, tf.constant(True)).equal
    assert values_equal(float("nan"), np.float32("nan"))
    assert compare(10, tf.Variable(10)).type_change == "int -> int32 variable"


def test_a_python_scalar_against_a_tensor_of_another_kind_or_shape_differs() -> None:
    assert not values_equal(True, tf.constant(1))  # a bool is not an int
    assert not values_equal(1, tf.constant(True))
    assert not values_equal(6, tf.constant(6.0))
    assert not values_equal(1, tf.constant([1]))
    assert not values_equal("1", tf.constant(1))
    assert "a bool is not an int" in compare(True, tf.constant(1)).reason


def test_two_python_scalars_need_the_same_kind() -> None:
    assert not values_equal(True, 1) and not values_equal(1, 1.0) and not values_equal(0, False)
    assert values_equal(3, 3) and not values_equal(3, 4)
    assert values_equal("é", "é".encode()) and values_equal(b"\xff", b"\xff")


def test_bytes_compare_as_bytes_not_as_decoded_text() -> None:
    assert not values_equal(b"\xff", b"\xfe")
    assert not values_equal(tf.constant(b"\xff"), tf.constant(b"\xfe"))
    assert not values_equal(tf.constant([b"\xff"]), tf.constant([b"\xfe"]))


def test_composite_tensors_compare_by_their_parts() -> None:
    def sparse(value: int) -> tf.SparseTensor:
        return tf.SparseTensor(indices=[[0, 1]], values=[value], dense_shape=[2, 2])

    assert values_equal(sparse(3), sparse(3))
    assert not values_equal(sparse(3), sparse(4))
    assert values_equal(tf.ragged.constant([[1, 2], [3]]), tf.ragged.constant([[1, 2], [3]]))
    assert not values_equal(tf.ragged.constant([[1, 2], [3]]), tf.ragged.constant([[1], [2, 3]]))
    slices = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]), tf.constant([2, 1]))
    assert values_equal(slices, tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]), tf.constant([2, 1])))
    array = tf.TensorArray(tf.int32, size=2).write(0, 1).write(1, 2)
    assert values_equal(array, tf.TensorArray(tf.int32, size=2).write(0, 1).write(1, 2))
    assert not values_equal(sparse(3), tf.constant([[0, 3], [0, 0]]))


def test_containers_compare_by_structure() -> None:
    pair = collections.namedtuple("pair", "a b")
    assert values_equal((1, 2), [1, 2]) and values_equal(pair(1, 2), (1, 2))
    assert not values_equal({"a": 1}, {"b": 1}) and not values_equal([1], [1, 2])
    assert compare({"x": [1, 2]}, {"x": [1, tf.constant(2)]}).type_change == "['x']: [1]: int -> int32 tensor"


def test_equal_dataclasses_from_two_loads_of_one_file_agree() -> None:
    def made() -> type:
        @dataclasses.dataclass
        class Point:
            x: int

        return Point

    assert values_equal(made()(1), made()(1)) and not values_equal(made()(1), made()(2))


class RaisingEquality:
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no")


class ArrayEquality:
    def __eq__(self, other: object) -> object:
        return np.array([True, False])


@pytest.mark.parametrize("value", [RaisingEquality(), ArrayEquality()])
def test_a_value_that_cannot_be_compared_is_a_difference_that_says_so(value: object) -> None:
    result = compare(value, value.__class__())
    assert not result.equal and result.reason.startswith(f"cannot compare {type(value).__name__}")


def test_values_that_contain_themselves_do_not_break_the_comparison() -> None:
    looped: list = [1]
    looped.append(looped)
    result = compare(looped, [1, [1]])
    assert not result.equal and "cannot compare" in result.reason


def test_snapshot_freezes_a_variable_at_the_time_of_the_call() -> None:
    variable = tf.Variable(1)
    frozen = snapshot(variable)
    variable.assign(5)
    assert values_equal(frozen, 1) and not values_equal(frozen, 5)


def test_descriptions_carry_no_memory_addresses() -> None:
    assert "0x" not in describe(object()) and "0x" not in describe_call((range, len), {"f": lambda: 1})
    assert describe_call((tf.constant(5), tf.constant([1.0, 2.0], tf.float64)), {}) == (
        "tf.constant(5), tf.constant([1.0, 2.0], tf.float64)")


def test_a_big_tensor_argument_is_described_by_shape_and_dtype() -> None:
    assert describe_call((tf.zeros([1, 6, 6]), tf.constant([1, 2])), {"k": 5}) == (
        "<tf.Tensor shape=(1, 6, 6) dtype=float32>, tf.constant([1, 2]), k=5")


def test_infinities_compare_by_kind_and_value() -> None:
    assert values_equal(math.inf, tf.constant(math.inf))
    assert values_equal(-math.inf, -math.inf)
    assert values_equal(math.nan, tf.constant(math.nan))
    assert not values_equal(math.inf, -math.inf)
    assert not values_equal(math.inf, tf.constant(1e38))
    assert not values_equal(math.inf, math.nan)


class Masked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor


def test_every_composite_tensor_compares_by_its_parts_and_type_spec() -> None:
    one = Masked(tf.constant([1.0, 2.0]), tf.constant([True, False]))
    assert values_equal(one, Masked(tf.constant([1.0, 2.0]), tf.constant([True, False])))
    assert compare(one, Masked(tf.constant([1.0, 3.0]), tf.constant([True, False]))).reason == "[0]: values differ"
    assert compare(one, Masked(tf.constant([1, 2]), tf.constant([True, False]))).reason.startswith("spec: ")


def test_optionals_compare_by_presence_and_value() -> None:
    optional = tf.experimental.Optional
    assert values_equal(optional.from_value(tf.constant(3)), optional.from_value(tf.constant(3)))
    assert values_equal(optional.empty(tf.TensorSpec([], tf.int32)), optional.empty(tf.TensorSpec([], tf.int32)))
    assert compare(optional.from_value(tf.constant(3)), optional.from_value(tf.constant(4))).reason == "value: values differ"
    assert not values_equal(optional.from_value(tf.constant(3)), optional.empty(tf.TensorSpec([], tf.int32)))


def test_datasets_compare_by_element_spec_and_first_elements() -> None:
    from autoconv.equivalence.compare import DATASET_ELEMENTS

    assert values_equal(tf.data.Dataset.range(3), tf.data.Dataset.range(3).map(lambda x: x))
    assert compare(tf.data.Dataset.range(3), tf.data.Dataset.range(4)).reason.startswith(f"first {DATASET_ELEMENTS} elements")
    assert compare(tf.data.Dataset.range(3), tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float64))).reason.startswith("element_spec")
    # the documented limit: only the first elements are read
    assert values_equal(tf.data.Dataset.range(DATASET_ELEMENTS + 5), tf.data.Dataset.range(DATASET_ELEMENTS + 6))


def test_a_tensor_array_is_shown_as_its_dtype_and_elements() -> None:
    array = tf.TensorArray(tf.float32, size=2).write(0, 1.0).write(1, 2.0)
    assert describe(array) == "TensorArray(dtype=float32, elements=[1.0, 2.0])"
    assert describe(tf.TensorArray(tf.int32, size=0)) == "TensorArray(dtype=int32, elements=[])"


class Pair(tuple):
    def __new__(cls, first, second):
        return super().__new__(cls, (first, second))


def test_a_result_that_cannot_be_rebuilt_still_compares_by_its_items() -> None:
    assert values_equal(Pair(1, 2), Pair(1, 2))
    assert not values_equal(Pair(1, 2), Pair(1, 3))
