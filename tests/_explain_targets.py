"""Small functions for tests/test_explain.py: one AutoGraph behaviour each, in a real file."""
import random
import time

import numpy as np
import tensorflow as tf

OUTER = []
COUNTER = 0


def tensor_range_loop(x):
    for i in tf.range(3):
        x = x + tf.cast(i, x.dtype)
    return x


def python_range_loop(x):
    for _ in range(3):
        x = x + 1
    return x


def range_of_argument(x, n):
    for _ in range(n):
        x = x + 1
    return x


def branch(x, flag):
    if x > 0:
        x = x * 2
    else:
        x = x - 1
    if flag:
        x = x + 10
    else:
        x = x - 10
    return x


def tensor_while(x):
    while x < 100:
        x = x * 2
    return x


def prints(x):
    print("tracing")
    tf.print(x)
    return x


def side_effects(x):
    noise = np.random.normal()
    OUTER.append(x)
    return x + noise


def python_state(x):
    global COUNTER
    COUNTER += 1
    stamp = time.time()
    pick = random.random()
    first = next(iter([1, 2]))
    return x + first + int(0 * stamp * pick)


def double(v):
    return v * 2


def calls_helper(x):
    return double(x) + 1


def myadd(a, b):
    print("tracing")
    for i in tf.range(3):
        tf.print(i)
    return a + b


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def with_signature(x):
    total = tf.constant(0.0)
    for value in x:
        total += value
    return total


class Accumulator(tf.Module):
    def __init__(self):
        super().__init__()
        self.total = None

    @tf.function
    def add(self, x):
        if self.total is None:
            self.total = tf.Variable(0.0)
        self.total.assign_add(x)
        return self.total.read_value()


def collect(n):
    total = tf.constant(0)
    for i in range(2):
        total += i
    items = []
    for i in tf.range(n):
        items.append(i)
    return tf.stack(items)


def add_times(x, times):
    for _ in range(times):
        x = x + 1
    return x


def helper_loop_three_times(x):
    x = add_times(x, 1)
    x = add_times(x, 2)
    return add_times(x, 2)


def while_body(i, total):
    step = tf.cast(i, tf.float32)
    return i + 1, total + step * 2.0


def uses_tf_while_loop(x):
    return tf.while_loop(lambda i, total: i < 3, while_body, (tf.constant(0), x))[1]


def returns_in_python_loop(x):
    for i in range(3):
        if i == 1:
            return x + i
    return x * 2


def create_variable(x):
    v = tf.Variable(1.0)
    v.assign_add(x)
    return v.read_value()


def lesson_myadd(a, b):
    print("tracing")
    for i in tf.range(3):
        tf.print(i)
    if a > 0:
        c = a + b
    else:
        c = a - b
    for j in range(2):
        c += j
    return c
