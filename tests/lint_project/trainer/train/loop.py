import tensorflow as tf

from .. import augment as aug_module
from ..augment import augment


def normalise(image):
    return aug_module.fixed_augment(image) / 255.0


@tf.function
def train_step(image):
    image = normalise(image)
    return augment(image)
