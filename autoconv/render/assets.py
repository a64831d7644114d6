"""The HTML view's stylesheet and script, as constants so a page needs no files and no network.

``CSS`` and ``JS`` are scoped to ``.autoconv`` sections, so a gallery or Sphinx page can include
them once next to its own styles; ``PAGE_CSS`` styles the standalone page shell only.
"""
from __future__ import annotations

GOLDEN_ANGLE = 137.508


def hue(original_line: int) -> int:
    """Neighbouring original lines get far-apart hues, so their bands never look alike."""
    return round(original_line * GOLDEN_ANGLE) % 360


PAGE_CSS = """
body { margin: 0 auto; max-width: 1600px; padding: 1.25rem 1.5rem 3rem; background: #f6f8fa;
  color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
"""

CSS = """
.autoconv { --ac-mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --ac-border: #d0d7de; --ac-muted: #59636e; color: #1f2328; background: #fff;
  border: 1px solid var(--ac-border); border-radius: 8px; padding: 1rem 1.25rem 1.25rem; margin: 0 0 2rem;
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; line-height: 1.5; }
.autoconv h2 { font-size: 1.3rem; margin: 0 0 .2rem; }
.autoconv h2 code { font-size: inherit; }
.autoconv h3 { font-size: .95rem; margin: 0 0 .4rem; color: var(--ac-muted); font-weight: 600; }
.autoconv code, .autoconv pre { font-family: var(--ac-mono); font-size: 13px; }
.autoconv .ac-meta { color: var(--ac-muted); font-size: .85rem; margin: 0 0 .8rem; }
.autoconv .ac-meta kbd { font-family: var(--ac-mono); font-size: .8em; border: 1px solid var(--ac-border);
  border-bottom-width: 2px; border-radius: 4px; padding: 0 .3em; background: #f6f8fa; }
.autoconv .ac-columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem;
  align-items: start; }
.autoconv .ac-columns.ac-alone { grid-template-columns: minmax(0, 1fr); }
.autoconv .ac-side { min-width: 0; }
.autoconv .ac-original { position: sticky; top: 0; max-height: 100vh; overflow: auto; }
.autoconv .ac-code { border: 1px solid var(--ac-border); border-radius: 6px; padding: .35rem 0;
  background: #fff; }
.autoconv .ac-line { display: grid; grid-template-columns: 3.2em minmax(0, 1fr); min-height: 1.5em;
  padding-right: .6rem; box-shadow: inset 4px 0 0 transparent; outline: none; cursor: default; }
.autoconv .ac-converted .ac-line { grid-template-columns: 3.2em 2.8em minmax(0, 1fr); }
.autoconv .ac-line > code { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.5;
  padding-left: calc((var(--i, 0) + 4) * 1ch); text-indent: calc((var(--i, 0) + 4) * -1ch); }
.autoconv .ac-n, .autoconv .ac-from { font-family: var(--ac-mono); font-size: 12px; text-align: right;
  padding-right: .7em; color: #8c959f; user-select: none; line-height: 1.65; }
.autoconv .ac-from { color: #6e7781; }
.autoconv .ac-band { background: hsl(var(--h) 80% 96%); box-shadow: inset 4px 0 0 hsl(var(--h) 60% 62%); }
.autoconv .ac-line.ac-hit { background: hsl(var(--h) 90% 84%);
  box-shadow: inset 6px 0 0 hsl(var(--h) 70% 38%); }
.autoconv .ac-line.ac-hit .ac-n, .autoconv .ac-line.ac-hit .ac-from { color: #1f2328; font-weight: 600; }
.autoconv .ac-line:not(.ac-band).ac-hit { background: #eaeef2; }
.autoconv .ac-line:focus-visible { outline: 2px solid #0969da; outline-offset: -2px; }
.autoconv .ac-notes { display: grid; grid-template-columns: 6em minmax(0, 1fr); padding: 0 .6rem .25rem 0; }
.autoconv .ac-notes > div { grid-column: 2; display: flex; flex-wrap: wrap; gap: .25rem .4rem;
  font: 13px var(--ac-mono); padding-left: calc(var(--i, 0) * 1ch); }
.autoconv .ac-note { font: .8rem/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
.autoconv .ac-note[open] { flex-basis: 100%; }
.autoconv .ac-note > summary { display: inline-block; list-style: none; cursor: pointer; border-radius: 999px;
  padding: 0 .6em; background: #f1f0fb; color: #5a32a3; border: 1px solid #d8d0f5;
  font-family: var(--ac-mono); font-size: 11.5px; }
.autoconv .ac-note > summary::-webkit-details-marker { display: none; }
.autoconv .ac-note > summary::before { content: "\\25B8\\00A0"; }
.autoconv .ac-note[open] > summary::before { content: "\\25BE\\00A0"; }
.autoconv .ac-note > summary:hover { background: #e6e1fa; }
.autoconv .ac-note > summary:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
.autoconv .ac-note > p { margin: .3rem 0 .2rem; padding: .4rem .7rem; max-width: 70ch; background: #faf9ff;
  border-left: 3px solid #b6a6ee; border-radius: 0 4px 4px 0; }
.autoconv .ac-error { border: 1px solid #f0b4b4; background: #fff5f5; border-radius: 6px;
  padding: .6rem .9rem; margin-top: 1rem; }
.autoconv .ac-error h3 { color: #b42318; }
.autoconv .ac-error p { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 100ch; }
.autoconv .ac-missing { color: var(--ac-muted); font-style: italic; }
.autoconv .ac-report { margin-top: 1.2rem; }
.autoconv table { border-collapse: collapse; width: 100%; font-size: .875rem; }
.autoconv th, .autoconv td { text-align: left; vertical-align: top; padding: .35rem .55rem;
  border-bottom: 1px solid #eaeef2; overflow-wrap: anywhere; }
.autoconv th { background: #f6f8fa; font-weight: 600; color: var(--ac-muted); }
.autoconv tr.ac-unexpected > td:first-child { box-shadow: inset 3px 0 0 #cf222e; }
.autoconv tr.ac-calls > td { padding-top: 0; background: #fcfcfd; }
.autoconv tr.ac-calls summary { cursor: pointer; color: var(--ac-muted); font-size: .8rem; }
.autoconv table.ac-call-table { margin: .3rem 0 .6rem; font-size: .8rem; }
.autoconv table.ac-call-table td { font-family: var(--ac-mono); font-size: 12px; white-space: pre-wrap; }
.autoconv .ac-empty { color: var(--ac-muted); font-style: italic; font-family: system-ui, sans-serif; }
.autoconv table.ac-call-table td.ac-diff { background: #fff1c2; box-shadow: inset 0 0 0 1px #d4a72c; }
.autoconv .ac-badge { display: inline-block; border-radius: 999px; padding: 0 .55em; font-size: .78rem;
  font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.autoconv .ac-v-match { background: #dafbe1; color: #116329; border-color: #aceebb; }
.autoconv .ac-v-mismatch { background: #fff8c5; color: #7d4e00; border-color: #eac54f; }
.autoconv .ac-v-graph-error, .autoconv .ac-v-native-error { background: #ffebe9; color: #a40e26;
  border-color: #ffcecb; }
.autoconv .ac-v-timeout, .autoconv .ac-v-crash { background: #f3e8ff; color: #6e2bb5; border-color: #dfc6fb; }
.autoconv .ac-mark-ok { color: #1a7f37; font-weight: 600; }
.autoconv .ac-mark-bad { color: #cf222e; font-weight: 600; }
.autoconv .tok-k { color: #cf222e; }
.autoconv .tok-s { color: #0a3069; }
.autoconv .tok-c { color: #6e7781; font-style: italic; }
.autoconv .tok-m { color: #0550ae; }
.autoconv .tok-f { color: #8250df; }
.autoconv .tok-b { color: #953800; }
.autoconv .tok-d { color: #116329; }
.autoconv .tok-ag { color: #6639ba; font-weight: 600; }
@media (max-width: 900px) {
  .autoconv .ac-columns { grid-template-columns: minmax(0, 1fr); }
  .autoconv .ac-original { position: static; max-height: none; }
}
"""

# Hover and keyboard focus both light up the partners of a line, on both sides, within its own
# section (a gallery page holds many). Arrow keys walk a column; left/right jump across.
JS = """
(function () {
  "use strict";
  if (window.autoconvLinked) { return; }
  window.autoconvLinked = true;
  var hovered = null, focused = null;
  function lineOf(node) {
    return node && node.closest ? node.closest(".autoconv .ac-line") : null;
  }
  function partners(line) {
    var section = line.closest(".autoconv");
    if (!line.dataset.orig) { return [line]; }
    return Array.prototype.slice.call(
      section.querySelectorAll('.ac-line[data-orig="' + line.dataset.orig + '"]'));
  }
  function refresh() {
    document.querySelectorAll(".autoconv .ac-hit").forEach(function (el) {
      el.classList.remove("ac-hit");
    });
    [hovered, focused].forEach(function (line) {
      if (line) { partners(line).forEach(function (el) { el.classList.add("ac-hit"); }); }
    });
  }
  document.addEventListener("mouseover", function (event) {
    var line = lineOf(event.target);
    if (line !== hovered) { hovered = line; refresh(); }
  });
  document.addEventListener("mouseout", function (event) {
    if (!event.relatedTarget && hovered) { hovered = null; refresh(); }
  });
  document.addEventListener("focusin", function (event) { focused = lineOf(event.target); refresh(); });
  document.addEventListener("focusout", function () { focused = null; refresh(); });
  function across(line) {
    var side = line.closest(".ac-side");
    return partners(line).filter(function (el) { return el.closest(".ac-side") !== side; })[0];
  }
  document.addEventListener("keydown", function (event) {
    var line = lineOf(event.target), target = null;
    if (!line || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var lines = Array.prototype.slice.call(line.closest(".ac-side").querySelectorAll(".ac-line"));
      target = lines[lines.indexOf(line) + (event.key === "ArrowDown" ? 1 : -1)];
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      target = across(line);
    }
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  });
})();
"""
