"""Python collections in graph control flow: fixed structures work, growing ones do not.

A tensor loop runs its body once while tracing, so a list that grows in it grows once, with a
tensor that belongs to the loop's own graph. Collections whose structure stays fixed (a dict with
the same keys, a tuple, a namedtuple) become loop variables, leaf by leaf.
"""
import collections

import tensorflow as tf

from autoconv import sample


@sample(
    inputs=[(4,), (tf.constant(4),)],
    expect="graph-error",
    tags=("collections", "list", "for-loop", "pitfall"),
    title="Appending to a Python list in a tensor loop",
    note=(
        "A for over tf.range becomes a tf.while_loop, for a Python int as much as for a tensor, and its "
        "body is traced once: the list gets a single tensor from inside the loop's graph, and tf.stack "
        "fails with InaccessibleTensorError. "
        "Eagerly the loop runs four times and the list holds four tensors. "
        "Fix: accumulate into a tf.TensorArray, as in tensor_array_in_tensor_loop."
    ),
)
def list_append_in_tensor_loop(n):
    squares = []
    for i in tf.range(n):
        squares.append(i * i)
    return tf.stack(squares)


@sample(
    inputs=[(4,), (tf.constant(4),)],
    tags=("collections", "tensor-array", "for-loop"),
    title="A tf.TensorArray grows inside a tensor loop",
    note=(
        "The fixed twin of list_append_in_tensor_loop: a tf.TensorArray is a TensorFlow collection "
        "that can grow inside a graph loop. "
        "Use it functionally, squares = squares.write(i, value), so it becomes a loop variable, and "
        "stack it after the loop. "
        "It works the same for a Python int and for a tensor."
    ),
)
def tensor_array_in_tensor_loop(n):
    squares = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    for i in tf.range(n):
        squares = squares.write(i, i * i)
    return squares.stack()


@sample(
    inputs=[(tf.constant(10),), (10,)],
    tags=("collections", "dict", "for-loop"),
    title="A dict of tensors as loop state",
    note=(
        "A dict whose keys stay the same is a fixed structure: AutoGraph makes each value a loop "
        "variable of the tf.while_loop. "
        "Rebuild it each iteration rather than growing it; here it carries two Fibonacci numbers. "
        "The function returns the dict itself, compared key by key."
    ),
)
def dict_state_in_loop(n):
    state = {"previous": tf.constant(0), "current": tf.constant(1)}
    for _ in tf.range(n):
        state = {"previous": state["current"], "current": state["previous"] + state["current"]}
    return state


Moments = collections.namedtuple("Moments", ["count", "total", "total_of_squares"])


@sample(
    inputs=[(tf.constant([1.0, 2.0, 3.0, 4.0]),), ([1.0, 2.0, 3.0, 4.0],)],
    tags=("collections", "namedtuple", "for-loop"),
    title="A namedtuple as loop state",
    note=(
        "A namedtuple is a fixed structure too, and it reads better than a bare tuple: each field "
        "becomes one loop variable. "
        "Replace it with _replace or a new namedtuple on each iteration, never mutate it. "
        "With a Python list the loop is unrolled; with a tensor it is a tf.while_loop over its elements."
    ),
)
def namedtuple_state_in_loop(values):
    moments = Moments(tf.constant(0.0), tf.constant(0.0), tf.constant(0.0))
    for value in values:
        moments = Moments(moments.count + 1.0, moments.total + value, moments.total_of_squares + value * value)
    mean = moments.total / moments.count
    return mean, moments.total_of_squares / moments.count - mean * mean


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("collections", "list", "while-loop"),
    title="A fixed-length list updated in place",
    note=(
        "A list that never changes length is a fixed structure: assigning to static_list[0] inside a "
        "tensor while loop is allowed, and the element becomes a loop variable. "
        "This is the limitations guide's own example of a static list. "
        "The loop counts down to zero on both sides."
    ),
)
def fixed_list_item_update(x):
    static_list = [x]
    while static_list[0] > 0:
        static_list[0] -= 1
    return static_list[0]


@sample(
    inputs=[(tf.constant(3),)],
    expect="graph-error",
    tags=("collections", "dict", "for-loop"),
    title="A dict updated through a loop over its keys",
    note=(
        "The dict keeps its structure, but it is updated through `for key in d: d[key] += i`, a "
        "dynamic access that AutoGraph's analysis does not see as a change to d. "
        "d is therefore not a loop variable, and reading d['a'] after the loop reaches a tensor made "
        "inside the loop body: InaccessibleTensorError. "
        "Fix: rebuild the dict with a comprehension, as in dict_rebuilt_each_iteration."
    ),
)
def dict_dynamic_key(n):
    d = {"a": tf.constant(3)}
    for i in tf.range(n):
        for key in d:
            d[key] += i
    return d["a"]


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("collections", "dict", "for-loop"),
    title="A dict rebuilt by a comprehension",
    note=(
        "The fixed twin of dict_dynamic_key: d = {key: value + i for ...} assigns d, so AutoGraph "
        "sees the change and makes the dict's values loop variables. "
        "This functional style is what the limitations guide recommends for collections in loops. "
        "Both sides return 3 + 0 + 1 + 2 = 6."
    ),
)
def dict_rebuilt_each_iteration(n):
    d = {"a": tf.constant(3)}
    for i in tf.range(n):
        d = {key: value + i for key, value in d.items()}
    return d["a"]
