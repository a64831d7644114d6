import tensorflow as tf
from tensorflow.python.framework import ops

from .builders import make_dense, make_embedding


class Scorer(tf.Module):
    def __init__(self):
        self._built = False
        self._eager = False
        self._debug = False
        self.training = False

    def _create(self):
        self.w = tf.Variable(1.0)
        self._built = True

    def set_training(self, value):
        self.training = value

    def enable_eager(self):
        self._eager = True
        self._debug = True

    @tf.function
    def lifted(self, x):
        with ops.init_scope():
            inner = tf.keras.layers.Dense(3)
        with tf.init_scope():
            outer = make_dense()
        return inner(x) + outer(x)

    @tf.function
    def unlifted(self, x):
        return make_embedding()(x)

    @tf.function
    def built_once(self, x):
        if not self._built:
            self._create()
        return x * self.w

    @tf.function
    def switched(self, x):
        if self.training:
            return x * 0.5
        return x

    @tf.function
    def scratch(self, x):
        self._scratch = tf.reduce_sum(x)
        return self._scratch * 2.0

    @tf.function
    def remembered(self, x):
        self.last_loss = tf.reduce_sum(x)
        return x

    def report(self):
        return self.last_loss

    @tf.function
    def asserted(self, x):
        assert not self._eager
        return self.to_host(x)

    def to_host(self, y):
        if self._eager:
            return y.numpy()
        return y

    @tf.function
    def unasserted(self, x):
        return self.peek(x)

    def peek(self, y):
        if self._debug:
            return y.numpy()
        return y
