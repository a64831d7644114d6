import tensorflow as tf

from trainer.augment import jitter


def pipeline(images):
    return tf.data.Dataset.from_tensor_slices(images).map(jitter)
