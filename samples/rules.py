"""The three rules of @tf.function, each as a pitfall and its fixed twin.

1. Prefer TensorFlow operations to Python ones: Python code runs once, while tracing.
2. Do not create a tf.Variable inside the decorated function; create it once, outside.
3. Do not modify Python lists or dicts that live outside the function; return values instead.
"""
import time

import numpy as np
import tensorflow as tf

from autoconv import sample

# Rule 1: prefer TensorFlow operations to Python ones.


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect="mismatch",
    tags=("rules", "rule-1", "print"),
    title="print runs only while tracing",
    note=(
        "A Python print is Python code, so under tf.function it runs while the function is traced and "
        "is not part of the graph. "
        "The first call traces and prints; the second call reuses the graph and prints nothing, while "
        "the eager function prints every time. "
        "Fix: use tf.print, as in tf_print_every_call."
    ),
)
def print_only_while_tracing(x):
    print("squaring")
    return x * x


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("rules", "rule-1", "print"),
    title="tf.print runs on every call",
    note=(
        "The fixed twin of print_only_while_tracing: tf.print is a TensorFlow operation, recorded in "
        "the graph and run on every call. "
        "It writes to stderr and prints tensors by value, the same output eagerly and in the graph."
    ),
)
def tf_print_every_call(x):
    tf.print("squaring", x)
    return x * x


@sample(
    inputs=[(tf.constant(1.0),), (1.0,)],
    expect="mismatch",
    tags=("rules", "rule-1", "random"),
    title="np.random draws once, while tracing",
    note=(
        "np.random.uniform() is a Python call: under tf.function it runs once, while tracing, and its "
        "result is baked into the graph as a constant. "
        "Both sides draw the same first number (each is seeded with 0), but on the second call the "
        "eager function draws a new one and the graph repeats the old one. "
        "Fix: draw with TensorFlow, as in tf_random_every_call."
    ),
)
def numpy_random_frozen(x):
    return x + np.random.uniform()


rng = tf.random.Generator.from_seed(0)


@sample(
    inputs=[(tf.constant(1.0),), (1.0,)],
    tags=("rules", "rule-1", "random"),
    title="tf.random.Generator draws on every call",
    note=(
        "The fixed twin of numpy_random_frozen: a tf.random.Generator created outside the function "
        "keeps its state in a variable, and each call draws the next number, eagerly and in the graph. "
        "Its sequence is the same on both sides, so they match call for call. "
        "Plain tf.random.uniform also draws on every call, but eager and graph derive different op "
        "seeds, so their numbers differ: prefer a Generator when results must be reproducible."
    ),
)
def tf_random_every_call(x):
    return x + rng.uniform([])


last_seen = tf.Variable(0.0, dtype=tf.float64)


@sample(
    inputs=[()],
    expect="mismatch",
    tags=("rules", "rule-1", "time"),
    title="time.time() is read once, while tracing",
    note=(
        "time.time() runs in Python, so the graph holds the time of tracing as a constant. "
        "The function stores each reading in a variable and returns whether time moved forward since "
        "the previous call: eagerly it always has, but the graph sees the same frozen timestamp twice "
        "and answers False on the second call. "
        "Fix: tf.timestamp(), as in tf_timestamp_every_call."
    ),
)
def python_time_frozen():
    now = tf.constant(time.time(), dtype=tf.float64)
    moved_forward = now > last_seen
    last_seen.assign(now)
    return moved_forward


@sample(
    inputs=[()],
    tags=("rules", "rule-1", "time"),
    title="tf.timestamp() is read on every call",
    note=(
        "The fixed twin of python_time_frozen: tf.timestamp() is an operation in the graph, evaluated "
        "each time the graph runs. "
        "Time moves forward between calls on both sides, so both return True twice."
    ),
)
def tf_timestamp_every_call():
    now = tf.timestamp()
    moved_forward = now > last_seen
    last_seen.assign(now)
    return moved_forward


# Rule 2: create variables once, outside the function.


@sample(
    inputs=[(tf.constant(1.0),), (1.0,)],
    expect="graph-error",
    tags=("rules", "rule-2", "variables"),
    title="A tf.Variable created inside the function",
    note=(
        "Eagerly, each call makes a fresh variable and nothing goes wrong. "
        "tf.function allows variables to be created only on the first trace, and the first call traces "
        "twice when it sees new variables, so on TensorFlow 2.21 the very first call already fails with "
        "ValueError. "
        "Fix: create the variable once outside and only assign to it inside, as in "
        "variable_created_outside (or in a tf.Module, as in module_counter)."
    ),
)
def variable_created_inside(x):
    v = tf.Variable(1.0)
    v.assign_add(x)
    return v.read_value()


total = tf.Variable(1.0)


@sample(
    inputs=[(tf.constant(1.0),), (1.0,)],
    tags=("rules", "rule-2", "variables"),
    title="A tf.Variable created once, outside",
    note=(
        "The fixed twin of variable_created_inside: the variable is created when the module loads and "
        "the function only assigns to it. "
        "Its state persists from call to call on both sides, so they return 2.0 and then 3.0."
    ),
)
def variable_created_outside(x):
    total.assign_add(x)
    return total.read_value()


# Rule 3: do not mutate Python state that lives outside the function.

history = []


@sample(
    inputs=[(tf.constant(1),), (1,)],
    expect="mismatch",
    tags=("rules", "rule-3", "side-effects"),
    title="Appending to an outer Python list",
    note=(
        "list.append is a Python side effect, so it happens only while tracing: the graph's list "
        "holds one symbolic tensor, which has leaked out of the graph, and later calls append nothing. "
        "Eagerly the list grows and the sum grows with it; the graph keeps returning its first sum. "
        "Fix: return the values and let the caller keep them, as in outer_list_returned."
    ),
)
def outer_list_mutated(x):
    history.append(x * 2)
    return tf.add_n(history)


@sample(
    inputs=[(tf.constant(1), [tf.constant(10)]), (1, [10])],
    tags=("rules", "rule-3", "side-effects"),
    title="Returning a new list instead",
    note=(
        "The fixed twin of outer_list_mutated: the function receives the history as an argument and "
        "returns a new list, leaving state to the caller. "
        "Nothing is mutated while tracing, so every call of the graph does what the eager call does."
    ),
)
def outer_list_returned(x, past):
    return past + [x * 2]
