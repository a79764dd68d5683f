import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { forwardRef, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AI_FUNCTION_NAME,
  aiPluginName,
  callSql,
  type AiExampleResult,
  type AiFunctionForm,
  type AiSettings,
} from '../../../shared/ai-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { aiApi } from '../api/ai-api';
import { fileUrlOfStoredPath, installApi, uploadZip } from '../api/install-api';
import { javascriptApi } from '../api/javascript-api';
import { currentServer } from '../api/server-scope';
import { exampleOf, examplesOf, jsonText, type ExampleRow } from '../lib/ai-examples';
import { useHostMessage } from '../lib/host-message';
import { lazyNamed } from '../lib/lazy';
import { useDialog } from '../lib/use-dialog';
import { useJavascriptNamesStore } from '../stores/route-list-store';
import { usePluginsStore } from '../stores/plugins-store';
import { useViewStore } from '../stores/view-store';
import { DialogFailure, DialogFooter, useReveal } from './DialogParts';
import { TrashIcon } from './Icons';
import { LazyPart } from './LazyPart';
import { ServiceSql } from './ServiceSql';

// CodeMirror loads when the dialog first shows code, never with the page.
const CodeEditor = lazyNamed(() => import('./CodeEditor'), 'CodeEditor');

const EDITOR_MIN_HEIGHT = 220;

let nextRowKey = 1;
const emptyRow = (): ExampleRow => ({ key: nextRowKey++, args: '', expected: '' });

/** Where the dialog is: which request runs, so one spinner shows and the other buttons wait. */
type Busy = 'generate' | 'try' | 'fix' | 'install' | undefined;

/** What was installed, for the closing notice with the SQL. */
interface Installed {
  form: AiFunctionForm;
  name: string;
  /** The code as installed: editing it offers Install again (the server then says whether the name is taken). */
  code: string;
  message: string;
  sql: string;
}

/**
 * NeuronEX's "natural language → function": the user describes a function and gives examples; a model on their
 * OpenAI-compatible endpoint writes it (a Python function plugin on eKuiper's SDK, or an ES5.1 JavaScript function),
 * the code shows in an editor for review, the examples run against it (Python as a trial plugin on this computer,
 * JavaScript in the sandbox) with pass or fail each, Fix and retry sends the failures back, and only Install puts
 * it anywhere — then the SQL to call it. Without an endpoint it says how to set one up.
 */
export function AiFunctionDialog({
  initialForm,
  onClose,
}: {
  initialForm: AiFunctionForm;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [opened, setOpened] = useState(true);
  useDialog(opened);
  const [settings, setSettings] = useState<AiSettings | undefined>();
  const [settingsFailure, setSettingsFailure] = useState<string | undefined>();
  const [form, setForm] = useState<AiFunctionForm>(initialForm);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rows, setRows] = useState<ExampleRow[]>(() => [emptyRow(), emptyRow()]);
  const [code, setCode] = useState('');
  const [explanation, setExplanation] = useState<string | undefined>();
  const [model, setModel] = useState<string | undefined>();
  const [results, setResults] = useState<AiExampleResult[] | undefined>();
  const [testedCode, setTestedCode] = useState<string | undefined>();
  const [busy, setBusy] = useState<Busy>();
  const [failure, setFailure] = useState<{ title: string; message: string } | undefined>();
  const [tried, setTried] = useState(false);
  const [installed, setInstalled] = useState<Installed | undefined>();
  const abort = useRef<AbortController | undefined>(undefined);
  const codeLabel = useId();
  const codeHint = useId();

  useEffect(() => {
    aiApi
      .settings()
      .then(setSettings)
      .catch((error: unknown) => setSettingsFailure((error as Error).message));
    return () => abort.current?.abort();
  }, []);

  const close = () => {
    abort.current?.abort();
    setOpened(false);
  };
  const configured = settings !== undefined && settings.baseUrl !== '' && settings.model !== '';
  const nameProblem =
    name === ''
      ? tried
        ? t('develop.ai.nameEmpty')
        : undefined
      : AI_FUNCTION_NAME.test(name)
        ? undefined
        : t('develop.ai.nameInvalid');
  const descriptionProblem =
    tried && description.trim() === '' ? t('develop.ai.descriptionEmpty') : undefined;
  const examples = examplesOf(rows);
  const failures = results?.filter((result) => !result.pass) ?? [];

  /** Runs one request with the dialog's busy state and failure box; aborted requests say nothing. */
  const run = async (what: Busy, title: string, work: (signal: AbortSignal) => Promise<void>) => {
    const controller = new AbortController();
    abort.current = controller;
    setBusy(what);
    setFailure(undefined);
    try {
      await work(controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) setFailure({ title, message: (error as Error).message });
    } finally {
      if (abort.current === controller) abort.current = undefined;
      setBusy(undefined);
    }
  };

  const runExamples = (source: string) =>
    run('try', t('develop.ai.tryFailed'), async (signal) => {
      if (examples === undefined) return;
      const answer = await aiApi.tryExamples({ form, name, code: source, examples }, signal);
      setResults(answer.results);
      setTestedCode(source);
    });

  const generate = (fix: boolean) => {
    setTried(true);
    if (nameProblem !== undefined || name === '' || description.trim() === '' || examples === undefined)
      return;
    void run(fix ? 'fix' : 'generate', t('develop.ai.generateFailed'), async (signal) => {
      const answer = await aiApi.generate(
        {
          form,
          name,
          description,
          examples,
          ...(fix && testedCode !== undefined ? { previous: { code: testedCode, failures } } : {}),
        },
        signal,
      );
      setCode(answer.code);
      setExplanation(answer.explanation);
      setModel(answer.model);
      setResults(undefined);
      setTestedCode(undefined);
      setInstalled(undefined);
      if (fix && examples.length > 0) {
        const rerun = await aiApi.tryExamples({ form, name, code: answer.code, examples }, signal);
        setResults(rerun.results);
        setTestedCode(answer.code);
      }
    });
  };

  const install = () =>
    run('install', t('develop.ai.installFailed'), async () => {
      let message: string;
      if (form === 'python') {
        const zip = await aiApi.packagePython({ name, code });
        const plugin = aiPluginName(name);
        const fileName = `${plugin}.zip`;
        const stored = await uploadZip(zip, fileName, () => {}, undefined, LOCAL_SERVER_ID);
        try {
          message = await installApi.create(
            'portables',
            { name: plugin, file: fileUrlOfStoredPath(stored) },
            LOCAL_SERVER_ID,
          );
        } finally {
          void installApi.deleteUpload(fileName, LOCAL_SERVER_ID).catch(() => undefined);
        }
        void usePluginsStore.getState().load();
      } else {
        const server = currentServer();
        message = await javascriptApi.create({ id: name, description, script: code, isAgg: false }, server);
        void useJavascriptNamesStore.getState().load();
      }
      setInstalled({ form, name, code, message, sql: callSql(name, examples?.[0]) });
    });

  const changeForm = (value: AiFunctionForm) => {
    setForm(value);
    setCode('');
    setExplanation(undefined);
    setModel(undefined);
    setResults(undefined);
    setTestedCode(undefined);
    setInstalled(undefined);
  };
  const changeRow = (key: number, change: Partial<ExampleRow>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const working = busy !== undefined;
  const hasCode = code.trim() !== '';
  const installedNow = installed !== undefined && installed.code === code && installed.form === form;
  // Results and the install's outcome scroll into view when they arrive, clear of the footer.
  const revealResults = useReveal<HTMLDivElement>(results);
  const revealInstalled = useReveal<HTMLDivElement>(installed);
  return (
    <Modal
      // Opened once the settings are known, so the first field is there for the focus to land on.
      opened={opened && (settings !== undefined || settingsFailure !== undefined)}
      onClose={close}
      onExitTransitionEnd={onClose}
      title={t('develop.ai.title')}
      size="xl"
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {settingsFailure !== undefined && (
        <DialogFailure failure={settingsFailure} title={t('develop.ai.settingsFailed')} />
      )}
      {settings !== undefined && !configured && <SetUpEndpoint onOpenSettings={close} />}
      {configured && (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            generate(false);
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('develop.ai.intro', { model: settings.model })}
            </Text>
            <Stack gap={4}>
              <Text size="sm" fw={500} id="ai-form-label">
                {t('develop.ai.form')}
              </Text>
              <SegmentedControl
                aria-labelledby="ai-form-label"
                value={form}
                onChange={(value) => changeForm(value)}
                disabled={working}
                data={[
                  { value: 'python', label: t('develop.ai.formPython') },
                  { value: 'javascript', label: t('develop.ai.formJavascript') },
                ]}
                style={{ alignSelf: 'flex-start' }}
              />
              <Text size="xs" c="dimmed">
                {t(form === 'python' ? 'develop.ai.formPythonHint' : 'develop.ai.formJavascriptHint')}
              </Text>
            </Stack>
            <TextInput
              label={t('develop.ai.name')}
              description={t('develop.ai.nameHint')}
              placeholder="c_to_f"
              value={name}
              onChange={(event) => setName(event.currentTarget.value.trim())}
              error={nameProblem}
              required
              data-autofocus
              autoComplete="off"
              spellCheck={false}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              maw={360}
            />
            <Textarea
              label={t('develop.ai.description')}
              description={t('develop.ai.descriptionHint')}
              placeholder={t('develop.ai.descriptionPlaceholder')}
              value={description}
              onChange={(event) => setDescription(event.currentTarget.value)}
              error={descriptionProblem}
              required
              autosize
              minRows={2}
              maxRows={6}
            />
            <ExampleRows rows={rows} onChange={changeRow} onRows={setRows} disabled={working} />
            <Group gap="xs">
              <Button type="submit" loading={busy === 'generate'} disabled={working && busy !== 'generate'}>
                {hasCode ? t('develop.ai.generateAgain') : t('develop.ai.generate')}
              </Button>
              {busy === 'generate' || busy === 'fix' ? (
                <Text size="xs" c="dimmed" aria-live="polite">
                  {t('develop.ai.waiting', { model: settings.model })}
                </Text>
              ) : null}
            </Group>

            {(hasCode || model !== undefined) && (
              <Stack gap={4}>
                <Group justify="space-between" gap="xs">
                  <Text component="label" id={codeLabel} size="sm" fw={500}>
                    {t(form === 'python' ? 'develop.ai.codePython' : 'develop.ai.codeJavascript')}
                  </Text>
                  {model !== undefined && (
                    <Badge variant="light" color="gray" size="sm" tt="none">
                      {t('develop.ai.writtenBy', { model })}
                    </Badge>
                  )}
                </Group>
                <Text id={codeHint} size="xs" c="dimmed">
                  {t('develop.ai.codeHint')}
                </Text>
                <LazyPart fallback={<div style={{ height: EDITOR_MIN_HEIGHT }} />}>
                  <CodeEditor
                    key={form}
                    language={form}
                    value={code}
                    onChange={setCode}
                    marks={[]}
                    labelledBy={codeLabel}
                    describedBy={codeHint}
                    minHeight={EDITOR_MIN_HEIGHT}
                    maxHeight={420}
                  />
                </LazyPart>
                {explanation !== undefined && (
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} data-testid="ai-explanation">
                    {explanation}
                  </Text>
                )}
              </Stack>
            )}

            {results !== undefined && (
              <ExampleResults ref={revealResults} results={results} stale={testedCode !== code} />
            )}
            {installed !== undefined && (
              <Alert
                ref={revealInstalled}
                color="teal"
                variant="light"
                role="status"
                title={t(
                  installed.form === 'python'
                    ? 'develop.ai.installedPython'
                    : 'develop.ai.installedJavascript',
                  { name: installed.name },
                )}
                data-testid="ai-installed"
              >
                <Stack gap={6}>
                  <Text size="xs" c="dimmed">
                    {hostMessage(installed.message)}
                  </Text>
                  <Text size="sm">
                    {t(
                      installed.form === 'python'
                        ? 'develop.ai.installedPythonBody'
                        : 'develop.ai.installedJavascriptBody',
                      { name: installed.name, plugin: aiPluginName(installed.name) },
                    )}
                  </Text>
                  <ServiceSql sql={installed.sql} label={t('develop.ai.sql')} />
                </Stack>
              </Alert>
            )}
            <DialogFailure failure={failure?.message} title={failure?.title ?? ''} testId="ai-failure" />
            <DialogFooter justify="space-between">
              <Button variant="default" onClick={close}>
                {t('develop.ai.close')}
              </Button>
              <Group gap="xs" wrap="nowrap">
                <Tooltip
                  label={t('develop.ai.noExamples')}
                  disabled={examples === undefined || examples.length > 0}
                  withArrow
                >
                  <Button
                    variant="default"
                    onClick={() => void runExamples(code)}
                    loading={busy === 'try'}
                    disabled={
                      !hasCode ||
                      examples === undefined ||
                      examples.length === 0 ||
                      (working && busy !== 'try')
                    }
                  >
                    {t('develop.ai.runExamples')}
                  </Button>
                </Tooltip>
                {failures.length > 0 && testedCode !== undefined && (
                  <Button
                    variant="light"
                    color="orange"
                    onClick={() => generate(true)}
                    loading={busy === 'fix'}
                    disabled={working && busy !== 'fix'}
                  >
                    {t('develop.ai.fix')}
                  </Button>
                )}
                <Button
                  onClick={() => void install()}
                  loading={busy === 'install'}
                  disabled={!hasCode || installedNow || (working && busy !== 'install')}
                >
                  {installedNow
                    ? t('develop.ai.installedButton')
                    : t(form === 'python' ? 'develop.ai.installPython' : 'develop.ai.installJavascript')}
                </Button>
              </Group>
            </DialogFooter>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** No endpoint yet: the three usual ways to get one, and the way to Settings. */
function SetUpEndpoint({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="ai-setup">
      <Alert color="blue" variant="light" title={t('develop.ai.setup.title')}>
        <Stack gap={6}>
          <Text size="sm">{t('develop.ai.setup.body')}</Text>
          <Text size="sm">• {t('develop.ai.setup.ollama')}</Text>
          <Text size="sm">• {t('develop.ai.setup.lmstudio')}</Text>
          <Text size="sm">• {t('develop.ai.setup.openai')}</Text>
        </Stack>
      </Alert>
      <DialogFooter>
        <Anchor
          component="button"
          type="button"
          onClick={() => {
            onOpenSettings();
            useViewStore.getState().setPage('settings');
          }}
        >
          {t('develop.ai.setup.openSettings')}
        </Anchor>
      </DialogFooter>
    </Stack>
  );
}

/** The example rows: arguments and expected result as JSON, a row removed, a row added. */
function ExampleRows({
  rows,
  onChange,
  onRows,
  disabled,
}: {
  rows: ExampleRow[];
  onChange: (key: number, change: Partial<ExampleRow>) => void;
  onRows: (rows: ExampleRow[]) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('develop.ai.examples.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('develop.ai.examples.hint')}
      </Text>
      {rows.map((row, index) => {
        const { problems } = exampleOf(row);
        return (
          <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="ai-example-row">
            <TextInput
              aria-label={t('develop.ai.examples.argsOf', { n: index + 1 })}
              placeholder={index === 0 ? '[0]' : '[100]'}
              value={row.args}
              onChange={(event) => onChange(row.key, { args: event.currentTarget.value })}
              error={problems.args === undefined ? undefined : t(`develop.ai.examples.${problems.args}`)}
              style={{ flex: 1 }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              spellCheck={false}
              autoComplete="off"
            />
            <Text size="sm" c="dimmed" pt={6} aria-hidden>
              →
            </Text>
            <TextInput
              aria-label={t('develop.ai.examples.expectedOf', { n: index + 1 })}
              placeholder={index === 0 ? '32' : '212'}
              value={row.expected}
              onChange={(event) => onChange(row.key, { expected: event.currentTarget.value })}
              error={
                problems.expected === undefined ? undefined : t(`develop.ai.examples.${problems.expected}`)
              }
              style={{ flex: 1 }}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              spellCheck={false}
              autoComplete="off"
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              disabled={disabled || rows.length === 1}
              onClick={() => onRows(rows.filter((other) => other.key !== row.key))}
              aria-label={t('develop.ai.examples.remove', { n: index + 1 })}
            >
              <TrashIcon />
            </ActionIcon>
          </Group>
        );
      })}
      <Button
        variant="subtle"
        size="xs"
        style={{ alignSelf: 'flex-start' }}
        disabled={disabled}
        onClick={() => onRows([...rows, emptyRow()])}
      >
        {t('develop.ai.examples.add')}
      </Button>
    </Stack>
  );
}

/** Each example's outcome: pass or fail, what the function answered or the error it raised. */
const ExampleResults = forwardRef<HTMLDivElement, { results: AiExampleResult[]; stale: boolean }>(
  function ExampleResults({ results, stale }, ref) {
    const { t } = useTranslation();
    const passed = results.filter((result) => result.pass).length;
    return (
      <Stack gap={4} data-testid="ai-results" ref={ref}>
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {t('develop.ai.results.title')}
          </Text>
          <Badge color={passed === results.length ? 'teal' : 'red'} variant="light" tt="none">
            {t('develop.ai.results.summary', { passed, total: results.length })}
          </Badge>
          {stale && (
            <Text size="xs" c="orange">
              {t('develop.ai.results.stale')}
            </Text>
          )}
        </Group>
        <Table withTableBorder withColumnBorders fz="sm" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('develop.ai.results.args')}</Table.Th>
              <Table.Th>{t('develop.ai.results.expected')}</Table.Th>
              <Table.Th>{t('develop.ai.results.actual')}</Table.Th>
              <Table.Th w={90}>{t('develop.ai.results.verdict')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.map((result, index) => (
              <Table.Tr key={index} data-testid="ai-result-row" data-pass={result.pass}>
                <Table.Td ff="monospace">{jsonText(result.args)}</Table.Td>
                <Table.Td ff="monospace">{jsonText(result.expected)}</Table.Td>
                <Table.Td ff="monospace" style={{ maxWidth: 320 }}>
                  {result.error === undefined ? (
                    jsonText(result.actual)
                  ) : (
                    <Text
                      size="xs"
                      c="red"
                      ff="monospace"
                      style={{
                        whiteSpace: 'pre-wrap',
                        overflowWrap: 'anywhere',
                        maxHeight: 120,
                        overflow: 'auto',
                      }}
                    >
                      {result.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={result.pass ? 'teal' : 'red'} variant="light">
                    {result.pass ? t('develop.ai.results.pass') : t('develop.ai.results.fail')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    );
  },
);
