"""The HTML view: original and converted code side by side, every line tied to its partners.

Each original line gets a colour band (hue by golden angle) shared with the converted lines it
produced; hovering or focusing a line lights up its partners on both sides. Every line is its own
focusable element, built from Pygments' token stream, and every piece of text is escaped: the
original may hold ``</script>`` in a string. The page is self-contained (inline CSS and JS).
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from pygments.lexers import PythonLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, String, _TokenType

from autoconv.render import document
from autoconv.render.assets import CSS, JS, PAGE_CSS, hue
from autoconv.render.html_report import report_html

if TYPE_CHECKING:
    from autoconv.annotations import Annotation
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import SampleReport

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


def highlighted_lines(source: str) -> list[str]:
    """One escaped, highlighted HTML string per source line (the lexer sees the whole source,
    so strings spanning lines are still strings)."""
    lexer = PythonLexer(stripnl=False, ensurenl=True)
    lines: list[list[str]] = [[]]
    for token_type, value in lexer.get_tokens(source):
        css = _token_class(token_type, value)
        for index, piece in enumerate(value.split("\n")):
            if index:
                lines.append([])
            if piece:
                text = escape(piece)
                lines[-1].append(f'<span class="tok-{css}">{text}</span>' if css else text)
    count = len(source.splitlines())
    rendered = ["".join(parts) for parts in lines[:count]]
    return rendered + [""] * (count - len(rendered))


def _code_cells(source: str) -> list[str]:
    """``<code>`` per line; ``--i`` (the indent) lets a wrapped line continue under its own code."""
    cells = []
    for raw, code in zip(source.splitlines(), highlighted_lines(source), strict=True):
        indent = len(raw) - len(raw.lstrip(" "))
        style = f' style="--i:{indent}"' if indent else ""
        cells.append(f"<code{style}>{code}</code>")
    return cells


def _band(original_line: int | None) -> tuple[str, str]:
    """(extra class, attributes) that give a line its original line's colour band."""
    if original_line is None:
        return "", ""
    return " ac-band", f' data-orig="{original_line}" style="--h:{hue(original_line)}"'


def _original_column(conversion: Conversion, mapped: set[int]) -> str:
    if conversion.original is None:
        return f'<p class="ac-missing">{escape(document.NO_SOURCE)}</p>'
    rows = []
    for number, code in enumerate(_code_cells(conversion.original), 1):
        band, attributes = _band(number) if number in mapped else ("", f' data-orig="{number}"')
        count = len(conversion.converted_lines_of(number))
        title = f' title="produced {count} converted line{"s" * (count != 1)}"' if conversion.ok else ""
        rows.append(
            f'<div class="ac-line{band}" tabindex="0"{attributes}{title}>'
            f'<span class="ac-n">{number}</span>{code}</div>'
        )
    return f'<div class="ac-code" aria-label="{document.ORIGINAL_HEADING} code">{"".join(rows)}</div>'


def _notes(annotations: list[Annotation], band: str, attributes: str, indent: int) -> str:
    """Expandable notes under the line they explain: ``<details>`` is keyboard-operable as is."""
    notes = "".join(
        f'<details class="ac-note"><summary title="{escape(document.annotation_place(a))}">'
        f"{escape(a.kind)}</summary><p>{escape(a.text)}</p></details>"
        for a in annotations
    )
    return f'<div class="ac-notes{band}"{attributes}><div style="--i:{indent}">{notes}</div></div>'


def _converted_column(conversion: Conversion) -> str:
    by_line: dict[int, list[Annotation]] = {}
    for annotation in conversion.annotations:
        by_line.setdefault(annotation.converted_line, []).append(annotation)
    rows, lines = [], (conversion.converted or "").splitlines()
    for number, code in enumerate(_code_cells(conversion.converted or ""), 1):
        origin = conversion.line_map.get(number)
        band, attributes = _band(origin)
        title = f' title="from original line {origin}"' if origin else ""
        rows.append(
            f'<div class="ac-line{band}" tabindex="0" data-line="{number}"{attributes}{title}>'
            f'<span class="ac-n">{number}</span><span class="ac-from">{f"◂{origin}" if origin else ""}</span>'
            f"{code}</div>"
        )
        if number in by_line:
            indent = len(lines[number - 1]) - len(lines[number - 1].lstrip(" "))
            rows.append(_notes(by_line[number], band, attributes, indent))
    return f'<div class="ac-code" aria-label="{document.CONVERTED_HEADING} code">{"".join(rows)}</div>'


def _side(css: str, heading: str, body: str) -> str:
    return f'<div class="ac-side {css}"><h3>{escape(heading)}</h3>{body}</div>'


def _header(conversion: Conversion) -> str:
    where = document.location(conversion)
    facts = [f"from <code>{escape(where)}</code>"] if where else []
    if conversion.ok and conversion.original is not None:
        before, after = len(conversion.original.splitlines()), len(conversion.converted.splitlines())
        notes = len(conversion.annotations)
        facts.append(f"{before} line{'s' * (before != 1)} became {after}, {notes} note{'s' * (notes != 1)}")
        facts.append(
            "hover or focus a line to see its partners; <kbd>↑</kbd><kbd>↓</kbd> move, "
            "<kbd>←</kbd><kbd>→</kbd> jump across"
        )
    meta = f'<p class="ac-meta">{" · ".join(facts)}</p>' if facts else ""
    return f"<h2><code>{escape(conversion.name)}</code></h2>{meta}"


def section(conversion: Conversion, report: SampleReport | None = None) -> str:
    """The fragment: one ``<section class="autoconv">`` that needs ``CSS`` and ``JS`` on its page."""
    mapped = set(conversion.line_map.values())
    original = _side("ac-original", document.ORIGINAL_HEADING, _original_column(conversion, mapped))
    if conversion.ok:
        converted = _side("ac-converted", document.CONVERTED_HEADING, _converted_column(conversion))
        body = f'<div class="ac-columns">{original}{converted}</div>'
    else:
        error = (
            f'<div class="ac-error" role="note"><h3>{escape(document.ERROR_HEADING)}</h3>'
            f"<p>{escape(conversion.error or '')}</p></div>"
        )
        body = f'<div class="ac-columns ac-alone">{original}</div>{error}'
    verdicts = report_html(report) if report is not None else ""
    return f'<section class="autoconv">{_header(conversion)}{body}{verdicts}</section>'


class HtmlRenderer:
    """A whole page by default; ``standalone=False`` gives the fragment for a gallery page,
    which includes ``css()`` and ``js()`` once (or wraps its body with ``page``)."""

    name = "html"

    def __init__(self, standalone: bool = True) -> None:
        self.standalone = standalone

    def css(self) -> str:
        return CSS

    def js(self) -> str:
        return JS

    def page(self, title: str, body: str) -> str:
        """Any body in the self-contained shell: no network, no external fonts."""
        return (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{PAGE_CSS}{self.css()}</style>\n</head>\n"
            f"<body>\n{body}\n<script>{self.js()}</script>\n</body>\n</html>\n"
        )

    def format(self, conversion: Conversion, report: SampleReport | None = None) -> str:
        fragment = section(conversion, report)
        return self.page(f"autoconv: {conversion.name}", fragment) if self.standalone else fragment
