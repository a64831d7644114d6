"""A method handed to ``Dataset.map`` (``ds.map(self.parse)``): its parameters after ``self`` are
the dataset's elements, tensors; ``self`` is the object, not an element, so its attributes (a list
of ints made in ``__init__``) are Python values and ``tf.constant`` of one is fine."""

from __future__ import annotations

from autoconv.linter import lint

SOURCE = '''\
import tensorflow as tf


class Loader:
    def __init__(self, size=(416, 416)):
        self.size = size
        self.grids = [[self.size[1] // s, self.size[0] // s] for s in [32, 16, 8]]

    def parse(self, image, boxes):
        grids = tf.constant(self.grids, dtype=tf.int32)
        first = tf.constant([image[0], 1.0])
        return image, boxes, grids, first

    def dataset(self, ds):
        return ds.map(self.parse)
'''


def test_self_of_a_dataset_callback_method_is_not_an_element() -> None:
    found = {(f.line, f.code) for f in lint(SOURCE)}
    lines = SOURCE.splitlines()
    assert (lines.index("        grids = tf.constant(self.grids, dtype=tf.int32)") + 1, "AC108") not in found
    assert (lines.index("        first = tf.constant([image[0], 1.0])") + 1, "AC108") in found  # image is an element
