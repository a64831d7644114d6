"""The HTML view's stylesheet and script, as constants so a page needs no files and no network.

Every rule of ``CSS`` sits under ``.autoconv`` and every class it names starts ``ac-``, so a
gallery, notebook or Sphinx page can include it once next to its own styles (``PAGE_CSS``
styles the standalone page shell only). ``JS`` binds each ``.autoconv`` root once, whenever it
runs, so several views on a page, each in its own iframe, or a script loaded in the head all work;
without it the view still reads (folds and notes are ``<details>``).
"""
from __future__ import annotations

from dataclasses import dataclass

from autoconv.model.check import Verdict

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


def verdict_css(scope: str) -> str:
    """``.ac-v-<verdict>`` badge colours under ``scope`` (the view's root, or a gallery page's)."""
    return "".join(
        f".{scope} .ac-v-{verdict} {{ background: {background}; color: {text}; border-color: {border}; }}\n"
        for verdict, (background, text, border) in [
            *((str(verdict), (style.background, style.text, style.border)) for verdict, style in VERDICT_STYLES.items()),
            ("none", (NOTHING_COMPARED.background, NOTHING_COMPARED.text, NOTHING_COMPARED.border))]
    )


PAGE_CSS = """
body { margin: 0 auto; max-width: 1600px; padding: 1.25rem 1.5rem 3rem; background: #f6f8fa;
  color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
@media (max-width: 640px) { body { padding: .75rem .5rem 2rem; } }
"""

CSS = """
.autoconv { --ac-mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --ac-border: #d0d7de; --ac-muted: #59636e; color: #1f2328; background: #fff; box-sizing: border-box;
  border: 1px solid var(--ac-border); border-radius: 8px; padding: 1rem 1.25rem 1.25rem; margin: 0 0 2rem;
  max-width: 100%; font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
  line-height: 1.5; overflow-wrap: normal; text-align: left; }
.autoconv *, .autoconv *::before, .autoconv *::after { box-sizing: border-box; }
.autoconv h2 { font-size: 1.3rem; margin: 0 0 .2rem; overflow-wrap: anywhere; }
.autoconv h2 code { font-size: inherit; }
.autoconv h3 { font-size: .95rem; margin: 0 0 .4rem; color: var(--ac-muted); font-weight: 600; }
.autoconv code, .autoconv pre { font-family: var(--ac-mono); font-size: 13px; background: none; padding: 0;
  border: 0; color: inherit; }
.autoconv .ac-meta { color: var(--ac-muted); font-size: .85rem; margin: 0 0 .6rem; }
.autoconv .ac-meta code { overflow-wrap: anywhere; }
.autoconv .ac-meta kbd { font-family: var(--ac-mono); font-size: .8em; border: 1px solid var(--ac-border);
  border-bottom-width: 2px; border-radius: 4px; padding: 0 .3em; background: #f6f8fa; }
.autoconv .ac-tools { display: flex; flex-wrap: wrap; gap: .4rem; margin: 0 0 .7rem; }
.autoconv .ac-tools[hidden] { display: none; }
.autoconv .ac-tools button { font: .8rem system-ui, sans-serif; border: 1px solid var(--ac-border);
  background: #f6f8fa; color: #1f2328; border-radius: 6px; padding: .15rem .6rem; cursor: pointer; }
.autoconv .ac-tools button[aria-pressed="true"] { background: #ddf4ff; border-color: #54aeff; }
.autoconv .ac-columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem;
  align-items: start; }
.autoconv .ac-columns.ac-alone { grid-template-columns: minmax(0, 1fr); }
.autoconv .ac-side { min-width: 0; }
.autoconv .ac-original { position: sticky; top: 0; max-height: 100vh; overflow-y: auto; }
.autoconv .ac-code { border: 1px solid var(--ac-border); border-radius: 6px; padding: .35rem 0;
  background: #fff; overflow-x: auto; container-type: inline-size; }
.autoconv .ac-rows { width: max-content; min-width: 100%; }
.autoconv .ac-line { display: grid; grid-template-columns: 7ch minmax(0, 1fr) auto; min-height: 1.5em;
  padding-right: .6rem; outline: none; cursor: default; background: #fff; }
.autoconv .ac-converted .ac-line { grid-template-columns: 7ch 6ch minmax(0, 1fr); }
.autoconv .ac-line > code { white-space: pre; line-height: 1.5; }
.autoconv.ac-wrap .ac-rows { width: auto; }
.autoconv.ac-wrap .ac-line > code { white-space: pre-wrap; overflow-wrap: anywhere;
  padding-left: calc((var(--i, 0) + 4) * 1ch); text-indent: calc((var(--i, 0) + 4) * -1ch); }
.autoconv .ac-n, .autoconv .ac-from { font-family: var(--ac-mono); font-size: 12px; text-align: right;
  padding-right: .7em; color: #6e7781; user-select: none; line-height: 1.65; white-space: nowrap;
  position: sticky; left: 0; z-index: 1; background: inherit; }
.autoconv .ac-from { left: 7ch; color: #57606a; }
.autoconv .ac-band { background: hsl(var(--h) 80% 96%); }
.autoconv .ac-band > .ac-n { box-shadow: inset 4px 0 0 hsl(var(--h) 60% 62%); }
.autoconv .ac-line.ac-hit { background: hsl(var(--h) 90% 84%); }
.autoconv .ac-line.ac-hit > .ac-n { box-shadow: inset 6px 0 0 hsl(var(--h) 70% 38%); }
.autoconv .ac-line.ac-hit .ac-n, .autoconv .ac-line.ac-hit .ac-from { color: #1f2328; font-weight: 600; }
.autoconv .ac-line:not(.ac-band).ac-hit { background: #eaeef2; }
.autoconv .ac-line:focus-visible, .autoconv .ac-fold > summary:focus-visible { outline: 2px solid #0969da;
  outline-offset: -2px; }
.autoconv .ac-badges { display: flex; flex-wrap: wrap; gap: .25rem; grid-column: 2 / -1; padding: 0 0 .2rem 2ch;
  white-space: normal; }
.autoconv .ac-fold > summary { display: block; list-style: none; cursor: pointer; outline: none; }
.autoconv .ac-fold > summary::-webkit-details-marker { display: none; }
.autoconv .ac-fold-mark { color: #57606a; font-style: italic; background: #f6f8fa; border: 1px dashed #afb8c1;
  border-radius: 4px; padding: 0 .45em; }
.autoconv .ac-fold > summary:hover .ac-fold-mark { background: #eaeef2; color: #1f2328; }
.autoconv .ac-fold[open] > summary .ac-fold-mark::after { content: "  \\25B4 fold"; font-style: normal; }
.autoconv .ac-fold[open] { box-shadow: inset 2px 0 0 #afb8c1; }
.autoconv .ac-notes { position: sticky; left: 0; width: 100cqw; max-width: 100%; padding: 0 .6rem .25rem 0;
  background: #fff; }
.autoconv .ac-notes.ac-band { background: hsl(var(--h) 80% 96%); }
.autoconv .ac-notes > div { display: flex; flex-wrap: wrap; gap: .25rem .4rem; font: 13px var(--ac-mono);
  padding-left: calc(13ch + min(var(--i, 0), 12) * 1ch); }
.autoconv .ac-original .ac-notes > div { padding-left: 7ch; }
.autoconv .ac-note { font: .8rem/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
.autoconv .ac-note[open] { flex-basis: 100%; }
.autoconv .ac-note > summary, .autoconv .ac-note-ref { display: inline-block; list-style: none; cursor: pointer;
  border-radius: 999px; padding: 0 .6em; background: #f1f0fb; color: #5a32a3; border: 1px solid #d8d0f5;
  font-family: var(--ac-mono); font-size: 11.5px; white-space: nowrap; }
.autoconv .ac-note-ref { background: #fff; text-decoration: none; border-style: dashed; }
.autoconv .ac-note.ac-teach > summary { background: #ddf4ff; color: #0550ae; border-color: #80ccff; }
.autoconv .ac-note > summary::-webkit-details-marker { display: none; }
.autoconv .ac-note > summary::before { content: "\\25B8\\00A0"; }
.autoconv .ac-note[open] > summary::before { content: "\\25BE\\00A0"; }
.autoconv .ac-note > summary:hover, .autoconv .ac-note-ref:hover { background: #e6e1fa; }
.autoconv .ac-note > summary:focus-visible, .autoconv .ac-note-ref:focus-visible { outline: 2px solid #0969da;
  outline-offset: 1px; }
.autoconv .ac-note > p { margin: .3rem 0 .2rem; padding: .4rem .7rem; max-width: 70ch; background: #faf9ff;
  border-left: 3px solid #b6a6ee; border-radius: 0 4px 4px 0; white-space: normal; }
.autoconv .ac-error { border: 1px solid #f0b4b4; background: #fff5f5; border-radius: 6px;
  padding: .6rem .9rem; margin-top: 1rem; }
.autoconv .ac-error h3 { color: #b42318; }
.autoconv .ac-error p { margin: 0; white-space: pre-wrap; max-width: 100ch; }
.autoconv .ac-missing { color: var(--ac-muted); font-style: italic; }
.autoconv .ac-report { margin-top: 1.2rem; }
.autoconv .ac-scroll { overflow-x: auto; max-width: 100%; }
.autoconv table { border-collapse: collapse; width: 100%; font-size: .875rem; }
.autoconv th, .autoconv td { text-align: left; vertical-align: top; padding: .35rem .55rem;
  border-bottom: 1px solid #eaeef2; overflow-wrap: normal; word-break: normal; }
.autoconv th { background: #f6f8fa; font-weight: 600; color: var(--ac-muted); white-space: nowrap; }
.autoconv tr.ac-unexpected > td:first-child { box-shadow: inset 3px 0 0 #cf222e; }
.autoconv tr.ac-calls > td { padding-top: 0; background: #fcfcfd; }
.autoconv tr.ac-calls summary { cursor: pointer; color: var(--ac-muted); font-size: .8rem; }
.autoconv table.ac-call-table { margin: .3rem 0 .6rem; font-size: .8rem; }
.autoconv table.ac-call-table td { font-family: var(--ac-mono); font-size: 12px; white-space: pre-wrap; }
.autoconv .ac-w { white-space: nowrap; }
.autoconv .ac-empty { color: var(--ac-muted); font-style: italic; font-family: system-ui, sans-serif; }
.autoconv table.ac-call-table td.ac-diff { background: #fff1c2; box-shadow: inset 0 0 0 1px #d4a72c; }
.autoconv .ac-differed { margin: .15rem 0 0; font-size: .8rem; }
.autoconv .ac-differed code { font-size: 12px; white-space: pre-wrap; }
.autoconv .ac-side-name { color: var(--ac-muted); font-weight: 600; }
.autoconv .ac-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; font-size: .78rem;
  font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.autoconv .ac-mark-ok, .autoconv .ac-mark-bad { white-space: nowrap; font-weight: 600; }
.autoconv .ac-mark-ok { color: #1a7f37; }
.autoconv .ac-mark-bad { color: #cf222e; }
.autoconv .ac-t-k { color: #cf222e; }
.autoconv .ac-t-s { color: #0a3069; }
.autoconv .ac-t-c { color: #6e7781; font-style: italic; }
.autoconv .ac-t-m { color: #0550ae; }
.autoconv .ac-t-f { color: #8250df; }
.autoconv .ac-t-b { color: #953800; }
.autoconv .ac-t-d { color: #116329; }
.autoconv .ac-t-ag { color: #6639ba; font-weight: 600; }
@media (max-width: 900px) {
  .autoconv .ac-columns { grid-template-columns: minmax(0, 1fr); }
  .autoconv .ac-original { position: static; max-height: none; }
}
@media (max-width: 640px) {
  .autoconv { padding: .7rem .6rem .9rem; border-radius: 6px; }
  .autoconv .ac-notes > div { padding-left: 7ch; }
  .autoconv table.ac-verdicts, .autoconv table.ac-verdicts > tbody, .autoconv table.ac-verdicts > tbody > tr,
  .autoconv table.ac-verdicts > tbody > tr > td { display: block; }
  .autoconv table.ac-verdicts > thead { display: none; }
  .autoconv table.ac-verdicts > tbody > tr.ac-case { border-top: 1px solid var(--ac-border); padding-top: .3rem; }
  .autoconv table.ac-verdicts > tbody > tr > td { border: 0; padding: .1rem .4rem; }
  .autoconv table.ac-verdicts td[data-label]::before { content: attr(data-label) ": "; color: var(--ac-muted);
    font-weight: 600; }
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
    var tools = root.querySelector(".ac-tools");
    if (!tools) { return; }
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
  function bindAll() { each(document.querySelectorAll(".autoconv"), bind); }
  bindAll();
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", bindAll); }
})();
"""

# Badges and the summary of an explanation.
EXPLAIN_CSS = """
.autoconv .ac-x-staged { background: #ddf4ff; border-color: #54aeff; color: #0a3069; }
.autoconv .ac-x-python { background: #fff8c5; border-color: #d4a72c; color: #4d2d00; }
.autoconv .ac-x-trace-time { background: #ffebe9; border-color: #ff8182; color: #82071e; }
.autoconv .ac-x-error { background: #ffebe9; border-color: #cf222e; color: #82071e; font-weight: 600; }
.autoconv .ac-x-ops { background: #f6f8fa; border-color: #d0d7de; color: #57606a; }
.autoconv .ac-explain-summary { margin: 0 0 1rem; padding: .6rem .9rem; border: 1px solid #d0d7de;
  border-radius: 6px; background: #f6f8fa; font-size: .9rem; }
.autoconv .ac-explain-summary h3 { margin: 0 0 .4rem; font-size: 1rem; }
.autoconv .ac-explain-summary ul { margin: .2rem 0; padding-left: 1.2rem; }
.autoconv .ac-explain-scroll { max-width: 100%; overflow-x: auto; }
.autoconv .ac-explain-lines td { vertical-align: top; padding: .15rem .4rem; }
.autoconv .ac-explain-lines .ac-badge { white-space: normal; overflow-wrap: anywhere; }
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
.autoconv.autoconv th, .autoconv.autoconv td { border-top: 0; border-left: 0; border-right: 0; }
"""

# The gallery's pages: their own layout around the views, under ``.gallery``.
GALLERY_CSS = """
.gallery { max-width: 100%; overflow-wrap: normal; }
.gallery h1, .gallery h2 { overflow-wrap: anywhere; }  /* a title may hold a long identifier */
.gallery table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1.5rem; }
.gallery .g-scroll { overflow-x: auto; max-width: 100%; }
.gallery th, .gallery td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid #d0d7de; }
.gallery td.num { text-align: right; font-variant-numeric: tabular-nums; }
.gallery .g-nowrap, .gallery .ac-w { white-space: nowrap; }
.gallery .g-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; margin: 0 .15em .15em 0;
  font-size: .78rem; font-weight: 600; border: 1px solid; white-space: nowrap; }
.gallery .g-mark-bad { color: #cf222e; font-weight: 700; }
.gallery .g-mark-ok { color: #1a7f37; font-weight: 700; }
.gallery .g-tag { color: #59636e; font-size: .85rem; }
.gallery .g-intro { max-width: 80ch; }
.gallery .g-topics { display: flex; flex-wrap: wrap; gap: .3rem .8rem; margin: .5rem 0; }
.gallery .g-filter { margin: .8rem 0; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.gallery .g-filter[hidden] { display: none; }
.gallery .g-filter input { font: inherit; padding: .25rem .5rem; border: 1px solid #d0d7de; border-radius: 6px;
  width: min(24rem, 100%); }
.gallery .g-legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: .5rem 0 1rem; padding: 0;
  list-style: none; font-size: .85rem; color: #424a53; }
.gallery tr[hidden], .gallery section[hidden] { display: none; }
.gallery .g-failed { border: 1px solid #f0b4b4; background: #fff5f5; border-radius: 6px; padding: .5rem 1rem; }
.gallery tr.g-slower td { background: #fff8c5; }
.gallery .g-note { color: #59636e; font-size: .9rem; }
.gallery .g-drawing { overflow: auto; max-height: 80vh; border: 1px solid #d0d7de; border-radius: 6px;
  padding: .5rem; margin: .5rem 0 1.5rem; }
.gallery .g-drawing svg { max-width: 100%; height: auto; }
.gallery nav { display: flex; flex-wrap: wrap; gap: .2rem .6rem; }
@media (max-width: 640px) {
  .gallery table.g-index, .gallery table.g-index tbody { display: block; }
  .gallery table.g-index thead { display: none; }
  .gallery table.g-index tr { display: block; border: 1px solid #d0d7de; border-radius: 8px; background: #fff;
    margin: 0 0 .6rem; padding: .4rem .6rem; }
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
  box.addEventListener("input", function () {
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
  });
})();
"""
