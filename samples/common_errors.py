"""The errors and warnings from AutoGraph's reference guide (common_errors.md), each with its fix.

Most of them share one cause: some Python code ran unconverted while tracing, where it met a
symbolic tensor that has no value yet. The rest come from tensors escaping the graph (or the
branch, or the loop body) that made them, and from exceptions raised while tracing.
"""
import tensorflow as tf

from autoconv import sample

# "Unable to locate the source code": AutoGraph converts source, and exec leaves none.

_namespace = {}
exec(
    "def made_by_exec(x):\n"
    "    if x > 0:\n"
    "        return x\n"
    "    return -x\n",
    _namespace,
)

sample(
    inputs=[(3,), (tf.constant(-3),)],
    expect=["match", "graph-error"],
    name="source_not_available",
    tags=("limitations", "source-code", "conversion-failure"),
    title="A function whose source code AutoGraph cannot read",
    note=(
        "made_by_exec was created by exec, so inspect cannot find its source and AutoGraph cannot "
        "convert it: tf.function warns 'could not transform' and traces the function as it is. "
        "With a Python int the unconverted if still works. "
        "With a tensor the if needs the tensor's truth value while tracing: OperatorNotAllowedInGraphError. "
        "Fix: define the function in a .py file, as in source_available."
    ),
)(_namespace["made_by_exec"])


@sample(
    inputs=[(3,), (tf.constant(-3),)],
    tags=("limitations", "source-code"),
    title="The same function, defined in a file",
    note=(
        "The fixed twin of source_not_available: the same code, written with def in this file, has "
        "source AutoGraph can read, so its if becomes a tf.cond for a tensor argument. "
        "inspect.getsource(fn) is a quick way to tell whether AutoGraph will be able to convert a function."
    ),
)
def source_available(x):
    if x > 0:
        return x
    return -x


# "Large unrolled loop detected".


@sample(
    inputs=[(tf.constant(0.0),)],
    tags=("limitations", "unrolled", "for-loop"),
    title="A large loop over a Python range is unrolled",
    note=(
        "range(200) is a Python range, so the loop runs while tracing and the graph holds 200 additions "
        "in a row: correct, but slow to trace and large. "
        "Past 50000 iterations that create operations, AutoGraph warns 'Large unrolled loop detected. "
        "Did you mean to use a TF loop?'. "
        "Fix: iterate over tf.range, as in tf_range_loop_not_unrolled."
    ),
)
def large_unrolled_loop(x):
    for i in range(200):
        x = x + 1.0
    return x


@sample(
    inputs=[(tf.constant(0.0),)],
    tags=("limitations", "unrolled", "for-loop"),
    title="The same loop over tf.range",
    note=(
        "The fixed twin of large_unrolled_loop: tf.range makes the loop a tf.while_loop, one loop "
        "in the graph whatever the count. "
        "Tracing is instant and the count could as well be a tensor argument."
    ),
)
def tf_range_loop_not_unrolled(x):
    for i in tf.range(200):
        x = x + 1.0
    return x


# "OperatorNotAllowedInGraphError: using a tf.Tensor as a Python bool".


@sample(
    inputs=[(tf.constant(2),), (2,)],
    expect=["graph-error", "match"],
    tags=("limitations", "tensor-as-bool", "for-loop"),
    title="A tensor-dependent break in a Python loop",
    note=(
        "range(5) is a Python loop, but the break depends on a tensor, so the loop would have to decide "
        "in Python whether to go on from a value that only exists when the graph runs. "
        "AutoGraph raises NotImplementedError (the loop's condition changed from Python to tensor); "
        "without AutoGraph this is the classic 'using a tf.Tensor as a Python bool'. "
        "With a Python limit everything stays Python. "
        "Fix: make the loop a TF loop, as in tensor_break_in_tensor_loop."
    ),
)
def tensor_break_in_python_loop(limit):
    total = 0
    for i in range(5):
        if i > limit:
            break
        total += i
    return total


@sample(
    inputs=[(tf.constant(2),), (2,)],
    tags=("limitations", "tensor-as-bool", "for-loop"),
    title="The same break in a tensor loop",
    note=(
        "The fixed twin of tensor_break_in_python_loop: with tf.range all the control flow is "
        "TensorFlow's, and the break becomes part of the tf.while_loop's condition. "
        "Both sides add 0 + 1 + 2 and stop at 3."
    ),
)
def tensor_break_in_tensor_loop(limit):
    total = 0
    for i in tf.range(5):
        if i > limit:
            break
        total += i
    return total


@sample(
    inputs=[(tf.constant(-4),), (-4,)],
    expect=["graph-error", "match"],
    tags=("limitations", "tensor-as-bool", "autograph-off"),
    title="A tensor if with AutoGraph turned off",
    note=(
        "tf.function(autograph=False) traces the function without converting it, so the if is a Python "
        "if asking for a symbolic tensor's truth value: OperatorNotAllowedInGraphError, using a "
        "symbolic tf.Tensor as a Python bool is not allowed. "
        "A Python int works because its if is settled while tracing. "
        "Fix: keep AutoGraph on, or write the tf.cond yourself, as in tf_cond_without_autograph."
    ),
)
@tf.function(autograph=False)
def autograph_off_tensor_if(x):
    if x > 0:
        return x
    return -x


@sample(
    inputs=[(tf.constant(-4),), (-4,)],
    expect=["match", "graph-error"],
    tags=("limitations", "autograph-off"),
    title="tf.cond written by hand",
    note=(
        "The fixed twin of autograph_off_tensor_if: with AutoGraph off, graph control flow must be "
        "spelled out, here as tf.cond with one function per branch. "
        "A hand-written tf.cond is less forgiving than AutoGraph, though: with a Python int the "
        "predicate is a Python bool, and in a graph tf.cond raises TypeError ('pred must not be a "
        "Python bool') while eager tf.cond accepts it. "
        "AutoGraph picks a Python if or a tf.cond by looking at the condition, which is why it is on by default."
    ),
)
@tf.function(autograph=False)
def tf_cond_without_autograph(x):
    return tf.cond(x > 0, lambda: x, lambda: -x)


# "OperatorNotAllowedInGraphError: iterating over tf.Tensor".


@sample(
    inputs=[(tf.constant([1, 2, 3]),), ([1, 2, 3],)],
    expect=["graph-error", "match"],
    tags=("limitations", "tensor-iteration", "comprehension"),
    title="A list comprehension over a tensor",
    note=(
        "AutoGraph converts for statements but not comprehensions, so [v * 2 for v in x] iterates the "
        "symbolic tensor in Python: OperatorNotAllowedInGraphError, iterating over a symbolic tf.Tensor "
        "is not allowed. "
        "A Python list iterates fine. "
        "Fix: a vectorized operation or tf.map_fn, as in map_fn_instead_of_comprehension."
    ),
)
def comprehension_over_tensor(x):
    return tf.stack([v * 2 for v in x])


@sample(
    inputs=[(tf.constant([1, 2, 3]),), ([1, 2, 3],)],
    tags=("limitations", "tensor-iteration"),
    title="tf.map_fn instead of a comprehension",
    note=(
        "The fixed twin of comprehension_over_tensor: tf.map_fn applies the function to each element "
        "inside the graph. "
        "Here x * 2 alone would do; map_fn is for per-element work that does not vectorize."
    ),
)
def map_fn_instead_of_comprehension(x):
    return tf.map_fn(lambda v: v * 2, tf.convert_to_tensor(x))


# "InaccessibleTensorError: the tensor is defined in another function or code block".


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect=["graph-error", "match"],
    tags=("limitations", "inaccessible-tensor", "conditionals"),
    title="A tensor smuggled out of a branch in a list",
    note=(
        "Each branch of a tf.cond is traced in its own graph. "
        "Appending to a list is not an assignment, so AutoGraph does not make the appended value an "
        "output of the cond, and reading it afterwards raises InaccessibleTensorError: the tensor "
        "is out of scope. "
        "Fix: assign the value in both branches, as in value_assigned_in_both_branches."
    ),
)
def tensor_smuggled_out_of_branch(x):
    holder = []
    if x > 0:
        holder.append(x * 2)
    else:
        holder.append(-x)
    return holder[0]


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("limitations", "inaccessible-tensor", "conditionals"),
    title="The value assigned in both branches",
    note=(
        "The fixed twin of tensor_smuggled_out_of_branch: assigning value in both branches makes it an "
        "output of the tf.cond, which is how a value gets out of a branch legally. "
        "Use return values and assignments, never mutable containers, to carry tensors out of graph "
        "control flow."
    ),
)
def value_assigned_in_both_branches(x):
    if x > 0:
        value = x * 2
    else:
        value = -x
    return value


# "StagingError: in converted code", and exceptions raised while tracing.


class ConfigError(Exception):
    def __init__(self, field, reason):
        super().__init__(f"{field}: {reason}")


@sample(
    inputs=[(tf.constant(3),), (3,)],
    expect="mismatch",
    tags=("limitations", "exceptions", "staging-error"),
    title="A custom exception comes back as StagingError",
    note=(
        "An exception raised while tracing is re-raised with its own type when AutoGraph can rebuild it "
        "with a message. "
        "ConfigError's constructor takes two arguments, so AutoGraph wraps it in StagingError instead, "
        "and code catching ConfigError around the tf.function no longer catches it. "
        "Both sides raise, but different types: a mismatch."
    ),
)
def custom_exception_staging(x):
    raise ConfigError("x", "not supported")


@sample(
    inputs=[(tf.constant(-3),), (tf.constant(3),), (-3,)],
    expect=["graph-error", "match", "match"],
    tags=("limitations", "exceptions", "conditionals"),
    title="raise in a tensor branch happens while tracing",
    note=(
        "A tf.cond traces both branches, so a Python raise in one of them runs while tracing, whatever "
        "the tensor's value will be. "
        "With -3 the eager function returns normally but the graph raises ValueError; with 3 both "
        "raise ValueError and agree. "
        "Fix: check at run time with tf.debugging assertions, as in assert_instead_of_raise."
    ),
)
def raise_in_tensor_branch(x):
    if x > 0:
        raise ValueError("x must not be positive")
    return x


@sample(
    inputs=[(tf.constant(-3),), (tf.constant(3),)],
    tags=("limitations", "exceptions"),
    title="A runtime assertion instead of raise",
    note=(
        "The fixed twin of raise_in_tensor_branch: tf.debugging.assert_less_equal is an operation that "
        "checks the value when the graph runs. "
        "With -3 both sides return; with 3 both raise InvalidArgumentError, so they agree."
    ),
)
def assert_instead_of_raise(x):
    tf.debugging.assert_less_equal(x, 0, message="x must not be positive")
    return x


@sample(
    inputs=[(tf.constant(-3),), (-3,)],
    expect=["graph-error", "match"],
    tags=("limitations", "exceptions", "assert"),
    title="An assert statement on a tensor",
    note=(
        "AutoGraph leaves assert statements alone unless asked to convert them, so while tracing the "
        "test asks a symbolic tensor for a Python bool and the trace fails with "
        "OperatorNotAllowedInGraphError, whatever the value will be. Eagerly -3 passes. "
        "With a Python -3 the assert is plain Python on both sides and they agree. "
        "Fix: a tf.debugging assertion, as in assert_instead_of_raise, or "
        "tf.function(f, experimental_autograph_options=tf.autograph.experimental.Feature.ASSERT_STATEMENTS), "
        "which makes the assert a tf.debugging.Assert (a failing one then raises InvalidArgumentError "
        "in the graph where eager code raises AssertionError)."
    ),
)
def assert_statement_on_tensor(x):
    assert x <= 0, "x must not be positive"
    return x


# "Unable to identify source code of lambda function".

nested_same = sample(
    inputs=[(3,), (tf.constant(-3),)],
    expect=["match", "graph-error"],
    name="nested_lambdas_same_argument",
    tags=("limitations", "lambda", "conversion-failure"),
    title="Nested lambdas with the same argument name",
    note=(
        "AutoGraph finds a lambda's source by its position and signature; two nested lambdas both "
        "taking x are indistinguishable, so conversion fails with 'found multiple definitions with "
        "identical signatures'. "
        "Unconverted, the conditional expression needs a tensor's truth value and the graph fails, "
        "while a Python int still works. "
        "Fix: distinct argument names, as in nested_lambdas_distinct_arguments."
    ),
)(lambda x: (lambda x: x if x > 0 else -x)(x) + 1)

nested_distinct = sample(
    inputs=[(3,), (tf.constant(-3),)],
    name="nested_lambdas_distinct_arguments",
    tags=("limitations", "lambda"),
    title="Nested lambdas with distinct argument names",
    note=(
        "The fixed twin of nested_lambdas_same_argument: with outer and inner as argument names, "
        "AutoGraph can tell the lambdas apart and converts both. "
        "The inner conditional expression becomes a tf.cond."
    ),
)(lambda outer: (lambda inner: inner if inner > 0 else -inner)(outer) + 1)
