import random

import tensorflow as tf


def augment(image):
    # called by train_step in train/loop.py: random.random() is drawn once, while tracing
    return image * random.random()


def jitter(image):
    # handed to Dataset.map in trainer/data.py
    return image + random.uniform(-1.0, 1.0)


def untraced(image):
    # nobody traces this one
    return image * random.random()


def fixed_augment(image):
    return image * tf.random.uniform([])
