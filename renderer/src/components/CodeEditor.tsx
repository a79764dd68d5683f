import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useComputedColorScheme } from '@mantine/core';
import { useEffect, useLayoutEffect, useRef } from 'react';

/** One mark in the editor: where, how bad, and the sentence shown on hover and in the gutter. */
export interface EditorMark {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface CodeEditorProps {
  value: string;
  onChange: (value: string) => void;
  marks: readonly EditorMark[];
  /** The id of the label element, so screen readers name the editor like any other field. */
  labelledBy: string;
  /** Ids of the texts that describe it (the keyboard hint, the ES5 note). */
  describedBy?: string;
  /** Focus the editor once it is shown (the dialog's first field to fill). */
  autoFocus?: boolean;
  minHeight?: number;
  maxHeight?: number;
  /** The code's language, for highlighting and indentation; JavaScript unless said. */
  language?: 'javascript' | 'python';
}

/**
 * Syntax colours from Mantine's palette variables, which change with the colour scheme: one style for light and
 * dark, matching the rest of the window.
 */
const highlight = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword],
    color: 'var(--mantine-color-violet-text)',
  },
  {
    tag: [tags.comment, tags.lineComment, tags.blockComment],
    color: 'var(--mantine-color-dimmed)',
    fontStyle: 'italic',
  },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: 'var(--mantine-color-green-text)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--mantine-color-orange-text)' },
  {
    tag: tags.function(tags.definition(tags.variableName)),
    color: 'var(--mantine-color-blue-text)',
    fontWeight: '600',
  },
  { tag: tags.function(tags.variableName), color: 'var(--mantine-color-blue-text)' },
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--mantine-color-cyan-text)' },
  { tag: tags.invalid, color: 'var(--mantine-color-red-text)' },
]);

/** The editor's frame, gutters, selection and lint marks in Mantine's colours; `dark` tells CodeMirror the base. */
function mantineTheme(dark: boolean) {
  return EditorView.theme(
    {
      '&': {
        color: 'var(--mantine-color-text)',
        backgroundColor: 'var(--mantine-color-body)',
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-sm)',
        fontSize: 'var(--mantine-font-size-sm)',
      },
      '&.cm-focused': {
        outline: '2px solid var(--mantine-primary-color-filled)',
        outlineOffset: '-1px',
      },
      '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: '1.55' },
      '.cm-content': { caretColor: 'var(--mantine-color-text)' },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--mantine-color-text)' },
      '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection':
        { backgroundColor: 'var(--mantine-primary-color-light-hover)' },
      '.cm-gutters': {
        backgroundColor: 'var(--mantine-color-default)',
        color: 'var(--mantine-color-dimmed)',
        borderRight: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-sm) 0 0 var(--mantine-radius-sm)',
      },
      '.cm-activeLine': { backgroundColor: 'var(--mantine-color-default-hover)' },
      '.cm-activeLineGutter': { backgroundColor: 'var(--mantine-color-default-hover)' },
      '.cm-matchingBracket': { backgroundColor: 'var(--mantine-primary-color-light)', outline: 'none' },
      '.cm-tooltip': {
        backgroundColor: 'var(--mantine-color-body)',
        color: 'var(--mantine-color-text)',
        border: '1px solid var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-sm)',
        fontFamily: 'var(--mantine-font-family)',
      },
      '.cm-diagnostic-error': { borderLeftColor: 'var(--mantine-color-red-filled)' },
      '.cm-diagnostic-warning': { borderLeftColor: 'var(--mantine-color-yellow-filled)' },
      '.cm-lintRange-warning': {
        backgroundImage: 'none',
        textDecoration: 'underline wavy var(--mantine-color-yellow-filled)',
        textUnderlineOffset: '3px',
      },
      '.cm-lintRange-error': {
        backgroundImage: 'none',
        textDecoration: 'underline wavy var(--mantine-color-red-filled)',
        textUnderlineOffset: '3px',
      },
    },
    { dark },
  );
}

/**
 * CodeMirror 6 for JavaScript (or Python): highlighting, line numbers, the marks the caller computes (errors and warnings
 * in the gutter and under the code), undo, bracket matching. Tab indents, as in any code editor; Escape then Tab
 * moves on (CodeMirror's own rule), and Escape there does not close the dialog around it. Loaded on demand:
 * nothing of CodeMirror is in the window's first download.
 */
export function CodeEditor({
  value,
  onChange,
  marks,
  labelledBy,
  describedBy,
  autoFocus = false,
  minHeight = 180,
  maxHeight = 360,
  language = 'javascript',
}: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const themeSlot = useRef(new Compartment());
  const latestChange = useRef(onChange);
  const dark = useComputedColorScheme('light') === 'dark';
  useLayoutEffect(() => {
    latestChange.current = onChange;
  });

  useEffect(() => {
    const parent = host.current;
    if (parent === null) return;
    const editor = new EditorView({
      parent,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          language === 'python' ? python() : javascript(),
          syntaxHighlighting(highlight),
          lintGutter(),
          keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
          themeSlot.current.of(mantineTheme(dark)),
          EditorView.theme({
            '&': { minHeight: `${minHeight}px`, maxHeight: `${maxHeight}px` },
            '.cm-scroller': { overflow: 'auto' },
            '.cm-content, .cm-gutter': { minHeight: `${minHeight - 2}px` },
          }),
          EditorView.contentAttributes.of({
            'aria-labelledby': labelledBy,
            ...(describedBy === undefined ? {} : { 'aria-describedby': describedBy }),
            // Escape arms CodeMirror's "Tab moves focus" instead of closing the dialog (Mantine reads this).
            'data-mantine-stop-propagation': 'true',
            spellcheck: 'false',
            autocorrect: 'off',
            autocapitalize: 'off',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latestChange.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    if (autoFocus) editor.focus();
    return () => {
      editor.destroy();
      view.current = undefined;
    };
    // The editor is made once; value, marks and theme reach it through the effects below.
  }, []);

  // A value changed from outside (the sample renamed after the Name field): replace the text, keep the history.
  useEffect(() => {
    const editor = view.current;
    if (editor === undefined) return;
    const current = editor.state.doc.toString();
    if (current !== value) editor.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const editor = view.current;
    if (editor === undefined) return;
    const length = editor.state.doc.length;
    const diagnostics: Diagnostic[] = marks
      .filter((mark) => mark.from <= length)
      .map((mark) => ({ ...mark, to: Math.min(mark.to, length) }));
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [marks, value]);

  useEffect(() => {
    view.current?.dispatch({ effects: themeSlot.current.reconfigure(mantineTheme(dark)) });
  }, [dark]);

  return <div ref={host} data-testid="code-editor" />;
}
