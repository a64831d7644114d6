"""Where tf.Variables should live, and how tf.function treats them.

Variables are created once and assigned many times. An outer variable works; a tf.Module that
creates its variables in ``__init__`` and decorates its methods is the tidy way to keep state.
Changes to variables are tracked by automatic control dependencies, not by AutoGraph's code
analysis, so they survive helpers, loops and branches.
"""
import tensorflow as tf

from autoconv import sample

x = tf.Variable(1.0)


@sample(
    inputs=[(tf.constant(2.0),), (2.0,)],
    tags=("variables", "input-signature", "lesson"),
    title="An outer variable and a pinned input signature",
    note=(
        "The variable x is created once, outside the function, and the function only assigns to it. "
        "The input_signature pins the argument to a float32 scalar, so a Python 2.0 is converted to a "
        "tensor and never causes a retrace. "
        "tf.print(x) prints the variable's current value on every call, and both sides return 3.0 "
        "and then 5.0."
    ),
)
@tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
def outer_variable_input_signature(a):
    x.assign_add(a)
    tf.print(x)
    return x


class Counter(tf.Module):
    """State in a tf.Module: variables made in __init__, a decorated method that updates them."""

    def __init__(self):
        super().__init__()
        self.count = tf.Variable(0)

    @tf.function
    def add(self, step):
        self.count.assign_add(step)
        return self.count.read_value()


counter = Counter()

sample(
    inputs=[(1,), (tf.constant(2),)],
    name="module_counter",
    tags=("variables", "tf-module", "lesson"),
    title="A tf.Module owns its variables",
    note=(
        "Better than a loose outer variable: a tf.Module subclass creates its variables in __init__, "
        "and its decorated method only updates them. "
        "The sample is the bound method counter.add of a module-level instance, so each side gets a "
        "fresh counter when the file is loaded. "
        "The module also tracks its variables for checkpoints and SavedModel."
    ),
)(counter.add)


class Scaler(tf.Module):
    """A module to save: its variable made once in __init__, its method traced for one signature."""

    def __init__(self):
        super().__init__()
        self.factor = tf.Variable(3.0)

    @tf.function(input_signature=[tf.TensorSpec(shape=[None], dtype=tf.float32)])
    def scale(self, values):
        return values * self.factor


scaler = Scaler()

sample(
    inputs=[(tf.constant([1.0, 2.0]),), (tf.constant([4.0, 5.0, 6.0]),)],
    name="saved_model_round_trip",
    tags=("variables", "saved-model", "tf-module", "lesson"),
    title="Saving a tf.Module as a SavedModel and loading it back",
    note=(
        "tf.saved_model.save(scaler, path) writes the module's variables and the graphs its tf.functions "
        "traced; tf.saved_model.load(path) gives back an object whose scale runs those graphs, with no "
        "Python source. "
        "The check does exactly that: a third side saves this module, loads it and calls the restored "
        "scale, which returns what the Python method returns. "
        "Only traced signatures survive the round trip: the input_signature (a float32 vector of any "
        "length) traces one graph before saving, so both cases run, while a method without one keeps only "
        "the shapes and dtypes it was called with before tf.saved_model.save."
    ),
)(scaler.scale)


class LazyScale(tf.Module):
    """Builds its variable on the first call, like a Keras layer's build()."""

    def __init__(self):
        super().__init__()
        self.scale = None

    @tf.function
    def apply(self, value):
        if self.scale is None:
            self.scale = tf.Variable(2.0)
        self.scale.assign_add(1.0)
        return value * self.scale


lazy = LazyScale()

sample(
    inputs=[(tf.constant(1.0),), (1.0,)],
    name="module_lazy_variable",
    tags=("variables", "tf-module"),
    title="Creating a variable on the first call only",
    note=(
        "tf.function does allow variables to be created, as long as that happens only on the first "
        "trace: here the variable is made when self.scale is still None. "
        "The test `self.scale is None` is a Python test, settled while tracing, so later traces skip "
        "the creation. "
        "This is the pattern Keras layers use to build weights once the input shape is known."
    ),
)(lazy.apply)


class PythonCounter(tf.Module):
    def __init__(self):
        super().__init__()
        self.calls = 0

    @tf.function
    def add(self, step):
        self.calls += 1
        return step * self.calls


python_counter = PythonCounter()

sample(
    inputs=[(tf.constant(10),), (10,)],
    expect="mismatch",
    name="module_python_counter",
    tags=("variables", "tf-module", "side-effects"),
    title="A Python attribute as a counter",
    note=(
        "A plain Python int on a module is not a variable: self.calls += 1 runs while tracing, and the "
        "graph holds the value it had then. "
        "Eagerly the method returns 10 and then 20; the graph returns 10 twice. "
        "Fix: keep counters in a tf.Variable, as module_counter does."
    ),
)(python_counter.add)


acc = tf.Variable(0)


@sample(
    inputs=[(4,), (tf.constant(4),)],
    tags=("variables", "for-loop", "side-effects"),
    title="Assigning to a variable inside a tensor loop",
    note=(
        "assign_add inside a tf.range loop is a side effect on a TensorFlow object, which automatic "
        "control dependencies order correctly in the graph. "
        "AutoGraph does not need acc as a loop variable, and every iteration's update happens, on "
        "every call. "
        "Both sides return 6 and then 12."
    ),
)
def variable_in_tensor_loop(n):
    for i in tf.range(n):
        acc.assign_add(i)
    return acc.read_value()


steps = tf.Variable(0)


def _bump(variable):
    variable.assign_add(1)


@sample(
    inputs=[(tf.constant(3),), (3,)],
    tags=("variables", "while-loop", "functions"),
    title="A helper that updates a variable",
    note=(
        "AutoGraph's analysis cannot see what a helper changes, which breaks Python state (see "
        "global_changed_in_helper) but not variables. "
        "The helper's assign_add is an operation on a TensorFlow object, so it is recorded in the "
        "loop body and runs on every iteration. "
        "Both sides return 3 and then 6."
    ),
)
def variable_changed_in_helper(n):
    while n > 0:
        n -= 1
        _bump(steps)
    return steps.read_value()


flag = tf.Variable(0)


@sample(
    inputs=[(tf.constant(5),), (tf.constant(-5),), (5,)],
    tags=("variables", "conditionals"),
    title="Assigning to a variable in both branches of a tensor if",
    note=(
        "With a tensor condition AutoGraph builds a tf.cond, and each branch's assign runs only when "
        "that branch is taken. "
        "With a Python int the if is settled while tracing and only one assign is in the graph. "
        "Either way the variable ends up as the absolute value."
    ),
)
def variable_assigned_in_branches(value):
    if value > 0:
        flag.assign(value)
    else:
        flag.assign(-value)
    return flag.read_value()
