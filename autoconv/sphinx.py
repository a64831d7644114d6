"""The Sphinx extension: ``.. autoconv:: TARGET`` puts a function's conversion in a page.

``extensions = ["autoconv.sphinx"]``. TARGET is a built-in sample name, ``pkg.module:function``
or ``relative/path.py:function`` (relative to the document). The output is ordinary docutils
nodes (``literal_block``s in Python, a bullet list, a table), so the theme's Pygments style and
extensions that read code blocks apply as they do to ``code-block``.

The directive only locates its target (statically) and leaves a placeholder; a transform then
computes every placeholder of the document in one batch, with the gallery's child processes,
so a page of ten samples starts TensorFlow once, and Sphinx's own process never does. Results
are cached by the content hash of the target's file; the file is a dependency of the page.
"""
from __future__ import annotations

import ast
import importlib.util
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging, parselinenos
from sphinx.util.docutils import SphinxDirective

from autoconv import __version__, catalogue
from autoconv.conversion import Conversion
from autoconv.equivalence.report import SampleReport
from autoconv.errors import AutoconvError
from autoconv.gallery.cache import JsonStore, content_key
from autoconv.gallery.compute import CheckOptions, compute
from autoconv.render import document

logger = logging.getLogger(__name__)

CACHE_FOLDER = ".autoconv-cache"


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


def locate(target: str, folder: Path) -> Located:
    """A sample name, ``file.py:function`` (relative to ``folder``) or ``module:function``."""
    if ":" not in target:
        for declaration in catalogue.read_all(None):
            if declaration.name == target:
                return Located(target, declaration.filename, target if declaration.cases != 0 else None)
        raise AutoconvError("unknown sample (see 'autoconv list')")
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


class AutoconvDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {
        "hide-original": directives.flag,
        "hide-converted": directives.flag,
        "no-check": directives.flag,
        "emphasize-lines": directives.unchanged_required,
        "caption": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        folder = Path(self.env.doc2path(self.env.docname)).parent
        try:
            located = locate(target, folder)
        except AutoconvError as error:
            logger.warning("autoconv: cannot show %r: %s", target, error, location=(self.env.docname, self.lineno),
                           type="autoconv", subtype="target")
            return []
        self.env.note_dependency(located.path)
        check = self.config.autoconv_check and "no-check" not in self.options and located.sample is not None
        options = {"target": located.target, "check": check, "timeout": self.config.autoconv_timeout}
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
    computed = compute([{"target": d["located"]["target"]} for d in details], checks, CheckOptions(timeout=timeout))
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
            placeholder.replace_self(view(conversion, report, result["note"], detail["options"], placeholder))


def _code(source: str, caption: str, where: nodes.Node, highlighted: list[int] | None = None) -> nodes.container:
    """A captioned, numbered Python ``literal_block``: what ``code-block`` with a caption makes."""
    block = nodes.literal_block(source, source, language="python", linenos=True)
    if highlighted:
        block["highlight_args"] = {"hl_lines": highlighted}
    wrapper = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
    wrapper += nodes.caption(caption, caption)
    wrapper += block
    for node in wrapper.findall():
        node.source, node.line = where.source, where.line
    return wrapper


def _ranges(numbers: list[int]) -> str:
    """``[6, 7, 8, 12]`` -> ``6-8, 12``."""
    spans: list[list[int]] = []
    for number in sorted(numbers):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def line_links(conversion: Conversion) -> nodes.paragraph:
    """Which converted lines each original line became, in one compact paragraph."""
    links = [f"{original} → {_ranges(conversion.converted_lines_of(original))}"
             for original in sorted(set(conversion.line_map.values()))]
    return nodes.paragraph("", "Line links (original → converted): " + "; ".join(links) + ".",
                           classes=["autoconv-line-links"])


def annotations(conversion: Conversion) -> nodes.bullet_list:
    """One item per note: ``line N (from original line M) kind: text``; repeats point back."""
    items = nodes.bullet_list(classes=["autoconv-annotations"])
    explained: dict[str, int] = {}
    for annotation in conversion.annotations:
        text = explained.get(annotation.kind)
        body = annotation.text if text is None else f"as on line {text}"
        explained.setdefault(annotation.kind, annotation.converted_line)
        paragraph = nodes.paragraph("", f"{document.annotation_place(annotation)} ")
        paragraph += nodes.literal(annotation.kind, annotation.kind)
        paragraph += nodes.Text(f": {body}")
        items += nodes.list_item("", paragraph)
    return items


def verdict_table(report: SampleReport) -> nodes.table:
    header = ("case", "verdict", "expected", "", "first difference")
    rows = [(case.args, case.verdict, case.expected, "as expected" if case.ok else "UNEXPECTED",
             document.first_difference(case)) for case in report.cases]
    table = nodes.table(classes=["autoconv-verdicts"])
    table += nodes.title("", f"Check: eager against graph ({document.tally(report)})")
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in (30, 12, 12, 12, 34))
    for section, lines in ((nodes.thead(), [header]), (nodes.tbody(), rows)):
        for line in lines:
            row = nodes.row()
            row.extend(nodes.entry("", nodes.paragraph("", document.one_line(cell))) for cell in line)
            section += row
        group += section
    return table


def view(conversion: Conversion, report: SampleReport | None, note: str, options: dict[str, Any],
         where: nodes.Node) -> list[nodes.Node]:
    """The nodes for one target, honouring the directive's options; ``note`` is the sample's."""
    box = nodes.container(classes=["autoconv"])
    if options.get("caption"):
        box += nodes.rubric(options["caption"], options["caption"])
    if note:
        box += nodes.paragraph(note, note, classes=["autoconv-note"])
    location = f"{Path(conversion.filename).name}:{conversion.first_line}" if conversion.filename else ""
    if "hide-original" not in options and conversion.original is not None:
        box += _code(conversion.original, f"{document.ORIGINAL_HEADING} ({location})".replace(" ()", ""), where)
    if not conversion.ok:
        warning = nodes.admonition(classes=["autoconv-error"])
        warning += nodes.title("", document.ERROR_HEADING)
        warning += nodes.paragraph("", conversion.error or "")
        box += warning
    elif "hide-converted" not in options:
        highlighted = None
        if options.get("emphasize-lines"):
            total = len(conversion.converted.splitlines())
            try:
                highlighted = [n + 1 for n in parselinenos(options["emphasize-lines"], total) if n < total]
            except ValueError as error:
                logger.warning("autoconv: :emphasize-lines: %s", error, location=where, type="autoconv")
        box += _code(conversion.converted, document.CONVERTED_HEADING, where, highlighted)
        box += line_links(conversion)
        if conversion.annotations:
            box += annotations(conversion)
    if report is not None:
        box += verdict_table(report)
    return [box]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("autoconv_check", True, "env", types=frozenset({bool}))
    app.add_config_value("autoconv_timeout", 60, "env", types=frozenset({int, float}))
    app.add_directive("autoconv", AutoconvDirective)
    app.add_transform(AutoconvTransform)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
