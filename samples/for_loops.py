"""for loops: what AutoGraph makes of them depends on what they iterate over.

Over a tensor (``tf.range``, a tensor's rows) a for loop becomes a ``tf.while_loop``; over a
``tf.data.Dataset`` it becomes a dataset reduction; over a Python range or list it stays a
Python loop that runs while tracing, so the graph holds one copy of the body per iteration.
"""
import tensorflow as tf

from autoconv import sample


@sample(
    inputs=[(4,), (tf.constant(4),)],
    tags=("for-loops", "tf-range"),
    title="Sum over tf.range",
    note=(
        "tf.range always returns a tensor, so AutoGraph turns this loop into a tf.while_loop whatever "
        "n is: one loop in the graph, however many iterations run. "
        "total starts as a Python 0 and becomes a loop variable, converted to an int32 tensor. "
        "Both inputs give 0 + 1 + 2 + 3 = 6."
    ),
)
def sum_over_tf_range(n):
    total = 0
    for i in tf.range(n):
        total += i
    return total


@sample(
    inputs=[(3,), (tf.constant(3),)],
    tags=("for-loops", "unrolled", "python-values"),
    title="Python range: unrolled for an int, a While op for a tensor",
    note=(
        "With a Python int, range(3) is a Python loop that runs while tracing: the graph holds three "
        "copies of the multiplication and no loop at all. "
        "With a tensor, AutoGraph replaces range by tf.range and builds a While op instead. "
        "Both give the same result; they differ in graph size and in retracing, since every new "
        "Python int is a new trace."
    ),
)
def python_range_unrolled(n):
    product = tf.constant(1)
    for i in range(n):
        product = product * (i + 2)
    return product


@sample(
    inputs=[(tf.constant([[1, 2], [3, 4], [5, 6]]),), ([[1, 2], [3, 4], [5, 6]],)],
    tags=("for-loops", "tensor-iteration"),
    title="Iterating over a tensor's rows",
    note=(
        "Iterating a tensor walks its first dimension: AutoGraph turns the loop into a tf.while_loop "
        "that reads one row per iteration. "
        "A nested Python list is iterated in Python instead, one traced copy of the body per row. "
        "Both inputs give the row sums' total, 21."
    ),
)
def iterate_tensor_rows(matrix):
    total = tf.constant(0)
    for row in matrix:
        total += tf.reduce_sum(row)
    return total


def _quiet(dataset):
    """Autotuning's background thread logs a harmless C++ warning when a graph's iterator is cancelled."""
    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options)


@sample(
    inputs=lambda: [
        (_quiet(tf.data.Dataset.range(5)),),
        (_quiet(tf.data.Dataset.from_tensor_slices(tf.constant([3, 4], tf.int64))),),
    ],
    tags=("for-loops", "tf-data"),
    title="Iterating over a tf.data.Dataset",
    note=(
        "A for loop over a tf.data.Dataset becomes a dataset reduction inside the graph, so the "
        "elements are produced and consumed without leaving TensorFlow. "
        "Eagerly the same loop simply pulls elements one by one. "
        "The dataset is built by an inputs factory, so each side gets its own fresh dataset."
    ),
)
def iterate_dataset(dataset):
    total = tf.constant(0, dtype=tf.int64)
    for element in dataset:
        total += element
    return total


@sample(
    inputs=[([tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)],), ([1.0, 2.0],)],
    tags=("for-loops", "unrolled", "collections"),
    title="A Python list of tensors is unrolled",
    note=(
        "A Python list is not a tensor, even when it holds tensors: the loop runs in Python while "
        "tracing, and the graph holds one addition per element. "
        "That is fine for short lists of fixed length; a list of another length is a new trace. "
        "Stack the values into one tensor when the loop should be a graph loop."
    ),
)
def iterate_list_of_tensors(values):
    total = tf.constant(0.0)
    for value in values:
        total += value
    return total


@sample(
    inputs=[(2, 3), (tf.constant(2), tf.constant(3))],
    tags=("for-loops", "nested"),
    title="Nested tensor loops",
    note=(
        "Each tf.range loop becomes its own tf.while_loop, the inner one inside the outer one's body. "
        "count is a loop variable of both loops, and the inner bound can depend on the outer index. "
        "Both inputs count the 3 pairs (i, j) with j <= i, for i below 2 and j below 3."
    ),
)
def nested_tensor_loops(n, m):
    count = 0
    for i in tf.range(n):
        for j in tf.range(m):
            if j <= i:
                count += 1
    return count


@sample(
    inputs=[(10, 20), (tf.constant(10), tf.constant(20)), (tf.constant(3), tf.constant(20))],
    tags=("for-loops", "break"),
    title="break in a tensor loop",
    note=(
        "AutoGraph rewrites break into a flag that the loop condition tests, so a tensor-dependent "
        "break works inside a tf.range loop. "
        "The loop stops at the first square above the limit and returns the last index kept. "
        "With n = 3 the loop runs out before the break, which works just as well."
    ),
)
def break_in_tensor_loop(n, limit):
    last = -1
    for i in tf.range(n):
        if i * i > limit:
            break
        last = i
    return last


@sample(
    inputs=[(6,), (tf.constant(6),)],
    tags=("for-loops", "continue"),
    title="continue in a tensor loop",
    note=(
        "continue becomes a flag too: the rest of the body is guarded by a tf.cond on it. "
        "The loop adds only the even numbers below n. "
        "Both inputs give 0 + 2 + 4 = 6."
    ),
)
def continue_in_tensor_loop(n):
    total = 0
    for i in tf.range(n):
        if i % 2 == 1:
            continue
        total += i
    return total
