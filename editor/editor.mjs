// The editor the explorer page uses: CodeMirror 6 with Python, one-dark for the dark theme, and a
// gutter for lint findings. Bundled by build.mjs into autoconv/serve/static/editor.js, which
// exposes window.AutoconvEditor.create(parent, text, onChange).
import { EditorView, basicSetup } from "codemirror";
import { python } from "@codemirror/lang-python";
import { oneDark } from "@codemirror/theme-one-dark";
import { Compartment, StateEffect, StateField, RangeSet } from "@codemirror/state";
import { Decoration, GutterMarker, gutter, keymap } from "@codemirror/view";
import { indentUnit } from "@codemirror/language";
import { indentWithTab } from "@codemirror/commands";

const theme = new Compartment();

// Marks per line: {line: {kind, text}}; kind is lint | error | badge.
const setMarks = StateEffect.define();

class Mark extends GutterMarker {
  constructor(kind, text) { super(); this.kind = kind; this.text = text; }
  eq(other) { return other.kind === this.kind && other.text === this.text; }
  toDOM() {
    const element = document.createElement("span");
    element.className = "acx-mark acx-mark-" + this.kind;
    element.title = this.text;
    element.textContent = this.kind === "lint" ? "\u25B2" : this.kind === "error" ? "\u2716" : "\u25CF";
    return element;
  }
}

function marksOf(doc, marks) {
  const ranges = [];
  for (const [number, mark] of Object.entries(marks).sort((a, b) => a[0] - b[0])) {
    const line = Number(number);
    if (line >= 1 && line <= doc.lines) {
      ranges.push(new Mark(mark.kind, mark.text).range(doc.line(line).from));
    }
  }
  return RangeSet.of(ranges);
}

const marksField = StateField.define({
  create() { return RangeSet.empty; },
  update(value, transaction) {
    value = value.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (effect.is(setMarks)) { value = marksOf(transaction.state.doc, effect.value); }
    }
    return value;
  },
});

// Line backgrounds set by an effect: ``classesOf(value)`` gives {line number: class}.
function lineClassField(effectType, classesOf) {
  return StateField.define({
    create() { return Decoration.none; },
    update(value, transaction) {
      value = value.map(transaction.changes);
      for (const effect of transaction.effects) {
        if (!effect.is(effectType)) { continue; }
        const doc = transaction.state.doc;
        const ranges = Object.entries(classesOf(effect.value))
          .map(([number, name]) => [Number(number), name])
          .filter(([line]) => line >= 1 && line <= doc.lines)
          .sort((a, b) => a[0] - b[0])
          .map(([line, name]) => Decoration.line({ class: name }).range(doc.line(line).from));
        value = Decoration.set(ranges);
      }
      return value;
    },
    provide: (field) => EditorView.decorations.from(field),
  });
}

const lineClasses = lineClassField(setMarks, (marks) =>
  Object.fromEntries(Object.entries(marks).map(([line, mark]) => [line, "acx-line-" + mark.kind])));

// One line lit while the reader hovers its partners in the converted view.
const setHover = StateEffect.define();
const hoverField = lineClassField(setHover, (line) => (line ? { [line]: "acx-line-hover" } : {}));

function create(parent, text, onChange) {
  const view = new EditorView({
    doc: text,
    parent,
    extensions: [
      basicSetup,
      python(),
      indentUnit.of("    "),  // PEP 8
      keymap.of([indentWithTab]),  // Tab indents; Esc then Tab leaves the editor
      marksField,
      lineClasses,
      hoverField,
      gutter({ class: "acx-marks", markers: (v) => v.state.field(marksField) }),
      theme.of([]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) { onChange(update.state.doc.toString()); }
      }),
    ],
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(value) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } }); },
    setMarks(marks) { view.dispatch({ effects: setMarks.of(marks) }); },
    setHover(line) { view.dispatch({ effects: setHover.of(line || 0) }); },
    setDark(dark) { view.dispatch({ effects: theme.reconfigure(dark ? oneDark : []) }); },
  };
}

window.AutoconvEditor = { create };
