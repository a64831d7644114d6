import numpy as np
import tensorflow as tf


def summarize(x: tf.Tensor):
    # AC107 only because score() in model.py traces it: np.mean needs a value
    return np.mean(x)


def describe(x: tf.Tensor):
    if tf.executing_eagerly() and x.shape.rank == 0:
        return x.numpy()  # eager-only branch: never runs while tracing
    return x


def peek(x: tf.Tensor):
    return x.numpy()  # no guard: AC105 through the chain
