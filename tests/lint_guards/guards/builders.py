import tensorflow as tf


def make_dense():
    return tf.keras.layers.Dense(3)


def make_embedding():
    return tf.keras.layers.Embedding(10, 3)
