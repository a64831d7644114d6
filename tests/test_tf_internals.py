"""Pins the private TensorFlow behaviour autoconv relies on (see autoconv/_tf_internals.py).

If TensorFlow moves these pieces, this file fails first and names what moved.
"""
import inspect

import _convert_targets as targets
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
