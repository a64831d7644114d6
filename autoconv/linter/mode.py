"""How TensorFlow traces one function: plain data, found by traced.py and read by scope.py.

It sits apart so the dependency runs one way: traced.py (which functions are traced)
uses scope.py's AST queries, and scope.py's FunctionFacts only needs to hold a Mode.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mode:
    """How a traced function is traced.  ``autograph`` False means Python
    control flow stays Python (``autograph=False``, ``do_not_convert``);
    ``converts_print`` is AutoGraph's BUILTIN_FUNCTIONS option, ``converts_asserts`` its
    ASSERT_STATEMENTS option (an assert on a tensor becomes tf.debugging.Assert)."""

    autograph: bool = True
    converts_print: bool = False
    tensor_params: frozenset[str] = frozenset()
    # Reached only from a Keras layer's ``call``, which also runs eagerly and
    # in functional-model construction, where trace-time Python is by design.
    keras_call: bool = False
    guarded: bool = False  # reached only through calls under a create-once guard
    # Of tensor_params, those that may be a structure of tensors (Keras inputs,
    # dataset elements): iterating them is a Python loop over the structure.
    structures: frozenset[str] = frozenset()
    converts_asserts: bool = False
    # Reached only from a Keras model's train_step, test_step or predict_step, which Keras (2 and
    # 3) runs under tf.autograph.experimental.do_not_convert: traced, but never converted.
    keras_step: bool = False
