"""Python state and Python values that tracing freezes, each as a pitfall and its fixed twin.

Tracing runs the Python body once and keeps only the TensorFlow operations it recorded. Whatever
else the body did (advance a Python iterator, bump a Python counter, read a global, store a tensor
on an object, ask a tensor for its value) happened once, while tracing, and is not repeated by
later calls of the graph. These are the pitfalls ``autoconv lint`` reports as AC104-AC109,
AC202 and AC303-AC305; each sample is the proof the lint points at.
"""
import numpy as np
import tensorflow as tf

from autoconv import sample

# AC104: next() on a Python iterator.

python_numbers = iter([1, 2, 3, 4])


@sample(
    inputs=[(tf.constant(10),), (10,)],
    expect="mismatch",
    tags=("tracing", "state", "iterators"),
    title="next() on a Python iterator runs once",
    note=(
        "next(python_numbers) is a Python call: under tf.function it runs while tracing, and the "
        "graph holds the number it returned then as a constant. "
        "Eagerly the two calls return 11 and 12; the graph returns 11 twice, and the iterator has "
        "advanced only once. "
        "Fix: iterate a tf.data iterator, as in dataset_iterator_every_call."
    ),
)
def python_iterator_frozen(x):
    return x + next(python_numbers)


dataset_numbers = iter(tf.data.Dataset.from_tensor_slices([1, 2, 3, 4]))


@sample(
    inputs=[(tf.constant(10),), (10,)],
    tags=("tracing", "state", "iterators", "tf-data"),
    title="next() on a tf.data iterator runs on every call",
    note=(
        "The fixed twin of python_iterator_frozen: the iterator of a tf.data.Dataset keeps its "
        "position in TensorFlow, and next() on it becomes an operation in the graph. "
        "Each call takes the next element on both sides: 11, then 12."
    ),
)
def dataset_iterator_every_call(x):
    return x + next(dataset_numbers)


# AC105: .numpy() on a symbolic tensor.


@sample(
    inputs=[(tf.constant(3),)],
    expect="graph-error",
    tags=("tracing", "tensors"),
    title=".numpy() on a symbolic tensor",
    note=(
        "Eagerly every tensor has a value, and .numpy() hands it over as a NumPy number. "
        "While tracing, x * 2 is a symbolic tensor with no value yet, and .numpy() fails with "
        "AttributeError. "
        "Fix: stay in TensorFlow inside the function and call .numpy() on its result, as in "
        "tensor_kept_symbolic."
    ),
)
def numpy_of_symbolic_tensor(x):
    doubled = x * 2
    return doubled.numpy() + 1


@sample(
    inputs=[(tf.constant(3),)],
    tags=("tracing", "tensors"),
    title="A tensor kept symbolic",
    note=(
        "The fixed twin of numpy_of_symbolic_tensor: the arithmetic stays a TensorFlow operation, "
        "so it works while tracing, and the caller gets a tensor it can turn into NumPy. "
        "Both sides return 7."
    ),
)
def tensor_kept_symbolic(x):
    doubled = x * 2
    return doubled + 1


# AC106: int(), float() or bool() of a symbolic tensor, used as a Python value.


@sample(
    inputs=[(tf.constant([1, 2]),)],
    expect="graph-error",
    tags=("tracing", "tensors"),
    title="int() of a symbolic tensor used as a Python int",
    note=(
        "Eagerly int() of a tensor is a Python int, and [1.0] * count repeats the list. "
        "In converted code AutoGraph turns int() into tf.cast, so count is still a symbolic tensor "
        "and the Python list repetition fails with TypeError (bool() is not converted at all and "
        "fails at once). "
        "Fix: build the value with TensorFlow, as in tensor_count_kept_symbolic."
    ),
)
def python_int_of_symbolic_tensor(x):
    count = int(tf.reduce_sum(x))
    return tf.constant([1.0] * count)


@sample(
    inputs=[(tf.constant([1, 2]),)],
    tags=("tracing", "tensors"),
    title="A count kept a tensor",
    note=(
        "The fixed twin of python_int_of_symbolic_tensor: tf.fill takes the count as a tensor, so "
        "the shape is decided when the graph runs. "
        "Both sides return [1.0, 1.0, 1.0]."
    ),
)
def tensor_count_kept_symbolic(x):
    count = tf.reduce_sum(x)
    return tf.fill([count], 1.0)


# AC107: a NumPy function applied to a symbolic tensor.


@sample(
    inputs=[(tf.constant(3.0),)],
    expect="graph-error",
    tags=("tracing", "tensors", "numpy"),
    title="A NumPy function on a symbolic tensor",
    note=(
        "Eagerly np.square converts the tensor to a NumPy array (it has a value) and squares it. "
        "While tracing, x is a symbolic tensor with no value, and NumPy's conversion fails "
        "(NotImplementedError: cannot convert a symbolic tf.Tensor to a NumPy array). "
        "Fix: use the TensorFlow op, as in tf_op_of_symbolic_tensor."
    ),
)
def numpy_function_of_symbolic_tensor(x):
    return np.square(x) + 1.0


@sample(
    inputs=[(tf.constant(3.0),)],
    tags=("tracing", "tensors", "numpy"),
    title="The TensorFlow op instead of NumPy",
    note=(
        "The fixed twin of numpy_function_of_symbolic_tensor: tf.square is an operation in the "
        "graph, so it works while tracing. Both sides return 10.0."
    ),
)
def tf_op_of_symbolic_tensor(x):
    return tf.square(x) + 1.0


# AC108: tf.constant() of a symbolic tensor.


@sample(
    inputs=[(tf.constant([1.0, 2.0]),)],
    expect="graph-error",
    tags=("tracing", "tensors"),
    title="tf.constant() of a symbolic tensor",
    note=(
        "Eagerly tf.constant accepts a tensor, since it has a value to copy. "
        "While tracing, x * 2 is a symbolic tensor, and tf.constant, which takes Python and NumPy "
        "values, fails with TypeError (expected any non-tensor type, but got a tensor). "
        "Fix: tf.convert_to_tensor, which accepts a tensor, as in convert_to_tensor_of_symbolic."
    ),
)
def constant_of_symbolic_tensor(x):
    return tf.constant(x * 2) + 1.0


@sample(
    inputs=[(tf.constant([1.0, 2.0]),)],
    tags=("tracing", "tensors"),
    title="tf.convert_to_tensor() of a symbolic tensor",
    note=(
        "The fixed twin of constant_of_symbolic_tensor: tf.convert_to_tensor returns a tensor as "
        "it is, so it works while tracing. Both sides return [3.0, 5.0]."
    ),
)
def convert_to_tensor_of_symbolic(x):
    return tf.convert_to_tensor(x * 2) + 1.0


# AC109: a Keras model's own loop (predict, fit, evaluate) inside the function.

# Named explicitly, so that making it does not advance Keras's automatic names (dense, dense_1, ...).
predicting_model = tf.keras.Sequential(
    [tf.keras.Input((2,), name="predicting_input"),
     tf.keras.layers.Dense(1, use_bias=False, kernel_initializer="ones", name="predicting_dense")],
    name="predicting_model",
)


@sample(
    inputs=[(tf.constant([[1.0, 2.0]]),)],
    expect="graph-error",
    tags=("tracing", "keras"),
    title="Model.predict() inside a tf.function",
    note=(
        "Eagerly predict runs Keras's own loop over the batch and returns a NumPy array. "
        "Inside a tf.function x is symbolic, and predict's loop needs values: it fails with "
        "AttributeError ('SymbolicTensor' object has no attribute 'numpy'); fit and evaluate fail "
        "the same way. "
        "Fix: call the model itself, as in keras_model_called_inside_function."
    ),
)
def keras_predict_inside_function(x):
    return predicting_model.predict(x, verbose=0)


@sample(
    inputs=[(tf.constant([[1.0, 2.0]]),)],
    tags=("tracing", "keras"),
    title="The model called inside a tf.function",
    note=(
        "The fixed twin of keras_predict_inside_function: calling the model runs its layers as "
        "operations of the graph. Both sides return [[3.0]]."
    ),
)
def keras_model_called_inside_function(x):
    return predicting_model(x, training=False)


# AC202: a Keras metric (layer, optimizer) created inside the function.


@sample(
    inputs=[(tf.constant([1.0, 3.0]),)],
    expect="graph-error",
    tags=("tracing", "variables", "keras"),
    title="A Keras metric created inside the function",
    note=(
        "A Keras metric keeps its running totals in variables, so creating one inside tf.function "
        "creates variables inside it, which tf.function allows only on the first trace; on "
        "TensorFlow 2.21 the first call already fails with ValueError. "
        "The same holds for layers and optimizers. "
        "Fix: create the metric once, outside, as in keras_metric_created_outside."
    ),
)
def keras_metric_created_inside(x):
    mean = tf.keras.metrics.Mean()
    mean.update_state(x)
    return mean.result()


running_mean = tf.keras.metrics.Mean()


@sample(
    inputs=[(tf.constant([1.0, 3.0]),)],
    tags=("tracing", "variables", "keras"),
    title="A Keras metric created once, outside",
    note=(
        "The fixed twin of keras_metric_created_inside: the metric and its variables exist before "
        "the function is traced; the function only updates them. "
        "Both sides return 2.0 twice (the mean of the same values, seen twice)."
    ),
)
def keras_metric_created_outside(x):
    running_mean.update_state(x)
    return running_mean.result()


# AC303: a Python number on self, counted inside the function.


class PythonStepCounter(tf.Module):
    def __init__(self):
        super().__init__()
        self.steps = 0

    @tf.function
    def advance(self, x):
        self.steps += 1
        return x * self.steps


python_steps = PythonStepCounter()

sample(
    inputs=[(tf.constant(10),), (10,)],
    expect="mismatch",
    name="python_attribute_counter",
    tags=("tracing", "state", "tf-module"),
    title="self.steps += 1 counts traces, not calls",
    note=(
        "self.steps is a Python int, so self.steps += 1 runs while tracing and the graph keeps the "
        "value it had then. "
        "Eagerly the method returns 10 and then 20; the graph returns 10 twice, and self.steps "
        "stays 1. "
        "Fix: count in a tf.Variable, as in variable_attribute_counter."
    ),
)(python_steps.advance)


class VariableStepCounter(tf.Module):
    def __init__(self):
        super().__init__()
        self.steps = tf.Variable(0)

    @tf.function
    def advance(self, x):
        self.steps.assign_add(1)
        return x * self.steps


variable_steps = VariableStepCounter()

sample(
    inputs=[(tf.constant(10),), (10,)],
    name="variable_attribute_counter",
    tags=("tracing", "state", "tf-module"),
    title="A counter in a tf.Variable counts every call",
    note=(
        "The fixed twin of python_attribute_counter: assign_add is an operation in the graph, so "
        "the count moves on every call. "
        "Both sides return 10 and then 20."
    ),
)(variable_steps.advance)


# AC304: a global Python value read inside and rebound later.

learning_rate = 0.5


def halve_learning_rate():
    """What a schedule or a callback does between steps, here called from the step itself."""
    global learning_rate
    learning_rate = learning_rate / 2


@sample(
    inputs=[(tf.constant(8.0),), (8.0,)],
    expect="mismatch",
    tags=("tracing", "state", "globals"),
    title="A global read inside, rebound later",
    note=(
        "learning_rate is a Python float: the graph holds the value it had while tracing. "
        "Here the helper that rebinds it runs (while tracing) only once as well, so eagerly the "
        "calls return 2.0 and then 1.0, and the graph returns 2.0 twice; rebinding the global "
        "from outside between calls is frozen out the same way. "
        "Fix: keep the value in a tf.Variable and assign to it, as in variable_read_then_assigned."
    ),
)
def global_read_then_rebound(x):
    halve_learning_rate()
    return x * learning_rate


learning_rate_variable = tf.Variable(0.5)


def halve_learning_rate_variable():
    learning_rate_variable.assign(learning_rate_variable / 2)


@sample(
    inputs=[(tf.constant(8.0),), (8.0,)],
    tags=("tracing", "state", "globals"),
    title="A tf.Variable read inside, assigned later",
    note=(
        "The fixed twin of global_read_then_rebound: the graph reads the variable when it runs, "
        "and assign is an operation too, so every call sees the current value. "
        "Both sides return 2.0 and then 1.0."
    ),
)
def variable_read_then_assigned(x):
    halve_learning_rate_variable()
    return x * learning_rate_variable


# AC305: a graph tensor stored on self.


class LastSquare(tf.Module):
    def __init__(self):
        super().__init__()
        self.last = tf.constant(0.0)

    @tf.function
    def remember(self, x):
        previous = self.last
        self.last = tf.square(x)
        return previous + x


last_square = LastSquare()

sample(
    inputs=[(tf.constant(3.0),), (3.0,)],
    expect="mismatch",
    name="tensor_stored_on_self",
    tags=("tracing", "state", "tf-module"),
    title="A graph tensor stored on self",
    note=(
        "While tracing, tf.square(x) is a symbolic tensor: storing it on self leaks it out of the "
        "graph (using it outside fails), and the assignment is not repeated by later calls. "
        "Eagerly the calls return 3.0 and then 12.0 (the previous square plus x); the graph "
        "returns 3.0 twice, having read self.last once, while tracing. "
        "Fix: keep the state in a tf.Variable, as in tensor_kept_in_variable."
    ),
)(last_square.remember)


class LastSquareVariable(tf.Module):
    def __init__(self):
        super().__init__()
        self.last = tf.Variable(0.0)

    @tf.function
    def remember(self, x):
        previous = self.last.read_value()
        self.last.assign(tf.square(x))
        return previous + x


last_square_variable = LastSquareVariable()

sample(
    inputs=[(tf.constant(3.0),), (3.0,)],
    name="tensor_kept_in_variable",
    tags=("tracing", "state", "tf-module"),
    title="State kept in a tf.Variable",
    note=(
        "The fixed twin of tensor_stored_on_self: read_value and assign are operations in the "
        "graph, so each call reads the square the previous call stored. "
        "Both sides return 3.0 and then 12.0."
    ),
)(last_square_variable.remember)


# AC306: a Python attribute read inside, rebound outside the reading function.


class Thermostat(tf.Module):
    def __init__(self):
        super().__init__()
        self.offset = 1.0

    def raise_offset(self):
        """What a callback or a schedule does between steps; here the step itself calls it."""
        self.offset = self.offset + 1.0

    @tf.function
    def adjust(self, x):
        self.raise_offset()
        return x + self.offset


thermostat = Thermostat()

sample(
    inputs=[(tf.constant(3.0),), (3.0,)],
    expect="mismatch",
    name="attribute_read_then_rebound",
    tags=("tracing", "state", "tf-module"),
    title="A Python attribute read inside, rebound elsewhere",
    note=(
        "self.offset is a Python float: the graph holds the value it had while tracing, whoever "
        "rebinds it later (another method, a callback, a closure's owner). "
        "Eagerly each call raises the offset and returns 5.0 and then 6.0; the graph returns the "
        "value it traced. "
        "Fix: keep the value in a tf.Variable and assign to it, as in attribute_variable_assigned."
    ),
)(thermostat.adjust)


class VariableThermostat(tf.Module):
    def __init__(self):
        super().__init__()
        self.offset = tf.Variable(1.0)

    def raise_offset(self):
        self.offset.assign_add(1.0)

    @tf.function
    def adjust(self, x):
        self.raise_offset()
        return x + self.offset


variable_thermostat = VariableThermostat()

sample(
    inputs=[(tf.constant(3.0),), (3.0,)],
    name="attribute_variable_assigned",
    tags=("tracing", "state", "tf-module"),
    title="A tf.Variable read inside, assigned elsewhere",
    note=(
        "The fixed twin of attribute_read_then_rebound: the graph reads the variable when it runs, "
        "and assign_add is an operation too. "
        "Both sides return 5.0 and then 6.0."
    ),
)(variable_thermostat.adjust)


# AC301 on a dict: rule 3 holds for every outer container, not only lists.

settings = {"last": tf.constant(0.0)}


@sample(
    inputs=[(tf.constant(1.0),), (1.0,)],
    expect="mismatch",
    tags=("rules", "rule-3", "side-effects"),
    title="Storing into an outer Python dict",
    note=(
        "settings[\"last\"] = ... is a Python side effect: it happens only while tracing, and "
        "what it stores is a symbolic tensor that leaks out of the graph. "
        "Eagerly the stored total grows with each call; the graph does not store anything when it "
        "runs. "
        "Fix: return the new value and let the caller keep it, as in outer_dict_returned."
    ),
)
def outer_dict_mutated(x):
    settings["last"] = settings["last"] + x
    return settings["last"]


@sample(
    inputs=[(tf.constant(1.0), tf.constant(0.0)), (1.0, 0.0)],
    tags=("rules", "rule-3", "side-effects"),
    title="Returning the new value instead of storing it",
    note=(
        "The fixed twin of outer_dict_mutated: the function takes the last total and returns the "
        "new one. "
        "Nothing outside is mutated while tracing, so each call of the graph does what the eager "
        "call does."
    ),
)
def outer_dict_returned(x, last):
    return last + x
