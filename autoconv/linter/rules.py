"""The catalogue of lint rules, one tiny class each (pyflakes' messages.py shape).

A rule only knows what to say; finding the problem is the checker's job.  Each
rule names the catalogue sample that shows the pitfall at run time and its
fixed twin, so a finding always points at something the user can execute.
"""

from __future__ import annotations

from typing import ClassVar

from autoconv.model.lint import Finding


class Rule:
    """Base: ``message`` and ``hint`` may hold ``{0}``-style fields filled by the checker."""

    code: ClassVar[str] = ""
    # error: fails under tf.function; warning: differs silently; info: differs, usually harmless
    severity: ClassVar[str] = "warning"
    message: ClassVar[str] = ""
    hint: ClassVar[str] = ""
    sample: ClassVar[str] = ""
    fixed: ClassVar[str] = ""

    @classmethod
    def finding(cls, path: str, line: int, col: int, *args: object) -> Finding:
        message = cls.message.format(*args) if args else cls.message
        hint = cls.hint.format(*args) if args else cls.hint
        return Finding(path, line, col, cls.code, message, hint, cls.sample, cls.fixed, severity=cls.severity)


class SyntaxErrorRule(Rule):
    """Not in RULES: it has no sample and is not about tf.function at all."""

    code = "AC000"
    severity = "error"
    message = "syntax error: {0}"
    hint = "fix the syntax error; the rest of this file could not be checked"


class UncheckableRule(Rule):
    """Not in RULES: the file parses (or is not text) but cannot be checked."""

    code = "AC001"
    severity = "error"
    message = "could not be checked: {0}"
    hint = "the other files were checked; split the deeply nested expression (or skip this file)"



class PrintCall(Rule):
    code = "AC101"
    severity = "info"  # usually a debugging print, e.g. of a shape
    message = "print() runs only while tracing; later calls print nothing"
    hint = "use tf.print(...), which runs on every call"
    sample, fixed = "print_only_while_tracing", "tf_print_every_call"


class PythonRandom(Rule):
    code = "AC102"
    message = "{0}() draws its value once, while tracing; every later call reuses it"
    hint = "use tf.random.* (or a tf.random.Generator), which draws on every call"
    sample, fixed = "numpy_random_frozen", "tf_random_every_call"
    modules = ("numpy.random.", "random.")  # prefixes of resolved call names


class PythonTime(Rule):
    code = "AC103"
    message = "{0}() is read once, while tracing; every later call sees the same time"
    hint = "use tf.timestamp(), which is evaluated on every call"
    sample, fixed = "python_time_frozen", "tf_timestamp_every_call"
    clocks = frozenset(
        [f"time.{f}{ns}" for f in ("time", "perf_counter", "monotonic", "process_time") for ns in ("", "_ns")]
        + [f"datetime.datetime.{f}" for f in ("now", "utcnow", "today")]
        + ["datetime.date.today"]
    )


class PythonIteratorNext(Rule):
    code = "AC104"
    message = "next({0}) advances a Python iterator once, while tracing; every later call gets the same value"
    hint = "iterate a tf.data iterator (iter(dataset)), which advances on every call, or pass the value in"
    sample, fixed = "python_iterator_frozen", "dataset_iterator_every_call"


class NumpyOfSymbolic(Rule):
    code = "AC105"
    severity = "error"
    message = ".numpy() on a symbolic tensor: graph tensors have no value while tracing"
    hint = "keep it a tensor and use TensorFlow ops (tf.print to see it); call .numpy() on the result outside"
    sample, fixed = "numpy_of_symbolic_tensor", "tensor_kept_symbolic"


class PythonScalarOfSymbolic(Rule):
    code = "AC106"
    severity = "error"
    message = "{0}() of a symbolic tensor used as a Python value: it has none while tracing"
    hint = "AutoGraph makes int()/float() a tf.cast, still a tensor: use TensorFlow ops (tf.fill, tf.gather, tf.cond)"
    sample, fixed = "python_int_of_symbolic_tensor", "tensor_count_kept_symbolic"


class NumpyFunctionOfSymbolic(Rule):
    code = "AC107"
    severity = "error"
    message = "numpy.{0}() on a symbolic tensor: NumPy needs its value, which a graph tensor has not while tracing"
    hint = "use the TensorFlow op (tf.math, tf.reduce_*, tf.experimental.numpy), which runs in the graph"
    sample, fixed = "numpy_function_of_symbolic_tensor", "tf_op_of_symbolic_tensor"


class ConstantOfSymbolic(Rule):
    code = "AC108"
    severity = "error"
    message = "tf.constant() of a symbolic tensor: it takes Python or NumPy values, which a graph tensor has not while tracing"
    hint = "use tf.convert_to_tensor(...) (or tf.stack for a list holding tensors), which accepts a tensor"
    sample, fixed = "constant_of_symbolic_tensor", "convert_to_tensor_of_symbolic"


class KerasLoopInTraced(Rule):
    code = "AC109"
    severity = "error"
    message = "{0}.{1}() inside traced code: Keras runs its own loop, which needs tensors with values"
    hint = "call the model itself ({0}(x, training=False)) inside the function; use {1}() outside any tf.function"
    sample, fixed = "keras_predict_inside_function", "keras_model_called_inside_function"
    methods = frozenset(
        "fit fit_generator evaluate evaluate_generator predict predict_generator predict_on_batch".split()
    )


class VariableCreated(Rule):
    code = "AC201"
    severity = "error"
    message = "tf.Variable created inside the function; tf.function allows that only on the first trace"
    hint = "create the variable once outside (or in tf.Module.__init__) and .assign() to it here"
    sample, fixed = "variable_created_inside", "variable_created_outside"


class KerasObjectCreated(Rule):
    code = "AC202"
    severity = "error"
    message = "Keras {0} created inside traced code: it makes new variables on every trace{1}"
    hint = "create it once (in __init__ or outside the function) and only call or update it here"
    sample, fixed = "keras_metric_created_inside", "keras_metric_created_outside"
    families = ("layers", "metrics", "optimizers")
    # Layers with no weights and no seed state: making one inside is wasteful, not wrong.
    stateless_layers = frozenset(
        "Flatten Reshape Permute RepeatVector Concatenate Add Subtract Multiply Average Maximum Minimum Dot"
        " Softmax ReLU LeakyReLU ELU Activation Lambda Masking Identity InputLayer Input"
        " MaxPooling1D MaxPooling2D MaxPooling3D AveragePooling1D AveragePooling2D AveragePooling3D"
        " MaxPool1D MaxPool2D MaxPool3D AvgPool1D AvgPool2D AvgPool3D GlobalMaxPooling1D GlobalMaxPooling2D"
        " GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPool2D GlobalAveragePool2D"
        " Cropping1D Cropping2D ZeroPadding1D ZeroPadding2D UpSampling1D UpSampling2D".split()
    )
    # Wrappers whose only variables are the wrapped layer's (an RNN's are its cell's, unless it is
    # stateful): none of their own when that layer exists.  Not Bidirectional, which clones its layer.
    wrappers = frozenset({"TimeDistributed", "RNN"})
    # Layers whose only state is their random seed: a SeedGenerator variable under Keras 3
    # (tf.keras in TF >= 2.16), nothing at all under Keras 2 (tf_keras, TF <= 2.15).
    seeded_layers = frozenset(
        "Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D GaussianNoise GaussianDropout AlphaDropout"
        " RandomFlip RandomRotation RandomZoom RandomCrop RandomTranslation RandomContrast RandomBrightness".split()
    )
    keras3_only = " (under Keras 3, TF >= 2.16: its seed generator is a variable; Keras 2 makes none)"


class OuterStateMutated(Rule):
    code = "AC301"
    message = "mutates '{0}', which lives outside the function; that happens only while tracing"
    hint = "return the new value instead of mutating outer Python state (or keep it in a tf.Variable)"
    sample, fixed = "outer_list_mutated", "outer_list_returned"
    methods = frozenset("append extend insert pop remove clear update add setdefault".split())


class ListAppendInTensorLoop(Rule):
    code = "AC302"
    message = "Python list '{0}' grows inside a loop over a tensor; the body is traced only once"
    hint = "accumulate into a tf.TensorArray (ta = ta.write(i, value)) and ta.stack() after the loop"
    sample, fixed = "list_append_in_tensor_loop", "tensor_array_in_tensor_loop"
    methods = frozenset({"append", "extend", "insert"})


class AttributeCounter(Rule):
    code = "AC303"
    message = "'self.{0}' is a Python number: this update runs once, while tracing, and the graph keeps that value"
    hint = "keep the count in a tf.Variable (self.{0} = tf.Variable(0) in __init__, .assign_add(1) here)"
    sample, fixed = "python_attribute_counter", "variable_attribute_counter"


class GlobalReadRebound(Rule):
    code = "AC304"
    message = "reads global '{0}', which is rebound at line {1}: the graph keeps the value it had while tracing"
    hint = "pass the value as an argument, or keep it in a tf.Variable and .assign() the new value"
    sample, fixed = "global_read_then_rebound", "variable_read_then_assigned"


class FrozenRead(Rule):
    code = "AC306"
    message = "reads {0} '{1}', a {3} rebound at line {2}: the graph keeps the value it had while tracing"
    hint = "pass the value in as an argument, or keep it in a tf.Variable and .assign() the new value"
    sample, fixed = "attribute_read_then_rebound", "attribute_variable_assigned"


class TensorStoredOnSelf(Rule):
    code = "AC305"
    message = "stores a graph tensor on 'self.{0}': it leaks out of the graph and later calls do not update it"
    hint = "return the tensor, or keep the state in a tf.Variable created once and .assign() to it"
    sample, fixed = "tensor_stored_on_self", "tensor_kept_in_variable"


class ReturnInTensorLoop(Rule):
    code = "AC401"
    severity = "error"
    message = "return inside a loop over a tensor; a graph loop cannot be left through return"
    hint = "record the result and break (or fold the test into the loop condition), return after the loop"
    sample, fixed = "return_inside_tensor_loop", "return_after_tensor_loop"


class DefinedInOneBranch(Rule):
    code = "AC402"
    severity = "error"
    message = "'{0}' is assigned in only one branch of a tensor-dependent if and used after it"
    hint = "assign it in both branches (or before the if): both sides of tf.cond must produce it"
    sample, fixed = "defined_in_one_branch", "defined_in_both_branches"


class KerasCallUnconverted(Rule):
    code = "AC403"
    severity = "error"
    message = (
        "Python {0} on a tensor in a Keras call: under Keras 3 (TF >= 2.16) Keras does not convert call"
        " with AutoGraph, so it fails when the model is traced (fit, predict, a functional build); Keras 2 did"
    )
    hint = (
        "use keras.ops.cond / tf.cond for an if, tf.while_loop (or keras.ops.fori_loop) for a loop, or test"
        " the static shape (x.shape[1]); or decorate call with @tf.function"
    )
    sample, fixed = "keras_call_python_if", "keras_call_tf_cond"


class KerasStepUnconverted(Rule):
    code = "AC405"
    severity = "error"
    message = (
        "Python {0} on a tensor in a Keras {1}: Keras runs train_step, test_step and predict_step"
        " without AutoGraph (Keras 2 and 3), so it fails under fit, evaluate or predict"
    )
    hint = (
        "use tf.cond (keras.ops.cond) for an if and tf.while_loop for a loop, or test a Python value"
        " (a static shape, a flag set in __init__)"
    )
    sample, fixed = "keras_test_step_python_if", "keras_test_step_tf_cond"


class AssertOnTensor(Rule):
    code = "AC404"
    severity = "error"
    message = (
        "assert on a tensor: AutoGraph leaves assert statements as Python, so while tracing the test"
        " asks a symbolic tensor for a bool and fails"
    )
    hint = (
        "use a tf.debugging assertion (tf.debugging.assert_less_equal(x, 0), tf.debugging.Assert),"
        " which checks the value on every call"
    )
    sample, fixed = "assert_statement_on_tensor", "assert_instead_of_raise"


class ForElse(Rule):
    code = "AC501"
    severity = "error"
    message = "for ... else is not converted by AutoGraph"
    hint = "set a flag before break and test it after the loop instead of using else"
    sample, fixed = "for_else_unconverted", "for_else_rewritten"


class WhileElse(Rule):
    code = "AC502"
    severity = "error"
    message = "while ... else is not converted by AutoGraph"
    hint = "set a flag before break and test it after the loop instead of using else"
    sample, fixed = "while_else_unconverted", "while_else_rewritten"


class WhileTrueTensorBreak(Rule):
    code = "AC503"
    severity = "error"
    message = "while True whose only exit is a break under a tensor-dependent if"
    hint = "move the tensor condition into the loop test: while <condition>:"
    sample, fixed = "while_true_tensor_break", "while_tensor_condition"


class Generator(Rule):
    code = "AC601"
    severity = "error"
    message = "'{0}' is a generator; AutoGraph does not convert yield"
    hint = "return tensors (build them with tf.TensorArray) or produce the values with tf.data"
    sample, fixed = "generator_unconverted", "generator_rewritten"


class Walrus(Rule):
    code = "AC602"
    severity = "error"
    message = "assignment expression (:=) is not converted by AutoGraph"
    hint = "make it a plain assignment statement before the expression that uses it"
    sample, fixed = "walrus_unconverted", "walrus_rewritten"


class MatchStatement(Rule):
    code = "AC603"
    severity = "error"
    message = "match statement is not converted by AutoGraph"
    hint = "rewrite it as if/elif on tensor conditions (or tf.switch_case)"
    sample, fixed = "match_unconverted", "match_rewritten"


RULES: tuple[type[Rule], ...] = (
    PrintCall,
    PythonRandom,
    PythonTime,
    PythonIteratorNext,
    NumpyOfSymbolic,
    PythonScalarOfSymbolic,
    NumpyFunctionOfSymbolic,
    ConstantOfSymbolic,
    KerasLoopInTraced,
    VariableCreated,
    KerasObjectCreated,
    OuterStateMutated,
    ListAppendInTensorLoop,
    AttributeCounter,
    GlobalReadRebound,
    TensorStoredOnSelf,
    FrozenRead,
    ReturnInTensorLoop,
    DefinedInOneBranch,
    KerasCallUnconverted,
    AssertOnTensor,
    KerasStepUnconverted,
    ForElse,
    WhileElse,
    WhileTrueTensorBreak,
    Generator,
    Walrus,
    MatchStatement,
)


def keras3_only(finding: Finding) -> bool:
    """A finding that holds only under Keras 3 (TF >= 2.16): a project pinned below runs Keras 2."""
    return finding.code == KerasCallUnconverted.code or (
        finding.code == KerasObjectCreated.code and finding.message.endswith(KerasObjectCreated.keras3_only)
    )
