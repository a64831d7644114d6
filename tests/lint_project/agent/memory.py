import random

import numpy as np


class Memory:
    def __init__(self, capacity):
        self.items = np.zeros([capacity, 4], dtype=np.float32)
        self.count, self.capacity = 0, capacity

    def add(self, item):
        self.items[self.count % self.capacity] = item
        self.count = self.count + 1

    def draw(self, n):
        picks = [random.randrange(self.capacity) for _ in range(n)]
        return self.items[picks]
