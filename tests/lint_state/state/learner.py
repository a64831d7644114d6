"""Attributes a tf.function reads and other code rebinds: Python values, tensors, variables."""

import tensorflow as tf


class Learner:
    def __init__(self, model):
        self._model = model
        self._iteration = 1
        self._scale = 1.0
        self._state = model.initial_state(1)
        self._mean = tf.Variable(0.0)
        self._var = tf.Variable(1.0)
        self._offset = tf.zeros([1])

    def learn(self, data):
        @tf.function
        def train_step(x):
            return self._model(x) * 2 / self._iteration  # a new tf.function on each learn()

        for x in data:
            loss = train_step(x)
        return loss

    def learn_decaying(self, data):
        @tf.function
        def train_step(x):
            return self._model(x) * self._scale  # rebound below, while this function lives

        for x in data:
            loss = train_step(x)
            self._scale = self._scale * 0.5
        return loss

    def next_iteration(self):
        self._iteration += 1
        self._scale = 1.0
        self._offset = tf.zeros([1])  # a setter nobody's trace reads through

    @tf.function
    def _unroll(self, xs):
        return self._model(xs, self._state)  # a tensor, rebound by update()

    def update(self, xs):
        self._state = self._unroll(xs)

    @tf.function
    def observe(self, x):
        self._mean.assign_add(x)
        if not self._model.frozen:
            self._var = tf.clip_by_value(x - self._mean, 1e-2, 1e2)  # a Variable replaced by a tensor
        self._var.assign(tf.abs(x))

    @tf.function
    def normalize(self, x):
        return (x - self._mean) / tf.sqrt(self._var)


class Accumulator:
    def __init__(self):
        self._total = tf.zeros([3])
        self._bias = tf.zeros([3])

    def reset(self):
        self._total = tf.zeros([3])  # the first value again: nothing goes stale

    def shift(self, delta):
        self._bias = tf.constant(delta)

    @tf.function
    def add(self, x):
        return x + self._total + self._bias
