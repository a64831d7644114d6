import tensorflow as tf

from .kinds import Kind


class Tagger(tf.Module):
    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(2)
        self.kinds = {}
        self.names = []
        self.last = None

    @tf.function
    def __call__(self, features):
        self.kinds = {name: Kind.WORD for name in features}  # enum members: Python values
        self.names = sorted(features.keys())  # strings: a Python list
        self.last = tf.reduce_sum(features["x"])  # AC305: a graph tensor on self
        return self.dense(features["x"])

    def report(self):
        return self.kinds, self.names, self.last
