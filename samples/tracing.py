"""Tracing: what ``@tf.function`` does the first time it sees a new kind of input, and after.

TensorFlow knows three kinds of graph. A static graph (TensorFlow 1) is built first and run
later in a session: fast, but hard to debug. A dynamic graph (eager execution) runs each line as
it is written: easy to debug, slower. AutoGraph, behind ``@tf.function``, turns code written in
the dynamic style into a static graph by tracing it: the Python body runs once per new input
signature, and only the TensorFlow operations it records run on later calls.
"""
import tensorflow as tf

from autoconv import sample


@sample(
    inputs=[(tf.constant(1), tf.constant(2)), (tf.constant("a"), tf.constant("b"))],
    expect="mismatch",
    tags=("tracing", "print", "lesson"),
    title="The lesson: print runs while tracing, tf.print on every call",
    note=(
        "There are three kinds of graph: a static graph is built and then run (fast, hard to debug), "
        "a dynamic graph runs eagerly as written (easy to debug, slower), and AutoGraph under "
        "@tf.function turns the dynamic style into a static graph. "
        "Called twice with the same input types, the graph prints 'tracing' once, while the tf.print "
        "lines from the tf.range loop appear on every call, so the sides differ on the second call's stdout. "
        "A call with new dtypes (strings after ints) makes tf.function trace again and print 'tracing' "
        "once more; see retrace_on_new_dtype for both calls in one run."
    ),
)
@tf.function
def myadd(a, b):
    for i in tf.range(3):
        tf.print(i)
    c = a + b
    print("tracing")
    return c


@sample(
    inputs=[()],
    tags=("tracing", "retrace", "lesson"),
    title="New dtypes trace again",
    note=(
        "The lesson's myadd, a tf.function, is called with int tensors, then string tensors, then int "
        "tensors again. "
        "The strings are a new input signature, so Python runs the body a second time and prints "
        "'tracing' again; the third call reuses the int trace and prints nothing from Python. "
        "The sample returns the trace count, 2, on both sides because the inner tf.function traces "
        "the same way whether the caller is eager or a graph. "
        "These calls happen inside one case; autoconv trace myadd shows the retrace call by call."
    ),
)
def retrace_on_new_dtype():
    ints = myadd(tf.constant(1), tf.constant(2))
    strings = myadd(tf.constant("a"), tf.constant("b"))
    again = myadd(tf.constant(3), tf.constant(4))
    return ints, strings, again, myadd.experimental_get_tracing_count()


@sample(
    inputs=[(1,), (2,), (3,), (tf.constant(1),), (tf.constant(2),), (tf.constant(3),)],
    tags=("tracing", "retrace", "python-values"),
    title="A Python scalar retraces per value, a tensor does not",
    note=(
        "A Python number is part of a tf.function's input signature by value: square(1), square(2) "
        "and square(3) are three traces, three graphs. "
        "The same values passed as tf.constant share one signature (an int32 scalar) and one trace. "
        "autoconv trace python_scalar_retraces shows it case by case: the three ints each trace, the "
        "first tensor traces once more, and the next two tensors reuse that trace. "
        "Pass tensors for values that change from call to call, and Python values only for true "
        "configuration such as a layer count."
    ),
)
def python_scalar_retraces(x):
    return x * x


@sample(
    inputs=[(3,), (tf.constant(3),), (tf.constant(3.5),)],
    expect=["match", "match", "graph-error"],
    tags=("tracing", "input-signature"),
    title="input_signature: one trace, fixed types",
    note=(
        "An input_signature fixes the trace to one signature: the Python int 3 is converted to an int32 "
        "tensor and shares the trace of tf.constant(3), so no value ever retraces. "
        "The price is strictness: a float32 tensor does not fit the signature and the graph side raises "
        "TypeError, while the plain Python function happily doubles 3.5. "
        "Pin a signature when callers would otherwise trace a new graph for every shape or value."
    ),
)
@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.int32)])
def input_signature_one_trace(x):
    return x * 2


@sample(
    inputs=[(tf.constant(3.0),)],
    expect="graph-error",
    tags=("tracing", "eager", "debugging"),
    title="Eager values are not there while tracing",
    note=(
        "Eager execution is the dynamic graph: every tensor has a value, so .numpy() and a Python print "
        "of it work, which is what makes eager code easy to debug. "
        "While tracing, x is a symbolic tensor with no value yet, and x.numpy() raises AttributeError. "
        "Inside a tf.function, print values with tf.print, which runs in the graph on every call."
    ),
)
def numpy_only_in_eager(x):
    print("x is", x.numpy())
    return x * 2
