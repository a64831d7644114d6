"""Attributes set by the setup methods a constructor runs, before anything is traced."""

import tensorflow as tf


class Runner:
    describe = lambda self: "runner"  # noqa: E731  a lambda in a class body is no method

    def __init__(self, scale):
        self.scale = scale
        self.mixed = False
        self.clip = False
        self._prepare()

    def _prepare(self):
        self._choose_precision()

    def _choose_precision(self):
        self.mixed = True  # still building the object: an initial value, not a rebinding
        self.clip = True

    @tf.function
    def step(self, x):
        if self.mixed:
            x = tf.cast(x, tf.float16)
        return x * self.scale


class Reconfigurable:
    def __init__(self):
        self.mixed = False
        self._choose_precision()

    def _choose_precision(self):
        self.mixed = True

    def reset(self):
        self._choose_precision()  # run again later: the traced step keeps the old value

    @tf.function
    def step(self, x):
        if self.mixed:
            x = tf.cast(x, tf.float16)
        return x
