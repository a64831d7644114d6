import numpy as np
import tensorflow as tf

from .memory import Memory


class Schedule:
    def __init__(self):
        self.rate = 1.0

    def decay(self):
        self.rate = self.rate * 0.9

    def noise(self, n):
        return np.random.normal(size=n) * 0.1


class Learner:
    def __init__(self):
        self.memory = Memory(100)
        self.schedule = Schedule()
        self.weights = tf.Variable(tf.zeros([4]))

    def remember(self, item):
        self.memory.add(item)
        self.schedule.decay()

    @tf.function
    def learn(self):
        batch = tf.constant(self.memory.draw(8))
        step = self.schedule.rate * tf.reduce_mean(batch, axis=0) + self.schedule.noise(4)
        self.weights.assign_add(step)
