import tensorflow as tf

from service import helpers


class Scorer(tf.Module):
    def __init__(self):
        super().__init__()
        self.threshold = 0.5
        self.limit = tf.Variable(1.0)

    def set_threshold(self, value):
        self.threshold = value  # rebound outside traced code

    def set_limit(self, value):
        self.limit.assign(value)

    @tf.function
    def score(self, x):
        kept = x * self.limit  # a tf.Variable: read when the graph runs
        helpers.describe(kept)
        helpers.peek(kept)
        return helpers.summarize(kept) > self.threshold  # AC306 on self.threshold
