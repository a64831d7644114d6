"""Python syntax AutoGraph does not convert: :=, match, generators, for/else and while/else.

When conversion fails, tf.function logs a warning and traces the function as it is. Plain Python
control flow then runs once, while tracing: it still works on Python values, and fails as soon as
it needs a tensor's value. Each pitfall below has a rewritten twin that AutoGraph converts.
"""
import tensorflow as tf

from autoconv import case, sample


@sample(
    inputs=[(3,), (tf.constant(3),)],
    expect=["match", "graph-error"],
    tags=("unsupported-syntax", "walrus", "conversion-failure"),
    title="An assignment expression (:=)",
    note=(
        "AutoGraph's converter fails on the assignment expression, so tf.function runs the function "
        "unconverted. "
        "With a Python int the if is an ordinary Python if and both sides return 6. "
        "With a tensor the unconverted if asks for a symbolic tensor's truth value: "
        "OperatorNotAllowedInGraphError. "
        "Fix: assign on its own line before the test, as in walrus_rewritten."
    ),
)
def walrus_unconverted(x):
    if (doubled := x * 2) > 4:
        return doubled
    return -doubled


@sample(
    inputs=[(3,), (tf.constant(3),), (tf.constant(1),)],
    tags=("unsupported-syntax", "walrus"),
    title="The assignment on its own line",
    note=(
        "The fixed twin of walrus_unconverted: a plain assignment before the if converts, and the "
        "tensor test becomes a tf.cond with a return in both branches. "
        "Both sides return 6 for 3 and -2 for 1."
    ),
)
def walrus_rewritten(x):
    doubled = x * 2
    if doubled > 4:
        return doubled
    return -doubled


@sample(
    inputs=[case(1, tf.constant(5)), case(tf.constant(1), tf.constant(5))],
    expect=["match", "graph-error"],
    tags=("unsupported-syntax", "match", "conversion-failure"),
    title="A match statement",
    note=(
        "AutoGraph's converter predates the match statement and cannot convert the function, so it runs "
        "unconverted. "
        "With a Python op code the patterns are tested while tracing and the graph holds the chosen "
        "case only. "
        "With a tensor op code, testing `case 0:` needs the tensor's value: OperatorNotAllowedInGraphError. "
        "Fix: if/elif on the tensor, as in match_rewritten (or tf.switch_case)."
    ),
)
def match_unconverted(op, x):
    match op:
        case 0:
            return x + 1
        case 1:
            return x * 2
        case _:
            return -x


@sample(
    inputs=[case(1, tf.constant(5)), case(tf.constant(1), tf.constant(5)), case(tf.constant(7), tf.constant(5))],
    tags=("unsupported-syntax", "match"),
    title="if/elif instead of match",
    note=(
        "The fixed twin of match_unconverted: the same dispatch as if/elif, which AutoGraph turns into "
        "nested tf.cond operations when the op code is a tensor. "
        "For many cases, tf.switch_case builds one operation instead of a chain."
    ),
)
def match_rewritten(op, x):
    if op == 0:
        result = x + 1
    elif op == 1:
        result = x * 2
    else:
        result = -x
    return result


@sample(
    inputs=[(5,), (tf.constant(5),)],
    expect=["match", "graph-error"],
    tags=("unsupported-syntax", "generator", "conversion-failure"),
    title="A generator inside the function",
    note=(
        "AutoGraph does not convert generators (functions containing yield), and a generator nested in "
        "the function makes the whole function unconvertible, so it is traced as it is. "
        "With a Python int, range(n) is an ordinary Python range and the sum is 0 + 2 + 4 = 6. "
        "With a tensor, range(n) is never turned into tf.range and fails: TypeError, 'SymbolicTensor' "
        "object cannot be interpreted as an integer. "
        "Fix: produce the values with TensorFlow, as in generator_rewritten."
    ),
)
def generator_unconverted(n):
    def evens():
        for i in range(n):
            if i % 2 == 0:
                yield i

    return sum(evens())


@sample(
    inputs=[(5,), (tf.constant(5),)],
    tags=("unsupported-syntax", "generator", "tensor-array"),
    title="A tf.TensorArray instead of a generator",
    note=(
        "The fixed twin of generator_unconverted: instead of yielding the even numbers one by one, the "
        "loop writes them to a tf.TensorArray, which can grow inside a graph loop. "
        "AutoGraph converts the tf.range loop and the tensor if, and the sum is taken over the stacked "
        "array. "
        "A tf.data.Dataset pipeline, or simply tf.range(0, n, 2), would do as well."
    ),
)
def generator_rewritten(n):
    evens = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
    for i in tf.range(n):
        if i % 2 == 0:
            evens = evens.write(evens.size(), i)
    return tf.reduce_sum(evens.stack())


@sample(
    inputs=[(5,), (tf.constant(5),)],
    expect=["match", "graph-error"],
    tags=("unsupported-syntax", "for-else", "conversion-failure"),
    title="for ... else",
    note=(
        "AutoGraph does not support an else clause on a for loop ('for/else statement not yet "
        "supported'), so the function is traced unconverted. "
        "With a Python int the search runs in Python and finds 3, the first i with i * i > 5. "
        "With a tensor the unconverted `if i * i > x` needs the tensor's value: OperatorNotAllowedInGraphError. "
        "Fix: a default before the loop and a break, as in for_else_rewritten."
    ),
)
def for_else_unconverted(x):
    for i in range(4):
        if i * i > x:
            found = i
            break
    else:
        found = -1
    return found


@sample(
    inputs=[(5,), (tf.constant(5),), (tf.constant(50),)],
    tags=("unsupported-syntax", "for-else"),
    title="A default instead of for/else",
    note=(
        "The fixed twin of for_else_unconverted: found starts with the value the else clause gave it, "
        "and the break leaves the loop with the value found. "
        "AutoGraph converts the loop and its tensor-dependent break; with 50 nothing is found and "
        "both sides return -1."
    ),
)
def for_else_rewritten(x):
    found = -1
    for i in tf.range(4):
        if i * i > x:
            found = i
            break
    return found


@sample(
    inputs=[(5,), (tf.constant(5),)],
    expect=["match", "graph-error"],
    tags=("unsupported-syntax", "while-else", "conversion-failure"),
    title="while ... else",
    note=(
        "AutoGraph does not support an else clause on a while loop either ('while/else statement not "
        "yet supported'), and the unconverted function is traced as it is. "
        "With a Python int it works; with a tensor the Python while needs the tensor's truth value: "
        "OperatorNotAllowedInGraphError. "
        "Fix: track completion with a flag, as in while_else_rewritten."
    ),
)
def while_else_unconverted(x):
    i = 0
    while i < 4:
        if i * i > x:
            break
        i += 1
    else:
        i = -1
    return i


@sample(
    inputs=[(5,), (tf.constant(5),), (tf.constant(50),)],
    tags=("unsupported-syntax", "while-else"),
    title="A flag instead of while/else",
    note=(
        "The fixed twin of while_else_unconverted: exhausted starts True and is cleared just before the "
        "break, so after the loop it says whether the loop ran to the end, which is what else meant. "
        "Both the loop and the final if convert to graph control flow."
    ),
)
def while_else_rewritten(x):
    i = tf.constant(0)
    exhausted = tf.constant(True)
    while i < 4:
        if i * i > x:
            exhausted = tf.constant(False)
            break
        i += 1
    if exhausted:
        i = tf.constant(-1)
    return i
