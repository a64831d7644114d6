"""Pins the private TensorFlow behaviour autoconv relies on (see autoconv/_tf_internals.py).

If TensorFlow moves these pieces, this file fails first and names what moved.
"""
import inspect

import _convert_targets as targets
import _explain_targets
import tensorflow as tf

from autoconv import _tf_internals


def test_to_graph_result_carries_a_source_map_of_line_locations_to_origin_info():
    converted = tf.autograph.to_graph(targets.loop_and_branch)
    assert converted.ag_source_map, "AutoGraph no longer attaches ag_source_map"
    location, origin = next(iter(converted.ag_source_map.items()))
    assert isinstance(location.lineno, int) and location.filename.endswith(".py")
    assert isinstance(origin.loc.lineno, int) and origin.loc.filename == inspect.getsourcefile(targets.loop_and_branch)


def test_source_map_lines_are_relative_to_the_converted_function_start():
    converted = tf.autograph.to_graph(targets.loop_and_branch)
    first_original = inspect.getsourcelines(targets.loop_and_branch)[1]
    line_map = _tf_internals.source_map(converted, first_original)
    assert line_map[1] == 1  # def tf__loop_and_branch  <- def loop_and_branch
    converted_lines = inspect.getsource(converted).splitlines()
    assert converted_lines[0].lstrip().startswith("def tf__loop_and_branch")


def test_tf_function_method_wraps_the_user_method_in_a_tf_method_target():
    bound = targets.counter.add
    assert _tf_internals.is_tf_function(bound)
    wrapper = bound.python_function
    assert wrapper.__name__ == "add"  # functools.wraps over TensorFlow's bound_method_wrapper
    assert type(wrapper.__wrapped__.__self__).__name__ == "TfMethodTarget"
    function, instance = _tf_internals.unwrap_tf_function(bound)
    assert function is targets.Counter.add.python_function and instance is targets.counter


def test_plain_tf_function_unwraps_to_itself():
    function, instance = _tf_internals.unwrap_tf_function(targets.decorated)
    assert instance is None and function.__name__ == "decorated"
    assert not _tf_internals.is_tf_function(targets.loop_and_branch)


def test_identical_functions_in_two_files_share_one_cached_conversion(tmp_path):
    """Why source_map ignores the origins' file names: the cache key is the code object."""
    from autoconv.targets import load_file

    text = "def twin(x):\n    for i in range(3):\n        x += i\n    return x\n"
    functions = []
    for folder in ("first", "second"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "twin.py").write_text(text)
        functions.append(load_file(tmp_path / folder / "twin.py").twin)
    assert functions[0].__code__ == functions[1].__code__  # equal although co_filename differs
    tf.autograph.to_graph(functions[0])
    origins = {origin.loc.filename for origin in tf.autograph.to_graph(functions[1]).ag_source_map.values()}
    assert origins == {str(tmp_path / "first" / "twin.py")}


def test_tf_method_target_survives_tracing():
    """After a bound tf.function traces, __wrapped__ moves; the instance must still be found."""

    class Doubler(tf.Module):
        @tf.function
        def run(self, x):
            return x * 2

    doubler = Doubler()
    doubler.run(tf.constant(1))
    assert hasattr(doubler.run.python_function, "__original_wrapped__")
    function, instance = _tf_internals.unwrap_tf_function(doubler.run)
    assert instance is doubler and function.__name__ == "run"


# --- what `autoconv explain` hooks (autoconv/explanation/trace_hooks.py) ---------------------------

def test_the_operators_take_the_leading_parameters_the_wrappers_read():
    """The wrappers in trace_hooks call the originals positionally and read these arguments."""
    operators = _tf_internals.autograph_operators()
    leading = {"if_stmt": ["cond", "body", "orelse"], "if_exp": ["cond", "if_true", "if_false"],
               "for_stmt": ["iter_", "extra_test", "body"], "while_stmt": ["test", "body"],
               "and_": ["a", "b"], "or_": ["a", "b"], "not_": ["a"], "converted_call": ["f"], "ld": ["v"]}
    assert set(leading) == set(_tf_internals.AUTOGRAPH_OPERATORS)
    for name, parameters in leading.items():
        found = list(inspect.signature(getattr(operators, name)).parameters)
        assert found[:len(parameters)] == parameters, (name, found)


def test_generated_code_reads_its_operators_from_the_one_ag_module():
    """Replacing an attribute of ``ag__`` is what generated code sees: it looks operators up there."""
    operators = _tf_internals.autograph_operators()
    for name in _tf_internals.AUTOGRAPH_OPERATORS:
        assert callable(getattr(operators, name)), f"ag__ has no {name}"
    converted = tf.autograph.to_graph(targets.loop_and_branch)
    assert "ag__" in converted.__code__.co_freevars or "ag__" in converted.__globals__
    seen = []
    original = operators.for_stmt

    def counting(for_stmt):
        return lambda *args: (seen.append(args[0]), for_stmt(*args))[1]

    with _tf_internals.operators_replaced({"for_stmt": counting}):
        assert operators.for_stmt is not original
        tf.function(targets.loop_and_branch)(tf.constant(3))
    assert operators.for_stmt is original
    assert len(seen) == 1 and tf.is_tensor(seen[0])


def test_replaced_operators_are_put_back_when_the_body_raises():
    operators = _tf_internals.autograph_operators()
    before = {name: getattr(operators, name) for name in _tf_internals.AUTOGRAPH_OPERATORS}
    wrappers = {name: (lambda original: lambda *args, **kwargs: original(*args, **kwargs))
                for name in _tf_internals.AUTOGRAPH_OPERATORS}
    try:
        with _tf_internals.operators_replaced(wrappers):
            assert all(getattr(operators, name) is not before[name] for name in before)
            raise KeyError("inside")
    except KeyError:
        pass
    assert {name: getattr(operators, name) for name in before} == before


def test_every_conversion_is_observed_with_its_source_map():
    original = _tf_internals.current_converter()
    assert original.__module__.startswith("tensorflow")
    converted = []
    with _tf_internals.conversions_observed(lambda entity, result: converted.append((entity, result))):
        assert _tf_internals.current_converter() is not original
        tf.function(_explain_targets.calls_helper)(tf.constant(1.0))
    assert _tf_internals.current_converter() is original
    assert [entity.__name__ for entity, _ in converted] == ["calls_helper", "double"]  # the helper via converted_call
    for entity, result in converted:
        entries = _tf_internals.source_map_entries(result)
        assert entries and {file for file, _, _ in entries} == {result.__code__.co_filename}
        first = inspect.getsourcelines(entity)[1]
        assert all(isinstance(line, int) and original_line >= first for _, line, original_line in entries)


def test_forwarding_frames_are_autograph_functions_that_call_the_users_callee():
    from tensorflow.python.autograph.impl import api
    from tensorflow.python.autograph.operators import py_builtins

    codes = _tf_internals.forwarding_codes()
    assert api._call_unconverted.__code__ in codes and py_builtins._py_print.__code__ in codes
    assert py_builtins.next_py.__code__ in codes


def test_a_clone_keeps_the_tf_function_settings_and_traces_afresh():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)], jit_compile=False, reduce_retracing=True)
    def summed(x):
        return tf.reduce_sum(x)

    summed(tf.constant([1.0]))
    clone = _tf_internals.fresh_tf_function(summed)
    assert clone.input_signature == summed.input_signature and clone.experimental_get_tracing_count() == 0
    assert clone._jit_compile is False and clone._reduce_retracing is True
    assert list(inspect.signature(clone).parameters) == ["x"]


def test_library_graphs_reach_loop_bodies_whose_ops_keep_their_traceback():
    concrete = tf.function(targets.loop_and_branch).get_concrete_function(tf.constant(3))
    graphs = _tf_internals.library_graphs(concrete.graph)
    names = [graph.name for graph in graphs]
    assert any(name.startswith("while_body") for name in names) and any("cond_true" in name for name in names)
    source = inspect.getsourcefile(targets.loop_and_branch)
    frames = [frame for graph in graphs for op in graph.get_operations() for frame in (op.traceback or [])]
    assert any(frame.filename == source for frame in frames)  # mapped back to the user's file by TF


def test_autograph_leaves_print_a_direct_call_through_ld():
    """Why the explainer wraps ``ag__.ld``: a Python ``print`` never goes through converted_call."""
    generated = inspect.getsource(tf.autograph.to_graph(_explain_targets.prints))
    assert "ag__.ld(print)('tracing')" in generated
    assert "ag__.converted_call(ag__.ld(tf).print" in generated


def test_config_settings_read_the_context_and_write_it_back_exactly():
    settings = {name: (read, write) for name, read, write in _tf_internals.config_settings()}
    saved = {name: read() for name, (read, _) in settings.items()}
    assert saved["tf.config soft device placement"] is None  # never set: not the same as an explicit True
    tf.config.optimizer.set_experimental_options({"constant_folding": False})
    tf.config.set_soft_device_placement(False)
    tf.config.experimental.enable_op_determinism()
    for name, (_read, write) in settings.items():
        write(saved[name])
    assert {name: read() for name, (read, _) in settings.items()} == saved
    assert "constant_folding" not in tf.config.optimizer.get_experimental_options()
    assert tf.config.get_soft_device_placement() is True


def test_the_switches_behind_tensorshape_and_autograph_verbosity_exist():
    names = {name for name, _, _ in _tf_internals.switches()}
    assert {"tensorflow.python.framework.tensor_shape._TENSORSHAPE_V2_OVERRIDE",
            "tensorflow.python.autograph.utils.ag_logging.verbosity_level",
            "tensorflow.python.autograph.utils.ag_logging.echo_log_to_stdout"} <= names


def test_keras_global_state_holds_the_layer_name_counters_and_is_written_back():
    [(_name, read, write)] = _tf_internals.keras_settings()
    saved = read()
    first = tf.keras.layers.Dense(1).name
    assert tf.keras.layers.Dense(1).name != first  # the counter moved on: dense_1 after dense
    for _ in range(2):  # what was saved is a copy: the layer made after writing it did not change it
        write(saved)
        assert tf.keras.layers.Dense(1).name == first


def test_state_classes_hold_the_eager_and_the_symbolic_tensor_classes():
    classes = _tf_internals.state_classes()
    assert type(tf.constant(1)) in classes
    graph_tensor_types = []
    tf.function(lambda: graph_tensor_types.append(type(tf.constant(1))))()
    assert graph_tensor_types[0] in classes


def test_extension_types_optionals_and_datasets_are_composite_tensors():
    class Pair(tf.experimental.ExtensionType):
        a: tf.Tensor

    assert _tf_internals.is_composite_tensor(Pair(tf.constant(1)))
    assert _tf_internals.is_composite_tensor(tf.experimental.Optional.from_value(1))
    assert not _tf_internals.is_composite_tensor(tf.constant(1))
