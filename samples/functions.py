"""Functions: AutoGraph converts what the decorated function calls, and rewrites return.

Conversion is recursive: a user function called from a converted one is converted when it is
called, lambdas and closures included. ``return`` becomes a flag and a value, so a return inside
a tensor ``if`` works, but a return inside a tensor loop does not.
"""
import tensorflow as tf

from autoconv import case, sample


def clip_to_positive(value):
    if value < 0:
        value = value * 0
    return value


@sample(
    inputs=[(tf.constant(-5),), (tf.constant(5),), (-5,)],
    tags=("functions", "recursive-conversion"),
    title="Calling a user function converts it too",
    note=(
        "Only the decorated function is converted up front; clip_to_positive is converted when it is "
        "called during tracing, because conversion is recursive by default. "
        "Its tensor if becomes a tf.cond inside the caller's graph. "
        "Library code from TensorFlow itself is called as it is, never converted."
    ),
)
def calls_user_function(x):
    return clip_to_positive(x) + 1


magnitude = sample(
    inputs=[(tf.constant(-3.0),), (tf.constant(2.0),), (-3.0,)],
    name="lambda_magnitude",
    tags=("functions", "lambda"),
    title="A lambda is converted like a def",
    note=(
        "AutoGraph reads a lambda's source too, so the conditional expression in its body becomes a "
        "tf.cond for a tensor argument. "
        "Keep a lambda on one line, with argument names distinct from any lambda nested in it, so its "
        "source can be parsed; nested_lambdas_same_argument shows one that cannot be."
    ),
)(lambda v: v if v > 0 else -v)


def make_scaler(factor):
    def scale(x):
        if x > 100:
            return x
        return x * factor

    return scale


sample(
    inputs=[(tf.constant(7),), (tf.constant(700),), (7,)],
    name="closure_scale",
    tags=("functions", "closure"),
    title="A closure over a Python value",
    note=(
        "scale closes over factor, a Python int captured when make_scaler(3) ran. "
        "AutoGraph converts the inner function and keeps the closure: factor is a constant in the "
        "graph. "
        "To change factor without retracing, close over a tf.Variable instead."
    ),
)(make_scaler(3))


@sample(
    inputs=[(tf.constant(3),)],
    expect="mismatch",
    tags=("functions", "closure", "lambda", "limitations"),
    title="A lambda closing over a loop variable",
    note=(
        "AutoGraph assumes a lambda is used only in the statement that defines it, so closing over "
        "latest does not make latest a loop variable. "
        "The tensor loop's assignments to latest therefore never reach the lambda: the graph returns 0, "
        "while eagerly the lambda sees the last value, 2. "
        "Fix: a def function, whose closed-over variables AutoGraph does track, as in "
        "def_closing_over_loop_variable."
    ),
)
def lambda_closing_over_loop_variable(n):
    latest = tf.constant(0)
    read_latest = lambda: latest * 1
    for i in tf.range(n):
        latest = i
    return read_latest()


@sample(
    inputs=[(tf.constant(3),)],
    tags=("functions", "closure", "limitations"),
    title="A def function closing over a loop variable",
    note=(
        "The fixed twin of lambda_closing_over_loop_variable: AutoGraph assumes a local def function "
        "may be called anywhere, so the variables it closes over become loop variables. "
        "The graph sees the last value of latest, 2, like the eager code."
    ),
)
def def_closing_over_loop_variable(n):
    latest = tf.constant(0)

    def read_latest():
        return latest * 1

    for i in tf.range(n):
        latest = i
    return read_latest()


@sample(
    inputs=[(tf.constant(-2),), (tf.constant(2),), (-2,)],
    tags=("functions", "return"),
    title="An early return under a tensor if",
    note=(
        "AutoGraph rewrites return into 'set the return value and skip the rest', so the code after "
        "an early return becomes the else branch of a tf.cond. "
        "It works because every path returns a value of the same dtype. "
        "Compare missing_else_return, where one path returns nothing."
    ),
)
def early_return(x):
    if x < 0:
        return tf.constant(0)
    doubled = x * 2
    return doubled + 1


@sample(
    inputs=[(10,), (tf.constant(10),)],
    expect="graph-error",
    tags=("functions", "return", "for-loop", "pitfall"),
    title="return inside a tensor loop",
    note=(
        "A Python loop may be left through return at any point. "
        "A for over tf.range becomes a tf.while_loop, which can only end through its condition, and "
        "AutoGraph raises NotImplementedError: a return statement cannot be placed inside this "
        "TensorFlow loop. "
        "Eagerly the same code simply returns 3. "
        "Fix: record the result, break, and return after the loop, as in return_after_tensor_loop."
    ),
)
def return_inside_tensor_loop(n):
    for i in tf.range(n):
        if i * i > 5:
            return i
    return -1


@sample(
    inputs=[(10,), (tf.constant(10),), (tf.constant(2),)],
    tags=("functions", "return", "for-loop"),
    title="Record, break, return after the loop",
    note=(
        "The fixed twin of return_inside_tensor_loop: the result is a loop variable with a default, "
        "the loop breaks when it is found, and the function returns once, after the loop. "
        "With n = 2 the loop ends without finding anything and the default -1 comes back."
    ),
)
def return_after_tensor_loop(n):
    found = -1
    for i in tf.range(n):
        if i * i > 5:
            found = i
            break
    return found


@tf.function
def _cube(x):
    return x * x * x


@sample(
    inputs=[(tf.constant(2.0),), (2.0,)],
    tags=("functions", "nested-tf-function"),
    title="Calling a tf.function from a tf.function",
    note=(
        "Inside a graph, a call to another tf.function is traced into a call operation on its own "
        "graph, not run eagerly. "
        "Eagerly the inner tf.function still runs as a graph, so both sides compute the cube the "
        "same way. "
        "Decorating only the outermost function is usually enough: everything it calls is traced anyway."
    ),
)
def calls_tf_function(x):
    return _cube(x) + 1.0


@sample(
    inputs=[case(tf.constant(2)), case(tf.constant(2), scale=3), case(tf.constant(2), scale=3, offset=tf.constant(1))],
    tags=("functions", "arguments", "python-values"),
    title="Keyword arguments and defaults",
    note=(
        "Default and keyword arguments are part of the trace signature like positional ones: a Python "
        "scale is a constant of its trace, a tensor offset is an input of the graph. "
        "The third case passes both, and the graph takes the tensor offset as a graph input. "
        "The sides agree on every combination."
    ),
)
def keyword_arguments(x, scale=1, offset=0):
    return x * scale + offset
