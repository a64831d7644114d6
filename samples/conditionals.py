"""Conditionals: an if on a tensor becomes tf.cond, an if on a Python value is settled while tracing.

A ``tf.cond`` traces both branches and must get the same variables, of the same dtypes, out of
each: that is where the errors about missing else branches and one-sided variables come from.
"""
import tensorflow as tf

from autoconv import case, sample


@sample(
    inputs=[(tf.constant(-7),), (tf.constant(0),), (tf.constant(7),), (7,)],
    tags=("conditionals", "tensor-condition"),
    title="if/elif/else on a tensor",
    note=(
        "Each tensor test becomes a tf.cond, the elif nested in the first one's else branch. "
        "Both branches of every tf.cond are traced, and each assigns sign, so the cond has one output. "
        "With a Python int the tests are Python bools and only the taken branch is traced."
    ),
)
def if_elif_else_tensor(x):
    if x > 0:
        sign = 1
    elif x < 0:
        sign = -1
    else:
        sign = 0
    return sign


@sample(
    inputs=[
        case(tf.constant(3), mode="double"),
        case(tf.constant(3), mode="square"),
        case(3, mode="square"),
    ],
    tags=("conditionals", "python-values"),
    title="if on a Python value picks the code while tracing",
    note=(
        "mode is a Python string, so the test runs while tracing and the graph contains only the "
        "chosen branch, with no tf.cond at all. "
        "Each new mode is a new trace, which is exactly what configuration arguments are for. "
        "Keep Python values for such choices and tensors for data."
    ),
)
def if_on_python_value(x, mode):
    if mode == "double":
        return x * 2
    return x * x


@sample(
    inputs=[(tf.constant(-4),), (tf.constant(4),), (-4,)],
    tags=("conditionals", "expression"),
    title="The conditional expression",
    note=(
        "AutoGraph converts `a if test else b` too: with a tensor test it becomes a tf.cond whose "
        "branches are the two expressions. "
        "With a Python test it stays a Python expression. "
        "Both sides return the absolute value."
    ),
)
def conditional_expression(x):
    return x if x > 0 else -x


@sample(
    inputs=[(3,), (-3,), (tf.constant(3),)],
    expect=["match", "match", "graph-error"],
    tags=("conditionals", "return", "pitfall"),
    title="A return in one branch only",
    note=(
        "Eagerly, falling off the end of a function returns None, and Python is happy either way. "
        "A tf.cond must produce a value from both branches, so with a tensor test AutoGraph raises "
        "ValueError: the else branch must also have a return statement. "
        "With a Python int the if is settled while tracing and both sides agree, None included. "
        "Fix: return in both branches, as in else_returns_too."
    ),
)
def missing_else_return(x):
    if x > 0:
        return x * 2


@sample(
    inputs=[(3,), (-3,), (tf.constant(3),), (tf.constant(-3),)],
    tags=("conditionals", "return"),
    title="Both branches return",
    note=(
        "The fixed twin of missing_else_return: every path returns a value of the same dtype. "
        "AutoGraph turns the two returns into the two outputs of one tf.cond."
    ),
)
def else_returns_too(x):
    if x > 0:
        return x * 2
    else:
        return x * 0


@sample(
    inputs=[(3,), (tf.constant(3),)],
    expect=["match", "graph-error"],
    tags=("conditionals", "undefined", "pitfall"),
    title="A variable defined in one branch only",
    note=(
        "y is assigned only when x > 0 and used after the if. "
        "Eagerly that is fine for a positive x, but a tf.cond must produce y from both branches, so "
        "AutoGraph raises ValueError: 'y' must also be initialized in the else branch. "
        "A Python int settles the if while tracing and works. "
        "Fix: give y a value on every path, as in defined_in_both_branches."
    ),
)
def defined_in_one_branch(x):
    if x > 0:
        y = x * 2
    return y


@sample(
    inputs=[(3,), (tf.constant(3),), (tf.constant(-3),)],
    tags=("conditionals", "undefined"),
    title="A variable defined in both branches",
    note=(
        "The fixed twin of defined_in_one_branch: y has a value on both paths, so it becomes the one "
        "output of the tf.cond. "
        "A default assigned before the if works just as well."
    ),
)
def defined_in_both_branches(x):
    if x > 0:
        y = x * 2
    else:
        y = tf.zeros_like(x)
    return y


@sample(
    inputs=[
        (tf.constant(2), tf.constant(3)),
        (tf.constant(2), tf.constant(-3)),
        (tf.constant(20), tf.constant(-3)),
        (2, -3),
    ],
    tags=("conditionals", "boolean-operators"),
    title="and, or, not on tensors",
    note=(
        "Python's and/or cannot be overloaded, so AutoGraph rewrites them into calls that keep their "
        "short-circuit meaning: with tensors they become tf.cond-guarded logical operations. "
        "not on a tensor becomes tf.logical_not. "
        "Python operands keep their plain Python meaning, and the sides agree on all inputs."
    ),
)
def boolean_operators(x, y):
    if (x > 0 and y > 0) or not x < 10:
        result = x + y
    else:
        result = x - y
    return result


@sample(
    inputs=[(tf.constant([1.0, -2.0, 3.0]),), ([1.0, -2.0, 3.0],)],
    tags=("conditionals", "vectorized"),
    title="Element-wise choices need tf.where, not if",
    note=(
        "An if needs one boolean, and AutoGraph only converts a scalar tensor test into tf.cond. "
        "To choose element by element, use tf.where, which needs no control flow at all and is the "
        "same operation eagerly and in a graph. "
        "Both sides clip the negative entry to zero."
    ),
)
def elementwise_where(values):
    values = tf.convert_to_tensor(values)
    return tf.where(values > 0, values, tf.zeros_like(values))
