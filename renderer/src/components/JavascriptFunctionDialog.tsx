import { Button, Checkbox, Loader, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useDeferredValue, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsFunction } from '../api/javascript-api';
import { checkScript, type ScriptCheck, type ScriptFinding } from '../lib/es5-check';
import { useHostMessage } from '../lib/host-message';
import {
  SAMPLE_FUNCTION_NAME,
  formProblems,
  functionBody,
  renameFunction,
  sampleScript,
  type IdProblem,
  type JsFunctionForm,
} from '../lib/javascript-form';
import { lazyNamed } from '../lib/lazy';
import { forbiddenCharacters } from '../lib/name-rules';
import { useDialog } from '../lib/use-dialog';
import type { JsEditing } from '../stores/javascript-store';
import type { EditorMark } from './CodeEditor';
import { DialogFailure, DialogFooter } from './DialogParts';
import { LazyPart } from './LazyPart';

// CodeMirror is the dialog's largest part: fetched when a dialog first opens, never for the first paint.
const CodeEditor = lazyNamed(() => import('./CodeEditor'), 'CodeEditor');

const EDITOR_MIN_HEIGHT = 170;

/** Hints under the fields: side by side, the two inputs line up whatever their hints' lengths. */
const INPUT_ORDER: ('label' | 'input' | 'description' | 'error')[] = [
  'label',
  'input',
  'description',
  'error',
];

export interface JavascriptFunctionDialogProps {
  /** What the dialog is about; `undefined` closes it. */
  editing: JsEditing | undefined;
  /** The function being edited, as the server described it (undefined while it loads, and when creating). */
  current: JsFunction | undefined;
  /** The ids the server lists: a new function may not reuse one (eKuiper: `Item <id> already exists`). */
  existing: readonly string[];
  onClose: () => void;
  /** Sends the function and answers the server's message; rejects with the server's error. */
  onSave: (fn: JsFunction, mode: JsEditing['mode']) => Promise<string>;
}

function emptyForm(): JsFunctionForm {
  return { id: '', description: '', script: sampleScript(SAMPLE_FUNCTION_NAME, false), isAgg: false };
}

/** The 1-based line of an offset, as the summary under the editor names it. */
function lineOf(script: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < script.length; i++) if (script.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The Name field's message: the characters eKuiper's id rule refuses and stray spaces at once, an empty name
 * once the user tried to send, and a name the server has already.
 */
function nameError(
  t: TFunction,
  id: string,
  problem: IdProblem | undefined,
  tried: boolean,
  duplicate: boolean,
): string | undefined {
  if (problem === 'characters') {
    return t('nameField.characters', { found: forbiddenCharacters(id, t('nameField.space')) });
  }
  if (problem === 'whitespace') return t('nameField.whitespace');
  if (problem === 'empty') return tried ? t('javascriptFunctions.form.nameEmpty') : undefined;
  return duplicate ? t('javascriptFunctions.form.duplicate', { name: id }) : undefined;
}

/** The sentence a finding shows in the editor, in the window's language. */
export function findingText(t: TFunction, finding: ScriptFinding): string {
  return t(`javascriptFunctions.es5.${finding.code}`, { detail: finding.detail ?? '' });
}

/**
 * Create or edit a custom JavaScript function: name (eKuiper's id rule), description, aggregate flag and the
 * script in a code editor, pre-filled with a working sample whose function follows the name. What eKuiper would
 * refuse is said before sending: syntax newer than ECMAScript 5.1 as warnings, code that does not parse and a
 * missing global function as errors; only the name and an empty script block sending, the server decides the rest
 * and its refusal is shown in its words.
 */
export function JavascriptFunctionDialog({
  editing,
  current,
  existing,
  onClose,
  onSave,
}: JavascriptFunctionDialogProps) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const opened = editing !== undefined;
  const creating = editing?.mode === 'create';
  useDialog(opened);
  const [form, setForm] = useState<JsFunctionForm>(emptyForm);
  /** The name the script's function has now, so renaming the function follows the Name field. */
  const [functionName, setFunctionName] = useState(SAMPLE_FUNCTION_NAME);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const scriptLabel = useId();
  const scriptHint = useId();

  const editedId = editing?.mode === 'edit' ? editing.id : undefined;
  useEffect(() => {
    setTried(false);
    setBusy(false);
    setFailure(undefined);
    if (editing === undefined) return;
    if (editing.mode === 'create') {
      setForm(emptyForm());
      setFunctionName(SAMPLE_FUNCTION_NAME);
    }
  }, [editing?.mode, editedId]);
  // The function arrives (or arrives again) from the server: the form starts from it.
  useEffect(() => {
    if (editedId === undefined || current === undefined || current.id !== editedId) return;
    setForm({
      id: current.id,
      description: current.description,
      script: current.script,
      isAgg: current.isAgg,
    });
    setFunctionName(current.id);
  }, [editedId, current]);

  const deferredScript = useDeferredValue(form.script);
  const deferredId = useDeferredValue(form.id);
  const check: ScriptCheck = useMemo(
    () => checkScript(deferredScript, deferredId),
    [deferredScript, deferredId],
  );
  const marks: EditorMark[] = useMemo(
    () => check.findings.map((finding) => ({ ...finding, message: findingText(t, finding) })),
    [check, t],
  );

  const problems = formProblems(form);
  const duplicate = creating && existing.includes(form.id);
  const idError = nameError(t, form.id, problems.id, tried, duplicate);
  const scriptError =
    problems.script !== undefined && tried ? t('javascriptFunctions.form.scriptEmpty') : undefined;

  const change = (next: Partial<JsFunctionForm>) => {
    setFailure(undefined);
    setForm((previous) => ({ ...previous, ...next }));
  };
  const changeName = (id: string) => {
    const script = renameFunction(form.script, functionName, id);
    if (script !== form.script) setFunctionName(id);
    change({ id, script });
  };
  const changeAggregate = (isAgg: boolean) => {
    // The untouched sample switches to the other sample; a script the user wrote stays theirs.
    const untouched = form.script === sampleScript(functionName, form.isAgg);
    change({ isAgg, ...(untouched ? { script: sampleScript(functionName, isAgg) } : {}) });
  };

  const submit = async () => {
    setTried(true);
    if (busy || editing === undefined) return;
    if (Object.keys(problems).length > 0 || duplicate) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const message = await onSave(functionBody(form), editing.mode);
      notifications.show({
        color: 'green',
        title: t(creating ? 'javascriptFunctions.form.created' : 'javascriptFunctions.form.updated', {
          name: form.id,
        }),
        message: hostMessage(message),
      });
      onClose();
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const waiting = editing?.mode === 'edit' && current?.id !== editing.id;
  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={
        editing?.mode === 'edit'
          ? t('javascriptFunctions.form.editTitle', { name: editing.id })
          : t('javascriptFunctions.form.createTitle')
      }
      size="xl"
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {opened && waiting ? (
        <Loader size="sm" m="md" />
      ) : (
        opened && (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm">
                <TextInput
                  label={t('javascriptFunctions.form.name')}
                  description={t(
                    creating ? 'javascriptFunctions.form.nameHint' : 'javascriptFunctions.form.nameFixed',
                  )}
                  placeholder={SAMPLE_FUNCTION_NAME}
                  value={form.id}
                  onChange={(event) => changeName(event.currentTarget.value)}
                  error={idError}
                  required={creating}
                  readOnly={!creating}
                  variant={creating ? 'default' : 'filled'}
                  inputWrapperOrder={INPUT_ORDER}
                  data-autofocus={creating ? true : undefined}
                  autoComplete="off"
                  spellCheck={false}
                />
                <TextInput
                  label={t('javascriptFunctions.form.description')}
                  description={t('javascriptFunctions.form.descriptionHint')}
                  value={form.description}
                  onChange={(event) => change({ description: event.currentTarget.value })}
                  data-autofocus={creating ? undefined : true}
                  inputWrapperOrder={INPUT_ORDER}
                />
              </SimpleGrid>
              <Checkbox
                label={t('javascriptFunctions.form.aggregate')}
                description={t('javascriptFunctions.form.aggregateHint')}
                checked={form.isAgg}
                onChange={(event) => changeAggregate(event.currentTarget.checked)}
              />
              <Stack gap={4}>
                <Text component="label" id={scriptLabel} size="sm" fw={500}>
                  {t('javascriptFunctions.form.script')}
                </Text>
                <Text id={scriptHint} size="xs" c="dimmed">
                  {t('javascriptFunctions.form.runtimeNote')} {t('javascriptFunctions.form.keyboardHint')}
                </Text>
                <LazyPart fallback={<div style={{ height: EDITOR_MIN_HEIGHT }} />}>
                  <CodeEditor
                    value={form.script}
                    onChange={(script) => change({ script })}
                    marks={marks}
                    labelledBy={scriptLabel}
                    describedBy={scriptHint}
                    minHeight={EDITOR_MIN_HEIGHT}
                  />
                </LazyPart>
                {scriptError !== undefined && (
                  <Text size="xs" c="red" role="alert">
                    {scriptError}
                  </Text>
                )}
                <ScriptSummary check={check} script={deferredScript} id={deferredId} />
              </Stack>
              <DialogFailure
                failure={failure}
                title={t(
                  creating
                    ? 'javascriptFunctions.form.createFailed'
                    : 'javascriptFunctions.form.updateFailed',
                )}
                testId="javascript-save-failure"
              />
              <DialogFooter>
                <Button variant="default" onClick={onClose} disabled={busy}>
                  {t('javascriptFunctions.form.cancel')}
                </Button>
                <Button type="submit" loading={busy}>
                  {t(creating ? 'javascriptFunctions.form.create' : 'javascriptFunctions.form.save')}
                </Button>
              </DialogFooter>
            </Stack>
          </form>
        )
      )}
    </Modal>
  );
}

/**
 * What the marks in the editor add up to, in sentences under it: the syntax error (eKuiper refuses the script),
 * the count of newer constructs (warnings), and a missing global function (eKuiper refuses the script).
 */
function ScriptSummary({ check, script, id }: { check: ScriptCheck; script: string; id: string }) {
  const { t } = useTranslation();
  const syntax = check.findings.find((finding) => finding.severity === 'error');
  const newer = check.findings.filter(
    (finding) => finding.code !== 'console' && finding.severity === 'warning',
  );
  const consoleCalls = check.findings.filter((finding) => finding.code === 'console');
  const lines: { color: string; text: string; testId: string }[] = [];
  if (syntax !== undefined) {
    lines.push({
      color: 'red',
      text: t('javascriptFunctions.check.syntax', {
        line: lineOf(script, syntax.from),
        detail: syntax.detail ?? '',
      }),
      testId: 'script-syntax-error',
    });
  }
  if (newer.length > 0) {
    lines.push({
      color: 'orange',
      // Chosen here rather than by i18next's plurals: Chinese has one plural form, and one mark reads differently.
      text: t(
        newer.length === 1 ? 'javascriptFunctions.check.newerOne' : 'javascriptFunctions.check.newerMany',
        {
          count: newer.length,
          first: findingText(t, newer[0]!),
          line: lineOf(script, newer[0]!.from),
        },
      ),
      testId: 'script-es5-warning',
    });
  }
  if (consoleCalls.length > 0) {
    lines.push({
      color: 'orange',
      text: t('javascriptFunctions.check.console', { line: lineOf(script, consoleCalls[0]!.from) }),
      testId: 'script-console-warning',
    });
  }
  if (check.globalFunction === 'missing') {
    lines.push({
      color: 'red',
      text: t('javascriptFunctions.check.noFunction', { name: id }),
      testId: 'script-no-function',
    });
  }
  if (lines.length === 0) return null;
  return (
    <Stack gap={2} aria-live="polite">
      {lines.map((line) => (
        <Text key={line.testId} size="xs" c={line.color} data-testid={line.testId}>
          {line.text}
        </Text>
      ))}
    </Stack>
  );
}
