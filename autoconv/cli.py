"""Argument parsing and exit codes, nothing else: each command calls the API and a renderer.

Exit codes mean one thing each: 0 all as expected, 1 a verdict or finding that differs, 2 bad
input (a one-line message on stderr, never a traceback). TensorFlow is imported inside the
commands that need it, so ``--help`` and ``list`` stay fast.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, NoReturn, TextIO

from autoconv import __version__
from autoconv.errors import AutoconvError

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT = 0, 1, 2


# Every number an option takes has bounds: past them a value means a mistake (or an overflow
# deep inside, as ``--timeout 1e10`` in a timer), so it is one line and exit 2 instead.
MAX_COUNT = 10_000  # --calls, --jobs, --case
MAX_SECONDS = 7 * 24 * 3600.0  # --timeout: a week


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """argparse type for a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if number < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {number}")
        if number > high:
            raise argparse.ArgumentTypeError(f"must be at most {high}, got {number}")
        return number

    return parse


# --calls and --jobs: 0 or -2 would run nothing and still say "match".
at_least_one = whole_number(1, MAX_COUNT)


def positive_seconds(text: str) -> float:
    """argparse type for --timeout: a positive, finite number of seconds up to a week."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not (math.isfinite(seconds) and seconds > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text!r}")
    if seconds > MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SECONDS:g} seconds (a week), got {text!r}")
    return seconds


class Parser(argparse.ArgumentParser):
    """A usage error is bad input like any other: one line on stderr, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"autoconv: error: {message} (see '{self.prog} --help')\n")


@contextmanager
def stdout_kept_for_json(enabled: bool = True) -> Iterator[None]:
    """While a ``--json`` command works, what user code prints goes to stderr.

    Both ``sys.stdout`` and fd 1 (``os.write``, C extensions, child processes) point at stderr
    for the block, so the JSON document written after it is all stdout ever holds.
    """
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved_stream, saved_fd = sys.stdout, os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        sys.stderr.flush()
        sys.stdout = saved_stream
        os.dup2(saved_fd, 1)
        os.close(saved_fd)


def _use_color(args: argparse.Namespace) -> bool:
    return not getattr(args, "no_color", False) and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _formatter(args: argparse.Namespace, name: str | None = None) -> Any:
    """The format the command asked for, with the reader's choices (colour, folds, -v)."""
    from autoconv.render import ViewOptions, get_formatter

    options = ViewOptions(color=_use_color(args), fold=True if getattr(args, "fold", False) else None,
                          show_all=getattr(args, "all", False), verbose=getattr(args, "verbose", False))
    return get_formatter(name or args.format, options)


def _refuse_unknown(target: str, sample_paths: list[str] | None) -> None:
    """An unknown sample or a missing file is refused before TensorFlow loads (a second, not ten)."""
    from autoconv.target_names import check_target

    check_target(target, sample_paths)


def cmd_show(args: argparse.Namespace) -> int:
    _refuse_unknown(args.target, args.samples)
    from autoconv.conversion import convert
    from autoconv.targets import resolve

    resolved = resolve(args.target, args.samples)

    conversion = convert(resolved.obj)
    report = None
    if args.check and args.args:
        from autoconv.arguments import cases_for
        from autoconv.equivalence.api import check

        report = check(resolved.obj, cases_for(resolved, args.args), timeout=args.timeout).samples[0]
    elif args.check and resolved.sample is not None and resolved.sample.inputs is not None:
        from autoconv.equivalence.runner import run_check

        declared = resolved.sample
        report = run_check([declared.filename], names=[declared.name], timeout=args.timeout).samples[0]
    explanation = _show_explanation(resolved, args) if args.explain is not None else None
    formatter = _formatter(args)
    if explanation is not None and formatter.explains_beside_code:
        sys.stdout.write(formatter.explanation(explanation, conversion, report=report))
        return EXIT_OK
    sys.stdout.write(formatter.conversion(conversion, report))
    if explanation is not None:
        sys.stdout.write("\n" + formatter.explanation(explanation))
    return EXIT_OK


def _show_explanation(resolved: Any, args: argparse.Namespace) -> Any:
    """``show --explain [EXPR]``: the calls are the --explain and --args expressions, else the cases."""
    from autoconv.arguments import cases_for
    from autoconv.explanation.api import explain_cases
    from autoconv.render import formats_for

    # show writes one document; a JSON explanation is its own (``explain --json``)
    shown_with_code = [name for name in formats_for("explanation") if name != "json"]
    if args.format not in shown_with_code:
        raise AutoconvError(f"--explain works with --format {', '.join(shown_with_code)}")
    calls = [text for text in args.explain if text] + (args.args or [])
    return explain_cases(resolved.obj, cases_for(resolved, calls), fix=_sample_fix(resolved))[1]


def _sample_fix(resolved: Any) -> str | None:
    """The sample a catalogue sample's note names as its fix, for a failing call's explanation."""
    from autoconv.explanation.failures import fix_named_in

    return fix_named_in(resolved.sample.note) if resolved.sample is not None else None


def _note_failures(explanation: Any) -> int:
    """A call that raised is kept in the explanation and said on stderr in one line; exit 1 then."""
    failed = [(number, call) for number, call in enumerate(explanation.calls, 1) if call.error is not None]
    for number, call in failed:
        where = f" at line {call.error.line}" if call.error.line else ""
        print(f"autoconv: note: call {number} ({call.args}) raised {call.error.type}{where}; "
              "the explanation says where and why", file=sys.stderr)
    return EXIT_DIFFERS if failed else EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    _refuse_unknown(args.target, args.samples)
    from autoconv.arguments import cases_for
    from autoconv.explanation.api import explain_cases
    from autoconv.targets import resolve

    with stdout_kept_for_json(args.json):  # a module that prints as it loads
        resolved = resolve(args.target, args.samples)
        explainer, explanation = explain_cases(resolved.obj, cases_for(resolved, args.args, args.case),
                                               call=args.call, fix=_sample_fix(resolved))
    code = _note_failures(explanation)
    formatter = _formatter(args, "json" if args.json else None)
    if formatter.explains_beside_code:
        from autoconv.conversion import convert

        helpers = [convert(helper) for helper in explainer.helpers]
        sys.stdout.write(formatter.explanation(explanation, convert(resolved.obj), helpers=helpers))
        return code
    sys.stdout.write(formatter.explanation(explanation))
    return code


def cmd_list(args: argparse.Namespace) -> int:
    from autoconv.catalogue import read_all

    with stdout_kept_for_json(args.json):
        declarations = [d for d in read_all(args.samples) if args.tag is None or args.tag in d.tags]
    if args.json:
        json.dump([d.to_dict() for d in declarations], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    rows = [("name", "tags", "expected", "title")]
    rows += [(d.name, ",".join(d.tags), ",".join(sorted(set(d.expected))), d.title) for d in declarations]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
    print(f"\n{len(declarations)} samples")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from autoconv.target_names import check_sample_names

    if args.args and len(args.names) == 1:
        _refuse_unknown(args.names[0], args.samples)
    elif not args.args:
        check_sample_names(args.names, args.samples)
    from autoconv.equivalence.runner import run_check

    with stdout_kept_for_json(args.json):
        if args.args:
            report = _check_with_args(args)
        else:
            report = run_check(
                args.samples, names=args.names, timeout=args.timeout, calls=args.calls, jobs=args.jobs,
                progress=sys.stderr.isatty() and not args.json, isolation=args.isolation,
            )
    sys.stdout.write(_formatter(args, "json" if args.json else "text").check_report(report))
    return EXIT_OK if report.ok else EXIT_DIFFERS


def _check_with_args(args: argparse.Namespace) -> Any:
    """``check TARGET --args ...``: the function checked as a one-off sample with these calls."""
    from autoconv.arguments import cases_for
    from autoconv.equivalence.api import check
    from autoconv.targets import resolve

    if len(args.names) != 1:
        raise AutoconvError("--args needs exactly one target (a function or sample) to call")
    resolved = resolve(args.names[0], args.samples)
    # Parsed here too, so a bad expression is exit 2 before anything runs; the workers build their own.
    return check(resolved.obj, cases_for(resolved, args.args), calls=args.calls or 2, timeout=args.timeout,
                 call_texts=args.args)


def _code_list(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def cmd_lint(args: argparse.Namespace) -> int:
    return run_lint(args.paths, args.format, select=args.select, ignore=args.ignore, min_severity=args.min_severity)


def run_lint(paths: list[str], format_name: str = "text", out: TextIO | None = None, err: TextIO | None = None,
             select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
             min_severity: str | None = None) -> int:
    """``autoconv lint``: 0 clean, 1 findings, 2 usage error, whatever the pipe does.

    Errors are one line on ``err``; a traceback would bury the path. A reader that closes the
    pipe early (``| head -1``) does not change the exit code: findings still mean 1. The streams
    default to sys.stdout/sys.stderr as they are at call time.
    """
    from autoconv.linter import ConfigError, lint_paths
    from autoconv.render import formats_for, get_formatter

    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    missing = [p for p in paths if not os.path.exists(p)]
    for path in missing:
        print(f"autoconv: error: no such file or directory: {path}", file=err)
    if missing:
        return EXIT_BAD_INPUT
    try:
        formatter = get_formatter(format_name)
        if not formatter.shows("findings"):
            raise AutoconvError(format_name)
    except AutoconvError:
        print(f"autoconv: error: unknown format: {format_name} (choose {' or '.join(formats_for('findings'))})",
              file=err)
        return EXIT_BAD_INPUT
    try:
        findings = lint_paths(paths, select=select, ignore=ignore, min_severity=min_severity)
    except (OSError, ConfigError) as exc:
        detail = f"{exc.strerror or exc}: {exc.filename}" if isinstance(exc, OSError) else str(exc)
        print(f"autoconv: error: {detail}", file=err)
        return EXIT_BAD_INPUT
    code = EXIT_DIFFERS if findings else EXIT_OK
    try:
        if format_name != "text" or findings:
            _writer(out)(formatter.findings(findings))
        out.flush()
    except BrokenPipeError:
        _silence_closed_stdout(out)
        return code
    if format_name == "text" and findings:
        from autoconv.render.text import findings_summary

        _writer(err)(findings_summary(findings))
    return code


def _writer(stream: TextIO) -> Callable[[str], None]:
    """Print to ``stream`` whatever its encoding: characters it cannot hold
    are written as backslash escapes instead of raising UnicodeEncodeError."""
    encoding = getattr(stream, "encoding", None)

    def write(text: str) -> None:
        if encoding:
            text = text.encode(encoding, "backslashreplace").decode(encoding)
        print(text, file=stream)

    return write


def _silence_closed_stdout(out: TextIO) -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush
    does not raise again (the recipe of the Python signal docs)."""
    try:
        fileno = out.fileno()
    except (OSError, ValueError, io.UnsupportedOperation):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def _write_result(result: Any, formatter: Any, kind: str) -> int:
    """A result in the chosen format: one method of the formatter per kind of data."""
    sys.stdout.write(getattr(formatter, kind)(result))
    return EXIT_OK


def cmd_trace(args: argparse.Namespace) -> int:
    _refuse_unknown(args.target, args.samples)
    from autoconv.arguments import target_sample
    from autoconv.tracing import trace_sample

    with stdout_kept_for_json(args.json):
        report = trace_sample(target_sample(args.target, args.samples, args.args))
    return _write_result(report, _formatter(args, "json" if args.json else "text"), "trace")


def cmd_graph(args: argparse.Namespace) -> int:
    _refuse_unknown(args.target, args.samples)
    from autoconv.arguments import target_sample
    from autoconv.case_graph import graph_of_sample
    from autoconv.render.dot import GraphvizMissing

    with stdout_kept_for_json(args.json):
        view = graph_of_sample(target_sample(args.target, args.samples, args.args), args.case)
    try:
        return _write_result(view, _formatter(args, "json" if args.json else args.format), "graph")
    except GraphvizMissing:
        print("autoconv: note: Graphviz 'dot' not found; showing the text view", file=sys.stderr)
    return _write_result(view, _formatter(args, "text"), "graph")


def cmd_bench(args: argparse.Namespace) -> int:
    _refuse_unknown(args.target, args.samples)
    from autoconv.arguments import target_sample
    from autoconv.bench import bench_sample

    with stdout_kept_for_json(args.json):
        timings = bench_sample(target_sample(args.target, args.samples, args.args))
    return _write_result(timings, _formatter(args, "json" if args.json else "text"), "bench")


def cmd_docs(args: argparse.Namespace) -> int:
    from pathlib import Path

    from autoconv.gallery.build import build_gallery
    from autoconv.gallery.compute import CheckOptions
    from autoconv.render.gallery import summary

    options = CheckOptions(timeout=args.timeout, jobs=args.jobs, progress=sys.stderr.isatty(),
                           isolation=args.isolation)
    result = build_gallery(Path(args.out), args.samples, fmt=args.format, execute=not args.no_exec,
                           options=options, force=args.force)
    sys.stdout.write(summary(result))
    return EXIT_OK if result.gallery.ok else EXIT_DIFFERS


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from autoconv.serve.server import serve
    except ImportError as error:  # aiohttp is the serve extra's
        raise AutoconvError(f"autoconv serve needs {error.name}: pip install 'autoconv[serve]'") from None

    stopped_by = serve(args.target, args.port, open_browser=not args.no_browser, timeout=args.timeout)
    print(f"autoconv: stopped by {signal.Signals(stopped_by).name}", file=sys.stderr)
    return 128 + stopped_by


def _add_args_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--args", action="append", metavar="EXPR",
        help='one call\'s arguments as Python, e.g. "tf.constant(3), k=2" (repeatable, in order); '
             "names resolve in the target's module, with tf and np available",
    )


def _add_isolation_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--isolation", choices=["restore", "fresh"], default="restore",
        help="restore: a worker serves many cases and puts the process back after each side (default); "
             "fresh: each case in a new process forked from a worker that only imported TensorFlow",
    )


def _add_samples_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--samples", action="append", metavar="PATH",
        help="a samples file or folder (repeatable); default: the built-in catalogue",
    )


class FormatChoices(Sequence[str]):
    """The ``--format`` choices for one kind of data: the formats that can show it, asked of the
    renderer registry only when argparse needs them (to check a value, or to print that command's
    help). Building the parser therefore imports no renderer, so ``autoconv --help`` and
    ``autoconv list`` stay as quick as they were before formats came from the registry."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def _names(self) -> list[str]:
        from autoconv.render import formats_for

        return formats_for(self.kind)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __contains__(self, value: object) -> bool:
        return value in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


# argparse expands %(choices)s only when it prints a command's help, and a metavar spares it from
# listing the choices while the parser is built.
FORMAT_HELP = "%(choices)s (default %(default)s)"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="autoconv",
        description="See, explain and check what TensorFlow AutoGraph makes of your Python code.",
    )
    parser.add_argument("--version", action="version", version=f"autoconv {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="original and AutoGraph-converted code, linked and explained")
    show.add_argument("target", help="a sample name, path/to/file.py:function or package.module:function")
    _add_samples_option(show)
    show.add_argument("--format", choices=FormatChoices("conversion"), default="text", metavar="FORMAT",
                      help=FORMAT_HELP)
    show.add_argument("--no-color", action="store_true", help="never colour the text output")
    show.add_argument("--check", action="store_true", help="for a sample with inputs, add its verdicts")
    show.add_argument("--fold", action="store_true",
                      help="fold AutoGraph's machinery to one marked line each (HTML folds by default)")
    show.add_argument("--all", action="store_true", help="fold nothing, not even the @sample declaration")
    show.add_argument("--timeout", type=positive_seconds, default=60, help=argparse.SUPPRESS)
    show.add_argument("--explain", action="append", nargs="?", const="", metavar="EXPR",
                      help="add what tracing did for these arguments (or --args, or the sample's cases)")
    _add_args_option(show)
    show.set_defaults(run=cmd_show)

    check = commands.add_parser("check", help="run eagerly and as a graph, call by call, and compare")
    check.add_argument("names", nargs="*", metavar="NAME", help="only these samples")
    _add_samples_option(check)
    check.add_argument("--json", action="store_true", help="one JSON document on stdout")
    check.add_argument("--timeout", type=positive_seconds, default=60, help="seconds per case (default 60)")
    check.add_argument("--calls", type=at_least_one, default=None, help="calls per side (default: each sample's own)")
    check.add_argument("--jobs", type=at_least_one, default=None, help="worker processes (default: CPU count)")
    _add_isolation_option(check)
    check.add_argument("--no-color", action="store_true")
    check.add_argument("-v", "--verbose", action="store_true", help="every call of every unexpected case")
    _add_args_option(check)
    check.set_defaults(run=cmd_check)

    listing = commands.add_parser("list", help="the samples, read without running them")
    _add_samples_option(listing)
    listing.add_argument("--tag", help="only samples with this tag")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_list, runs_user_code=False)  # reads files, runs none

    lint = commands.add_parser("lint", help="find tf.function pitfalls by reading code")
    lint.add_argument("paths", nargs="+", metavar="PATH")
    lint.add_argument("--format", choices=FormatChoices("findings"), default="text", metavar="FORMAT",
                      help=FORMAT_HELP)
    lint.add_argument("--select", type=_code_list, metavar="CODES",
                      help="report only these codes or prefixes, comma-separated (AC1,AC301)")
    lint.add_argument("--ignore", type=_code_list, metavar="CODES", help="never report these codes or prefixes")
    lint.add_argument("--min-severity", choices=("info", "warning", "error"),
                      help="report only findings at this level or above (default: the config's, or info)")
    lint.set_defaults(run=cmd_lint, runs_user_code=False)

    def target_command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("target", help="a sample name, path/to/file.py:function or package.module:function")
        _add_samples_option(command)
        command.add_argument("--json", action="store_true", help="one JSON document on stdout")
        _add_args_option(command)
        command.set_defaults(run=run)
        return command

    target_command("trace", "call a sample's tf.function on each case: what traced, and why", cmd_trace)
    graph = target_command("graph", "the ops of the graph traced for one case", cmd_graph)
    graph.add_argument("--case", type=at_least_one, default=1, help="which case to trace, from 1 (default 1)")
    graph.add_argument("--format", choices=FormatChoices("graph"), default="text", metavar="FORMAT",
                       help=FORMAT_HELP + "; svg needs Graphviz's dot, and without it shows the text view")
    target_command("bench", "median seconds per call, eagerly and as a graph", cmd_bench)
    explain = target_command("explain", "what AutoGraph and tracing did, line by line, for given inputs",
                             cmd_explain)
    explain.add_argument("--case", type=at_least_one, default=None,
                         help="only this case of a sample, from 1 (default: all)")
    explain.add_argument("--call", type=at_least_one, default=None,
                         help="show the lines of this call's trace, from 1 (default: the latest trace)")
    explain.add_argument("--format", choices=FormatChoices("explanation"), default="text", metavar="FORMAT",
                         help=FORMAT_HELP)

    docs = commands.add_parser("docs", help="a gallery of the samples: conversions, verdicts, times")
    docs.add_argument("out", metavar="OUT", help="the folder to build into (rebuilt incrementally)")
    _add_samples_option(docs)
    docs.add_argument("--format", choices=["html", "markdown"], default="html")
    docs.add_argument("--no-exec", action="store_true", help="show conversions only; run no case")
    docs.add_argument("--jobs", type=at_least_one, default=None, help="worker processes (default: CPU count)")
    docs.add_argument("--timeout", type=positive_seconds, default=60, help="seconds per case (default 60)")
    _add_isolation_option(docs)
    docs.add_argument("--force", action="store_true",
                      help="overwrite files in OUT that autoconv did not write where its pages go")
    docs.set_defaults(run=cmd_docs)

    serve = commands.add_parser("serve", help="a live explorer in the browser: edit code, see what AutoGraph does")
    serve.add_argument("target", nargs="?", metavar="FILE_OR_TARGET",
                       help="a file, file.py:function or a sample name to open on (default: the lesson's myadd)")
    serve.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0: any free port)")
    serve.add_argument("--no-browser", action="store_true", help="print the URL, open no browser")
    serve.add_argument("--timeout", type=positive_seconds, default=60, help="seconds per request (default 60)")
    serve.set_defaults(run=cmd_serve)

    return parser


def _raise_terminated(signum: int, frame: object) -> None:
    from autoconv.processes import Interrupted, Terminated

    if signum == signal.SIGINT:
        raise Interrupted
    raise Terminated(signum)


def _stdout_closed_to_user_code() -> None:
    """After a JSON document, what user code still prints (an ``atexit`` handler) goes to stderr:
    the document is all stdout holds."""
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0, 1, 2 as above; 128 + N when signal N ended the run (130 for Ctrl-C).

    Whatever ends the run, the worker processes, what user code started in them, and the run's
    scratch folder go with it.
    """
    from autoconv import processes

    args = build_parser().parse_args(argv)
    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            signal.signal(signum, _raise_terminated)
    processes.use_scratch_folder()
    try:
        contained = (processes.user_code_contained(_raise_terminated) if getattr(args, "runs_user_code", True)
                     else nullcontext())
        with contained:
            code = args.run(args)
        if argv is None and getattr(args, "json", False):  # the command line's own process, not a caller's
            _stdout_closed_to_user_code()
        return code
    except AutoconvError as error:
        from autoconv.render.text import terminal_safe

        message = " ".join(str(error).split())  # one line, whatever the user's exception said
        print(f"autoconv: error: {terminal_safe(message)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("autoconv: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except processes.Terminated as ended:
        print(f"autoconv: stopped by {signal.Signals(ended.signum).name}", file=sys.stderr)
        return 128 + ended.signum
    except BrokenPipeError:
        return EXIT_OK
    finally:
        processes.end_all()
