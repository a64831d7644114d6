import tensorflow as tf


@tf.function
def attend(query, past=None):
    keys = tf.identity(query)
    if past:  # a tuple: its truth is its length
        keys = tf.concat([past[0], keys], axis=0)
    widened = bool(past)
    past = (keys, keys * 2)
    return keys, past, widened


@tf.function
def attend_total(query):
    total = tf.reduce_sum(query)
    if bool(total):  # a tensor: no Python truth while tracing
        total = total + 1
    return total
