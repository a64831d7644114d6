"""Keras layers: counters in call, a graph loop's body, RNN wrappers made while tracing."""

import tensorflow as tf


class Head(tf.keras.layers.Layer):
    def __init__(self, depth):
        super().__init__()
        self.norms = [[tf.keras.layers.BatchNormalization() for _ in range(5)] for _ in range(depth)]
        self.level = 0
        self.calls = 0

    def call(self, x):
        for norms in self.norms:
            x = norms[self.level](x)  # the counter picks the layer: Keras re-runs call per trace
        self.level += 1
        self.calls += 1
        tf.print("call", self.calls)  # read only for a log line
        return x


class Decoder(tf.keras.layers.Layer):
    def __init__(self, steps):
        super().__init__()
        self.steps = steps
        self.dense = tf.keras.layers.Dense(4)

    def call(self, x, states):
        history = []

        def cond(t, y):
            return t < self.steps

        def body(t, y):
            y = self.dense(y)
            states[0] = tf.concat([states[0], y], axis=1)  # traced once for every step
            history.append(y)
            return t + 1, y

        _, y = tf.while_loop(cond, body, [tf.constant(0), x])
        return y


class Cell(tf.keras.layers.Layer):
    """A cell with no weights of its own."""

    state_size = 4
    output_size = 4

    def call(self, inputs, states):
        return inputs + states[0], [inputs + states[0]]


@tf.function
def unroll(x):
    cell = Cell()
    forward = tf.keras.layers.RNN(cell, return_sequences=True)  # the cell's variables, none
    stacked = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(4))
    return forward(x) + stacked(x)


def eager_unroll(x):
    seen = []

    def body(t):
        seen.append(t)  # called eagerly, tf.while_loop runs its body as Python on each step
        return (t + 1,)

    return tf.while_loop(lambda t: t < 3, body, [x]), seen
