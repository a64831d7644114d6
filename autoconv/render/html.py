"""The HTML view: original and converted code side by side, every line tied to its partners.

Each original line gets a colour band (hue by golden angle) shared with the converted lines it
produced; hovering or focusing a line lights up its partners on both sides. Every line is its own
focusable element, built from Pygments' token stream, and every piece of text is escaped: the
original may hold ``</script>`` in a string.

The view embeds anywhere: every CSS rule sits under ``.autoconv``, every class starts ``ac-``,
ids carry a prefix unique to each rendered view, and the script binds to each view's own root.
Folds (``autoconv.folding``) are ``<details>``, so they open and close without any script; line
numbers and ``◂N`` links are the file's own.
"""
from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pygments.lexers import PythonLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, String, _TokenType

from autoconv.model.conversion import LESSON_KINDS, Folding
from autoconv.model.verdicts import Verdict
from autoconv.render import Formatter, ViewOptions, document
from autoconv.render import gallery as gallery_text
from autoconv.render.assets import (
    CSS,
    EXPLAIN_CSS,
    FILTER_JS,
    GALLERY_CSS,
    HOST_MODE_CSS,
    HOST_RESET_CSS,
    JS,
    PAGE_CSS,
    hue,
)
from autoconv.render.html_report import report_html, unbroken
from autoconv.render.text import format_graph, format_trace

if TYPE_CHECKING:
    import jinja2

    from autoconv.model.check import CheckReport, SampleReport
    from autoconv.model.conversion import Annotation, Conversion
    from autoconv.model.explanation import Explanation, Line
    from autoconv.model.gallery import Gallery, GalleryPage, GallerySample
    from autoconv.model.graph import GraphView
    from autoconv.model.trace import TraceReport

# Most specific first: the first family a token belongs to names its CSS class.
TOKEN_CLASSES: tuple[tuple[_TokenType, str], ...] = (
    (Comment, "c"),
    (String, "s"),
    (Number, "m"),
    (Operator.Word, "k"),
    (Keyword, "k"),
    (Name.Builtin, "b"),
    (Name.Function, "f"),
    (Name.Class, "f"),
    (Name.Decorator, "d"),
)
# AutoGraph's runtime names stand out, so a reader sees where it stepped in.
AUTOGRAPH_NAMES = frozenset({"ag__", "fscope", "lscope"})


def _token_class(token_type: _TokenType, value: str) -> str | None:
    if token_type in Name and value in AUTOGRAPH_NAMES:
        return "ag"
    return next((css for family, css in TOKEN_CLASSES if token_type in family), None)


@functools.lru_cache(maxsize=16)
def highlighted_lines(source: str) -> tuple[str, ...]:
    """One escaped, highlighted HTML string per source line (the lexer sees the whole source,
    so strings spanning lines are still strings). The last texts' lines are kept: lexing is most
    of drawing a view, and the same code is drawn again soon (the explorer's explanation pane
    repeats the code its conversion pane drew a moment before, a page's views share a sample)."""
    lexer = PythonLexer(stripnl=False, ensurenl=True)
    lines: list[list[str]] = [[]]
    for token_type, value in lexer.get_tokens(source):
        css = _token_class(token_type, value)
        for index, piece in enumerate(value.split("\n")):
            if index:
                lines.append([])
            if piece:
                text = escape(piece)
                lines[-1].append(f'<span class="ac-t-{css}">{text}</span>' if css else text)
    count = len(source.splitlines())
    rendered = ["".join(_indent_inside_first_token(parts)) for parts in lines[:count]]
    return tuple(rendered + [""] * (count - len(rendered)))


def _indent_inside_first_token(parts: list[str]) -> list[str]:
    """A line's indentation joins its first token: HTML pipelines such as nbconvert's collapse a
    text node of spaces alone to one space, which would flatten every indented line."""
    if len(parts) < 2 or parts[0].strip() or parts[0] == "":
        return parts
    indent, first = parts[0], parts[1]
    if first.startswith("<span"):
        opening = first.index(">") + 1
        return [first[:opening] + indent + first[opening:], *parts[2:]]
    return [indent + first, *parts[2:]]


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" "))


def _code(raw: str, code: str) -> str:
    """``<code>`` for one line; ``--i`` (its indent) lets a wrapped line continue under its own code."""
    indent = _indent(raw)
    style = f' style="--i:{indent}"' if indent else ""
    return f"<code{style}>{code}</code>"


def _band(original_line: int | None) -> tuple[str, str]:
    """(extra class, attributes) that give a line its original (file) line's colour band."""
    if original_line is None:
        return "", ""
    return " ac-band", f' data-orig="{original_line}" style="--h:{hue(original_line)}"'


def _numbers(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _fold(summary_row: str, hidden_rows: list[str]) -> str:
    """A folded range: the marked line is the summary, the hidden lines open under it."""
    return f'<details class="ac-fold"><summary>{summary_row}</summary>{"".join(hidden_rows)}</details>'


def _fold_row(css: str, attributes: str, numbers: str, link: str | None, label: str, indent: int) -> str:
    link_cell = f'<span class="ac-from">{link or ""}</span>' if link is not None else ""
    return (
        f'<span class="ac-line ac-folded{css}"{attributes} title="folded: click to show these lines">'
        f'<span class="ac-n">{numbers}</span>{link_cell}'
        f'<code>{" " * indent}<span class="ac-fold-mark">{escape(label)}</span></code></span>'
    )


class _View:
    """One rendering of one conversion: holds the id prefix, the folds and which note explains what."""

    def __init__(self, conversion: Conversion, prefix: str, fold: bool, show_all: bool,
                 line_badges: dict[int, list[str]] | None, call_switch: str = "") -> None:
        self.conversion = conversion
        self.prefix = prefix
        self.call_switch = call_switch
        self.folding = conversion.folds.shown(machinery=fold and not show_all, declaration=not show_all)
        self.line_badges = line_badges or {}
        hidden = {line for f in self.folding.converted for line in range(f.first, f.last + 1)}
        self.notes = conversion.notes
        self.explaining = document.explaining(self.notes, hidden)

    def note_id(self, kind: str) -> str:
        return f"{self.prefix}-note-{re.sub(r'[^A-Za-z0-9_-]', '-', kind)}"

    # -- original ---------------------------------------------------------------------------------
    def original_column(self) -> str:
        conversion = self.conversion
        if conversion.original is None:
            return f'<p class="ac-missing">{escape(document.NO_SOURCE)}</p>'
        mapped = set(conversion.line_map.values())
        raw_lines = conversion.original.splitlines()
        rows = self.context_rows()
        hidden: list[str] = []
        inside = " " * conversion.method_indent if conversion.context is not None else ""  # under its class
        for file_number, (raw, code) in enumerate(zip(raw_lines, highlighted_lines(conversion.original), strict=True),
                                                  conversion.first_line):
            raw, code = inside + raw, (inside + code if code else code)
            if file_number in mapped:
                band, attributes = _band(file_number)
            else:
                band, attributes = "", f' data-orig="{file_number}"'
            count = len(conversion.converted_lines_of(file_number))
            title = f' title="produced {count} converted line{"s" * (count != 1)}"' if conversion.ok else ""
            badges = "".join(self.line_badges.get(file_number, []))
            badges = f'<span class="ac-badges">{badges}</span>' if badges else ""
            row = (f'<div class="ac-line{band}" tabindex="0"{attributes}{title}>'
                   f'<span class="ac-n" title="#L{file_number}: a link to this line">{file_number}</span>{_code(raw, code)}{badges}</div>')
            fold = Folding.at(self.folding.original, file_number)
            if fold is None:
                rows.append(row)
                continue
            hidden.append(row)
            if file_number == fold.last:
                summary = _fold_row("", "", _numbers(fold.first, file_number), None, fold.label,
                                    _indent(raw_lines[fold.first - conversion.first_line]))
                rows.append(_fold(summary, hidden))
                hidden = []
        numbers = [str(n) for n in range(conversion.context_first_line or conversion.first_line,
                                         conversion.first_line + len(raw_lines))]
        numbers += [_numbers(fold.first, fold.last) for fold in self.folding.original]
        return _pane(f"{document.ORIGINAL_HEADING} code", rows, numbers)

    def context_rows(self) -> list[str]:
        """A method's class and ``__init__``, above the method: where its state comes from."""
        conversion = self.conversion
        if conversion.context is None:
            return []
        raw_lines = conversion.context.splitlines()
        rows = [f'<div class="ac-line ac-context" tabindex="0" data-orig="{number}" title="the class around the method">'
                f'<span class="ac-n">{number}</span>{_code(raw, code)}</div>'
                for number, (raw, code) in enumerate(zip(raw_lines, highlighted_lines(conversion.context), strict=True),
                                                     conversion.context_first_line)]
        skipped = conversion.first_line - conversion.context_first_line - len(raw_lines)
        if skipped > 0:
            rows.append(f'<div class="ac-line ac-context"><span class="ac-n"></span><code>{" " * conversion.method_indent}'
                        f'<span class="ac-fold-mark">⋯ {skipped} line{"s" * (skipped != 1)} of the class</span></code></div>')
        return rows

    # -- converted --------------------------------------------------------------------------------
    def _note(self, annotation: Annotation) -> str:
        place = escape(document.annotation_place(annotation))
        key = document.note_key(annotation)
        first = self.explaining[key]
        if first is annotation:
            # A lesson about this code is open from the start; what a construct means waits to be asked.
            css, opened = (" ac-teach", " open") if annotation.kind in LESSON_KINDS else ("", "")
            return (f'<details class="ac-note{css}" id="{self.note_id(key)}"{opened}>'
                    f'<summary title="{place}">'
                    f"{escape(annotation.kind)}</summary><p>{escape(annotation.text)}</p></details>")
        return (f'<a class="ac-note-ref" href="#{self.note_id(key)}" '
                f'title="{escape(annotation.kind)}: explained at line {first.converted_line}">'
                f"{escape(annotation.kind)} ↑{first.converted_line}</a>")

    def _notes(self, annotations: list[Annotation], band: str, attributes: str, indent: int) -> str:
        """Notes under the line they explain: ``<details>`` is keyboard-operable as it is."""
        notes = "".join(self._note(a) for a in annotations)
        return f'<div class="ac-notes{band}"{attributes}><div style="--i:{indent}">{notes}</div></div>'

    def converted_column(self) -> str:
        conversion = self.conversion
        by_line: dict[int, list[Annotation]] = {}
        for annotation in self.notes:
            by_line.setdefault(annotation.converted_line, []).append(annotation)
        raw_lines = (conversion.converted or "").splitlines()
        rows: list[str] = []
        hidden: list[str] = []
        for number, (raw, code) in enumerate(zip(raw_lines, highlighted_lines(conversion.converted or ""),
                                                 strict=True), 1):
            origin = conversion.line_map.get(number)
            band, attributes = _band(origin)
            link = f"◂{origin}" if origin else ""
            title = f' title="from original line {link[1:]}"' if origin else ""
            row = [f'<div class="ac-line{band}" tabindex="0" data-line="{number}"{attributes}{title}>'
                   f'<span class="ac-n">{number}</span><span class="ac-from">{link}</span>{_code(raw, code)}</div>']
            if number in by_line:
                row.append(self._notes(by_line[number], band, attributes, _indent(raw)))
            fold = Folding.at(self.folding.converted, number)
            if fold is None:
                rows.extend(row)
                continue
            hidden.extend(row)
            if number == fold.last:
                fold_band, fold_attributes = _band(fold.origin)
                fold_link = f"◂{fold.origin}" if fold.origin else ""
                fold_attributes += f' data-fold="{fold.first}-{fold.last}"'
                summary = _fold_row(fold_band, fold_attributes, _numbers(fold.first, fold.last), fold_link,
                                    fold.label, _indent(raw_lines[fold.first - 1]))
                rows.append(_fold(summary, hidden))
                hidden = []
        numbers = [str(len(raw_lines)), *(_numbers(fold.first, fold.last) for fold in self.folding.converted)]
        links = [f"◂{origin}" for origin in conversion.line_map.values() if origin]
        return _pane(f"{document.CONVERTED_HEADING} code", rows, numbers, links)

    # -- the whole view ---------------------------------------------------------------------------
    def header(self) -> str:
        conversion = self.conversion
        where = document.location(conversion, self.folding)
        facts = [f"from <code>{escape(where)}</code>"] if where else []
        if conversion.ok and conversion.original is not None:
            notes = len(self.notes)
            facts.append(f"{escape(document.size(conversion, self.folding))}, {notes} note{'s' * (notes != 1)}")
            facts.append(
                "hover or focus a line to see its partners; <kbd>↑</kbd><kbd>↓</kbd> move, "
                "<kbd>←</kbd><kbd>→</kbd> jump across"
            )
        meta = f'<p class="ac-meta">{" · ".join(facts)}</p>' if facts else ""
        # The buttons need the script; it unhides them, so a page without JS shows no dead control.
        tools = (
            '<div class="ac-tools" hidden>'
            '<button type="button" class="ac-copy">copy code</button>'
            '<button type="button" class="ac-show-all" aria-pressed="false">show every line</button>'
            '<button type="button" class="ac-wrap-toggle" aria-pressed="false">wrap long lines</button></div>'
        )
        return f"<h2><code>{escape(conversion.name)}</code></h2>{meta}{tools}{self.call_switch}"

    def section(self, report: SampleReport | None) -> str:
        conversion = self.conversion
        original = _side("ac-original", document.ORIGINAL_HEADING, self.original_column())
        if conversion.ok:
            converted = _side("ac-converted", document.CONVERTED_HEADING, self.converted_column())
            body = f'<div class="ac-columns">{original}{converted}</div>'
        else:
            error = (
                f'<div class="ac-error" role="note"><h3>{escape(document.ERROR_HEADING)}</h3>'
                f"<p>{escape(conversion.error or '')}</p></div>"
            )
            body = f'<div class="ac-columns ac-alone">{original}</div>{error}'
        verdicts = report_html(report, self.prefix) if report is not None else ""
        return f'<section class="autoconv" id="{self.prefix}">{self.header()}{body}{verdicts}</section>'


def _pane(label: str, rows: list[str], numbers: list[str], links: Sequence[str] = ()) -> str:
    """A pane of code lines whose gutters are as wide as the widest number (and ``◂N`` link) in it."""
    widths = f"--ac-n:{max(map(len, numbers), default=1)};--ac-f:{max(map(len, links), default=0)}"
    return (f'<div class="ac-code" role="group" aria-label="{label}" style="{widths}">'
            f'<div class="ac-rows">{"".join(rows)}</div></div>')


def _side(css: str, heading: str, body: str) -> str:
    return f'<div class="ac-side {css}"><h3>{escape(heading)}</h3>{body}</div>'


def view_prefix(conversion: Conversion, occurrence: int = 0) -> str:
    """Ids unique per view: from what is shown (so a rebuild writes the same page) and how many
    views of the same thing this renderer drew before (so two on one page still differ)."""
    digest = hashlib.sha1(f"{conversion.name}\0{conversion.original}\0{conversion.converted}".encode()).hexdigest()
    return f"ac-{digest[:8]}" + (f"-{occurrence}" if occurrence else "")


def section(conversion: Conversion, report: SampleReport | None = None, *, fold: bool = True,
            show_all: bool = False, line_badges: dict[int, list[str]] | None = None, prefix: str | None = None,
            call_switch: str = "") -> str:
    """The fragment: one ``<section class="autoconv">`` that needs ``CSS`` and ``JS`` on its page.

    ``line_badges``: extra HTML per original line, keyed by the file's line number (``explain``'s
    badges); ``show_all`` folds nothing, not even the ``@sample`` declaration; ``call_switch``:
    the explained calls' switcher (``call_switch``), under the view's heading.
    """
    view = _View(conversion, prefix or view_prefix(conversion), fold, show_all, line_badges, call_switch)
    return view.section(report)


class HtmlFormatter(Formatter):
    """A whole page by default; ``standalone=False`` gives the fragment for a gallery, notebook or
    Sphinx page, which includes ``css()`` and ``js()`` once (or wraps its body with ``page``).
    HTML folds AutoGraph's machinery unless told not to (``fold=False``): a reader can open a fold.
    Whole pages (``page``, the gallery's) come from the Jinja2 templates in ``render/templates``."""

    name = "html"
    explains_beside_code = True

    def __init__(self, options: ViewOptions | None = None) -> None:
        super().__init__(options)
        self.standalone = self.options.standalone
        self.fold = self.options.fold is not False
        self.show_all = self.options.show_all
        self._drawn: dict[str, int] = {}

    def _unrooted(self, html: str) -> str:
        return document.unrooted(html, self.options.paths_from)

    def css(self) -> str:
        return CSS

    def js(self) -> str:
        return JS

    def page(self, title: str, body: str) -> str:
        """Any body (HTML) in the self-contained shell: no network, no external fonts."""
        return render_template("page.html", title=title, body=Markup(body), **self._assets())

    def _assets(self) -> dict[str, Markup]:
        return {"page_css": Markup(PAGE_CSS), "css": Markup(self.css()), "js": Markup(self.js())}

    def _fragment(self, conversion: Conversion, report: SampleReport | None = None, *,
                  line_badges: dict[int, list[str]] | None = None) -> str:
        """The view's section, its ids told apart from the views this renderer drew before."""
        base = view_prefix(conversion)
        occurrence = self._drawn.get(base, 0)
        self._drawn[base] = occurrence + 1
        return self._unrooted(section(conversion, report, fold=self.fold, show_all=self.show_all,
                                      line_badges=line_badges, prefix=view_prefix(conversion, occurrence)))

    def conversion(self, conversion: Conversion, report: SampleReport | None = None, *,
                   line_badges: dict[int, list[str]] | None = None) -> str:
        fragment = self._fragment(conversion, report, line_badges=line_badges)
        return self.page(f"autoconv: {conversion.name}", fragment) if self.standalone else fragment

    def _shell(self, title: str, body: str) -> str:
        body = self._unrooted(body)
        return self.page(title, body) if self.standalone else body

    def explanation(self, explanation: Explanation, conversion: Conversion | None = None,
                    helpers: Sequence[Conversion] = (), report: SampleReport | None = None) -> str:
        """Beside the code when there is a conversion; else the summary and a table of lines."""
        if conversion is None:
            return self._shell(f"autoconv explain: {explanation.function}", explanation_fragment(explanation))
        shown = conversion.with_facts(explanation.facts_of_every_trace())  # the switcher changes badges, not notes
        prefix = view_prefix(shown)
        badges = badges_by_call(explanation, prefix)
        body = (section(shown, report, line_badges=badges, prefix=prefix,
                        call_switch=call_switch(explanation, prefix))
                + summary_html(explanation)  # under the code it explains
                + _helper_views(explanation, list(helpers), badges))
        return self._shell(f"autoconv explain: {explanation.function}", body)

    def sample_report(self, report: SampleReport) -> str:
        return self._shell(f"autoconv check: {report.name}", sample_report_html(report))

    def check_report(self, report: CheckReport) -> str:
        """Every sample's verdicts, one section each, and whether both sides shared this process."""
        sections = [self.check_note(report), *(sample_report_html(sample) for sample in report.samples)]
        return self._shell("autoconv check", "".join(sections) or _boxed("autoconv check", "<p>No samples.</p>"))

    def check_note(self, report: CheckReport) -> str:
        """How the check ran, when not as ``autoconv check`` runs a file (a notebook's cells, or this
        process): a box of its own, also set above a view that shows one sample's verdicts."""
        if not report.note:
            return ""
        return _boxed("autoconv check", f'<p class="ac-meta">{escape(report.note[0].upper() + report.note[1:])}.</p>')

    def trace(self, report: TraceReport) -> str:
        title = f"<code>{escape(report.name)}</code>: when it traced"
        return self._shell(f"autoconv trace: {report.name}", _preformatted(title, format_trace(report)))

    def graph(self, view: GraphView) -> str:
        title = f"<code>{escape(view.name)}</code>: the traced graph"
        return self._shell(f"autoconv graph: {view.name}", _preformatted(title, format_graph(view)))


    # -- the gallery's pages: always whole pages, each view in them a fragment ---------------------
    def _gallery_page(self, template: str, title: str, *, up: str = "", script: str = "", **context: Any) -> str:
        return self._unrooted(render_template(template, title=title, up=up, script=Markup(script),
                                              gallery_css=Markup(GALLERY_CSS), **self._assets(), **context))

    def gallery_index(self, gallery: Gallery) -> str:
        topics = []
        for topic, samples in gallery_text.topics(gallery):
            rows = [[_gallery_link(gallery, s), f"<code>{escape(s.name)}</code>",
                     f'<span class="g-tag">{unbroken(", ".join(s.tags))}</span>',
                     _gallery_badges(s, gallery.executed)] for s in samples]
            filters = [" ".join([s.name, s.title, *s.tags, *(text for text, _, _ in gallery_text.badges(
                s, gallery.executed)), s.conversion.original or ""]).lower() for s in samples]  # code too
            table = _gallery_table(gallery_text.INDEX_HEADER, rows, css="g-index", filters=filters)
            topics.append({"name": topic, "count": len(samples), "table": Markup(table)})
        return self._gallery_page(
            "gallery_index.html", "autoconv gallery", script=FILTER_JS,
            introduction=gallery_text.INTRODUCTION, totals=gallery_text.totals(gallery), topics=topics,
            legend=[{"badge": Markup(_gallery_badge(verdict, "ok", say_expected=False)), "meaning": verdict.meaning}
                    for verdict in Verdict],
            failed=[{"path": f.path, "why": gallery_text.failure(f)} for f in gallery.failed_files],
        )

    def gallery_sample(self, gallery: Gallery, sample: GallerySample) -> str:
        page = gallery.pages[sample.name]
        first, conversion = gallery_text.explanation_of(sample, 0), gallery_text.shown_conversion(sample)
        if first is not None:
            conversion = conversion.with_facts(first.facts())
        view = self._fragment(conversion, sample.report,
                              line_badges=badges_by_line(first) if first is not None else None)
        note = gallery_text.linked(
            sample.note, gallery_text.sibling_pattern(gallery, sample), escape,
            lambda name: f'<a href="{escape(gallery_text.sibling_file(gallery, name))}"><code>{escape(name)}</code></a>')
        ran = gallery_text.ran(sample)
        neighbours = {side: {"title": gallery.sample(name).title, "href": gallery_text.sibling_file(gallery, name)}
                      if name else None for side, name in (("previous", page.previous), ("next", page.next))}
        return self._gallery_page(
            "gallery_sample.html", f"{sample.title} · autoconv gallery", up="../",
            heading=sample.title, location=page.location, tags=", ".join(sample.tags), topic=sample.topic,
            download=page.download, neighbours=neighbours,
            badges=Markup(_gallery_badges(sample, gallery.executed)), note=Markup(note), view=Markup(view),
            explanations=_gallery_explanations(sample) if ran else None,
            timings=_gallery_timings(sample, page) if ran else None,
            graph=_gallery_graph(sample, page) if ran else None,
        )

    def gallery_verdicts(self, gallery: Gallery) -> str:
        rows = [
            [_gallery_link(gallery, s), f"<code>{unbroken(case.args)}</code>",
             _gallery_badge(case.verdict, "ok" if case.ok else "bad", say_expected=False),  # a column says it
             _gallery_badge(case.expected, "ok", say_expected=False),
             '<span class="g-nowrap">as expected</span>' if case.ok else '<strong class="g-nowrap">unexpected</strong>',
             unbroken(document.difference_phrase(case))]
            for s in gallery.samples if s.report for case in s.report.cases
        ]
        table = _gallery_table(gallery_text.VERDICTS_HEADER, rows)
        return self._gallery_page("gallery_verdicts.html", "Verdicts · autoconv gallery",
                                  totals=gallery_text.totals(gallery), table=Markup(table))

    def gallery_times(self, gallery: Gallery) -> str:
        measured = gallery_text.times_rows(gallery)
        rows = [[_gallery_link(gallery, sample), *map(escape, cells)] for sample, cells, _ in measured]
        slower = frozenset(index for index, (_, _, is_slower) in enumerate(measured) if is_slower)
        header = gallery_text.TIMES_HEADER
        table = _gallery_table(header, rows, frozenset(range(1, len(header))), slower=slower)
        note = escape(gallery_text.TIMES_NOTE).format(command=_command(gallery_text.BENCH_ALL_COMMAND))
        return self._gallery_page("gallery_times.html", "Times · autoconv gallery", note=Markup(note),
                                  table=Markup(table))


# A notebook or a Sphinx page holds views, not pages.

def site_css() -> str:
    """The stylesheet a site (Sphinx) or notebook holds once: the view's rules, the host resets, and
    the host's own light/dark switch."""
    return CSS + HOST_RESET_CSS + HOST_MODE_CSS


def embedded(*sections: str) -> str:
    """Sections of the view with their stylesheet and script: nothing fetched, nothing assumed.

    A notebook output has no page to put a stylesheet in, and Colab or VS Code show each output
    in its own sandboxed iframe, so every fragment carries the view's CSS and JS inline. The
    script guards itself (``window.autoconvLinked``), so a notebook of many views listens once.
    """
    return f'<div class="autoconv-embed"><style>{site_css()}</style>{"".join(sections)}<script>{JS}</script></div>'


def _boxed(title: str, body: str) -> str:
    return f'<section class="autoconv"><h2>{title}</h2>{body}</section>'


def sample_report_html(report: SampleReport) -> str:
    where = f'<p class="ac-meta">from <code>{escape(report.location)}</code></p>' if report.location else ""
    return _boxed(f"<code>{escape(report.name)}</code>", where + report_html(report))


def _preformatted(title: str, text: str) -> str:
    return _boxed(title, f'<div class="ac-code"><pre style="margin:0;padding:.4rem .8rem;overflow-x:auto">'
                         f"{escape(text)}</pre></div>")


# Explanations: facts as badges beside the original lines, and a "what happened" summary.

def _badge_spans(line: Line) -> list[str]:
    """A line's badges, each with its detail (the ops, or why a statement was staged or not) as a title."""
    spans = []
    for badge in line.badges:
        title = f' title="{escape(document.op_counts(line.ops))}"' if badge.kind == "ops" else (
            f' title="{escape(line.statement.reason)}"' if line.statement and badge.kind in ("staged", "python")
            else "")
        spans.append(f'<span class="ac-badge ac-x-{badge.kind}"{title}>{escape(badge.text)}</span>')
    return spans


def badges_by_line(explanation: Explanation) -> dict[int, list[str]]:
    """Badge HTML per file line, for ``html.section``'s ``line_badges``: the shown call's."""
    return {line.line: spans for line in explanation.lines if (spans := _badge_spans(line))}


def badges_by_call(explanation: Explanation, prefix: str) -> dict[int, list[str]]:
    """Every call's badges per file line, one group per call, for the call switcher: the group of
    the call whose trace the explanation shows (by default the latest) is the one seen without a
    script. One call, or none traced, needs no groups."""
    if len(explanation.calls) < 2 or not explanation.traces:
        return badges_by_line(explanation)
    by_call = []
    for number in range(1, len(explanation.calls) + 1):
        trace = explanation.trace_of_call(number)
        by_call.append({line.line: _badge_spans(line) for line in (trace.lines if trace else [])})
    shown = _shown_call(explanation)
    badges: dict[int, list[str]] = {}
    for line_number in sorted({number for lines in by_call for number, spans in lines.items() if spans}):
        badges[line_number] = [
            f'<span class="ac-call-badges" data-ac-for="{prefix}" data-call="{number}"'
            f'{"" if number == shown else " hidden"}>{"".join(lines.get(line_number, []))}</span>'
            for number, lines in enumerate(by_call, 1)]
    return badges


def _shown_call(explanation: Explanation) -> int:
    """The call whose badges show first: the latest call that ran the shown trace."""
    shown = explanation.trace_of_call(explanation.lines_from_call)
    return max((number for number in range(1, len(explanation.calls) + 1)
                if explanation.trace_of_call(number) is shown), default=explanation.lines_from_call)


def call_switch(explanation: Explanation, prefix: str) -> str:
    """One button per call, to show that call's badges: the script unhides it, so a page without
    one shows the shown call's badges and no dead control. A long argument list is cut by the
    stylesheet, whole in the button's title."""
    if len(explanation.calls) < 2 or not explanation.traces:
        return ""
    shown = _shown_call(explanation)
    buttons = "".join(
        f'<button type="button" data-call="{number}" aria-pressed="{str(number == shown).lower()}" '
        f'title="call {number} ({escape(call.args)})">call {number} ({escape(call.args)})</button>'
        for number, call in enumerate(explanation.calls, 1))
    return (f'<div class="ac-calls" role="group" aria-label="which call the badges show" data-ac-for="{prefix}" hidden>'
            f'<span class="ac-calls-label">badges of</span>{buttons}</div>')


def _summary_section(explanation: Explanation) -> str:
    """Meaning first (what ran where; the calls and why they retraced), the numbers after."""
    lists = "".join(f'<ul class="ac-explain-{css}">{"".join(f"<li>{escape(sentence)}</li>" for sentence in sentences)}</ul>'
                    for css, sentences in (("meaning", explanation.summary), ("calls", explanation.call_sentences),
                                           ("statistics", explanation.statistics)) if sentences)
    return (f'<section class="ac-explain-summary">'
            f"<h3>What happened: {escape(explanation.function)} ({escape(explanation.location)})</h3>"
            f"{lists}</section>")


def summary_html(explanation: Explanation) -> str:
    """What happened, in a box of its own: it goes under the view of the code it explains."""
    return f'<style>{EXPLAIN_CSS}</style><div class="autoconv">{_summary_section(explanation)}</div>'


def _helper_views(explanation: Explanation, helpers: list[Conversion], badges: dict[int, list[str]]) -> str:
    """Each converted helper's own side-by-side view, folded, with its lines' badges (the call
    switcher's groups too)."""
    views = []
    for helper in helpers:
        own = {line: spans for line, spans in badges.items() if helper.filename == explanation.filename}
        views.append(f'<details class="autoconv ac-explain-helper"><summary>converted helper: '
                     f"{escape(helper.name)}</summary>{section(helper, line_badges=own)}</details>")
    return "".join(views)


def _lines_section(explanation: Explanation) -> str:
    """The lines that did something, as a table, each with its own indentation."""
    rows = "".join(
        f'<tr><td class="ac-n">{line.line}</td><td><code class="ac-source">{escape(line.source.rstrip())}</code></td>'
        f"<td>{''.join(badges_by_line(explanation).get(line.line, []))}</td></tr>"
        for line in explanation.lines)
    return f'<div class="ac-explain-scroll"><table class="ac-explain-lines">{rows}</table></div>'


def lines_table(explanation: Explanation) -> str:
    """The lines that did something, as a table: the view without the side-by-side code."""
    return f'<style>{EXPLAIN_CSS}</style><div class="autoconv">{_lines_section(explanation)}</div>'


def explanation_fragment(explanation: Explanation) -> str:
    """Summary and lines without a conversion, in one box: what a notebook or the gallery shows
    for an ``Explanation``."""
    return (f'<style>{EXPLAIN_CSS}</style><div class="autoconv">{_summary_section(explanation)}'
            f"{_lines_section(explanation)}</div>")


# Whole pages come from the templates in ``render/templates``; the fragments in them (a view, a
# table) are built above and passed in as ``Markup``, so they are not escaped twice.

def _escaped(value: object) -> object:
    """Text escaped as ``html.escape`` escapes every fragment built here (quotes as ``&quot;`` and
    ``&#x27;``, where Jinja's own escaping writes ``&#34;`` and ``&#39;``), so a page reads the same
    whichever part made it; markup passes as it is."""
    return Markup(escape(value)) if isinstance(value, str) and not isinstance(value, Markup) else value


@functools.cache
def templates() -> jinja2.Environment:
    import jinja2  # here: every command imports the renderers, and only whole pages need templates

    return jinja2.Environment(loader=jinja2.PackageLoader("autoconv.render"), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined, finalize=_escaped)


def render_template(name: str, **context: Any) -> str:
    return templates().get_template(name).render(**context)


# The gallery's pieces: badges, tables, links.

def _gallery_badge(text: str, state: str, why: str = "", *, say_expected: bool = True) -> str:
    """The verdict's colour; an unexpected one also carries the ✗ mark (colour never says it), and
    an expected error or mismatch says "expected", so a lesson's red reads as the lesson."""
    mark = '<span class="g-mark-bad" aria-label="unexpected">✗</span> ' if state == "bad" else ""
    expected = (' <span class="g-expected">✓\u00a0expected</span>'
                if say_expected and state == "ok" and text in gallery_text.ERROR_VERDICTS else "")
    title = f' title="{escape(why)}"' if why else ""
    return f'<span class="g-badge {gallery_text.verdict_class(text)}"{title}>{mark}{escape(text)}{expected}</span>'


def _gallery_badges(sample: GallerySample, executed: bool) -> str:
    return "".join(_gallery_badge(text, state, why) for text, state, why in gallery_text.badges(sample, executed))


def _gallery_table(header: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset(),
                   css: str = "", slower: frozenset[int] = frozenset(), filters: list[str] | None = None) -> str:
    """``slower``: the rows (by index) where the graph took longer than eager, highlighted;
    ``filters``: per row, the words the index's filter box matches."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr" + (' class="g-slower"' if index in slower else "")
        + (f' data-filter="{escape(filters[index])}"' if filters else "") + ">"
        + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>' for i, cell in enumerate(row))
        + "</tr>"
        for index, row in enumerate(rows)
    )
    css_class = f' class="{css}"' if css else ""
    return f'<div class="g-scroll"><table{css_class}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _gallery_link(gallery: Gallery, sample: GallerySample) -> str:
    return f'<a href="{escape(gallery.pages[sample.name].path)}">{escape(sample.title)}</a>'


def _command(command: str) -> str:
    return f"<code>{escape(command)}</code>"


def _gallery_explanations(sample: GallerySample) -> dict[str, Any] | None:
    """What tracing did for each case (``autoconv explain``): the badges on the view are case 1's."""
    if not sample.explanations:
        return None
    cases = []
    for index, (case, entry) in enumerate(zip(sample.report.cases, sample.explanations, strict=False)):
        explanation = gallery_text.explanation_of(sample, index)
        body = (explanation_fragment(explanation) if explanation is not None
                else f'<p class="g-note">{escape(entry.error or "")}</p>')
        cases.append({"args": Markup(unbroken(case.args)), "body": Markup(body)})
    note = escape(gallery_text.EXPLAIN_NOTE).format(command=_command(gallery_text.explain_command(sample)))
    return {"note": Markup(note), "cases": cases}


def _gallery_timings(sample: GallerySample, page: GalleryPage) -> dict[str, Markup]:
    rows = [[f"<code>{unbroken(case.args)}</code>", *map(escape, timing.cells)]
            for case, timing in zip(sample.report.cases, page.timings, strict=True)]
    slower = frozenset(index for index, timing in enumerate(page.timings) if timing.slower)
    note = escape(page.timings_note).format(command=_command(page.bench_command))
    table = _gallery_table(gallery_text.TIMING_HEADER, rows, frozenset({1, 2, 3, 4}), slower=slower)
    return {"note": Markup(note), "table": Markup(table)}


def _gallery_graph(sample: GallerySample, page: GalleryPage) -> dict[str, Any]:
    """Case 0's graph: a lead, a table of its functions, and its drawing or why there is none."""
    graph = page.graph
    if graph is None:
        return {"lead": page.no_graph, "table": None}
    rows = [[unbroken(row.where), f"<code>{escape(row.function)}</code>" if row.function else "", str(row.total),
             unbroken(row.ops)] for row in graph.rows]
    note = escape(graph.drawing_note).format(command=_command(page.graph_command))
    return {"lead": graph.lead, "table": Markup(_gallery_table(gallery_text.GRAPH_HEADER, rows, frozenset({2}))),
            "svg": Markup(sample.graph_svg) if sample.graph_svg else None, "drawing_note": Markup(note)}
