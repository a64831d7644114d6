import tensorflow as tf
from tensorflow.keras import backend as K

from .helpers import clip_if_large, shared_clip


class TimeMix(tf.keras.layers.Layer):
    def call(self, x, state, mask=None, training=None):
        if tf.shape(x)[1] > 1:
            shifted = tf.concat([state, x[:, :-1]], axis=1)
        else:
            shifted = state
        seq_len = tf.shape(x)[1]
        outputs = tf.TensorArray(tf.float32, size=seq_len)
        for t in range(seq_len):
            outputs = outputs.write(t, x[:, t])
        i = tf.constant(0)
        while i < seq_len:
            i += 1
        scale = 2.0 if tf.reduce_sum(x) > 0 else 1.0
        if x.shape[1] is None:
            scale = scale * 1.0
        if training:
            scale = scale * 0.5
        if mask is not None:
            x = x * mask
        if K.int_shape(x)[-1] > 4:
            x = x[..., :4]
        width = len(self.weights)
        for _ in range(width):
            x = x + 0.0
        if bool(tf.reduce_any(x > 0)):
            x = x + 1.0
        x = self._normalise(x)
        x = clip_if_large(x)
        x = shared_clip(x)
        return shifted * scale + x + outputs.stack()[0]

    def _normalise(self, x):
        if tf.reduce_max(x) > 0:
            return x / tf.reduce_max(x)
        return x


class StructuredInputs(tf.keras.layers.Layer):
    def call(self, inputs):
        if inputs:
            return inputs[0]
        return inputs


class CompiledCall(tf.keras.layers.Layer):
    @tf.function
    def call(self, x):
        if tf.shape(x)[1] > 2:
            return x * 2.0
        return x


@tf.function
def build_inside(x):
    class Local(tf.keras.layers.Layer):
        def call(self, y):
            if tf.reduce_sum(y) > 0:
                return y * 2.0
            return y

    return Local()(x)


class PythonTests(tf.keras.layers.Layer):
    def call(self, features, repetitions=None):
        for name in self.keys:
            if name not in features:
                continue
        if isinstance(repetitions, int):
            if not repetitions > 0:
                raise ValueError("repetitions must be positive")
            repetitions = tf.convert_to_tensor([repetitions])
        if not tf.is_tensor(repetitions) and repetitions == 1:
            return features
        batch = tf.compat.dimension_value(features["a"].shape[0])
        if batch != self.batch_size:
            raise ValueError("batch size")
        return features


class ConvertedByAssignment(tf.keras.layers.Layer):
    def call(self, x):
        if tf.reduce_sum(x) > 0:
            return x * 2.0
        return x


ConvertedByAssignment.call = tf.autograph.to_graph(ConvertedByAssignment.call)
