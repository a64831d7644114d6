"""Keras layers whose ``call`` has Python control flow on a tensor, and the fixed twin.

Keras 2 (``tf_keras``, TensorFlow <= 2.15) wrapped a layer's ``call`` in AutoGraph, so an ``if`` on a
tensor there became a ``tf.cond``. Keras 3 (``tf.keras`` in TensorFlow >= 2.16) does not: while a
model is traced (``model.fit``, ``model.predict``, a functional model built on ``keras.Input``, or a
``tf.function`` that calls the layer) ``call`` runs as plain Python, and the tensor test fails.
Eagerly it works, which is why the pitfall survives until the model is first traced. These are the
pitfall ``autoconv lint`` reports as AC403 and its fix; a ``tf.function`` calling the layer shows it,
since AutoGraph does not convert Keras's own ``Layer.__call__`` and so never reaches ``call``.
"""
import tensorflow as tf

from autoconv import sample

# AC403: an if on a tensor in a Keras layer's call.


class WideOnlyDoubler(tf.keras.layers.Layer):
    """Doubles inputs that have more than one column."""

    def call(self, inputs):
        if tf.shape(inputs)[1] > 1:
            return inputs * 2.0
        return inputs


wide_only_doubler = WideOnlyDoubler()


@sample(
    inputs=[(tf.ones((2, 3)),), (tf.ones((2, 1)),)],
    expect="graph-error",
    tags=("conditionals", "keras", "pitfall"),
    title="An if on a tensor in a Keras layer's call",
    note=(
        "Under Keras 3 (TensorFlow >= 2.16) Keras does not convert call with AutoGraph, and AutoGraph "
        "does not step into Keras's Layer.__call__, so the if in WideOnlyDoubler.call stays Python. "
        "Eagerly tf.shape(inputs)[1] > 1 is a concrete bool and both inputs work; traced, it is a "
        "symbolic tensor and the if raises OperatorNotAllowedInGraphError (a range() over a tensor "
        "raises TypeError). model.fit, model.predict and a functional build fail the same way. "
        "Keras 2 converted call, so this code worked there. "
        "Fix: tf.cond (or keras.ops.cond), as in keras_call_tf_cond."
    ),
)
def keras_call_python_if(x):
    return wide_only_doubler(x)


class WideOnlyDoublerCond(tf.keras.layers.Layer):
    """Doubles inputs that have more than one column, with a graph conditional."""

    def call(self, inputs):
        return tf.cond(tf.shape(inputs)[1] > 1, lambda: inputs * 2.0, lambda: inputs)


wide_only_doubler_cond = WideOnlyDoublerCond()


@sample(
    inputs=[(tf.ones((2, 3)),), (tf.ones((2, 1)),)],
    tags=("conditionals", "keras"),
    title="A tf.cond in a Keras layer's call",
    note=(
        "The fixed twin of keras_call_python_if: tf.cond is a TensorFlow operation, so it needs no "
        "conversion and works the same eagerly, traced, and under either Keras. "
        "Both sides double the three-column input and return the one-column input unchanged."
    ),
)
def keras_call_tf_cond(x):
    return wide_only_doubler_cond(x)


# AC405: an if on a tensor in a Keras model's test_step (train_step, predict_step alike).


class HalvingErrorModel(tf.keras.Model):
    """Reports its largest error, halved when it is above 1."""

    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, inputs):
        return self.dense(inputs)

    def test_step(self, data):
        x, y = data
        error = tf.reduce_max(tf.abs(self(x) - y))
        if error > 1.0:
            error = error / 2
        return {"error": error}


halving_error_model = HalvingErrorModel()
halving_error_model(tf.ones((1, 2)))  # built here, once: its weights are not made while tracing


@sample(
    inputs=[(tf.ones((2, 2)), tf.zeros((2, 1))), (tf.ones((2, 2)), tf.fill((2, 1), 2.0))],
    expect="graph-error",
    tags=("conditionals", "keras", "pitfall"),
    title="An if on a tensor in a Keras model's test_step",
    note=(
        "Keras (2 and 3) runs train_step, test_step and predict_step under "
        "tf.autograph.experimental.do_not_convert, inside the tf.function that fit, evaluate and "
        "predict trace; this sample calls test_step the same way. So the if stays Python and the "
        "traced test error > 1.0 raises OperatorNotAllowedInGraphError, whatever the value. "
        "Eagerly both cases work (errors 2.0 halved to 1.0, and 0.0). "
        "Fix: tf.cond, as in keras_test_step_tf_cond."
    ),
)
def keras_test_step_python_if(x, y):
    step = tf.autograph.experimental.do_not_convert(halving_error_model.test_step)
    return step((x, y))["error"]


class HalvingErrorModelCond(HalvingErrorModel):
    """The same model, its choice made by a graph conditional."""

    def test_step(self, data):
        x, y = data
        error = tf.reduce_max(tf.abs(self(x) - y))
        error = tf.cond(error > 1.0, lambda: error / 2, lambda: error)
        return {"error": error}


halving_error_model_cond = HalvingErrorModelCond()
halving_error_model_cond(tf.ones((1, 2)))


@sample(
    inputs=[(tf.ones((2, 2)), tf.zeros((2, 1))), (tf.ones((2, 2)), tf.fill((2, 1), 2.0))],
    tags=("conditionals", "keras"),
    title="A tf.cond in a Keras model's test_step",
    note=(
        "The fixed twin of keras_test_step_python_if: tf.cond needs no conversion, so the step "
        "works eagerly and when Keras traces it unconverted. "
        "Both sides give 1.0 (2.0 halved) and 0.0."
    ),
)
def keras_test_step_tf_cond(x, y):
    step = tf.autograph.experimental.do_not_convert(halving_error_model_cond.test_step)
    return step((x, y))["error"]
