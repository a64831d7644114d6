"""The HTML view as one self-contained fragment: what ``_repr_html_`` hands a notebook.

A notebook output has no page to put a stylesheet in, and Colab or VS Code show each output in
its own sandboxed iframe, so every fragment carries the view's CSS and JS inline. The script
guards itself (``window.autoconvLinked``), so a notebook of many views listens once; without JS
the static view still reads. The conversion and verdicts come from ``render.html``, the same
renderer as ``show --format html``; trace and graph reports reuse their text renderers, boxed
in the same scoped section.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from autoconv.render.assets import CSS, JS
from autoconv.render.html import HtmlRenderer
from autoconv.render.html_report import report_html

if TYPE_CHECKING:
    from autoconv.conversion import Conversion
    from autoconv.equivalence.report import CheckReport, SampleReport
    from autoconv.graph_view import GraphView
    from autoconv.tracing import TraceReport


# Notebook front ends and Sphinx themes style bare tags inside their content (a heading font,
# a tinted background on every <code>, borders on every table). The view's own rules win where
# they speak; these undo the rest, under a doubled class so they outrank a theme's
# ``div.body h2``, and only inside the view.
HOST_RESET_CSS = """
.autoconv.autoconv h2, .autoconv.autoconv h3 { font-family: inherit; text-transform: none; letter-spacing: normal;
  border: 0; padding: 0; background: none; line-height: 1.3; }
.autoconv.autoconv h2 { margin: 0 0 .2rem; font-size: 1.3rem; font-weight: 600; }
.autoconv.autoconv h3 { margin: 0 0 .4rem; font-size: .95rem; }
.autoconv.autoconv code { background: none; border: 0; border-radius: 0; padding-top: 0; padding-right: 0;
  padding-bottom: 0; color: inherit; font-weight: inherit; box-shadow: none; }
.autoconv.autoconv :is(h2, h3, p, td, summary) > code { display: inline; overflow-wrap: anywhere; }
.autoconv.autoconv pre { background: none; border: 0; box-shadow: none; }
.autoconv.autoconv table { margin: 0; border: 0; box-shadow: none; background: none; }
.autoconv.autoconv tr { background: none; }
.autoconv.autoconv th, .autoconv.autoconv td { border-top: 0; border-left: 0; border-right: 0; }
"""


def site_css() -> str:
    """The stylesheet a site (Sphinx) links once: the view's rules and the host resets."""
    return CSS + HOST_RESET_CSS


def embedded(*sections: str) -> str:
    """Sections of the view with their stylesheet and script: nothing fetched, nothing assumed."""
    return f'<div class="autoconv-embed"><style>{site_css()}</style>{"".join(sections)}<script>{JS}</script></div>'


# One renderer for the whole process: it numbers repeated views of one function, so a notebook
# that shows ``f`` twice still has unique ids.
_RENDERER = HtmlRenderer(standalone=False)


def conversion_html(conversion: Conversion, report: SampleReport | None = None) -> str:
    return embedded(_RENDERER.format(conversion, report))


def _boxed(title: str, body: str) -> str:
    return f'<section class="autoconv"><h2>{title}</h2>{body}</section>'


def sample_report_html(report: SampleReport) -> str:
    where = f'<p class="ac-meta">from <code>{escape(report.location)}</code></p>' if report.location else ""
    return _boxed(f"<code>{escape(report.name)}</code>", where + report_html(report))


def check_report_html(report: CheckReport) -> str:
    """Every sample's verdicts, one section each, and whether both sides shared this process."""
    sections = [sample_report_html(sample) for sample in report.samples]
    if report.shared_state:
        note = ('<p class="ac-meta">The function could not be reloaded from a file, so both sides ran '
                "in this process and shared its module state.</p>")
        sections.insert(0, _boxed("autoconv check", note))
    return embedded(*sections) if sections else embedded(_boxed("autoconv check", "<p>No samples.</p>"))


def _preformatted(title: str, text: str) -> str:
    return embedded(_boxed(title, f'<div class="ac-code"><pre style="margin:0;padding:.4rem .8rem;overflow-x:auto">{escape(text)}</pre></div>'))


def trace_html(report: TraceReport) -> str:
    from autoconv.render.tracing_text import format_trace

    return _preformatted(f"<code>{escape(report.name)}</code>: when it traced", format_trace(report))


def graph_html(view: GraphView) -> str:
    from autoconv.render.tracing_text import format_graph

    return _preformatted(f"<code>{escape(view.name)}</code>: the traced graph", format_graph(view))
