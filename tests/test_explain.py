"""`autoconv explain`: what AutoGraph and tracing did, line by line, for given inputs.

Real TensorFlow on the functions of tests/_explain_targets.py. TF 2.21 makes Stateless* control
flow where nothing in the body is stateful, and the stateful kind otherwise: both are accepted.
"""
import inspect
import json
import sys
from pathlib import Path

import _explain_targets as targets
import pytest
import tensorflow as tf

import autoconv
from autoconv import _tf_internals
from autoconv.equivalence.messages import shown_path as display_path
from autoconv.model.explanation import Explanation
from autoconv.notebook import html_view
from autoconv.render.text import format_explanation

TARGETS = str(Path(targets.__file__))
WHILE_OPS = {"While", "StatelessWhile"}
IF_OPS = {"If", "StatelessIf"}


def line_of(explanation: Explanation, source: str):
    """The line entry whose source is ``source``, checked to be the file's own line number."""
    found = [line for line in explanation.lines if line.source.strip() == source]
    assert len(found) == 1, f"{source!r} not explained: {[line.source for line in explanation.lines]}"
    with open(TARGETS) as handle:
        assert handle.read().splitlines()[found[0].line - 1].strip() == source
    return found[0]


def test_a_tf_range_loop_is_staged_as_a_while_op():
    explanation = autoconv.explain(targets.tensor_range_loop)(tf.constant(1.0))
    loop = line_of(explanation, "for i in tf.range(3):")
    assert loop.statement.kind == "for" and loop.statement.staged
    assert set(loop.statement.ops) & WHILE_OPS and loop.statement.python is None
    assert set(loop.ops) & WHILE_OPS
    body = line_of(explanation, "x = x + tf.cast(i, x.dtype)")
    assert body.ops["AddV2"] == 1 and body.ops["Cast"] == 1  # the body's ops, read from the library


def test_range_over_a_python_int_unrolls_three_times():
    explanation = autoconv.explain(targets.python_range_loop)(tf.constant(1.0))
    loop = line_of(explanation, "for _ in range(3):")
    assert not loop.statement.staged and loop.statement.python == {"iterations": 3}
    assert loop.statement.ops == []
    assert line_of(explanation, "x = x + 1").ops["AddV2"] == 3  # one add per unrolled iteration
    assert explanation.graph.functions == 0


def test_range_over_a_tensor_is_staged():
    explanation = autoconv.explain(targets.range_of_argument)(tf.constant(1.0), tf.constant(4))
    loop = line_of(explanation, "for _ in range(n):")
    assert loop.statement.staged and set(loop.statement.ops) & WHILE_OPS
    assert line_of(explanation, "x = x + 1").ops["AddV2"] == 1


def test_if_on_a_tensor_is_staged_and_if_on_a_python_value_shows_the_branch():
    explanation = autoconv.explain(targets.branch)(tf.constant(1.0), False)
    staged = line_of(explanation, "if x > 0:").statement
    assert staged.kind == "if" and staged.staged and set(staged.ops) & IF_OPS
    python = line_of(explanation, "if flag:").statement
    assert not python.staged and python.python == {"branch": "else"} and python.ops == []
    assert "x = x + 10" not in [line.source.strip() for line in explanation.lines]  # never traced
    assert line_of(explanation, "x = x - 10").ops["Sub"] == 1


def test_while_on_a_tensor_is_staged():
    explanation = autoconv.explain(targets.tensor_while)(tf.constant(3.0))
    loop = line_of(explanation, "while x < 100:").statement
    assert loop.kind == "while" and loop.staged and set(loop.ops) & WHILE_OPS
    assert loop.body_ops and loop.body_ops > 0


def test_print_is_trace_time_and_tf_print_is_a_print_op():
    explanation = autoconv.explain(targets.prints)(tf.constant(1))
    python_print = line_of(explanation, 'print("tracing")')
    assert [effect.what for effect in python_print.trace_time] == ["print"] and not python_print.ops
    graph_print = line_of(explanation, "tf.print(x)")
    assert graph_print.trace_time == [] and graph_print.ops.get("PrintV2") == 1


def test_numpy_random_and_an_outer_list_append_are_trace_time():
    explanation = autoconv.explain(targets.side_effects)(tf.constant(1.0))
    assert [e.what for e in line_of(explanation, "noise = np.random.normal()").trace_time] == ["numpy-random"]
    assert [e.what for e in line_of(explanation, "OUTER.append(x)").trace_time] == ["list-mutation"]


def test_global_write_time_python_random_and_next_are_trace_time():
    explanation = autoconv.explain(targets.python_state)(tf.constant(1))
    kinds = {line.source.strip(): [effect.what for effect in line.trace_time] for line in explanation.lines}
    assert kinds["COUNTER += 1"] == ["global-write"]
    assert kinds["stamp = time.time()"] == ["time"]
    assert kinds["pick = random.random()"] == ["python-random"]
    assert kinds["first = next(iter([1, 2]))"] == ["python-iterator"]
    assert kinds.get("return x + first + int(0 * stamp * pick)", []) == []  # int() of a Python float is no effect


def test_a_helper_reached_through_converted_call_is_listed_as_converted():
    explanation = autoconv.explain(targets.calls_helper)(tf.constant(1.0))
    names = [function.name for function in explanation.converted]
    assert names[:1] == ["calls_helper"] and "double" in names
    double_line = inspect.getsourcelines(targets.double)[1]
    assert next(f for f in explanation.converted if f.name == "double").location.endswith(f":{double_line}")
    assert line_of(explanation, "return v * 2").ops["Mul"] == 1  # a same-file helper's lines get entries


def test_a_new_python_value_retraces_with_its_reason():
    explainer = autoconv.explain(targets.range_of_argument)
    explainer(tf.constant(1.0), 2)
    explainer(tf.constant(5.0), 2)
    explanation = explainer(tf.constant(1.0), 3)
    assert [call.traced for call in explanation.calls] == [True, False, True]
    assert explanation.calls[0].retrace_reason is None and explanation.calls[1].retrace_reason is None
    assert "n" in explanation.calls[2].retrace_reason and "3" in explanation.calls[2].retrace_reason
    assert line_of(explanation, "for _ in range(n):").statement.python == {"iterations": 3}  # the latest trace


def test_a_tf_function_keeps_its_input_signature():
    explainer = autoconv.explain(targets.with_signature)
    explainer(tf.constant([1.0, 2.0]))
    explanation = explainer(tf.constant([1.0, 2.0, 3.0]))
    assert [call.traced for call in explanation.calls] == [True, False]  # shape [None]: one trace
    loop = line_of(explanation, "for value in x:").statement
    assert loop.staged and set(loop.ops) & WHILE_OPS
    assert targets.with_signature.experimental_get_tracing_count() == 0  # the user's cache untouched


def test_a_method_of_a_tf_module():
    module = targets.Accumulator()
    explanation = autoconv.explain(module.add)(tf.constant(2.0))
    assert explanation.function == "Accumulator.add"
    guard = line_of(explanation, "if self.total is None:").statement
    # tf.function traces a first call that creates a variable twice: the if ran in both traces
    assert not guard.staged and guard.python == {"branch": "if", "runs": ["if", "else"]}
    created = {e.what for e in line_of(explanation, "self.total = tf.Variable(0.0)").trace_time}
    assert created == {"variable-creation", "attribute-write"}
    assert float(module.total.numpy()) == 2.0  # the call really ran, on the user's instance


def test_operators_are_restored_after_explaining_even_when_the_call_raises():
    operators = _tf_internals.autograph_operators()
    before = {name: getattr(operators, name) for name in ("if_stmt", "for_stmt", "converted_call")}
    profile = sys.getprofile()
    with pytest.raises(TypeError):  # a string plus an int fails while tracing
        autoconv.explain(targets.python_range_loop)(tf.constant("text"))
    assert {name: getattr(operators, name) for name in before} == before
    assert _tf_internals.current_converter().__module__.startswith("tensorflow")
    assert sys.getprofile() is profile


def test_to_dict_is_the_json_contract_and_repr_is_short():
    explanation = autoconv.explain(targets.python_range_loop)(tf.constant(1.0))
    data = json.loads(json.dumps(explanation.to_dict()))
    assert list(data) == ["function", "location", "calls", "call", "lines", "graph", "converted", "error", "traces"]
    first_line = inspect.getsourcelines(targets.python_range_loop)[1]
    assert data["location"] == f"{display_path(TARGETS)}:{first_line}"
    assert data["lines"][0]["line"] == first_line + 1  # the loop: a line of the file, not of the function
    assert list(data["calls"][0]) == ["args", "traced", "retrace_reason", "trace", "error"]
    assert data["error"] is None and [trace["call"] for trace in data["traces"]] == [1]
    assert list(data["lines"][0]) == ["line", "source", "statement", "ops", "trace_time"]
    assert list(data["graph"]) == ["ops", "functions"] and list(data["converted"][0]) == ["name", "location"]
    loop = next(line for line in data["lines"] if line["statement"])
    assert list(loop["statement"]) == ["kind", "staged", "ops", "python", "reason"]
    assert repr(explanation).startswith("<Explanation python_range_loop: 1 call, ")


def test_text_gutter_says_staged_unrolled_branch_and_trace_time():
    explainer = autoconv.explain(targets.myadd)
    text = format_explanation(explainer(tf.constant(1), tf.constant(2)))
    loop_row = next(row for row in text.splitlines() if "for i in tf.range(3):" in row)
    assert "⟳ tf.while_loop" in loop_row and ("While" in loop_row)
    print_row = next(row for row in text.splitlines() if 'print("tracing")' in row and "tf.print" not in row)
    assert "⚑ trace-time only: print" in print_row
    branch_text = format_explanation(autoconv.explain(targets.branch)(tf.constant(1.0), True))
    assert "▸ Python: took if" in next(row for row in branch_text.splitlines() if "if flag:" in row)
    unrolled = format_explanation(autoconv.explain(targets.python_range_loop)(tf.constant(1.0)))
    assert "▸ Python: unrolled ×3" in next(row for row in unrolled.splitlines() if "range(3)" in row)


# --- the command line ------------------------------------------------------------------------------

def test_cli_json_follows_the_contract(run_cli):
    code, out, _ = run_cli("explain", f"{TARGETS}:range_of_argument", "--args", "tf.constant(1.0), 2",
                           "--args", "tf.constant(1.0), n=3", "--json")
    data = json.loads(out)
    assert code == 0 and list(data)[:4] == ["autoconv", "function", "location", "calls"] and data["error"] is None
    assert data["autoconv"] == autoconv.__version__  # which autoconv wrote the document, as check --json says
    assert [call["args"] for call in data["calls"]] == ["tf.constant(1.0), 2", "tf.constant(1.0), n=3"]
    assert all(call["traced"] for call in data["calls"]) and data["calls"][1]["retrace_reason"]


def test_cli_text_gutter(run_cli):
    code, out, _ = run_cli("explain", f"{TARGETS}:python_range_loop", "--args", "tf.constant(1.0)")
    assert code == 0 and "▸ Python: unrolled ×3" in out and "python_range_loop" in out


def test_cli_names_in_args_resolve_in_the_target_module_with_tf_and_np(run_cli):
    code, out, _ = run_cli("explain", f"{TARGETS}:side_effects", "--args", "tf.constant(np.float32(OUTER == OUTER))",
                           "--json")
    assert code == 0 and json.loads(out)["calls"][0]["args"].startswith("tf.constant(1.0")


@pytest.mark.parametrize("expression", ["tf.constant(1.0),, 2", "undefined_name + 1", "tf.constant(1.0) k=2"])
def test_cli_bad_args_are_one_line_and_exit_2(run_cli, expression):
    code, out, err = run_cli("explain", f"{TARGETS}:python_range_loop", "--args", expression)
    assert code == 2 and out == "" and err.count("\n") == 1 and "--args" in err and "Traceback" not in err


def test_cli_a_function_without_args_or_cases_says_give_args(run_cli):
    code, _, err = run_cli("explain", f"{TARGETS}:python_range_loop")
    assert code == 2 and "give --args" in err


def test_cli_args_work_for_trace_graph_bench_and_check(run_cli):
    target = f"{TARGETS}:range_of_argument"
    code, out, _ = run_cli("trace", target, "--args", "tf.constant(1.0), 2", "--args", "tf.constant(1.0), 3",
                           "--json")
    assert code == 0 and [call["traced"] for call in json.loads(out)["calls"]] == [True, True]
    code, out, _ = run_cli("graph", target, "--args", "tf.constant(1.0), tf.constant(2)", "--json")
    assert code == 0 and set(json.loads(out)["ops"]) & WHILE_OPS
    code, out, _ = run_cli("bench", f"{TARGETS}:double", "--args", "tf.constant(2.0)", "--json")
    assert code == 0 and json.loads(out)["cases"][0]["graph_s"] > 0
    code, out, _ = run_cli("check", f"{TARGETS}:double", "--args", "tf.constant(2.0)", "--args", "3.0",
                           "--json")
    cases = [case for sample in json.loads(out)["samples"] for case in sample["cases"]]
    assert code == 0 and [(case["args"], case["verdict"]) for case in cases] == [
        ("tf.constant(2.0)", "match"), ("3.0", "match")]
    code, out, _ = run_cli("show", f"{TARGETS}:double", "--check", "--args", "tf.constant(2.0)")
    assert code == 0 and "tf.constant(2.0)" in out and "match" in out


def test_cli_show_explain_adds_the_overlay(run_cli):
    code, out, _ = run_cli("show", f"{TARGETS}:myadd", "--explain", "tf.constant(1), tf.constant(2)")
    assert code == 0 and "⚑ trace-time only: print" in out and "ag__" in out  # the usual view, then the overlay
    code, out, _ = run_cli("show", f"{TARGETS}:myadd", "--explain", "tf.constant(1), tf.constant(2)",
                           "--format", "html")
    assert code == 0 and "What happened" in out and 'class="ac-badge ac-x-trace-time"' in out
    code, out, _ = run_cli("explain", f"{TARGETS}:python_range_loop", "--args", "tf.constant(1.0)",
                           "--format", "markdown")
    row = next(line for line in out.splitlines() if "range(3)" in line)
    loop_line = inspect.getsourcelines(targets.python_range_loop)[1] + 1
    assert code == 0 and row.startswith(f"| {loop_line} |") and "unrolled ×3" in row


def test_cli_a_call_that_raises_is_kept_with_its_error_and_exit_1(run_cli):
    code, out, err = run_cli("explain", f"{TARGETS}:python_range_loop", "--args", "tf.constant('text')",
                             "--args", "tf.constant(1.0)", "--json")
    data = json.loads(out)
    assert code == 1 and [call["args"] for call in data["calls"]] == ["tf.constant('text')", "tf.constant(1.0)"]
    assert data["calls"][0]["error"]["type"] == "TypeError" and data["calls"][1]["error"] is None
    assert data["call"] == 2 and data["error"] is None  # the lines are the latest trace's, which worked
    assert err.count("\n") == 1 and "call 1 (tf.constant('text')) raised TypeError" in err


def test_html_shows_each_converted_helper_and_a_notebook_fragment(run_cli):
    code, out, _ = run_cli("explain", f"{TARGETS}:calls_helper", "--args", "tf.constant(1.0)", "--format", "html")
    assert code == 0 and "converted helper: double" in out and "tf__double" in out
    helper_line = inspect.getsourcelines(targets.double)[1] + 1
    assert f'<td class="ac-n">{helper_line}</td>' not in out  # the side-by-side view, not the table
    fragment = html_view(autoconv.explain(targets.calls_helper)(tf.constant(1.0)))
    assert f'<td class="ac-n">{helper_line}</td>' in fragment and "What happened" in fragment


# --- failing code, every call, loops and helpers (issue 19 items 1-2, issue 18 item 6) -----------------

def _row(text: str, source: str) -> str:
    return next(row for row in text.splitlines() if source in row)


def test_a_failing_trace_is_explained_up_to_the_line_that_raised():
    explainer = autoconv.explain(targets.collect)
    with pytest.raises(Exception, match="out of scope"):
        explainer(tf.constant(3))
    explanation = explainer.explanation()
    error = explanation.error
    assert error.line == line_of(explanation, "return tf.stack(items)").line and error.stage == "tracing"
    assert error.type == "InaccessibleTensorError" and error.fix == "tensor_array_in_tensor_loop"
    assert "a tensor of another graph is used here" in error.plain and "is out of scope" in error.message
    # everything that ran before the error keeps its facts
    assert line_of(explanation, "for i in range(2):").statement.python == {"iterations": 2}
    assert line_of(explanation, "for i in tf.range(n):").statement.staged
    assert line_of(explanation, "items.append(i)").trace_time[0].what == "list-mutation"
    text = format_explanation(explanation)
    assert "✗ raised InaccessibleTensorError here, while tracing" in _row(text, "return tf.stack(items)")
    assert "the trace failed at line" in text and "autoconv show tensor_array_in_tensor_loop" in text
    assert list(explanation.to_dict()["error"]) == ["line", "type", "message", "plain", "fix", "stage"]


def test_cli_explains_failing_code_in_text_json_and_html(run_cli):
    target = f"{TARGETS}:collect"
    code, out, err = run_cli("explain", target, "--args", "tf.constant(3)")
    assert code == 1 and "✗ raised InaccessibleTensorError here" in _row(out, "return tf.stack(items)")
    assert "Traceback" not in err and "raised InaccessibleTensorError at line" in err
    code, out, _ = run_cli("explain", target, "--args", "tf.constant(3)", "--json")
    error = json.loads(out)["error"]
    assert code == 1 and error["type"] == "InaccessibleTensorError" and error["fix"] == "tensor_array_in_tensor_loop"
    assert error["line"] == inspect.getsourcelines(targets.collect)[1] + 7
    assert "autoconv/" not in error["message"] and "<tf.T" not in error["message"][-6:]  # not cut mid-word
    for command in (["explain", target, "--format", "html"], ["show", target, "--format", "html", "--explain"]):
        code, out, _ = run_cli(*command, "--args", "tf.constant(3)")
        assert code in (0, 1) and out.strip() and "ac-x-error" in out and "the trace failed at line" in out


def test_a_catalogue_sample_that_fails_names_its_fix_without_autoconv_frames(run_cli):
    code, out, _ = run_cli("explain", "variable_created_inside", "--case", "1")
    assert code == 1 and "✗ raised ValueError here, while tracing" in _row(out, "v = tf.Variable(1.0)")
    assert "variable_created_outside" in out and "autoconv/explanation" not in out


def test_call_1_shows_the_tf_cond_and_call_2_the_python_if(run_cli):
    args = ["explain", f"{TARGETS}:lesson_myadd", "--args", "tf.constant(1), tf.constant(2)", "--args", "3, 4"]
    code, first, _ = run_cli(*args, "--call", "1")
    assert code == 0 and "⇅ tf.cond" in _row(first, "if a > 0:") and "the trace of call 1" in first
    code, second, _ = run_cli(*args, "--call", "2")
    assert code == 0 and "▸ Python: took if" in _row(second, "if a > 0:") and "the trace of call 2" in second
    code, out, _ = run_cli(*args, "--json")
    data = json.loads(out)
    assert [trace["call"] for trace in data["traces"]] == [1, 2] and data["call"] == 2
    assert [call["trace"] for call in data["calls"]] == [1, 2]
    code, _, err = run_cli(*args, "--call", "3")
    assert code == 2 and "--call 3: there are 2 calls" in err


def test_a_reused_call_shows_the_trace_it_ran():
    explainer = autoconv.explain(targets.double)
    explainer(tf.constant(1.0))
    explainer(tf.constant([1.0, 2.0]))
    explanation = explainer(tf.constant(5.0))
    assert [call.trace for call in explanation.calls] == [1, 2, 1]
    assert explainer.explanation(call=3).lines_from_call == 1


def test_every_python_run_of_a_helper_loop_is_reported():
    explanation = autoconv.explain(targets.helper_loop_three_times)(tf.constant(1))
    loop = line_of(explanation, "for _ in range(times):")
    assert loop.statement.python["runs"] == [1, 2, 2]
    assert "▸ Python: unrolled ×1, ×2, ×2" in _row(format_explanation(explanation), "for _ in range(times):")


def test_ops_of_a_body_passed_to_tf_while_loop_sit_on_its_own_lines():
    explanation = autoconv.explain(targets.uses_tf_while_loop)(tf.constant(1.0))
    assert line_of(explanation, "step = tf.cast(i, tf.float32)").ops == {"Cast": 1}
    assert line_of(explanation, "return i + 1, total + step * 2.0").ops.get("Mul") == 1
    assert "Cast" not in line_of(explanation, "return tf.while_loop(lambda i, total: i < 3, while_body, "
                                              "(tf.constant(0), x))[1]").ops


def test_autograph_return_guard_is_not_a_user_statement_and_every_branch_run_shows():
    explanation = autoconv.explain(targets.returns_in_python_loop)(tf.constant(1.0))
    def_line = inspect.getsourcelines(targets.returns_in_python_loop)[1]
    assert explanation.line(def_line) is None or explanation.line(def_line).statement is None  # `if not do_return`
    assert "2 run in Python" in " ".join(explanation.summary)  # the user's for and if only
    assert "▸ Python: took else, then if" in _row(format_explanation(explanation), "if i == 1:")


def test_a_numpy_array_like_a_traced_tensor_reuses_and_a_new_shape_is_the_reason():
    import numpy as np

    explainer = autoconv.explain(targets.double)
    explainer(tf.ones(3))
    assert not explainer(np.ones(3, np.float32)).calls[1].traced
    reason = explainer(np.ones(4, np.float32)).calls[2].retrace_reason
    assert "new shape (4,)" in reason and "array(" not in reason


def test_a_large_numpy_argument_is_summarised_by_shape_and_dtype():
    import numpy as np

    explanation = autoconv.explain(targets.double)(np.zeros((50, 40), np.float32))
    assert explanation.calls[0].args == "<np.ndarray shape=(50, 40) dtype=float32>"


def test_messages_are_shortened_at_a_word_or_line_boundary_with_a_marker():
    from autoconv.equivalence.messages import shortened_message

    message = "first line of the message\n" + "word " * 100 + "<tf.Tensor 'x:0' shape=() dtype=int32>"
    short = shortened_message(message, 300)
    assert short.endswith(" […]") and len(short) <= 305
    kept = short[: -len(" […]")]
    assert message.startswith(kept) and message[len(kept)] in " \n"  # cut between words, never inside one
    assert shortened_message("short", 300) == "short"


# --- "What happened" reads: meaning first, numbers after, indentation kept (issue 19 item 3) ---------

def _in_order(text: str, *pieces: str) -> list[int]:
    """Where each piece first appears in ``text``; every one must be there."""
    places = [text.find(piece) for piece in pieces]
    assert all(place >= 0 for place in places), [piece for piece, place in zip(pieces, places, strict=True) if place < 0]
    return places


MEANING_THEN_NUMBERS = ("control flow: 1 staged as graph ops, 2 run in Python while tracing",
                        "staged: line {loop} (for) as tf.while_loop",
                        "run in Python: line {branch} (if) took if; line {unrolled} (for) unrolled ×2",
                        "trace-time effects: print", "2 traces for 2 calls",
                        "call 2 (3, 4): traced again: a is now 3", "graph: ", "converted: lesson_myadd")


def _lesson_order() -> tuple[str, ...]:
    first = inspect.getsourcelines(targets.lesson_myadd)[1]
    return tuple(piece.format(loop=first + 2, branch=first + 4, unrolled=first + 8) for piece in MEANING_THEN_NUMBERS)


def test_what_happened_puts_meaning_first_and_numbers_after_in_text_and_html(run_cli):
    args = ["explain", f"{TARGETS}:lesson_myadd", "--args", "tf.constant(1), tf.constant(2)", "--args", "3, 4"]
    code, text, _ = run_cli(*args)
    places = _in_order(text, *_lesson_order())
    assert code == 0 and places == sorted(places), text
    assert _in_order(text, "│     if a > 0:", "│         c = a + b")  # indentation kept
    code, page, _ = run_cli(*args, "--format", "html")
    summary = page.split('<section class="ac-explain-summary">', 1)[1].split("</section>", 1)[0]
    places = _in_order(summary, *_lesson_order())
    assert code == 0 and places == sorted(places), summary
    assert page.index('ac-side ac-original') < page.index('class="ac-explain-summary"')  # under the code
    assert summary.count('<ul class="ac-explain-') == 3 and "<section" not in summary  # three lists, no box in it
