"""A call that failed, as a user should read it: which line, what it means, and which sample fixes it.

The knowledge is data (``KNOWN``: a pattern of AutoGraph's or TensorFlow's message, the same in
plain words, and the catalogue sample that shows the fix); ``trace_error`` is the one place that
reads it. The failing line is the innermost frame in the user's own functions: AutoGraph names it
in its "in user code:" frames, and the traceback through generated code says it otherwise.
"""
from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from autoconv.equivalence.messages import clean_message, first_paragraph, shortened_message
from autoconv.model.explanation import TraceError

MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class KnownError:
    pattern: str
    plain: str
    fix: str | None


KNOWN = (
    KnownError(r"singleton tf\.Variables created on the first call",
               "a tf.Variable is created inside the function: tf.function allows creating variables only on "
               "its first trace; create it once outside and only assign to it inside", "variable_created_outside"),
    KnownError(r"is out of scope and cannot be used here",
               "a tensor of another graph is used here: one made in a loop body or branch (a Python list "
               "appended in a tensor loop keeps the body's tensors), or one an earlier trace left in Python "
               "state; accumulate in a tf.TensorArray, or return the value",
               "tensor_array_in_tensor_loop"),
    KnownError(r"must also be initialized in the \w+ branch|is None at the end of the \w+ branch",
               "a variable is assigned in only one branch of a tensor if: a graph needs it on both paths",
               "defined_in_both_branches"),
    KnownError(r"branch must also have a return statement",
               "only one branch of a tensor if returns: a graph needs a return on both paths", "else_returns_too"),
    KnownError(r"must be defined before the loop",
               "a loop variable first gets its value inside a tensor loop: start it before the loop",
               "accumulator_started_before_loop"),
    KnownError(r"has dtype \w+ in the main branch, but dtype \w+ in the else branch",
               "the branches of a tensor if give a variable different dtypes", "same_dtype_in_both_branches"),
    KnownError(r"has dtype \w+ before the loop, but dtype \w+ after one iteration",
               "a tensor loop changes a variable's dtype", "loop_variable_keeps_dtype"),
    KnownError(r"has shape \S+ before the loop, but shape \S+ after one iteration",
               "a tensor loop changes a variable's shape: declare a shape invariant",
               "shape_invariant_for_growing_tensor"),
    KnownError(r"Iterating over a symbolic `tf\.Tensor` is not allowed",
               "Python iterates a tensor (a comprehension or an unconverted loop)",
               "map_fn_instead_of_comprehension"),
    KnownError(r"using a `tf\.Tensor` as a Python `bool` is not allowed",
               "a tensor is used as a Python bool where AutoGraph did not convert the code", None),
    KnownError(r"return statement cannot be placed inside this TensorFlow loop",
               "a return inside a tensor loop: break, and return after the loop", "return_after_tensor_loop"),
    KnownError(r"depend on a TF condition are not supported in Python for loops",
               "a break that depends on a tensor inside a Python loop", "tensor_break_in_tensor_loop"),
    KnownError(r"object has no attribute 'numpy'",
               "a tensor has no value while tracing, so .numpy() does not exist inside a tf.function",
               "tensor_kept_symbolic"),
)


def known(message: str) -> KnownError | None:
    return next((entry for entry in KNOWN if re.search(entry.pattern, message)), None)


_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)')


def _error_paragraph(error: BaseException) -> str:
    """What the error says, without AutoGraph's "in user code:" frames: the exception AutoGraph
    wrapped when there is one, else the paragraph that starts with the error's type."""
    original = error.__context__ if hasattr(error, "ag_error_metadata") and error.__context__ else error
    text = clean_message(str(original))
    if text.startswith("in user code:"):
        name = f"{type(original).__name__}:"
        lines = text.splitlines()
        start = next((i for i, line in enumerate(lines) if line.strip().startswith(name)), None)
        if start is not None:
            text = "\n".join([lines[start].strip()[len(name):], *lines[start + 1:]])
    return first_paragraph(text) or type(original).__name__


def failing_line(error: BaseException, in_user_code: Callable[[str, int], bool],
                 mapped: Callable[[str, int], tuple[str, int] | None]) -> int | None:
    """The innermost line of the user's own functions where ``error`` was raised.

    AutoGraph's message lists the user's frames; otherwise the traceback's frames in generated
    code are mapped through the source map (``mapped``)."""
    original = error.__context__ if hasattr(error, "ag_error_metadata") and error.__context__ else error
    lines = str(error).splitlines()
    statement = next((i for i, line in enumerate(lines) if line.strip().startswith(f"{type(original).__name__}:")),
                     len(lines))  # frames after the error's own words are where a tensor was made, not raised
    named = [(match["path"], int(match["line"])) for match in map(_FRAME.match, lines[:statement]) if match]
    inside = [line for path, line in named if in_user_code(path, line)]
    if inside:
        return inside[-1]
    seen = error
    while seen is not None:
        found = None
        for frame in traceback.extract_tb(seen.__traceback__):
            site = mapped(frame.filename, frame.lineno or 0) or (frame.filename, frame.lineno or 0)
            if in_user_code(*site):
                found = site[1]
        if found is not None:
            return found
        seen = seen.__context__
    return None


def trace_error(error: BaseException, line: int | None, stage: str,
                fix_of_sample: str | None = None) -> TraceError:
    """The data of a failed call: plain words and a fix from ``KNOWN``, or the sample's own fix."""
    paragraph = _error_paragraph(error)
    entry = known(paragraph) or known(str(error))
    original = error.__context__ if hasattr(error, "ag_error_metadata") and error.__context__ else error
    return TraceError(line=line, type=type(original).__name__, message=shortened_message(paragraph, MESSAGE_LIMIT),
                      plain=entry.plain if entry else None, fix=fix_of_sample or (entry.fix if entry else None),
                      stage=stage)


_AS_IN = re.compile(r"Fix:.*?\bas in (?P<name>[A-Za-z_][A-Za-z0-9_]*)", re.S)


def fix_named_in(note: str) -> str | None:
    """The sample a catalogue note names as its fix ("Fix: ... as in other_sample")."""
    match = _AS_IN.search(note or "")
    return match["name"] if match else None
