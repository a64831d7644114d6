"""Loops over Python structures (unrolled) beside loops over datasets (graph loops)."""

import tensorflow as tf


class Decoder:
    def __init__(self, dtypes):
        self._dtypes = list(dtypes)

    @tf.function
    def decode(self, features):
        parts = []
        for dtype, feature in zip(self._dtypes, features, strict=True):  # a tuple of tensors: unrolled
            parts.append(tf.cast(feature, dtype))
        features = tf.concat(parts, axis=0)
        return features

    def pipeline(self, files):
        return tf.data.TFRecordDataset(files).batch(4).map(self.decode)


@tf.function
def count_batches(n):
    ds = tf.data.Dataset.range(n).batch(2)
    sizes = []
    for step, batch in enumerate(ds):  # a dataset: a graph loop
        sizes.append(tf.size(batch) + tf.cast(step, tf.int32))
    return sizes
