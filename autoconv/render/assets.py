"""The HTML view's stylesheet and script, as constants so a page needs no files and no network.

Every rule of ``CSS`` sits under ``.autoconv`` and every class it names starts ``ac-``, so a
gallery, notebook or Sphinx page can include it once next to its own styles (``PAGE_CSS``
styles the standalone page shell only). ``JS`` binds each ``.autoconv`` root once, whenever it
runs, so several views on a page, each in its own iframe, or a script loaded in the head all work;
without it the view still reads (folds and notes are ``<details>``).
"""
from __future__ import annotations

from dataclasses import dataclass

from autoconv.model.verdicts import Verdict

GOLDEN_ANGLE = 137.508

# One colour per verdict wherever a verdict is shown: in HTML (background, text, border) and as
# a terminal's ANSI colour. "as expected" or not is a separate mark, never this colour.
@dataclass(frozen=True)
class VerdictStyle:
    background: str
    text: str
    border: str
    terminal: str


VERDICT_STYLES: dict[Verdict, VerdictStyle] = {
    Verdict.MATCH: VerdictStyle("#dafbe1", "#116329", "#8ddb9e", "32"),
    Verdict.MISMATCH: VerdictStyle("#fff8c5", "#7d4e00", "#d4a72c", "33"),
    Verdict.GRAPH_ERROR: VerdictStyle("#ffebe9", "#a40e26", "#ff9492", "31"),
    Verdict.EAGER_ERROR: VerdictStyle("#fff1e5", "#953800", "#fb8f44", "38;5;208"),
    Verdict.TIMEOUT: VerdictStyle("#f3e8ff", "#6e2bb5", "#c297ff", "35"),
    Verdict.CRASH: VerdictStyle("#ffe5f1", "#99286e", "#f49ac6", "95"),
}
# ``none``: nothing was compared (not run, no inputs).
NOTHING_COMPARED = VerdictStyle("#eaeef2", "#424a53", "#afb8c1", "0")


def hue(original_line: int) -> int:
    """Neighbouring original lines get far-apart hues, so their bands never look alike."""
    return round(original_line * GOLDEN_ANGLE) % 360


# Dark variants of the verdict colours: a deep tint behind light text, same hue.
DARK_VERDICT_STYLES: dict[str, tuple[str, str, str]] = {
    Verdict.MATCH: ("#0f2e1a", "#7ee2a8", "#2a6b3f"),
    Verdict.MISMATCH: ("#33270a", "#f2cc60", "#7d5d10"),
    Verdict.GRAPH_ERROR: ("#3b1219", "#ffa198", "#8e1e2c"),
    Verdict.EAGER_ERROR: ("#3a1f0c", "#ffa657", "#8a4412"),
    Verdict.TIMEOUT: ("#2a1a45", "#d2a8ff", "#6e40c9"),
    Verdict.CRASH: ("#3a1430", "#f49ac6", "#8e2a6b"),
    "none": ("#21262d", "#c9d1d9", "#484f58"),
}


def _verdict_colours(dark: bool) -> dict[str, str]:
    styles: list[tuple[str, tuple[str, str, str]]] = [
        (str(verdict), (style.background, style.text, style.border)) for verdict, style in VERDICT_STYLES.items()]
    styles.append(("none", (NOTHING_COMPARED.background, NOTHING_COMPARED.text, NOTHING_COMPARED.border)))
    if dark:
        styles = [(str(verdict), colours) for verdict, colours in DARK_VERDICT_STYLES.items()]
    return {f"--ac-v-{name}-{part}": colour for name, colours in styles
            for part, colour in zip(("bg", "fg", "bd"), colours, strict=True)}


# Every colour of the views, in one table per mode: the rules below name only these variables, so
# dark mode is the same rules over another palette (``--ac-band`` and friends: saturation and
# lightness of a line's hue).
LIGHT = {
    "--ac-fg": "#1f2328", "--ac-bg": "#fff", "--ac-border": "#d0d7de", "--ac-muted": "#59636e",
    "--ac-subtle": "#f6f8fa", "--ac-subtle-2": "#eaeef2", "--ac-number": "#6e7781", "--ac-dashed": "#afb8c1",
    "--ac-band": "80% 96%", "--ac-band-edge": "60% 62%", "--ac-hit": "90% 84%", "--ac-hit-edge": "70% 38%",
    "--ac-focus": "#0969da", "--ac-pressed-bg": "#ddf4ff", "--ac-pressed-bd": "#54aeff",
    "--ac-note-bg": "#f1f0fb", "--ac-note-fg": "#5a32a3", "--ac-note-bd": "#d8d0f5", "--ac-note-hover": "#e6e1fa",
    "--ac-note-text-bg": "#faf9ff", "--ac-note-text-bd": "#b6a6ee",
    "--ac-teach-bg": "#ddf4ff", "--ac-teach-fg": "#0550ae", "--ac-teach-bd": "#80ccff",
    "--ac-error-bg": "#fff5f5", "--ac-error-bd": "#f0b4b4", "--ac-error-fg": "#b42318",
    "--ac-diff-bg": "#fff1c2", "--ac-diff-bd": "#d4a72c", "--ac-ok": "#1a7f37", "--ac-bad": "#cf222e",
    "--ac-t-k": "#cf222e", "--ac-t-s": "#0a3069", "--ac-t-c": "#6e7781", "--ac-t-m": "#0550ae", "--ac-t-f": "#8250df",
    "--ac-t-b": "#953800", "--ac-t-d": "#116329", "--ac-t-ag": "#6639ba",
    "--ac-x-staged-bg": "#ddf4ff", "--ac-x-staged-bd": "#54aeff", "--ac-x-staged-fg": "#0a3069", "--ac-x-python-bg": "#fff8c5", "--ac-x-python-bd": "#d4a72c", "--ac-x-python-fg": "#4d2d00",
    "--ac-x-trace-time-bg": "#ffebe9", "--ac-x-trace-time-bd": "#ff8182", "--ac-x-trace-time-fg": "#82071e", "--ac-x-ops-bg": "#f6f8fa", "--ac-x-ops-bd": "#d0d7de", "--ac-x-ops-fg": "#57606a",
    "--ac-shade": "rgba(31, 35, 40, .28)", "--ac-slower": "#fff8c5",
    **_verdict_colours(dark=False),
}
DARK = {
    "--ac-fg": "#e6edf3", "--ac-bg": "#0d1117", "--ac-border": "#3d444d", "--ac-muted": "#9198a1",
    "--ac-subtle": "#161b22", "--ac-subtle-2": "#262c36", "--ac-number": "#8b949e", "--ac-dashed": "#656c76",
    "--ac-band": "35% 15%", "--ac-band-edge": "55% 50%", "--ac-hit": "50% 28%", "--ac-hit-edge": "75% 65%",
    "--ac-focus": "#58a6ff", "--ac-pressed-bg": "#0c2d4f", "--ac-pressed-bd": "#1f6feb",
    "--ac-note-bg": "#261c3d", "--ac-note-fg": "#d2a8ff", "--ac-note-bd": "#4b3a75", "--ac-note-hover": "#352659",
    "--ac-note-text-bg": "#171327", "--ac-note-text-bd": "#6e56cf",
    "--ac-teach-bg": "#0c2d4f", "--ac-teach-fg": "#79c0ff", "--ac-teach-bd": "#1f6feb",
    "--ac-error-bg": "#2d1214", "--ac-error-bd": "#6e2a2e", "--ac-error-fg": "#ff7b72",
    "--ac-diff-bg": "#3d2e00", "--ac-diff-bd": "#9e6a03", "--ac-ok": "#3fb950", "--ac-bad": "#ff7b72",
    "--ac-t-k": "#ff7b72", "--ac-t-s": "#a5d6ff", "--ac-t-c": "#8b949e", "--ac-t-m": "#79c0ff", "--ac-t-f": "#d2a8ff",
    "--ac-t-b": "#ffa657", "--ac-t-d": "#7ee787", "--ac-t-ag": "#bc8cff",
    "--ac-x-staged-bg": "#0c2d4f", "--ac-x-staged-bd": "#1f6feb", "--ac-x-staged-fg": "#a5d6ff", "--ac-x-python-bg": "#33270a", "--ac-x-python-bd": "#9e6a03", "--ac-x-python-fg": "#f2cc60",
    "--ac-x-trace-time-bg": "#3b1219", "--ac-x-trace-time-bd": "#8e1e2c", "--ac-x-trace-time-fg": "#ffa198", "--ac-x-ops-bg": "#161b22", "--ac-x-ops-bd": "#3d444d", "--ac-x-ops-fg": "#9198a1",
    "--ac-shade": "rgba(0, 0, 0, .7)", "--ac-slower": "#33270a",
    **_verdict_colours(dark=True),
}


def palette(selector: str, colours: dict[str, str]) -> str:
    return f"{selector} {{ {' '.join(f'{name}: {value};' for name, value in colours.items())} }}\n"


def modes(scope: str) -> str:
    """The light palette on ``scope``, and the dark one where the reader's system asks for it."""
    return (palette(f".{scope}", {**LIGHT, "color-scheme": "light"})
            + f"@media (prefers-color-scheme: dark) {{\n{palette(f'.{scope}', {**DARK, 'color-scheme': 'dark'})}}}\n")


def verdict_css(scope: str) -> str:
    """``.ac-v-<verdict>`` badge colours under ``scope`` (the view's root, or a gallery page's)."""
    names = [*(str(verdict) for verdict in VERDICT_STYLES), "none"]
    return "".join(
        f".{scope} .ac-v-{name} {{ background: var(--ac-v-{name}-bg); color: var(--ac-v-{name}-fg); "
        f"border-color: var(--ac-v-{name}-bd); }}\n" for name in names)


# A host with its own light/dark switch decides, whatever the system says: furo's and pydata's
# ``data-theme``, JupyterLab's ``data-jp-theme-light``, VS Code's body class.
HOST_DARK = ('[data-theme="dark"] .autoconv, [data-jp-theme-light="false"] .autoconv, body.vscode-dark .autoconv')
HOST_LIGHT = ('[data-theme="light"] .autoconv, [data-jp-theme-light="true"] .autoconv, body.vscode-light .autoconv')
HOST_MODE_CSS = (palette(HOST_DARK, {**DARK, "color-scheme": "dark"})
                 + palette(HOST_LIGHT, {**LIGHT, "color-scheme": "light"}))


def page_modes(root: str = ":root") -> str:
    """The palette on a whole page of autoconv's own (``autoconv serve``'s frame), so the page and
    the views in it use one set of colours: the reader's system decides, unless the page's switch
    set ``data-theme`` on ``root``, which the views inside follow too (``HOST_MODE_CSS``)."""
    return (palette(root, {**LIGHT, "color-scheme": "light"})
            + f"@media (prefers-color-scheme: dark) {{\n{palette(root, {**DARK, 'color-scheme': 'dark'})}}}\n"
            + palette(f'{root}[data-theme="dark"]', {**DARK, "color-scheme": "dark"})
            + palette(f'{root}[data-theme="light"]', {**LIGHT, "color-scheme": "light"}))


PAGE_CSS = """
:root { color-scheme: light dark; }
body { margin: 0 auto; max-width: 1600px; padding: 1.25rem 1.5rem 3rem; background: #f6f8fa;
  color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
@media (prefers-color-scheme: dark) { body { background: #010409; color: #e6edf3; }
  a { color: #58a6ff; } a:visited { color: #bc8cff; } }
@media (max-width: 640px) { body { padding: .75rem .5rem 2rem; } }
"""

# The view's root is a size container: the panes stack where the view itself is narrow (a theme's
# content column, a notebook cell), whatever the window. Gutters are as wide as the numbers they
# hold (``--ac-n`` and ``--ac-f``: characters, set per pane by the renderer).
CSS = modes("autoconv") + """
.autoconv { --ac-mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  color: var(--ac-fg); background: var(--ac-bg); box-sizing: border-box;
  border: 1px solid var(--ac-border); border-radius: 8px; padding: 1rem 1.25rem 1.25rem; margin: 0 0 2rem;
  max-width: 100%; font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  line-height: 1.5; overflow-wrap: normal; text-align: left; container: autoconv / inline-size; }
.autoconv *, .autoconv *::before, .autoconv *::after { box-sizing: border-box; }
.autoconv a { color: var(--ac-focus); }
.autoconv h2 { font-size: 1.3rem; margin: 0 0 .2rem; overflow-wrap: anywhere; color: inherit; }
.autoconv h2 code { font-size: inherit; }
.autoconv h3 { font-size: .95rem; margin: 0 0 .4rem; color: var(--ac-muted); font-weight: 600; }
.autoconv code, .autoconv pre { font-family: var(--ac-mono); font-size: 13px; background: none; padding: 0;
  border: 0; color: inherit; }
.autoconv .ac-meta { color: var(--ac-muted); font-size: .85rem; margin: 0 0 .6rem; }
.autoconv .ac-meta code { overflow-wrap: anywhere; }
.autoconv .ac-meta kbd { font-family: var(--ac-mono); font-size: .8em; border: 1px solid var(--ac-border);
  border-bottom-width: 2px; border-radius: 4px; padding: 0 .3em; background: var(--ac-subtle); color: var(--ac-fg);
  box-shadow: none; }
.autoconv .ac-tools { display: flex; flex-wrap: wrap; gap: .4rem; margin: 0 0 .7rem; }
.autoconv .ac-tools[hidden] { display: none; }
.autoconv .ac-tools button { font: .8rem system-ui, sans-serif; border: 1px solid var(--ac-border);
  background: var(--ac-subtle); color: var(--ac-fg); border-radius: 6px; padding: .15rem .6rem; cursor: pointer; }
.autoconv .ac-tools button[aria-pressed="true"] { background: var(--ac-pressed-bg); border-color: var(--ac-pressed-bd); }
.autoconv .ac-calls { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; margin: 0 0 .7rem;
  font-size: .8rem; color: var(--ac-muted); }
.autoconv .ac-calls[hidden], .autoconv .ac-call-badges[hidden] { display: none; }
.autoconv .ac-calls button { font: .8rem var(--ac-mono); border: 1px solid var(--ac-border); background: var(--ac-subtle);
  color: var(--ac-fg); border-radius: 6px; padding: .15rem .6rem; cursor: pointer; max-width: 60ch;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.autoconv .ac-calls button[aria-pressed="true"] { background: var(--ac-pressed-bg); border-color: var(--ac-pressed-bd); }
.autoconv .ac-call-badges { display: contents; }
.autoconv .ac-columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem;
  align-items: start; }
.autoconv .ac-columns.ac-alone { grid-template-columns: minmax(0, 1fr); }
.autoconv .ac-side { min-width: 0; }
.autoconv .ac-original { position: sticky; top: 0; max-height: 100vh; overflow-y: auto; }
.autoconv .ac-code { --ac-n: 3; --ac-f: 0; --ac-gutter: calc((var(--ac-n) + 2) * 1ch);
  border: 1px solid var(--ac-border); border-radius: 6px; padding: .35rem 0;
  background: var(--ac-bg); overflow-x: auto; container-type: inline-size; font: 12px var(--ac-mono); }
.autoconv .ac-rows { width: max-content; min-width: 100%; }
.autoconv .ac-line { display: grid; grid-template-columns: var(--ac-gutter) minmax(0, 1fr) auto; min-height: 1.5em;
  padding-right: .6rem; outline: none; cursor: default; background: var(--ac-bg); }
.autoconv .ac-converted .ac-line { grid-template-columns: var(--ac-gutter) calc((var(--ac-f) + 1.5) * 1ch) minmax(0, 1fr); }
.autoconv .ac-line > code { white-space: pre; line-height: 1.5; padding-left: .3ch; }
.autoconv .ac-original .ac-line > code, .autoconv.ac-wrap .ac-line > code { white-space: pre-wrap;
  overflow-wrap: anywhere; padding-left: calc((var(--i, 0) + 4) * 1ch); text-indent: calc((var(--i, 0) + 4) * -1ch); }
.autoconv .ac-original .ac-rows, .autoconv.ac-wrap .ac-rows { width: auto; }
.autoconv .ac-n, .autoconv .ac-from { font-family: var(--ac-mono); font-size: 12px; text-align: right;
  padding-right: 1ch; color: var(--ac-number); user-select: none; line-height: 1.65; white-space: nowrap;
  position: sticky; left: 0; z-index: 1; background: inherit; }
.autoconv .ac-from { left: var(--ac-gutter); padding-right: .5ch; }
.autoconv .ac-original .ac-line[data-orig] > .ac-n { cursor: pointer; }
.autoconv .ac-line.ac-context > code { opacity: .8; }
.autoconv .ac-line.ac-context + .ac-line:not(.ac-context) { border-top: 1px dashed var(--ac-dashed); }
.autoconv .ac-band { background: hsl(var(--h) var(--ac-band)); }
.autoconv .ac-band > .ac-n { box-shadow: inset 4px 0 0 hsl(var(--h) var(--ac-band-edge)); }
.autoconv .ac-line.ac-hit { background: hsl(var(--h) var(--ac-hit)); }
.autoconv .ac-line.ac-hit > .ac-n { box-shadow: inset 6px 0 0 hsl(var(--h) var(--ac-hit-edge)); }
.autoconv .ac-line.ac-hit .ac-n, .autoconv .ac-line.ac-hit .ac-from { color: var(--ac-fg); font-weight: 600; }
.autoconv .ac-line:not(.ac-band).ac-hit { background: var(--ac-subtle-2); }
.autoconv .ac-line:focus-visible, .autoconv .ac-fold > summary:focus-visible { outline: 2px solid var(--ac-focus);
  outline-offset: -2px; }
.autoconv .ac-badges { display: flex; flex-wrap: wrap; gap: .25rem; grid-column: 2 / -1; padding: 0 0 .2rem 2ch;
  white-space: normal; }
.autoconv .ac-badges .ac-badge { white-space: normal; max-width: 100%; }
.autoconv .ac-fold > summary { display: block; list-style: none; cursor: pointer; outline: none; }
.autoconv .ac-fold > summary::-webkit-details-marker { display: none; }
.autoconv .ac-fold-mark { color: var(--ac-muted); font-style: italic; background: var(--ac-subtle);
  border: 1px dashed var(--ac-dashed); border-radius: 4px; padding: 0 .45em; }
.autoconv .ac-fold > summary:hover .ac-fold-mark { background: var(--ac-subtle-2); color: var(--ac-fg); }
.autoconv .ac-fold[open] > summary .ac-fold-mark::after { content: "  \\25B4 fold"; font-style: normal; }
.autoconv .ac-fold[open] { box-shadow: inset 2px 0 0 var(--ac-dashed); }
.autoconv .ac-notes { position: sticky; left: 0; width: 100cqw; max-width: 100%; padding: 0 .6rem .25rem 0;
  background: var(--ac-bg); }
.autoconv .ac-notes.ac-band { background: hsl(var(--h) var(--ac-band)); }
.autoconv .ac-notes > div { display: flex; flex-wrap: wrap; gap: .25rem .4rem;
  padding-left: calc((var(--ac-n) + var(--ac-f) + 4 + min(var(--i, 0), 12)) * 1ch); }
.autoconv .ac-original .ac-notes > div { padding-left: var(--ac-gutter); }
.autoconv .ac-note { font: .8rem/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
.autoconv .ac-note[open] { flex-basis: 100%; }
.autoconv .ac-note > summary, .autoconv .ac-note-ref { display: inline-block; list-style: none; cursor: pointer;
  border-radius: 999px; padding: 0 .6em; background: var(--ac-note-bg); color: var(--ac-note-fg);
  border: 1px solid var(--ac-note-bd); font-family: var(--ac-mono); font-size: 11.5px; white-space: nowrap; }
.autoconv .ac-note-ref { background: var(--ac-bg); text-decoration: none; border-style: dashed; }
.autoconv .ac-note.ac-teach > summary { background: var(--ac-teach-bg); color: var(--ac-teach-fg);
  border-color: var(--ac-teach-bd); }
.autoconv .ac-note > summary::-webkit-details-marker { display: none; }
.autoconv .ac-note > summary::before { content: "\\25B8\\00A0"; }
.autoconv .ac-note[open] > summary::before { content: "\\25BE\\00A0"; }
.autoconv .ac-note > summary:hover, .autoconv .ac-note-ref:hover { background: var(--ac-note-hover); }
.autoconv .ac-note > summary:focus-visible, .autoconv .ac-note-ref:focus-visible {
  outline: 2px solid var(--ac-focus); outline-offset: 1px; }
.autoconv .ac-note > p { margin: .3rem 0 .2rem; padding: .4rem .7rem; max-width: 70ch; background: var(--ac-note-text-bg);
  border-left: 3px solid var(--ac-note-text-bd); border-radius: 0 4px 4px 0; white-space: normal; }
.autoconv .ac-error { border: 1px solid var(--ac-error-bd); background: var(--ac-error-bg); border-radius: 6px;
  padding: .6rem .9rem; margin-top: 1rem; }
.autoconv .ac-error h3 { color: var(--ac-error-fg); }
.autoconv .ac-error p { margin: 0; white-space: pre-wrap; max-width: 100ch; }
.autoconv .ac-missing { color: var(--ac-muted); font-style: italic; }
.autoconv .ac-report { margin-top: 1.2rem; }
.autoconv .ac-scroll { overflow-x: auto; max-width: 100%; }
.autoconv table { border-collapse: collapse; width: 100%; font-size: .875rem; color: inherit; }
.autoconv th, .autoconv td { text-align: left; vertical-align: top; padding: .35rem .55rem;
  border-bottom: 1px solid var(--ac-subtle-2); overflow-wrap: normal; word-break: normal; }
.autoconv th { background: var(--ac-subtle); font-weight: 600; color: var(--ac-muted); white-space: nowrap; }
.autoconv tr.ac-unexpected > td:first-child { box-shadow: inset 3px 0 0 var(--ac-bad); }
.autoconv tr.ac-calls > td { padding-top: 0; background: var(--ac-subtle); }
.autoconv tr.ac-calls summary { cursor: pointer; color: var(--ac-muted); font-size: .8rem; }
.autoconv table.ac-call-table { margin: .3rem 0 .6rem; font-size: .8rem; }
.autoconv table.ac-call-table td { font-family: var(--ac-mono); font-size: 12px; white-space: pre-wrap; }
.autoconv .ac-w { white-space: nowrap; }
.autoconv .ac-empty { color: var(--ac-muted); font-style: italic; font-family: system-ui, sans-serif; }
.autoconv table.ac-call-table td.ac-diff { background: var(--ac-diff-bg); box-shadow: inset 0 0 0 1px var(--ac-diff-bd); }
.autoconv .ac-differed { margin: .15rem 0 0; font-size: .8rem; }
.autoconv .ac-differed code { font-size: 12px; white-space: pre-wrap; }
.autoconv .ac-side-name { color: var(--ac-muted); font-weight: 600; }
.autoconv .ac-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; font-size: .78rem;
  font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.autoconv .ac-mark-ok, .autoconv .ac-mark-bad { white-space: nowrap; font-weight: 600; }
.autoconv .ac-mark-ok { color: var(--ac-ok); }
.autoconv .ac-mark-bad { color: var(--ac-bad); }
.autoconv .ac-t-k { color: var(--ac-t-k); }
.autoconv .ac-t-s { color: var(--ac-t-s); }
.autoconv .ac-t-c { color: var(--ac-t-c); font-style: italic; }
.autoconv .ac-t-m { color: var(--ac-t-m); }
.autoconv .ac-t-f { color: var(--ac-t-f); }
.autoconv .ac-t-b { color: var(--ac-t-b); }
.autoconv .ac-t-d { color: var(--ac-t-d); }
.autoconv .ac-t-ag { color: var(--ac-t-ag); font-weight: 600; }
.autoconv .ac-clip-right { -webkit-mask-image: linear-gradient(to left, transparent, #000 2.5rem);
  mask-image: linear-gradient(to left, transparent, #000 2.5rem); }
.autoconv .ac-clip-left { -webkit-mask-image: linear-gradient(to right, transparent, #000 2.5rem);
  mask-image: linear-gradient(to right, transparent, #000 2.5rem); }
.autoconv .ac-clip-left.ac-clip-right {
  -webkit-mask-image: linear-gradient(to right, transparent, #000 2.5rem, #000 calc(100% - 2.5rem), transparent);
  mask-image: linear-gradient(to right, transparent, #000 2.5rem, #000 calc(100% - 2.5rem), transparent); }
@container autoconv (max-width: 900px) {
  .autoconv .ac-columns { grid-template-columns: minmax(0, 1fr); }
  .autoconv .ac-original { position: static; max-height: none; }
}
@container autoconv (max-width: 600px) {
  .autoconv .ac-notes > div { padding-left: var(--ac-gutter); }
  .autoconv table.ac-verdicts, .autoconv table.ac-verdicts > tbody, .autoconv table.ac-verdicts > tbody > tr,
  .autoconv table.ac-verdicts > tbody > tr > td { display: block; }
  .autoconv table.ac-verdicts > thead { display: none; }
  .autoconv table.ac-verdicts > tbody > tr.ac-case { border-top: 1px solid var(--ac-border); padding-top: .3rem; }
  .autoconv table.ac-verdicts > tbody > tr > td { border: 0; padding: .1rem .4rem; }
  .autoconv table.ac-verdicts td[data-label]::before { content: attr(data-label) ": "; color: var(--ac-muted);
    font-weight: 600; }
}
@media (max-width: 640px) {
  .autoconv { padding: .7rem .6rem .9rem; border-radius: 6px; }
}
""" + verdict_css("autoconv")

# Hover and keyboard focus both light up the partners of a line, on both sides, within its own
# view. Arrow keys walk the shown lines of a column; left/right jump across (to the fold that
# hides the partner, when it is folded).
JS = """
(function () {
  "use strict";
  function each(list, action) { Array.prototype.forEach.call(list, action); }
  function shown(element) { return element.getClientRects().length > 0; }
  function lineOf(node) {
    if (!node || !node.closest) { return null; }
    var line = node.closest(".ac-line");
    if (!line && node.matches && node.matches(".ac-fold > summary")) { line = node.querySelector(".ac-line"); }
    return line;
  }
  function focusable(line) { return line.closest("summary") || line; }
  function bind(root) {
    if (root.getAttribute("data-ac-bound")) { return; }
    root.setAttribute("data-ac-bound", "1");
    var hovered = null, focused = null;
    function own(selector) {  // a view may hold another (explain's helpers): each keeps to its own lines
      return Array.prototype.slice.call(root.querySelectorAll(selector)).filter(function (el) {
        return el.closest(".autoconv") === root;
      });
    }
    function partners(line) {
      if (!line.dataset.orig) { return [line]; }
      return own('.ac-line[data-orig="' + line.dataset.orig + '"]');
    }
    function refresh() {
      each(root.querySelectorAll(".ac-hit"), function (el) { el.classList.remove("ac-hit"); });
      [hovered, focused].forEach(function (line) {
        if (line) { partners(line).forEach(function (el) { el.classList.add("ac-hit"); }); }
      });
    }
    function ownLine(node) {
      var line = lineOf(node);
      return line && line.closest(".autoconv") === root ? line : null;
    }
    root.addEventListener("mouseover", function (event) {
      var line = ownLine(event.target);
      if (line !== hovered) { hovered = line; refresh(); }
    });
    root.addEventListener("mouseleave", function () { hovered = null; refresh(); });
    root.addEventListener("focusin", function (event) { focused = ownLine(event.target); refresh(); });
    root.addEventListener("focusout", function () { focused = null; refresh(); });
    function across(line) {
      var side = line.closest(".ac-side");
      var others = partners(line).filter(function (el) { return el.closest(".ac-side") !== side; });
      var visible = others.filter(shown)[0];
      if (visible || !others.length) { return visible; }
      var fold = others[0].closest(".ac-fold");
      return fold ? fold.querySelector("summary > .ac-line") : null;
    }
    root.addEventListener("keydown", function (event) {
      var line = ownLine(event.target), target = null;
      if (!line || event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var lines = Array.prototype.slice.call(line.closest(".ac-side").querySelectorAll(".ac-line")).filter(shown);
        target = lines[lines.indexOf(line) + (event.key === "ArrowDown" ? 1 : -1)];
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        target = across(line);
      }
      if (target) {
        event.preventDefault();
        focusable(target).focus();
        target.scrollIntoView({ block: "nearest" });
      }
    });
    root.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.ac-note-ref");
      if (!link) { return; }
      var note = root.querySelector(link.getAttribute("href"));
      if (!note) { return; }
      event.preventDefault();
      for (var open = note; open && open !== root; open = open.parentElement) {
        if (open.tagName === "DETAILS") { open.open = true; }
      }
      note.querySelector("summary").focus();
      note.scrollIntoView({ block: "nearest" });
    });
    root.addEventListener("click", function (event) {  // an original line's number is its permalink, #L12
      var number = event.target.closest && event.target.closest(".ac-original .ac-line > .ac-n");
      if (!number || number.closest(".autoconv") !== root || document.querySelectorAll(".ac-original").length !== 1) {
        return;
      }
      try { window.history.replaceState(null, "", "#L" + number.parentElement.dataset.orig); } catch (error) { /* file: */ }
    });
    // explain's call switcher: each call's badges are a group, on this view and its helpers' views
    var calls = root.querySelector(".ac-calls");
    if (calls && calls.closest(".autoconv") === root) {
      calls.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest("button[data-call]");
        if (!button) { return; }
        each(calls.querySelectorAll("button[data-call]"), function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        each(document.querySelectorAll('.ac-call-badges[data-ac-for="' + calls.getAttribute("data-ac-for") + '"]'),
          function (group) { group.hidden = group.getAttribute("data-call") !== button.getAttribute("data-call"); });
      });
      calls.hidden = false;
    }
    var tools = root.querySelector(".ac-tools");
    if (!tools) { return; }
    var copy = tools.querySelector(".ac-copy");
    if (copy) {
      copy.addEventListener("click", function () {
        var text = own(".ac-original .ac-line[data-orig] > code").map(function (code) {
          return code.textContent; }).join("\\n") + "\\n";
        function done(words) { copy.textContent = words; setTimeout(function () { copy.textContent = "copy code"; }, 1500); }
        function fallback() {
          var area = document.createElement("textarea");
          area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
          document.body.appendChild(area); area.select();
          var copied = false;
          try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
          area.remove();
          done(copied ? "copied" : "select and copy by hand");
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () { done("copied"); }, fallback);
        } else { fallback(); }
      });
    }
    tools.hidden = false;
    var showAll = tools.querySelector(".ac-show-all"), wrap = tools.querySelector(".ac-wrap-toggle");
    if (!own(".ac-fold").length) { showAll.hidden = true; }
    showAll.addEventListener("click", function () {
      var opened = showAll.getAttribute("aria-pressed") !== "true";
      showAll.setAttribute("aria-pressed", String(opened));
      showAll.textContent = opened ? "fold AutoGraph's machinery" : "show every line";
      own("details.ac-fold").forEach(function (fold) { fold.open = opened; });
    });
    wrap.addEventListener("click", function () {
      var wrapped = root.classList.toggle("ac-wrap");
      wrap.setAttribute("aria-pressed", String(wrapped));
    });
  }
  // A pane or table wider than its box fades at the edge it hides something behind (the numbers of
  // a code pane stay put, so only its right edge fades); scrolling or resizing updates the cue.
  function cue(scroller) {
    var left = scroller.scrollLeft > 1, right = scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1;
    scroller.classList.toggle("ac-clip-left", left && !scroller.classList.contains("ac-code"));
    scroller.classList.toggle("ac-clip-right", right);
  }
  function watch(scroller) {
    if (scroller.getAttribute("data-ac-cue")) { return; }
    scroller.setAttribute("data-ac-cue", "1");
    var update = function () { cue(scroller); };
    scroller.addEventListener("scroll", update, { passive: true });
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(update);
      observer.observe(scroller);
      if (scroller.firstElementChild) { observer.observe(scroller.firstElementChild); }
    }
    update();
  }
  // #L12 in the address: the page's only view lights up and shows original line 12
  function toLine() {
    var match = /^#L(\\d+)$/.exec(window.location.hash), originals = document.querySelectorAll(".ac-original");
    if (!match || originals.length !== 1) { return; }
    var line = originals[0].querySelector('.ac-line[data-orig="' + match[1] + '"]');
    if (!line) { return; }
    for (var open = line.parentElement; open; open = open.parentElement) {
      if (open.tagName === "DETAILS") { open.open = true; }
    }
    focusable(line).focus({ preventScroll: true });
    line.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", toLine);
  function bindAll() {
    each(document.querySelectorAll(".autoconv"), bind);
    each(document.querySelectorAll(".autoconv .ac-code, .autoconv .ac-scroll, .autoconv .ac-explain-scroll, "
                                   + ".gallery .g-scroll"), watch);
  }
  bindAll();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bindAll(); toLine(); });
  } else { toLine(); }
})();
"""

# Badges and the summary of an explanation.
EXPLAIN_CSS = """
.autoconv .ac-x-staged { background: var(--ac-x-staged-bg); border-color: var(--ac-x-staged-bd); color: var(--ac-x-staged-fg); }
.autoconv .ac-x-python { background: var(--ac-x-python-bg); border-color: var(--ac-x-python-bd); color: var(--ac-x-python-fg); }
.autoconv .ac-x-trace-time { background: var(--ac-x-trace-time-bg); border-color: var(--ac-x-trace-time-bd); color: var(--ac-x-trace-time-fg); }
.autoconv .ac-x-error { background: var(--ac-x-trace-time-bg); border-color: var(--ac-x-trace-time-bd);
  color: var(--ac-x-trace-time-fg); font-weight: 600; }
.autoconv .ac-x-ops { background: var(--ac-x-ops-bg); border-color: var(--ac-x-ops-bd); color: var(--ac-x-ops-fg); }
.autoconv .ac-explain-summary { margin: 0 0 .6rem; font-size: .9rem; }
.autoconv .ac-explain-lines code.ac-source { white-space: pre-wrap; }  /* its indentation kept */
.autoconv .ac-explain-summary h3 { margin: 0 0 .4rem; font-size: 1rem; }
.autoconv .ac-explain-summary ul { margin: .2rem 0; padding-left: 1.2rem; }
.autoconv .ac-explain-scroll { max-width: 100%; overflow-x: auto; }
.autoconv .ac-explain-lines td { vertical-align: top; padding: .15rem .4rem; }
.autoconv .ac-explain-lines .ac-badge { white-space: normal; overflow-wrap: normal; }  /* wraps between words only */
"""


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
.autoconv.autoconv th, .autoconv.autoconv td { border-top: 0; border-left: 0; border-right: 0; text-align: left; }
"""

# The gallery's pages: their own layout around the views, under ``.gallery``.
GALLERY_CSS = modes("gallery") + """
.gallery { max-width: 100%; overflow-wrap: normal; color: var(--ac-fg); }
.gallery a { color: var(--ac-focus); }
.gallery h1, .gallery h2 { overflow-wrap: anywhere; }  /* a title may hold a long identifier */
.gallery p { overflow-wrap: break-word; }  /* so may a note (a dotted name): break it only if it cannot fit */
.gallery code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.gallery table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1.5rem; }
.gallery .g-scroll { overflow-x: auto; max-width: 100%; }
.gallery th, .gallery td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid var(--ac-border); }
.gallery td.num { text-align: right; font-variant-numeric: tabular-nums; }
.gallery .g-nowrap, .gallery .ac-w { white-space: nowrap; }
.gallery .g-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; margin: 0 .15em .15em 0;
  font-size: .78rem; font-weight: 600; border: 1px solid; white-space: nowrap; }
.gallery .g-mark-bad { color: var(--ac-bad); font-weight: 700; }
.gallery .g-mark-ok { color: var(--ac-ok); font-weight: 700; }
.gallery .g-tag { color: var(--ac-muted); font-size: .85rem; }
.gallery .g-intro { max-width: 80ch; }
.gallery .g-topics { display: flex; flex-wrap: wrap; gap: .3rem .8rem; margin: .5rem 0; }
.gallery .g-filter { margin: .8rem 0; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.gallery .g-filter[hidden] { display: none; }
.gallery .g-filter input { font: inherit; padding: .25rem .5rem; border: 1px solid var(--ac-border); border-radius: 6px;
  width: min(24rem, 100%); background: var(--ac-bg); color: var(--ac-fg); }
.gallery .g-legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .5rem 0 1rem; padding: 0;
  list-style: none; font-size: .85rem; color: var(--ac-muted); }
.gallery tr[hidden], .gallery section[hidden] { display: none; }
.gallery .g-failed { border: 1px solid var(--ac-error-bd); background: var(--ac-error-bg); border-radius: 6px;
  padding: .5rem 1rem; }
.gallery tr.g-slower td { background: var(--ac-slower); }
.gallery .g-note { color: var(--ac-muted); font-size: .9rem; }
.gallery .g-drawing { overflow: auto; max-height: 80vh; border: 1px solid var(--ac-border); border-radius: 6px;
  padding: .5rem; margin: .5rem 0 1.5rem; background: #fff; }  /* the drawing is black on white */
.gallery .g-drawing svg { max-width: 100%; height: auto; }
.gallery nav { display: flex; flex-wrap: wrap; gap: .2rem .6rem; }
.gallery nav.g-pager { justify-content: space-between; gap: .5rem 1rem; margin: 2rem 0 0; padding-top: .8rem;
  border-top: 1px solid var(--ac-border); }
.gallery .g-expected { font-weight: 600; margin-left: .2em; padding-left: .35em; border-left: 1px solid currentColor; }
.gallery .ac-clip-right { -webkit-mask-image: linear-gradient(to left, transparent, #000 2.5rem);
  mask-image: linear-gradient(to left, transparent, #000 2.5rem); }
.gallery .ac-clip-left { -webkit-mask-image: linear-gradient(to right, transparent, #000 2.5rem);
  mask-image: linear-gradient(to right, transparent, #000 2.5rem); }
@media (max-width: 640px) {
  .gallery table.g-index, .gallery table.g-index tbody { display: block; }
  .gallery table.g-index thead { display: none; }
  .gallery table.g-index tr { display: block; border: 1px solid var(--ac-border); border-radius: 8px;
    background: var(--ac-bg); margin: 0 0 .6rem; padding: .4rem .6rem; }
  .gallery table.g-index td { display: block; border: 0; padding: .1rem 0; }
  .gallery table.g-index td:first-child { font-weight: 600; }
}
""" + verdict_css("gallery")

# The index's filter: hides the rows (and topics) that do not hold every word typed. Without a
# script the box stays hidden and every sample is listed, so the page still reads.
FILTER_JS = """
(function () {
  "use strict";
  var form = document.querySelector(".gallery .g-filter"), box = form && form.querySelector("input");
  if (!box) { return; }
  form.hidden = false;
  var count = form.querySelector(".g-count");
  function filter() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    document.querySelectorAll(".gallery tr[data-filter]").forEach(function (row) {
      var text = row.getAttribute("data-filter");
      row.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
      shown += row.hidden ? 0 : 1;
    });
    document.querySelectorAll(".gallery section.g-topic").forEach(function (topic) {
      topic.hidden = !topic.querySelector("tr[data-filter]:not([hidden])");
    });
    count.textContent = words.length ? shown + " shown" : "";
  }
  // ?q= in the address fills the box, and typing keeps the address in step, so a filter can be shared
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { box.value = query; filter(); }
  box.addEventListener("input", function () {
    filter();
    var url = new URL(window.location.href);
    if (box.value) { url.searchParams.set("q", box.value); } else { url.searchParams.delete("q"); }
    try { window.history.replaceState(null, "", url.href); } catch (error) { /* a file: page may refuse */ }
  });
})();
"""
