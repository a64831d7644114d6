import tensorflow as tf
import tf_keras


class Keras2Layer(tf_keras.layers.Layer):
    def call(self, x):
        if tf.shape(x)[1] > 1:
            return x * 2.0
        return x
