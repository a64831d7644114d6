"""The Sphinx extension: ``.. autoconv:: TARGET`` puts a function's conversion in a page.

``extensions = ["autoconv.sphinx"]``. TARGET is a sample name (built in, or from the folders
and files of ``autoconv_samples`` in ``conf.py``), ``pkg.module:function`` or
``relative/path.py:function`` (relative to the document). HTML builders get the interactive view
of ``show --format html`` (its stylesheet and script are two static files, linked once per
page); every other builder (latex, text, man) gets what it can print: numbered code blocks, a
table of line links, the notes as a list and the verdicts as a table.

The directive only locates its target (statically) and leaves a placeholder; a transform then
computes every placeholder of the document in one batch, with the gallery's child processes,
so a page of ten samples starts TensorFlow once, and Sphinx's own process never does. Results
are cached by the content hash of the target's file; the file is a dependency of the page.
Options that only choose what to show (``:notes:``, ``:fold:``, ``:case:``) apply when the
cached data is rendered, so changing them runs nothing.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib.util
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging, parselinenos
from sphinx.util.docutils import SphinxDirective

from autoconv import __version__, catalogue
from autoconv.errors import AutoconvError
from autoconv.gallery.cache import JsonStore, content_key
from autoconv.gallery.compute import CheckOptions, compute
from autoconv.model.check import SampleReport
from autoconv.model.conversion import Conversion
from autoconv.model.explanation import Explanation
from autoconv.render import document
from autoconv.render.assets import JS
from autoconv.render.html import badges_by_line, section, site_css, summary_html, view_prefix
from autoconv.render.text import format_explanation

if TYPE_CHECKING:
    from sphinx.config import Config

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".autoconv-cache"
STATIC_FILES = {"autoconv.css": site_css, "autoconv.js": lambda: JS}
NOTES = ("none", "lesson", "all")


@dataclass
class Located:
    """Where a target lives, found without running anything: what the cache key and the
    dependency need, and the sample to check (None when the target is not a declared sample)."""

    target: str
    path: str
    sample: str | None


def _declared_on(path: Path, qualname: str) -> str | None:
    """The name of the sample declared by a decorator on ``qualname`` in ``path``, if any."""
    try:
        scope: list[ast.stmt] = ast.parse(path.read_bytes(), filename=str(path)).body
    except SyntaxError as error:
        raise AutoconvError(f"{path}:{error.lineno}: syntax error: {error.msg}") from None
    definition = None
    for part in qualname.split("."):
        definition = next((node for node in scope if isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == part), None)
        if definition is None:
            return None
        scope = definition.body
    lines = {decorator.lineno for decorator in definition.decorator_list}
    return next((d.name for d in catalogue.read_declarations(path) if d.line in lines and d.cases != 0), None)


def _function_declared_at(path: Path, decorator_line: int) -> str | None:
    """The name of the function (or class) whose decorator starts on ``decorator_line``."""
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and any(
                decorator.lineno == decorator_line for decorator in node.decorator_list):
            return node.name
    return None


def _named_sample(name: str, sample_paths: list[str]) -> Located:
    """A sample by name: the site's own samples first (``autoconv_samples``), then the built-in ones.

    The site's are named by file and function, which the converting child loads without being
    told where the site keeps its samples."""
    for declaration in catalogue.read_all(sample_paths) if sample_paths else []:
        if declaration.name == name:
            path = Path(declaration.filename).resolve()
            function = _function_declared_at(path, declaration.line)
            if function is None:
                raise AutoconvError(f"{path}:{declaration.line}: sample {name!r} is not a decorated function")
            return Located(f"{path}:{function}", str(path), name if declaration.cases != 0 else None)
    for declaration in catalogue.read_all(None):
        if declaration.name == name:
            return Located(name, declaration.filename, name if declaration.cases != 0 else None)
    raise AutoconvError("unknown sample (see 'autoconv list')")


def locate(target: str, folder: Path, sample_paths: list[str] | None = None) -> Located:
    """A sample name, ``file.py:function`` (relative to ``folder``) or ``module:function``."""
    if ":" not in target:
        return _named_sample(target, sample_paths or [])
    where, _, qualname = target.rpartition(":")
    if where.endswith(".py") or "/" in where:
        path = (folder / where).resolve()
        if not path.is_file():
            raise AutoconvError(f"no such file: {path}")
    else:
        try:
            spec = importlib.util.find_spec(where)
        except (ImportError, ValueError) as error:
            raise AutoconvError(f"cannot find module {where!r}: {error}") from None
        if spec is None or not spec.origin or not Path(spec.origin).is_file():
            raise AutoconvError(f"cannot find module {where!r}")
        return Located(target, spec.origin, _declared_on(Path(spec.origin), qualname))
    return Located(f"{path}:{qualname}", str(path), _declared_on(path, qualname))


def _resolve_sample_paths(app: Sphinx, config: Config) -> None:
    """``autoconv_samples`` in ``conf.py`` are relative to the folder of ``conf.py``."""
    config.autoconv_samples = [str((Path(app.confdir) / path).resolve()) for path in config.autoconv_samples]


def _choice(*allowed: str) -> Any:
    return lambda argument: directives.choice(argument, allowed)


class AutoconvDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {
        "hide-original": directives.flag,
        "hide-converted": directives.flag,
        "check": directives.flag,
        "no-check": directives.flag,
        "case": directives.positive_int,
        "notes": _choice(*NOTES),
        "fold": _choice("yes", "no"),
        "emphasize-lines": directives.unchanged_required,
        "caption": directives.unchanged_required,
        "explain": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        folder = Path(self.env.doc2path(self.env.docname)).parent
        try:
            located = locate(target, folder, self.config.autoconv_samples)
        except AutoconvError as error:
            logger.warning("autoconv: cannot show %r: %s", target, error, location=(self.env.docname, self.lineno),
                           type="autoconv", subtype="target")
            return []
        self.env.note_dependency(located.path)
        wanted = "check" in self.options or "case" in self.options or (
            self.config.autoconv_check and "no-check" not in self.options)
        if wanted and located.sample is None and ("check" in self.options or "case" in self.options):
            logger.warning("autoconv: cannot check %r: it is not a sample with declared inputs", target,
                           location=(self.env.docname, self.lineno), type="autoconv", subtype="check")
        check = wanted and located.sample is not None
        options = {"target": located.target, "check": check, "timeout": self.config.autoconv_timeout,
                   "explain": self.options.get("explain")}
        placeholder = nodes.pending(AutoconvTransform, {
            "label": target, "located": asdict(located), "check": check, "options": dict(self.options),
            "key": content_key(Path(located.path).read_bytes(), options),
        })
        self.set_source_info(placeholder)
        return [placeholder]


def _compute(details: list[dict[str, Any]], timeout: float) -> list[dict[str, Any]]:
    """Conversions (and verdicts, where asked) for the placeholders the cache did not have."""
    checks: dict[str, list[str]] = {}
    for detail in details:
        if detail["check"]:
            checks.setdefault(detail["located"]["path"], []).append(detail["located"]["sample"])
    requests = [{"target": d["located"]["target"], "explain": d["options"].get("explain")} for d in details]
    computed = compute(requests, checks, CheckOptions(timeout=timeout))
    results = []
    for detail, answer in zip(details, computed.answers, strict=True):
        if answer["error"] is not None:
            results.append({"error": answer["error"]})
            continue
        path, sample = detail["located"]["path"], detail["located"]["sample"]
        report = computed.reports.get((path, sample)) if detail["check"] else None
        results.append({
            "error": None,
            "conversion": answer["entries"][0]["conversion"],
            "note": (answer["entries"][0]["sample"] or {}).get("note", ""),
            "report": report.to_dict() if report else None,
            "check_error": computed.check_errors.get(path) if detail["check"] else None,
            "explained": answer["entries"][0].get("explained"),
        })
    return results


class AutoconvTransform(SphinxTransform):
    """Replaces every ``.. autoconv::`` placeholder of a document, computing the misses at once."""

    default_priority = 200  # before AutoNumbering (210) gives our captioned blocks and tables ids

    def apply(self, **kwargs: Any) -> None:
        placeholders = [n for n in self.document.findall(nodes.pending) if n.transform is AutoconvTransform]
        if not placeholders:
            return
        store = JsonStore(Path(self.env.doctreedir) / CACHE_FOLDER)  # Sphinx's own cache folder
        results = {n.details["key"]: store.get(n.details["key"]) for n in placeholders}
        misses = list({n.details["key"]: n.details for n in placeholders if results[n.details["key"]] is None}.values())
        if misses:
            try:
                computed = _compute(misses, self.config.autoconv_timeout)
            except AutoconvError as error:  # the child itself failed: every miss says why
                computed = [{"error": str(error)} for _ in misses]
            for detail, result in zip(misses, computed, strict=True):
                results[detail["key"]] = result
                if result["error"] is None and result["check_error"] is None:
                    store.put(detail["key"], result)
            logger.info("autoconv: computed %s", ", ".join(d["label"] for d in misses))
        drawn: Counter[str] = Counter()  # per page: a function shown twice gets two sets of ids
        for placeholder in placeholders:
            result, detail = results[placeholder.details["key"]], placeholder.details
            if result["error"] is not None:
                logger.warning("autoconv: cannot show %r: %s", detail["label"], result["error"], location=placeholder,
                               type="autoconv", subtype="target")
                placeholder.replace_self([])
                continue
            if result.get("check_error"):
                logger.warning("autoconv: cannot check %r: %s", detail["label"], result["check_error"],
                               location=placeholder, type="autoconv", subtype="check")
            report = SampleReport.from_dict(result["report"]) if result["report"] else None
            conversion = Conversion.from_dict(result["conversion"])
            explanation = explanation_of(result.get("explained"), detail, placeholder)
            placeholder.replace_self(view(conversion, report, result["note"], detail["options"], placeholder,
                                          drawn, explanation, str(self.env.srcdir)))


def explanation_of(explained: dict[str, Any] | None, detail: dict[str, Any], where: nodes.Node) -> Explanation | None:
    """The ``:explain:`` call's explanation; a call that failed is a warning, and the view shows without it."""
    if not explained:
        return None
    if "error" in explained:
        logger.warning("autoconv: cannot explain %r with %r: %s", detail["label"], detail["options"].get("explain"),
                       explained["error"], location=where, type="autoconv", subtype="explain")
        return None
    return Explanation.from_data(explained["explanation"])


def _code(source: str, caption: str, where: nodes.Node, highlighted: list[int] | None = None,
          first_line: int = 1) -> nodes.container:
    """A captioned, numbered Python ``literal_block``: what ``code-block`` with a caption makes."""
    block = nodes.literal_block(source, source, language="python", linenos=True)
    block["highlight_args"] = {"linenostart": first_line}
    if highlighted:
        block["highlight_args"]["hl_lines"] = highlighted
    wrapper = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
    wrapper += nodes.caption(caption, caption)
    wrapper += block
    _located_at(wrapper, where)
    return wrapper


def _located_at(tree: nodes.Node, where: nodes.Node) -> None:
    for node in tree.findall():
        node.source, node.line = where.source, where.line


def _ranges(numbers: list[int]) -> str:
    """``[6, 7, 8, 12]`` -> ``6-8, 12``."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...],
           classes: list[str]) -> nodes.container:
    """A titled table; the title is a rubric, as the man page writer takes a table's own title
    for the page's name."""
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    for part, lines in ((nodes.thead(), [header]), (nodes.tbody(), rows)):
        for line in lines:
            row = nodes.row()
            row.extend(nodes.entry("", nodes.paragraph("", document.one_line(cell))) for cell in line)
            part += row
        group += part
    return nodes.container("", nodes.rubric(title, title), table, classes=classes)


def line_links(conversion: Conversion) -> nodes.container:
    """Which converted lines each original line became: the hover of the HTML view, on paper."""
    rows = [(str(original), _ranges(conversion.converted_lines_of(original)))
            for original in sorted(set(conversion.line_map.values()))]
    return _table("Line links", ("original line", "converted lines"), rows, (20, 80), ["autoconv-line-links"])


def annotations(conversion: Conversion) -> nodes.bullet_list:
    """One item per note, the lessons of this code included, as every view lists them:
    ``line N (from original line M) kind: text``; repeats point back."""
    items = nodes.bullet_list(classes=["autoconv-annotations"])
    explained: dict[str, int] = {}
    for annotation in conversion.notes:
        key = document.note_key(annotation)
        text = explained.get(key)
        body = annotation.text if text is None else f"as on line {text}"
        explained.setdefault(key, annotation.converted_line)
        paragraph = nodes.paragraph("", f"{document.annotation_place(annotation)} ")
        paragraph += nodes.literal(annotation.kind, annotation.kind)
        paragraph += nodes.Text(f": {body}")
        items += nodes.list_item("", paragraph)
    return items


def verdict_table(report: SampleReport) -> nodes.container:
    rows = [(case.args, case.verdict, case.expected, "as expected" if case.ok else "UNEXPECTED",
             document.first_difference(case)) for case in report.cases]
    return _table(f"Check: eager against graph ({document.tally(report)})",
                  ("case", "verdict", "expected", "", "first difference"), rows, (30, 12, 12, 12, 34),
                  ["autoconv-verdicts"])


def with_notes(conversion: Conversion, notes: str) -> Conversion:
    """``all`` construct notes, the ``lesson`` (each construct's one explaining note) or ``none``;
    the lessons of this very code (loop state, branch names, print) are always shown."""
    if notes == "all":
        return conversion
    kept = list(document.explaining(conversion.annotations).values()) if notes == "lesson" else []
    return dataclasses.replace(conversion, annotations=sorted(kept, key=lambda a: a.converted_line))


def only_case(report: SampleReport | None, case: int | None, where: nodes.Node) -> SampleReport | None:
    """The report cut down to case ``case`` (counting from 1, as every view counts cases and calls)."""
    if report is None or case is None:
        return report
    if not 1 <= case <= len(report.cases):
        count = len(report.cases)
        logger.warning("autoconv: :case: %d, but %s has %d case%s (counted from 1)", case, report.name, count,
                       "s" * (count != 1), location=where, type="autoconv", subtype="check")
        return report
    return dataclasses.replace(report, cases=[report.cases[case - 1]])


def printed_view(conversion: Conversion, report: SampleReport | None, options: dict[str, Any],
                 where: nodes.Node) -> list[nodes.Node]:
    """What a builder without HTML gets: code blocks, the line-link table, notes, verdicts."""
    shown: list[nodes.Node] = []
    location = f"{Path(conversion.filename).name}:{conversion.first_line}" if conversion.filename else ""
    if "hide-original" not in options and conversion.original is not None:
        shown.append(_code(conversion.original, f"{document.ORIGINAL_HEADING} ({location})".replace(" ()", ""),
                           where, first_line=conversion.first_line))
    if not conversion.ok:
        warning = nodes.admonition(classes=["autoconv-error"])
        warning += nodes.title("", document.ERROR_HEADING)
        warning += nodes.paragraph("", conversion.error or "")
        shown.append(warning)
    elif "hide-converted" not in options:
        highlighted = None
        if options.get("emphasize-lines"):
            total = len(conversion.converted.splitlines())
            try:
                highlighted = [n + 1 for n in parselinenos(options["emphasize-lines"], total) if n < total]
            except ValueError as error:
                logger.warning("autoconv: :emphasize-lines: %s", error, location=where, type="autoconv")
        shown.append(_code(conversion.converted, document.CONVERTED_HEADING, where, highlighted))
        shown.append(line_links(conversion))
        if conversion.notes:
            shown.append(annotations(conversion))
    if report is not None:
        shown.append(verdict_table(report))
    return shown


def view(conversion: Conversion, report: SampleReport | None, note: str, options: dict[str, Any],
         where: nodes.Node, drawn: Counter[str], explanation: Explanation | None = None,
         srcdir: str | None = None) -> list[nodes.Node]:
    """The nodes for one target: the interactive view for HTML, the printed one for the rest.

    Both sit in the doctree under ``only`` nodes, so one read serves every builder. ``note`` is
    the sample's own."""
    conversion = with_notes(conversion, options.get("notes", "all"))
    report = only_case(report, options.get("case"), where)
    box = nodes.container(classes=["autoconv-block"])
    if options.get("caption"):
        box += nodes.rubric(options["caption"], options["caption"])
    if note:
        box += nodes.paragraph(note, note, classes=["autoconv-note"])
    base = view_prefix(conversion)
    prefix = view_prefix(conversion, drawn[base])
    drawn[base] += 1
    badges = badges_by_line(explanation) if explanation is not None else None
    if explanation is not None:
        conversion = conversion.with_facts(explanation.facts())
    html = section(conversion, report, fold=options.get("fold", "yes") == "yes", prefix=prefix, line_badges=badges)
    if explanation is not None:
        html += summary_html(explanation)  # under the code it explains
    html = document.unrooted(html, srcdir)  # a published page names files from the docs source
    interactive = addnodes.only(expr="html")
    interactive += nodes.raw("", html, format="html")
    printed = addnodes.only(expr="not html")
    printed.extend(printed_view(conversion, report, options, where))
    if explanation is not None:  # the text gutter view: what happened, line by line
        printed += _code(format_explanation(explanation), f"What happened for ({options['explain']})", where)
    box += [interactive, printed]
    _located_at(box, where)
    return [box]


def write_static_files(app: Sphinx, exception: Exception | None) -> None:
    """The view's stylesheet and script, once per site, where ``add_css_file`` and ``add_js_file`` point."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for name, text in STATIC_FILES.items():
        (static / name).write_text(text(), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("autoconv_check", True, "env", types=frozenset({bool}))
    app.add_config_value("autoconv_timeout", 60, "env", types=frozenset({int, float}))
    app.add_config_value("autoconv_samples", [], "env", types=frozenset({list, tuple}))
    app.add_directive("autoconv", AutoconvDirective)
    app.add_transform(AutoconvTransform)
    app.add_css_file("autoconv.css")
    app.add_js_file("autoconv.js", loading_method="defer")
    app.connect("config-inited", _resolve_sample_paths)
    app.connect("build-finished", write_static_files)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
