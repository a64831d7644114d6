"""`autoconv graph`: a tensor loop is one While op with a body; a Python range is unrolled."""
import json
import shutil
import textwrap

import pytest

from autoconv.case_graph import graph
from autoconv.cli import main
from autoconv.render.dot import graph_dot, graph_svg

SAMPLES_FILE = "loops.py"  # conftest's samples_file writes SAMPLES there
SAMPLES = textwrap.dedent('''
    import tensorflow as tf
    from autoconv import sample

    @sample(inputs=[(tf.constant(5),)])
    def tensor_loop(n):
        total = tf.constant(0)
        for i in tf.range(n):
            if i % 2 == 0:
                total += i
        return total

    @sample(inputs=[(tf.constant(1),), (tf.constant(2.0),)])
    def python_loop(x):
        total = x
        for i in range(4):
            total += i
        return total
''')

WHILE_OPS = {"While", "StatelessWhile"}
IF_OPS = {"If", "StatelessIf"}


def test_a_loop_over_tf_range_on_a_tensor_becomes_a_while_op(samples_file):
    view = graph("tensor_loop", [str(samples_file)])
    assert WHILE_OPS & set(view.ops)
    loop_node = next(node for node in view.nodes if node.op in WHILE_OPS)
    body = view.functions[loop_node.functions["body"]]
    assert "cond" in loop_node.functions and loop_node.functions["cond"] in view.functions
    assert IF_OPS & set(body.ops)  # the `if` inside the loop is an If op in the body...
    branch_names = set(next(n for n in body.calls if n.op in IF_OPS).functions.values())
    assert branch_names <= set(view.functions)  # ...whose branches are listed too
    assert any("AddV2" in view.functions[name].ops for name in branch_names)


def test_a_python_range_is_unrolled_into_repeated_ops(samples_file):
    view = graph("python_loop", [str(samples_file)])
    assert not (WHILE_OPS | IF_OPS) & set(view.ops)
    assert view.functions == {}
    assert view.ops["AddV2"] == 4  # one addition per iteration of range(4)


def test_json_shape_and_case_option(samples_file, capsys):
    assert main(["graph", "python_loop", "--samples", str(samples_file), "--json", "--case", "2"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"autoconv", "name", "case", "ops", "functions"}
    assert document["name"] == "python_loop" and document["case"] == 2  # counted from 1, as calls are
    assert document["ops"]["Placeholder"] == 1 and document["functions"] == {}

    assert main(["graph", "tensor_loop", "--samples", str(samples_file), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["case"] == 1
    assert any(counts.get("Less") for counts in document["functions"].values())  # the loop condition


def test_case_out_of_range_exits_2(samples_file, capsys):
    assert main(["graph", "tensor_loop", "--samples", str(samples_file), "--case", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no case 2" in err and "counted from 1" in err
    with pytest.raises(SystemExit) as exited:  # argparse refuses 0 before anything loads
        main(["graph", "tensor_loop", "--samples", str(samples_file), "--case", "0"])
    assert exited.value.code == 2 and "must be at least 1" in capsys.readouterr().err


def test_text_view_nests_bodies_under_their_node(samples_file, capsys):
    assert main(["graph", "tensor_loop", "--samples", str(samples_file)]) == 0
    out = capsys.readouterr().out
    assert "top-level graph," in out
    assert "  while (StatelessWhile)" in out or "  while (While)" in out
    assert "    body: while_body_" in out and "    cond: while_cond_" in out


def test_dot_has_nodes_by_op_and_input_edges(samples_file, capsys):
    assert main(["graph", "tensor_loop", "--samples", str(samples_file), "--format", "dot"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('digraph "tensor_loop" {')
    assert '"n" [label="Placeholder"' in out
    assert '"range/start" -> "range";' in out
    assert "\\nbody: while_body_" in out and "\\ncond: while_cond_" in out


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_svg_with_graphviz(samples_file, capsys):
    assert main(["graph", "tensor_loop", "--samples", str(samples_file), "--format", "svg"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("<?xml") or "<svg" in captured.out
    assert "</svg>" in captured.out and captured.err == ""


def test_without_graphviz_svg_degrades_to_text_with_one_note(samples_file, capsys, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "dot" else real_which(name, *a, **k))
    assert graph_svg("digraph g { a -> b }") is None
    assert main(["graph", "tensor_loop", "--samples", str(samples_file), "--format", "svg"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "autoconv: note: Graphviz 'dot' not found; showing the text view\n"
    assert "top-level graph," in captured.out and "<svg" not in captured.out


def test_graph_svg_is_usable_by_the_gallery(samples_file):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    svg = graph_svg(graph_dot(graph("python_loop", [str(samples_file)])))
    assert svg is not None and "<svg" in svg and "AddV2" in svg
