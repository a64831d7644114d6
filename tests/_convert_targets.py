"""Functions of every kind ``autoconv.convert`` accepts, defined in a real file with real source."""
import functools

import tensorflow as tf


def loop_and_branch(n):
    total = 0
    for i in tf.range(n):
        if i % 2 == 0:
            total += i
        else:
            total -= 1
    return total


def make_closure(scale):
    def scaled(x):
        return x * scale

    return scaled


def outer(x):
    def nested(y):
        return y + 1

    return nested(x)


double = lambda x: x * 2  # noqa: E731

partial_loop = functools.partial(loop_and_branch, 3)


@tf.function
def decorated(x):
    return x + 1


class Counter(tf.Module):
    def __init__(self):
        self.count = tf.Variable(0)

    @tf.function
    def add(self, a):
        self.count.assign_add(a)
        return self.count

    def plain(self, a):
        return a * 2


counter = Counter()


def generator(n):
    yield from range(n)


def walrus(x):
    if (y := x + 1) > 2:
        return y
    return x


def matcher(x):
    match x:
        case 0:
            return 1
        case _:
            return 2


def for_else(n):
    for i in tf.range(n):
        if i > 2:
            break
    else:
        n = n + 1
    return n


def while_else(n):
    while n > 0:
        n -= 1
    else:
        n = 5
    return n


def every_construct(x, n):
    items = []
    assert x > 0, "positive"
    while n > 0:
        n -= 1
        if n == 3:
            continue
        if n == 1:
            break
        items.append(n)
    items.pop()
    y = x if x > 1 else -x
    z = (x > 1 and n < 2) or not x
    return tf.stack(items), y, z


def return_in_loop(x):
    for i in tf.range(x):
        if i > 2:
            return i
    return x




def attribute_in_loop(holder, n):
    for i in tf.range(n):
        holder.total = holder.total + i
    return holder.total


def not_equal(x, n):
    return x != n


class Scaler(tf.Module):
    @tf.function
    def __call__(self, x):
        return x * 2


scaler = Scaler()


class Documented:
    def method(self, x):
        """A docstring whose second line starts at column zero.
Like this one, which defeats textwrap.dedent.
        """
        for i in tf.range(x):
            x += i
        return x
