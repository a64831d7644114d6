"""``autoconv graph``: the graph tf.function traces for one case, as counts of op types.

Counting ops is what makes a conversion visible: a ``for`` over ``tf.range`` on a tensor becomes
one ``While`` op whose body is a function in the graph's library, while a Python ``range`` is
unrolled into the same ops repeated. This module traces one case; ``graph_view`` reads the
result into plain data, and the renderers draw it.
"""
from __future__ import annotations

from autoconv.arguments import chosen_case
from autoconv.equivalence import protocol
from autoconv.equivalence.compare import describe_call
from autoconv.errors import AutoconvError
from autoconv.fdcapture import capture_fds
from autoconv.graph_reading import read_graph_def
from autoconv.model.graph import GraphView
from autoconv.model.verdicts import Side
from autoconv.samples import Sample
from autoconv.tracing import sample_target


def graph_of_sample(declared: Sample, case_number: int = 1) -> GraphView:
    """The graph traced for case ``case_number`` (counted from 1)."""
    protocol.seed_everything(0)
    case = chosen_case(declared.name, declared.cases(), case_number)
    function = protocol.side_callable(declared.obj, Side.GRAPH)
    try:
        with capture_fds():  # what tracing prints would corrupt --json and is `autoconv trace`'s subject
            concrete = function.get_concrete_function(*case.args, **case.kwargs)
    except Exception as error:  # the user's code failing to trace is an answer, said in one line
        raise AutoconvError(f"tracing {declared.name} case {case_number} raised {type(error).__name__}: {error}") from None
    return read_graph_def(declared.name, case_number, describe_call(case.args, case.kwargs), concrete.graph.as_graph_def())


def graph(target: str, sample_paths: list[str] | None = None, case_number: int = 1) -> GraphView:
    return graph_of_sample(sample_target(target, sample_paths), case_number)
