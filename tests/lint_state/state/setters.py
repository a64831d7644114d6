"""Attributes given to the constructor and rebound later: by a setter (stale in a trace),
or in ways that leave nothing stale."""

import tensorflow as tf


class Splitter:
    def __init__(self, separator=""):
        self.separator = separator

    def set_separator(self, separator):
        self.separator = separator  # a setter: the traced split keeps the first separator

    @tf.function
    def split(self, text):
        return tf.strings.split(text, self.separator)


class Weighted:
    def __init__(self, weight):
        self.weight = weight

    def replace(self, weight):
        self.weight = weight

    def decay(self):
        self.weight.assign(self.weight * 0.9)  # a tf.Variable: assigned in place

    @tf.function
    def apply(self, x):
        return x * self.weight


class Rewrapped:
    def __init__(self, factor):
        self.factor = factor
        self._wrap()

    def _wrap(self):
        self.run = tf.function(self._run)

    def set_factor(self, factor):
        self.factor = factor
        self._wrap()  # a new tf.function, traced with the new factor

    def _run(self, x):
        return x * self.factor


class Deployable:
    def __init__(self, deploy=False):
        self.deploy = deploy

    def switch_to_deploy(self):
        self.deploy = True  # not a setter: a one-way switch

    @tf.function
    def apply(self, x):
        return x if self.deploy else x * 2.0


class Tokenized:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def _set_tokenizer(self, tokenizer):
        self.tokenizer = tokenizer  # private and called nowhere: it never runs

    @tf.function
    def apply(self, x):
        return self.tokenizer(x)
