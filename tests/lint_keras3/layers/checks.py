import tensorflow as tf


class Positive(tf.keras.layers.Layer):
    def call(self, x):
        assert tf.reduce_all(x > -100.0)  # a tensor asked for a bool: Keras 3 does not convert call
        return x * 2


class Sized(tf.keras.layers.Layer):
    def call(self, x):
        assert x.shape[-1] == 4, "four features"  # a static shape: a Python bool
        return x * 2


class Converted(tf.keras.layers.Layer):
    @tf.function
    def call(self, x):
        assert tf.reduce_all(x > -100.0)  # AutoGraph makes it tf.Assert
        return x * 2
