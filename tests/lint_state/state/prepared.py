"""Tensor attributes made once from themselves (a NumPy array filled, then converted) and their
twins: one also loaded from elsewhere, one advanced by arithmetic on itself."""

import numpy as np
import tensorflow as tf


class Estimator:
    def __init__(self, size):
        self._weights = np.zeros([size])
        self._counts = np.zeros([size])
        self._table = np.zeros([size])
        self._clock = tf.zeros([])

    def prepare(self, rows):
        for i, w in rows:
            self._weights[i] += w
            self._counts[i] += 1
        self._weights = tf.cast(self._weights, tf.float32)
        self._counts = self._counts / np.sqrt(1e-8 + self._counts.sum())
        self._counts = tf.convert_to_tensor(self._counts, tf.float32)

    def load(self, rows):
        self._table = np.asarray(rows)
        self._table = tf.cast(self._table, tf.float32)

    def tick(self):
        self._clock = tf.add(self._clock, 1.0)

    @tf.function
    def train_step(self, x):
        fit = tf.reduce_sum(x * self._weights) + tf.reduce_sum(x * self._counts)
        return fit + tf.reduce_sum(x * self._table) + self._clock
