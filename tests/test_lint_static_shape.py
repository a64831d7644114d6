"""AC106 and static shapes: ``x.get_shape()``, ``K.int_shape(x)`` and ``tf.compat.dimension_value``
give a shape known while tracing, like ``x.shape``; int() of one of its items is a Python int, so
using it as a list repetition is fine.  int() of the tensor itself, used the same way, still fires."""

from __future__ import annotations

from autoconv.linter import lint

SOURCE = '''\
import tensorflow as tf
from tensorflow.keras import backend as K


class Splitter(tf.keras.layers.Layer):
    def call(self, inputs):
        width = int(inputs.get_shape()[-1])
        parts = tf.split(inputs, width * [1], 2)
        depth = int(K.int_shape(inputs)[1])
        more = tf.split(inputs, depth * [1], 1)
        rank = int(tf.compat.dimension_value(inputs.shape[0]))
        last = rank * [1]
        count = int(tf.reduce_sum(inputs))
        wrong = count * [1]
        return parts, more, last, wrong
'''


def test_items_of_a_static_shape_are_python_ints() -> None:
    found = [(f.line, f.code) for f in lint(SOURCE)]
    assert found == [(14, "AC106")]  # only int() of a reduced tensor, used as a repetition count
