import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  List,
  Modal,
  SegmentedControl,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  SCAFFOLD_SYMBOL_KINDS,
  scaffoldLayout,
  scaffoldProblems,
  type ScaffoldProblem,
  type ScaffoldRequest,
  type ScaffoldSymbolKind,
} from '../../../shared/scaffold-dto';
import { folderChooser } from '../api/desktop-bridge';
import { scaffoldApi } from '../api/scaffold-api';
import { useHostMessage } from '../lib/host-message';
import { saveFile } from '../lib/save-file';
import { useDialog } from '../lib/use-dialog';
import { useDevelopFolderStore } from '../stores/develop-folder-store';
import { DialogFailure, DialogFooter } from './DialogParts';

/** What the preview calls the plugin before it has a name. */
const PLACEHOLDER_NAME = 'my_plugin';

/** Where the scaffold went: a folder the host wrote (desktop app), or a zip the browser downloaded. */
type Outcome = { kind: 'folder'; folder: string; files: number } | { kind: 'zip'; fileName: string };

const emptyRequest = (): ScaffoldRequest => ({
  language: 'python',
  name: '',
  sources: [],
  sinks: [],
  functions: [],
  installScript: true,
});

/** `<parent>/<name>` with the separator the chosen parent uses (a Windows path has only backslashes). */
function childFolder(parent: string, name: string): string {
  const separator = parent.includes('\\') && !parent.includes('/') ? '\\' : '/';
  const trimmed = parent.endsWith(separator) && parent.length > 1 ? parent.slice(0, -1) : parent;
  return `${trimmed}${separator}${name}`;
}

/** The scaffold's files as an indented tree, folders after the files at the root, as a file manager lists them. */
function treeLines(request: ScaffoldRequest): string[] {
  const paths = scaffoldLayout({
    ...request,
    name: request.name === '' ? PLACEHOLDER_NAME : request.name,
  }).map((entry) => entry.path);
  const rootFiles = paths.filter((path) => !path.includes('/'));
  const folders = new Map<string, string[]>();
  for (const path of paths.filter((candidate) => candidate.includes('/'))) {
    const [folder, ...rest] = path.split('/');
    folders.set(folder!, [...(folders.get(folder!) ?? []), rest.join('/')]);
  }
  const items: Array<{ label: string; children: string[] }> = [
    ...rootFiles.map((file) => ({ label: file, children: [] })),
    ...[...folders].map(([folder, children]) => ({ label: `${folder}/`, children })),
  ];
  const lines: string[] = [];
  items.forEach((item, index) => {
    const last = index === items.length - 1;
    lines.push(`${last ? '└─ ' : '├─ '}${item.label}`);
    item.children.forEach((child, childIndex) => {
      const lastChild = childIndex === item.children.length - 1;
      lines.push(`${last ? '   ' : '│  '}${lastChild ? '└─ ' : '├─ '}${child}`);
    });
  });
  return lines;
}

const KIND_KEYS: Record<ScaffoldSymbolKind, string> = {
  sources: 'develop.scaffold.sources',
  sinks: 'develop.scaffold.sinks',
  functions: 'develop.scaffold.functions',
};

/**
 * The **New plugin** button of the Develop page and its dialog: language, plugin name and the sources, sinks
 * and functions the plugin will have, checked by the host's own rules as the user types, with the files it
 * will get previewed. Create writes the folder where the user chooses (desktop app) or downloads it as a zip
 * (browser), then says where it went and what to do next.
 */
export function NewPluginButton() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button onClick={() => setOpened(true)} data-testid="new-plugin">
        {t('develop.scaffold.button')}
      </Button>
      <NewPluginDialog opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}

export function NewPluginDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  useDialog(opened);
  const [request, setRequest] = useState<ScaffoldRequest>(emptyRequest);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  // In a browser: a folder on the host's computer to write into (the host is this computer), else a download.
  const [parentFolder, setParentFolder] = useState('');
  const handOver = useDevelopFolderStore((state) => state.setFolder);

  const restart = () => {
    // The next plugin is most likely in the same language.
    setRequest((previous) => ({ ...emptyRequest(), language: previous.language }));
    setTried(false);
    setFailure(undefined);
    setOutcome(undefined);
  };
  const close = () => {
    if (busy) return;
    onClose();
    // Next time the dialog opens on a new plugin, not on the last one's result.
    if (outcome !== undefined) restart();
  };
  const change = (next: Partial<ScaffoldRequest>) => {
    setFailure(undefined);
    setRequest((previous) => ({ ...previous, ...next }));
  };

  const problems = scaffoldProblems(request);
  const chooser = folderChooser();

  const create = async () => {
    setTried(true);
    if (busy || problems.length > 0) return;
    setFailure(undefined);
    let parent: string | null = parentFolder.trim() === '' ? null : parentFolder.trim();
    if (chooser !== undefined) {
      parent = await chooser('scaffold');
      if (parent === null) return;
    }
    setBusy(true);
    try {
      if (parent === null) {
        saveFile(`${request.name}.zip`, await scaffoldApi.zip(request));
        setOutcome({ kind: 'zip', fileName: `${request.name}.zip` });
      } else {
        const written = await scaffoldApi.writeFolder(request, childFolder(parent, request.name));
        setOutcome({ kind: 'folder', folder: written.folder, files: written.files.length });
        // Package and Develop live go on with the new folder.
        handOver(written.folder);
      }
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('develop.scaffold.title')}
      size="xl"
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {opened &&
        (outcome === undefined ? (
          <Stack gap="sm" data-testid="new-plugin-dialog">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="sm">
              <ScaffoldForm request={request} problems={problems} tried={tried} onChange={change} />
              <FilePreview request={request} />
            </SimpleGrid>
            {chooser === undefined && (
              <TextInput
                label={t('develop.scaffold.parent')}
                description={t('develop.scaffold.parentHint', { name: request.name || PLACEHOLDER_NAME })}
                placeholder={t('develop.scaffold.parentPlaceholder')}
                value={parentFolder}
                onChange={(event) => setParentFolder(event.currentTarget.value)}
                spellCheck={false}
                autoComplete="off"
                data-testid="new-plugin-parent"
              />
            )}
            <DialogFailure
              failure={failure}
              title={t('develop.scaffold.failed')}
              testId="new-plugin-failure"
            />
            <DialogFooter justify="space-between">
              <Text size="xs" c="dimmed">
                {t(
                  chooser !== undefined
                    ? 'develop.scaffold.whereDesktop'
                    : parentFolder.trim() === ''
                      ? 'develop.scaffold.whereBrowser'
                      : 'develop.scaffold.whereHost',
                )}
              </Text>
              <Group gap="sm" wrap="nowrap">
                <Button variant="default" onClick={close} disabled={busy}>
                  {t('develop.scaffold.cancel')}
                </Button>
                <Button onClick={() => void create()} loading={busy} data-testid="new-plugin-create">
                  {t(
                    chooser === undefined && parentFolder.trim() === ''
                      ? 'develop.scaffold.download'
                      : 'develop.scaffold.create',
                  )}
                </Button>
              </Group>
            </DialogFooter>
          </Stack>
        ) : (
          <ScaffoldOutcome outcome={outcome} request={request} onAnother={restart} onClose={close} />
        ))}
    </Modal>
  );
}

function ScaffoldForm({
  request,
  problems,
  tried,
  onChange,
}: {
  request: ScaffoldRequest;
  problems: ScaffoldProblem[];
  tried: boolean;
  onChange: (next: Partial<ScaffoldRequest>) => void;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const nameProblem = problems.find((problem) => problem.field === 'name');
  // An empty name is the start, not a mistake: said once the user tries to create.
  const nameError =
    nameProblem !== undefined && (tried || request.name !== '')
      ? hostMessage(nameProblem.message)
      : undefined;
  const noSymbols = problems.find((problem) => problem.field === 'functions' && problem.symbol === undefined);
  const symbolErrors = (kind: ScaffoldSymbolKind): string | undefined => {
    const messages = problems
      .filter((problem) => problem.field === kind && problem.symbol !== undefined)
      .map((problem) => hostMessage(problem.message));
    return messages.length === 0 ? undefined : messages.join('\n');
  };
  return (
    <Stack gap="sm">
      <Stack gap={4}>
        <Text size="sm" fw={500} id="new-plugin-language">
          {t('develop.scaffold.language')}
        </Text>
        <SegmentedControl
          aria-labelledby="new-plugin-language"
          value={request.language}
          onChange={(value) => onChange({ language: value })}
          data={[
            { value: 'python', label: 'Python' },
            { value: 'go', label: 'Go' },
          ]}
          data-testid="new-plugin-language"
        />
        <Text size="xs" c="dimmed">
          {t(request.language === 'python' ? 'develop.scaffold.pythonHint' : 'develop.scaffold.goHint')}
        </Text>
      </Stack>
      <TextInput
        label={t('develop.scaffold.name')}
        description={t('develop.scaffold.nameHint')}
        placeholder={PLACEHOLDER_NAME}
        value={request.name}
        onChange={(event) => onChange({ name: event.currentTarget.value })}
        error={nameError}
        required
        data-autofocus
        autoComplete="off"
        spellCheck={false}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        data-testid="new-plugin-name"
      />
      {SCAFFOLD_SYMBOL_KINDS.map((kind) => (
        <TagsInput
          key={kind}
          label={t(KIND_KEYS[kind])}
          description={t(`${KIND_KEYS[kind]}Hint`)}
          placeholder={t('develop.scaffold.symbolPlaceholder')}
          value={request[kind]}
          onChange={(value) => onChange({ [kind]: value })}
          splitChars={[',', ' ']}
          clearable
          error={symbolErrors(kind)}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          styles={{ error: { whiteSpace: 'pre-line' } }}
          data-testid={`new-plugin-${kind}`}
        />
      ))}
      {noSymbols !== undefined && tried && (
        <Text size="xs" c="red" role="alert" data-testid="new-plugin-no-symbols">
          {hostMessage(noSymbols.message)}
        </Text>
      )}
      {request.language === 'python' && (
        <Checkbox
          label={t('develop.scaffold.installScript')}
          description={t('develop.scaffold.installScriptHint')}
          checked={request.installScript !== false}
          onChange={(event) => onChange({ installScript: event.currentTarget.checked })}
        />
      )}
    </Stack>
  );
}

function FilePreview({ request }: { request: ScaffoldRequest }) {
  const { t } = useTranslation();
  const name = request.name === '' ? PLACEHOLDER_NAME : request.name;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="new-plugin-files">
        {t('develop.scaffold.files')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('develop.scaffold.filesHint')}
      </Text>
      <Code
        block
        aria-labelledby="new-plugin-files"
        data-testid="new-plugin-tree"
        style={{ whiteSpace: 'pre', overflowX: 'auto', lineHeight: 1.55 }}
      >
        {[`${name}/`, ...treeLines(request)].join('\n')}
      </Code>
    </Stack>
  );
}

function ScaffoldOutcome({
  outcome,
  request,
  onAnother,
  onClose,
}: {
  outcome: Outcome;
  request: ScaffoldRequest;
  onAnother: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const folder = outcome.kind === 'folder' ? outcome.folder : request.name;
  const packTarget =
    request.language === 'go' ? childFolder(folder, `dist/${request.name}-linux-amd64`) : folder;
  const steps = [
    outcome.kind === 'zip' ? t('develop.scaffold.stepUnzip', { file: outcome.fileName, folder }) : undefined,
    request.language === 'go' ? t('develop.scaffold.stepBuild', { folder }) : undefined,
    t('develop.scaffold.stepPack', { command: `npm run pack -- ${packTarget}` }),
    t('develop.scaffold.stepDevelop'),
  ].filter((step): step is string => step !== undefined);
  return (
    <Stack gap="sm" data-testid="new-plugin-done">
      <Alert color="green" variant="light" title={t('develop.scaffold.doneTitle', { name: request.name })}>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="new-plugin-where">
          {outcome.kind === 'folder'
            ? t('develop.scaffold.doneFolder', { folder: outcome.folder, count: outcome.files })
            : t('develop.scaffold.doneZip', { file: outcome.fileName })}
        </Text>
        {outcome.kind === 'folder' && (
          <Text size="sm" mt={4}>
            {t('develop.scaffold.handedOver')}
          </Text>
        )}
      </Alert>
      <Text size="sm" fw={500}>
        {t('develop.scaffold.nextSteps')}
      </Text>
      <List type="ordered" size="sm" spacing={4}>
        {steps.map((step) => (
          <List.Item key={step} style={{ overflowWrap: 'anywhere' }}>
            {step}
          </List.Item>
        ))}
      </List>
      <DialogFooter>
        <Button variant="default" onClick={onAnother}>
          {t('develop.scaffold.another')}
        </Button>
        <Button onClick={onClose} data-autofocus>
          {t('develop.scaffold.close')}
        </Button>
      </DialogFooter>
    </Stack>
  );
}
