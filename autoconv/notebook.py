"""The IPython extension: ``%load_ext autoconv``, then ``%%autoconv`` on a cell or ``%autoconv NAME``.

``%%autoconv`` runs the cell as IPython would, then shows every function the cell defines at
its top level: the side-by-side view, and with ``--check`` the verdicts. IPython keeps each
cell's source (in ``linecache``), so AutoGraph reads a cell's function as it reads a file's.
ARGS are one call's arguments written as in Python, evaluated in the notebook's namespace:
``--check "tf.constant(3)" --check "3"`` checks two calls; ``--explain "tf.constant(5)"``.
Importing autoconv inside a running kernel registers ``html_view`` with IPython's HTML formatter
for every kind of autoconv data, so evaluating a ``Conversion`` or a ``CheckReport`` shows the
rich view without ``%load_ext``; the data classes themselves know nothing of notebooks. Only this
module imports IPython, and only a kernel (or ``%load_ext``) imports this module.
"""
from __future__ import annotations

import argparse
import ast
import os
import select
import shlex
import sys
import threading
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from IPython.display import display

from autoconv.errors import AutoconvError
from autoconv.model.check import CheckReport, SampleReport
from autoconv.model.conversion import Conversion
from autoconv.model.explanation import Explanation
from autoconv.model.graph import GraphView
from autoconv.model.trace import TraceReport
from autoconv.render import ViewOptions
from autoconv.render.html import HtmlFormatter, embedded
from autoconv.samples import Case
from autoconv.tf_log_lines import is_log_line

# One formatter for the whole kernel: it numbers repeated views of one function, so a notebook
# that shows ``f`` twice still has unique ids.
_FORMATTER = HtmlFormatter(ViewOptions(standalone=False))
# Which formatter method draws each kind of data: a notebook output is a self-contained fragment.
_VIEWS: dict[type, str] = {Conversion: "conversion", CheckReport: "check_report", SampleReport: "sample_report",
                           Explanation: "explanation", TraceReport: "trace", GraphView: "graph"}


def cells_named(html: str) -> str:
    """A kernel's cell files (``<temp>/ipykernel_<pid>/<hash>.py``) named as the notebook names
    them, ``In [n]``: IPython's compiler keeps which file holds which execution count."""
    from IPython import get_ipython

    shell = get_ipython()
    cells = getattr(getattr(shell, "compile", None), "_filename_map", {}) or {}
    for filename, count in cells.items():  # the whole path, or its name once a view made it private
        html = html.replace(filename, f"In [{count}]").replace(os.path.basename(filename), f"In [{count}]")
    return html


def html_view(data: Any) -> str:
    """The HTML view of any autoconv data, with its CSS and JS inline (a notebook output has no page)."""
    return cells_named(embedded(getattr(_FORMATTER, _VIEWS[type(data)])(data)))


def register_display(ipython: Any) -> None:
    """Tell IPython's HTML formatter how to show each kind of autoconv data, and, in a kernel,
    keep TensorFlow's C++ log lines out of the cells' outputs."""
    formatter = ipython.display_formatter.formatters["text/html"]
    for data_type in _VIEWS:
        formatter.for_type(data_type, html_view)
    if "ipykernel" in sys.modules:
        keep_tensorflow_logs_out()


_log_filter: threading.Thread | None = None
PARTIAL_LINE_WAIT = 0.05  # seconds an unfinished line waits for its end before it is passed on


def _filter_logs(source: int, destination: int) -> None:
    """Copy ``source`` to ``destination`` line by line, leaving out TensorFlow's log lines."""
    pending, in_log = b"", False
    while True:
        ready, _, _ = select.select([source], [], [], PARTIAL_LINE_WAIT if pending else None)
        if not ready:  # an unfinished line that stays unfinished is the program's own (a prompt, a bar)
            os.write(destination, pending)
            pending = b""
            continue
        chunk = os.read(source, 65536)
        if not chunk:
            if pending:
                os.write(destination, pending)
            return
        *lines, pending = (pending + chunk).split(b"\n")
        kept = []
        for line in lines:
            in_log = is_log_line(line.decode("utf-8", errors="replace"), in_log)
            if not in_log:
                kept.append(line + b"\n")
        if kept:
            os.write(destination, b"".join(kept))


def keep_tensorflow_logs_out() -> None:
    """Put a filter on this kernel's fd 2 that passes everything on except TensorFlow's C++ and absl
    log lines (``port.cc:153] oneDNN custom operations...``, ``failed call to cuInit``).

    TensorFlow writes them to fd 2 directly, and ipykernel shows what reaches fd 2 as a cell's
    stderr, so a notebook would publish them. Only lines that match TensorFlow's log format are
    dropped: the user's own writes to stderr, Python's or C's, still show. It acts from the moment
    autoconv is imported, so import autoconv before TensorFlow to keep its start-up lines out too.
    """
    global _log_filter
    if _log_filter is not None and _log_filter.is_alive():
        return
    destination = os.dup(2)
    source, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    _log_filter = threading.Thread(target=_filter_logs, args=(source, destination), daemon=True,
                                   name="autoconv-tensorflow-logs")
    _log_filter.start()


def defined_functions(source: str) -> list[str]:
    """Names of the functions a cell defines at its top level, in order (decorated ones too)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # running the cell reports it, in IPython's own words
    names = [node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return list(dict.fromkeys(names))


def call_arguments(text: str, namespace: dict[str, Any]) -> Case:
    """``"tf.constant(2), k=3"`` -> ``Case((<tf.Tensor 2>,), {"k": 3})``, with the notebook's names."""
    try:
        args, kwargs = eval(f"(lambda *a, **k: (a, k))({text})", namespace)  # noqa: S307 - the user's own cell
    except Exception as error:  # a typo in ARGS is bad input: one line, not a traceback
        raise UsageError(f"autoconv: cannot evaluate arguments {text!r}: {type(error).__name__}: {error}") from None
    return Case(tuple(args), dict(kwargs))


def parse_line(magic: Any, line: str) -> argparse.Namespace:
    """The magic's options, quotes removed as a shell would: ``--check "f(1), 2"`` is one ARGS.

    (IPython's own ``parse_argstring`` keeps the quotes, which would make every ARGS a string.)"""
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise UsageError(f"autoconv: {error} in {line!r}") from None
    return magic.parser.parse_args(words)


@magics_class
class AutoconvMagics(Magics):
    @magic_arguments()
    @argument("name", nargs="?", help="a function defined in an earlier cell (line magic)")
    @argument("--check", action="append", nargs="?", const=None, metavar="ARGS",
              help="check eager against graph on this call's arguments; repeat for more calls; "
                   "without ARGS, on the cases its @sample declares, with their expected verdicts")
    @argument("--explain", metavar="ARGS", help="explain what happens for one call with these arguments")
    @argument("--only", metavar="NAME", help="of the functions the cell defines, show only this one")
    @line_cell_magic
    def autoconv(self, line: str, cell: str | None = None) -> None:
        """Show what AutoGraph makes of a cell's functions (``%%autoconv``) or of one function
        (``%autoconv NAME``)."""
        options = parse_line(self.autoconv, line)
        if cell is None:
            if not options.name:
                raise UsageError("autoconv: name a function (%autoconv NAME) or use %%autoconv on a cell")
            names = [options.name]
        else:
            names = defined_functions(self.shell.transform_cell(cell))
            if not self._run_as_this_cell(cell):
                return
            if options.only:
                if options.only not in names:
                    raise UsageError(f"autoconv: this cell defines no function {options.only!r}")
                names = [options.only]
            elif not names:
                raise UsageError("autoconv: this cell defines no function to show")
        for name in names:
            self.show(name, options.check or [], options.explain)

    def _run_as_this_cell(self, cell: str) -> bool:
        """Run the magic's body, its code named by the cell the notebook shows (``In [n]``).

        IPython 9 counts the execution before a cell runs, so a cell run from inside it is filed
        under the next count (``In [3]`` for the body of ``In [2]``); IPython 8 files it under the
        same one. The body's file is filed back under the running cell's own count."""
        files = getattr(self.shell.compile, "_filename_map", None)
        running = max(files.values(), default=None) if isinstance(files, dict) else None
        succeeded = self.shell.run_cell(cell).success
        if running is not None:
            for filename, count in list(files.items()):
                if count > running:
                    files[filename] = running
        return succeeded

    def show(self, name: str, check: list[str | None], explain: str | None) -> None:
        """One function's view; with ``--explain``, the view carries that call's facts per line."""
        import autoconv

        if name not in self.shell.user_ns:
            raise UsageError(f"autoconv: no {name!r} in this notebook")
        function = self.shell.user_ns[name]
        namespace = self.shell.user_ns
        try:
            conversion = autoconv.convert(function)
            report, note = None, ""
            if check:
                calls = [text for text in check if text is not None]
                cases = [call_arguments(text, namespace) for text in calls] if calls else None
                checked = autoconv.check(function, inputs=cases)
                report, note = checked.samples[0], _FORMATTER.check_note(checked)  # and how it ran
            if explain is None:
                view = embedded(note, _FORMATTER.conversion(conversion, report))
            else:
                from autoconv.explanation.api import explain_cases

                # a call that fails is explained too, up to the line that raised
                explanation = explain_cases(function, [call_arguments(explain, namespace)])[1]
                view = embedded(note, _FORMATTER.explanation(explanation, conversion, report=report))
        except AutoconvError as error:
            raise UsageError(f"autoconv: {error}") from None
        display({"text/html": cells_named(view), "text/plain": repr(conversion)}, raw=True)


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(AutoconvMagics)
    register_display(ipython)
