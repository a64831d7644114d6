"""Argument parsing and exit codes, nothing else: each command calls the API and a renderer.

Exit codes mean one thing each: 0 all as expected, 1 a verdict or finding that differs, 2 bad
input (a one-line message on stderr, never a traceback). TensorFlow is imported inside the
commands that need it, so ``--help`` and ``list`` stay fast.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from autoconv import __version__
from autoconv.errors import AutoconvError

EXIT_OK, EXIT_DIFFERS, EXIT_BAD_INPUT = 0, 1, 2


def _use_color(args: argparse.Namespace) -> bool:
    return not getattr(args, "no_color", False) and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def cmd_show(args: argparse.Namespace) -> int:
    from autoconv.conversion import convert
    from autoconv.render import get_renderer
    from autoconv.targets import resolve

    resolved = resolve(args.target, args.samples)

    conversion = convert(resolved.obj)
    report = None
    if args.check and resolved.sample is not None and resolved.sample.inputs is not None:
        from autoconv.equivalence.runner import run_check

        declared = resolved.sample
        report = run_check([declared.filename], names=[declared.name], timeout=args.timeout).samples[0]
    options = {"color": _use_color(args)} if args.format == "text" else {}
    sys.stdout.write(get_renderer(args.format, **options).format(conversion, report))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from autoconv.catalogue import read_all

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
    from autoconv.equivalence.runner import run_check
    from autoconv.render.text import format_check

    report = run_check(
        args.samples, names=args.names, timeout=args.timeout, calls=args.calls, jobs=args.jobs,
        progress=sys.stderr.isatty() and not args.json,
    )
    _write_result(report, args.json, lambda r: format_check(r, color=_use_color(args)))
    return EXIT_OK if report.ok else EXIT_DIFFERS


def cmd_lint(args: argparse.Namespace) -> int:
    from autoconv.linter import main as lint_main

    return lint_main(args.paths, args.format, args.all_functions)


def _write_result(result: Any, as_json: bool, format_text: Callable[[Any], str]) -> int:
    """A result as one JSON document, or as its text view."""
    if as_json:
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_text(result))
    return EXIT_OK


def cmd_trace(args: argparse.Namespace) -> int:
    from autoconv.render.tracing_text import format_trace
    from autoconv.tracing import trace

    return _write_result(trace(args.target, args.samples), args.json, format_trace)


def cmd_graph(args: argparse.Namespace) -> int:
    from autoconv.graphs import graph
    from autoconv.render.tracing_text import format_graph, graph_dot, graph_svg

    view = graph(args.target, args.samples, args.case)
    if args.format == "dot" and not args.json:
        sys.stdout.write(graph_dot(view))
        return EXIT_OK
    if args.format == "svg" and not args.json:
        svg = graph_svg(graph_dot(view))
        if svg is not None:
            sys.stdout.write(svg)
            return EXIT_OK
        print("autoconv: note: Graphviz 'dot' not found; showing the text view", file=sys.stderr)
    return _write_result(view, args.json, format_graph)


def cmd_bench(args: argparse.Namespace) -> int:
    from autoconv.bench import bench
    from autoconv.render.tracing_text import format_bench

    return _write_result(bench(args.target, args.samples), args.json, format_bench)


def cmd_docs(args: argparse.Namespace) -> int:
    from pathlib import Path

    from autoconv.gallery.build import build_gallery
    from autoconv.gallery.compute import CheckOptions
    from autoconv.gallery.pages import summary

    options = CheckOptions(timeout=args.timeout, jobs=args.jobs, progress=sys.stderr.isatty())
    result = build_gallery(Path(args.out), args.samples, fmt=args.format, execute=not args.no_exec,
                           options=options)
    sys.stdout.write(summary(result))
    return EXIT_OK if result.gallery.ok else EXIT_DIFFERS


def _add_samples_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--samples", action="append", metavar="PATH",
        help="a samples file or folder (repeatable); default: the built-in catalogue",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autoconv",
        description="See, explain and check what TensorFlow AutoGraph makes of your Python code.",
    )
    parser.add_argument("--version", action="version", version=f"autoconv {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    show = commands.add_parser("show", help="original and AutoGraph-converted code, linked and explained")
    show.add_argument("target", help="a sample name, path/to/file.py:function or package.module:function")
    _add_samples_option(show)
    show.add_argument("--format", choices=["text", "html", "markdown", "rst"], default="text")
    show.add_argument("--no-color", action="store_true", help="never colour the text output")
    show.add_argument("--check", action="store_true", help="for a sample with inputs, add its verdicts")
    show.add_argument("--timeout", type=float, default=60, help=argparse.SUPPRESS)
    show.set_defaults(run=cmd_show)

    check = commands.add_parser("check", help="run eagerly and as a graph, call by call, and compare")
    check.add_argument("names", nargs="*", metavar="NAME", help="only these samples")
    _add_samples_option(check)
    check.add_argument("--json", action="store_true", help="one JSON document on stdout")
    check.add_argument("--timeout", type=float, default=60, help="seconds per case (default 60)")
    check.add_argument("--calls", type=int, default=None, help="calls per side (default: each sample's own)")
    check.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    check.add_argument("--no-color", action="store_true")
    check.set_defaults(run=cmd_check)

    listing = commands.add_parser("list", help="the samples, read without running them")
    _add_samples_option(listing)
    listing.add_argument("--tag", help="only samples with this tag")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=cmd_list)

    lint = commands.add_parser("lint", help="find tf.function pitfalls by reading code")
    lint.add_argument("paths", nargs="+", metavar="PATH")
    lint.add_argument("--format", choices=["text", "json"], default="text")
    lint.add_argument("--all-functions", action="store_true", help="check every function, not only converted ones")
    lint.set_defaults(run=cmd_lint)

    def target_command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("target", help="a sample name, path/to/file.py:function or package.module:function")
        _add_samples_option(command)
        command.add_argument("--json", action="store_true", help="one JSON document on stdout")
        command.set_defaults(run=run)
        return command

    target_command("trace", "call a sample's tf.function on each case: what traced, and why", cmd_trace)
    graph = target_command("graph", "the ops of the graph traced for one case", cmd_graph)
    graph.add_argument("--case", type=int, default=0, help="which case to trace (default 0)")
    graph.add_argument("--format", choices=["text", "dot", "svg"], default="text",
                       help="svg needs Graphviz's dot; without it, the text view")
    target_command("bench", "median seconds per call, eagerly and as a graph", cmd_bench)

    docs = commands.add_parser("docs", help="a gallery of the samples: conversions, verdicts, times")
    docs.add_argument("out", metavar="OUT", help="the folder to build into (rebuilt incrementally)")
    _add_samples_option(docs)
    docs.add_argument("--format", choices=["html", "markdown"], default="html")
    docs.add_argument("--no-exec", action="store_true", help="show conversions only; run no case")
    docs.add_argument("--jobs", type=int, default=None, help="worker processes (default: CPU count)")
    docs.add_argument("--timeout", type=float, default=60, help="seconds per case (default 60)")
    docs.set_defaults(run=cmd_docs)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except AutoconvError as error:
        message = " ".join(str(error).split())  # one line, whatever the user's exception said
        print(f"autoconv: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("autoconv: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
