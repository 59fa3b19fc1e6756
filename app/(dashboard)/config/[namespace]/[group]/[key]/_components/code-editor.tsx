"use client";

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { properties } from "@codemirror/legacy-modes/mode/properties";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { oneDarkHighlightStyle } from "@codemirror/theme-one-dark";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useEffectEvent, useRef } from "react";
import { useDarkTheme } from "@/components/layout/use-dark-theme";
import { validateContent } from "@/lib/config/formats/formats";
import type { TConfigFormat } from "@/lib/config/schemas";

function language(format: TConfigFormat): Extension {
  if (format === "json") return json();
  if (format === "yaml") return yaml();
  if (format === "properties") return StreamLanguage.define(properties);
  return [];
}

// The same validation the server runs, drawn in the editor as you type.
function formatLinter(format: TConfigFormat): Extension {
  return linter(
    (view) => {
      const problem = validateContent({ format, content: view.state.doc.toString() });
      if (!problem) return [];
      const line = view.state.doc.line(Math.min(problem.line, view.state.doc.lines));
      const from = Math.min(line.from + problem.column - 1, line.to);
      const diagnostic: Diagnostic = { from, to: Math.min(from + 1, view.state.doc.length), severity: "error", message: problem.message };
      return [diagnostic];
    },
    { delay: 150 },
  );
}

const layout = EditorView.theme({
  "&": { fontSize: "13px", minHeight: "16rem" },
  ".cm-content": { fontFamily: "var(--font-mono)" },
  ".cm-gutters": { backgroundColor: "transparent", borderRight: "1px solid var(--color-zinc-200)" },
  "&.cm-focused": { outline: "2px solid var(--color-sky-600)", outlineOffset: "-2px" },
  ".cm-scroller": { minHeight: "16rem", maxHeight: "32rem" },
});

// The page's zinc greys, so the editor sits in the dark page rather than on a white sheet.
const darkColours = EditorView.theme(
  {
    "&": { color: "var(--color-zinc-100)", backgroundColor: "var(--color-zinc-950)" },
    ".cm-content": { caretColor: "var(--color-zinc-100)" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--color-zinc-100)" },
    ".cm-gutters": { color: "var(--color-zinc-400)", borderRight: "1px solid var(--color-zinc-800)" },
    ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "rgb(39 39 42 / 0.6)" },
    "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--color-zinc-700)" },
    ".cm-tooltip": { backgroundColor: "var(--color-zinc-900)", color: "var(--color-zinc-100)", border: "1px solid var(--color-zinc-700)" },
  },
  { dark: true },
);

function colours(dark: boolean): Extension {
  return dark ? [darkColours, syntaxHighlighting(oneDarkHighlightStyle)] : syntaxHighlighting(defaultHighlightStyle, { fallback: true });
}

/** CodeMirror 6 with highlighting and validation for the item's format; the parent owns the text. */
export function CodeEditor({
  value,
  onChange,
  format,
  readOnly = false,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  format: TConfigFormat;
  readOnly?: boolean;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const editableSlot = useRef(new Compartment());
  const colourSlot = useRef(new Compartment());
  const dark = useDarkTheme();
  const changed = useEffectEvent(onChange);

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          foldGutter(),
          lintGutter(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          indentOnInput(),
          bracketMatching(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          // Before the layout: earlier extensions win, and the colours must override its light gutter border.
          colourSlot.current.of(colours(dark)),
          layout,
          EditorView.contentAttributes.of({ "aria-label": label }),
          languageSlot.current.of([language(format), formatLinter(format)]),
          editableSlot.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // Made once (a new editor would lose the cursor and undo history); the effects below follow the props.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the props are only the editor's starting point here
  }, []);

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure([language(format), formatLinter(format)]) });
  }, [format]);

  useEffect(() => {
    view.current?.dispatch({ effects: colourSlot.current.reconfigure(colours(dark)) });
  }, [dark]);

  useEffect(() => {
    view.current?.dispatch({ effects: editableSlot.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) });
  }, [readOnly]);

  // A new value from outside (a reload, a rollback): replace the text, not on every keystroke of our own.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  return (
    <div ref={host} data-testid="code-editor" className="overflow-hidden rounded-md border border-zinc-300 bg-white dark:border-zinc-700 dark:bg-zinc-950" />
  );
}
