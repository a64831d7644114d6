"""while loops: a tensor condition makes a tf.while_loop, a Python condition runs while tracing.

AutoGraph decides by the type of the condition when the loop is first reached. The decision is
made once: a loop that starts with a Python condition cannot turn into a graph loop halfway,
which is why ``while True`` with a tensor-dependent ``break`` fails.
"""
import tensorflow as tf

from autoconv import sample


@sample(
    inputs=[(100,), (tf.constant(100),)],
    tags=("while-loops", "tensor-condition"),
    title="A while loop with a tensor condition",
    note=(
        "n starts as a Python 1, but n <= x is a tensor when x is a tensor, so AutoGraph builds a "
        "tf.while_loop with n and steps as loop variables. "
        "With a Python int the condition is a Python bool and the loop runs while tracing. "
        "This is also the fixed twin of while_true_tensor_break: put the stopping test in the loop "
        "condition, not in a break."
    ),
)
def while_tensor_condition(x):
    n = 1
    steps = 0
    while n <= x:
        n = n * 2
        steps += 1
    return steps


@sample(
    inputs=[(3, tf.constant(1.0)), (tf.constant(3), tf.constant(1.0))],
    tags=("while-loops", "python-condition", "unrolled"),
    title="A while loop with a Python condition is unrolled",
    note=(
        "When the counter is a Python int, the condition is a Python bool: the loop runs three times "
        "while tracing and the graph holds three multiplications, no loop. "
        "Pass the counter as a tensor and the same code becomes a While op. "
        "The results agree; the graphs do not, and every new Python counter is a new trace."
    ),
)
def while_python_condition(count, value):
    while count > 0:
        value = value * 2.0
        count -= 1
    return value


@sample(
    inputs=[(5,), (tf.constant(5),)],
    expect=["match", "graph-error"],
    tags=("while-loops", "break", "pitfall"),
    title="while True with a tensor break",
    note=(
        "while True starts as a Python loop, because True is a Python bool. "
        "With a tensor limit, the if becomes a tf.cond and the break flag becomes a tensor, so the "
        "loop condition turns into a tensor halfway and AutoGraph raises NotImplementedError "
        "('The condition of while loop started as non-Tensor, then changed to Tensor'). "
        "With a Python limit everything stays Python and it works. "
        "Fix: move the test into the condition, as in while_tensor_condition."
    ),
)
def while_true_tensor_break(limit):
    n = 1
    while True:
        n = n * 2
        if n > limit:
            break
    return n


@sample(
    inputs=[(tf.constant(30),), (30,)],
    tags=("while-loops", "break"),
    title="break in a tensor while loop",
    note=(
        "When the loop condition is already a tensor, a tensor-dependent break is fine: AutoGraph adds "
        "the break flag to the loop condition. "
        "The loop looks for the first square above x and stops there. "
        "Both inputs return 6."
    ),
)
def break_in_tensor_while(x):
    i = tf.constant(0)
    while i < 100:
        if i * i > x:
            break
        i += 1
    return i


@sample(
    inputs=[(tf.constant(27),), (27,)],
    tags=("while-loops", "tensor-condition", "conditionals"),
    title="Collatz steps: a tensor if inside a tensor loop",
    note=(
        "The loop condition and the if inside it both depend on n, so the graph holds a tf.cond "
        "inside a tf.while_loop. "
        "Both branches assign n, with the same dtype, which is what tf.cond requires. "
        "27 takes 111 steps to reach 1, on both sides."
    ),
)
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps
