"""The limitations from AutoGraph's reference guide (limitations.md), each with its fix.

Eager code uses Python control flow, which allows None, undefined names, hidden side effects and
values that change type. Graph control flow (tf.cond, tf.while_loop) needs every value it carries
to be a defined tensor of a fixed dtype and shape, and it only carries what AutoGraph's analysis of
the one function can see.
"""
import collections

import tensorflow as tf

from autoconv import sample

# Undefined and None values.


@sample(
    inputs=[(3,), (tf.constant(3),)],
    expect=["match", "graph-error"],
    tags=("limitations", "none", "conditionals"),
    title="None in one branch of a tensor if",
    note=(
        "TensorFlow has no None tensor, so both outputs of a tf.cond must be tensors. "
        "With a tensor test AutoGraph raises ValueError: 'y' is None at the end of the else branch. "
        "Eagerly, and with a Python test, y may be None on one path and nothing goes wrong. "
        "Fix: give y a real default value, as in default_value_before_if."
    ),
)
def none_in_else_branch(x):
    if x > 0:
        y = x * 2
    else:
        y = None
    return y


@sample(
    inputs=[(3,), (tf.constant(3),), (tf.constant(-3),)],
    tags=("limitations", "none", "conditionals"),
    title="A default value before the if",
    note=(
        "The fixed twin of none_in_else_branch: y starts as a zero tensor before the if, so it is "
        "defined on every path and the tf.cond always has a tensor to return. "
        "The reference guide recommends exactly this: define a default before the control flow."
    ),
)
def default_value_before_if(x):
    y = tf.zeros_like(x)
    if x > 0:
        y = x * 2
    return y


@sample(
    inputs=[(4,), (tf.constant(4),)],
    expect="graph-error",
    tags=("limitations", "undefined", "for-loop"),
    title="An accumulator started in the first iteration",
    note=(
        "acc is created when i == 0 and updated afterwards, which is fine in Python. "
        "A tf.while_loop needs every loop variable before the loop starts, so AutoGraph fails: 'acc' "
        "must be defined before the loop (it tried to define it and hit 'acc is used before assignment'). "
        "tf.range makes this a graph loop even for a Python int. "
        "Fix: start the accumulator before the loop, as in accumulator_started_before_loop."
    ),
)
def accumulator_started_in_loop(n):
    for i in tf.range(n):
        if i == 0:
            acc = tf.constant(1)
        else:
            acc = acc + i
    return acc


@sample(
    inputs=[(4,), (tf.constant(4),)],
    tags=("limitations", "undefined", "for-loop"),
    title="An accumulator started before the loop",
    note=(
        "The fixed twin of accumulator_started_in_loop: acc has a value before the loop, so it can be "
        "a loop variable from the first iteration on. "
        "Both sides return 1 + 1 + 2 + 3 = 7."
    ),
)
def accumulator_started_before_loop(n):
    acc = tf.constant(1)
    for i in tf.range(n):
        if i > 0:
            acc = acc + i
    return acc


@sample(
    inputs=[(tf.constant(3),), (tf.constant(0),)],
    expect=["match", "mismatch"],
    tags=("limitations", "undefined", "for-loop"),
    title="A value made in the loop and used after it",
    note=(
        "Since TensorFlow 2.4, a variable that does not depend on the previous iteration may be first "
        "assigned inside a tensor loop and used after it. "
        "The loop must then run at least once: AutoGraph adds a tf.Assert ('loop must iterate at least "
        "once to initialize last'), so with n = 0 the graph raises InvalidArgumentError where Python "
        "raises UnboundLocalError, and the verdict is a mismatch. "
        "Define the variable before the loop if the loop can be empty."
    ),
)
def loop_value_used_after_loop(n):
    for i in tf.range(n):
        last = i * 10
    return last


# Hidden side effects: AutoGraph's analysis sees one function at a time.

count = 0


def change_count():
    global count
    count = count + 1


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect="mismatch",
    tags=("limitations", "side-effects", "while-loop"),
    title="A helper that changes a global",
    note=(
        "AutoGraph only sees assignments in the function it converts, so it does not know that "
        "change_count() modifies count. "
        "With a tensor loop the body is traced once and count becomes 1, a constant of the graph; "
        "with a Python int the loop runs three times while tracing, and the graph returns 3 forever. "
        "Eagerly count keeps growing, 3 then 6. "
        "Fix: pass the value in and return the new one, as in value_returned_from_helper."
    ),
)
def global_changed_in_helper(x):
    while x > 0:
        x -= 1
        change_count()
    return count


def incremented(value):
    return value + 1


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("limitations", "side-effects", "while-loop"),
    title="A helper that returns the new value",
    note=(
        "The fixed twin of global_changed_in_helper: the helper takes the value and returns the new "
        "one, and the assignment in the loop tells AutoGraph that it is a loop variable. "
        "Functional style, all inputs as arguments and all outputs as return values, keeps the graph "
        "honest."
    ),
)
def value_returned_from_helper(x):
    total = 0
    while x > 0:
        x -= 1
        total = incremented(total)
    return total


class Box:
    def __init__(self):
        self.y = 0

    def change(self):
        self.y += 1


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect=["mismatch", "match"],
    tags=("limitations", "side-effects", "methods"),
    title="A method that changes an attribute",
    note=(
        "c.change() modifies c.y where AutoGraph cannot see it, so c.y is not a loop variable of the "
        "tensor loop: the body is traced once and the graph returns 1. "
        "With a Python int the loop runs three times while tracing and the sides agree. "
        "Fix: an immutable value that the method returns, as in namedtuple_method_returns_new."
    ),
)
def method_changes_attribute(x):
    c = Box()
    while x > 0:
        x -= 1
        c.change()
    return c.y


class Tally(collections.namedtuple("Tally", ["y"])):
    def change(self):
        return Tally(self.y + 1)


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("limitations", "side-effects", "methods"),
    title="A namedtuple whose method returns a new value",
    note=(
        "The fixed twin of method_changes_attribute: Tally is a namedtuple, and change() returns a new "
        "Tally instead of mutating. "
        "c = c.change() is an assignment AutoGraph sees, and TensorFlow loops carry namedtuples leaf "
        "by leaf, so c.y is a loop variable."
    ),
)
def namedtuple_method_returns_new(x):
    c = Tally(0)
    while x > 0:
        x -= 1
        c = c.change()
    return c.y


# Shape and dtype consistency.


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect=["graph-error", "match"],
    tags=("limitations", "dtype", "conditionals"),
    title="Different dtypes in the two branches",
    note=(
        "A tf.cond output has one dtype, so a tensor if cannot produce an int32 in one branch and a "
        "float32 in the other: TypeError, 'y' has dtype int32 in the main branch, but dtype float32 "
        "in the else branch. "
        "With a Python test only one branch is traced and no conflict arises. "
        "Fix: cast so both branches agree, as in same_dtype_in_both_branches."
    ),
)
def dtype_differs_between_branches(x):
    if x > 0:
        y = tf.constant(1, tf.int32)
    else:
        y = tf.constant(1.5, tf.float32)
    return y


@sample(
    inputs=[(tf.constant(3),), (tf.constant(-3),), (3,)],
    tags=("limitations", "dtype", "conditionals"),
    title="The same dtype in both branches",
    note=(
        "The fixed twin of dtype_differs_between_branches: both branches produce float32, the int one "
        "through tf.cast. "
        "Decide on one dtype for every value that crosses graph control flow."
    ),
)
def same_dtype_in_both_branches(x):
    if x > 0:
        y = tf.cast(tf.constant(1, tf.int32), tf.float32)
    else:
        y = tf.constant(1.5, tf.float32)
    return y


@sample(
    inputs=[(tf.constant(3),)],
    expect="graph-error",
    tags=("limitations", "dtype", "for-loop"),
    title="A loop variable that changes dtype",
    note=(
        "x enters the tensor loop as int32 and leaves the body as float32, which a tf.while_loop does "
        "not allow: TypeError, 'x' has dtype int32 before the loop, but dtype float32 after one iteration. "
        "Python never minds. "
        "Fix: give the variable its final dtype before the loop, as in loop_variable_keeps_dtype."
    ),
)
def loop_variable_changes_dtype(n):
    x = tf.constant(0)
    for i in tf.range(n):
        x = tf.cast(i, tf.float32) * 0.5
    return x


@sample(
    inputs=[(tf.constant(3),)],
    tags=("limitations", "dtype", "for-loop"),
    title="A loop variable that keeps its dtype",
    note=(
        "The fixed twin of loop_variable_changes_dtype: x starts as a float32 zero, so its dtype is "
        "the same before and after every iteration. "
        "Both sides return 1.0, half of the last index."
    ),
)
def loop_variable_keeps_dtype(n):
    x = tf.constant(0.0)
    for i in tf.range(n):
        x = tf.cast(i, tf.float32) * 0.5
    return x


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect="graph-error",
    tags=("limitations", "shape", "for-loop"),
    title="A loop variable that grows",
    note=(
        "tf.concat makes x one element longer each iteration, but a tf.while_loop checks that every loop "
        "variable keeps its shape: ValueError, 'x' has shape (1,) before the loop, but shape (2,) "
        "after one iteration. "
        "The message names the fix: declare a shape invariant, as in shape_invariant_for_growing_tensor."
    ),
)
def loop_variable_changes_shape(n):
    x = tf.constant([0])
    for i in tf.range(n):
        x = tf.concat([x, [i]], axis=0)
    return x


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("limitations", "shape", "for-loop"),
    title="set_loop_options(shape_invariants=...) for a growing tensor",
    note=(
        "The fixed twin of loop_variable_changes_shape: tf.autograph.experimental.set_loop_options, "
        "called first thing in the loop body, declares that x has shape [None], any length. "
        "The loop then accepts the growing tensor, and both sides return [0, 0, 1, 2]. "
        "For many accumulations a tf.TensorArray is the simpler tool."
    ),
)
def shape_invariant_for_growing_tensor(n):
    x = tf.constant([0])
    for i in tf.range(n):
        tf.autograph.experimental.set_loop_options(shape_invariants=[(x, tf.TensorShape([None]))])
        x = tf.concat([x, [i]], axis=0)
    return x


@sample(
    inputs=[(tf.constant([1, 2, 3]),), (tf.constant([1, 2, 3, 4, 5]),)],
    expect=["graph-error", "match"],
    tags=("limitations", "shape", "conditionals"),
    title="A shape guard that is a tensor",
    note=(
        "tf.shape(x) is always a tensor, so the guard becomes a tf.cond and both branches are traced, "
        "including x[4] on a tensor whose static shape is (3,): ValueError, slice index 4 of dimension "
        "0 out of bounds. "
        "Eagerly the guard works as intended, and with five elements both sides agree. "
        "Fix: test the static shape in Python, as in static_shape_guard."
    ),
)
def tensor_shape_guard(x):
    if tf.shape(x)[0] > 4:
        value = x[4]
    else:
        value = tf.constant(-1)
    return value


@sample(
    inputs=[(tf.constant([1, 2, 3]),), (tf.constant([1, 2, 3, 4, 5]),)],
    tags=("limitations", "shape", "conditionals"),
    title="A shape guard on the static shape",
    note=(
        "The fixed twin of tensor_shape_guard: x.shape[0] is a Python int when the shape is static, so "
        "the if is settled while tracing and only the valid branch is built. "
        "Use .shape for static shapes and tf.shape only when the shape is really dynamic."
    ),
)
def static_shape_guard(x):
    if x.shape[0] > 4:
        value = x[4]
    else:
        value = tf.constant(-1)
    return value
