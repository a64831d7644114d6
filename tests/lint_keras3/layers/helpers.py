import tensorflow as tf


def clip_if_large(v):
    if tf.reduce_max(v) > 1.0:
        return tf.clip_by_value(v, -1.0, 1.0)
    return v


def shared_clip(v):
    if tf.reduce_max(v) > 2.0:
        return tf.clip_by_value(v, -1.0, 1.0)
    return v


@tf.function
def converted_caller(v):
    return shared_clip(v)
