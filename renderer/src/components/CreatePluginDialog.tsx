import {
  Alert,
  Autocomplete,
  Button,
  Code,
  Group,
  Input,
  Modal,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { InstallPhase } from '../../../shared/install-events';
import type { PluginOverview } from '../../../shared/plugin-dto';
import type { PluginKind } from '../../../shared/plugin-kinds';
import {
  emptyInspection,
  inspectZip,
  repackWithoutTopFolder,
  type ZipInspection,
} from '../../../shared/zip-inspect';
import type { ZipLimits } from '../../../shared/zip-safety';
import { installApi, uploadZip, withInstallEvents, type CreatePluginBody } from '../api/install-api';
import { formatBytes } from '../lib/format';
import { useHostZipLimits } from '../lib/host-zip-limits';
import { useDialog } from '../lib/use-dialog';
import { useSuggestionDropdown } from '../lib/use-suggestion-dropdown';
import { noteConnectionError } from '../stores/connection-store';
import { useManageStore } from '../stores/manage-store';
import { usePluginsStore } from '../stores/plugins-store';
import { DialogFooter, useReveal } from './DialogParts';
import { UpdateConsequences } from './UpdateConsequences';

/** A zip the user chose: its name and bytes, read in memory for inspection and upload. */
export interface ChosenZip {
  fileName: string;
  bytes: Uint8Array;
}

export interface CreatePluginDialogProps {
  kind: PluginKind;
  opened: boolean;
  /** A zip dropped on the window, to start with. */
  initialFile?: File | undefined;
  onClose: () => void;
  /** Called after a successful install (the page reloads its lists). */
  onCreated: () => void;
  /**
   * The installed plugin to replace: the dialog becomes its Update dialog (name fixed, `PUT` instead of
   * `POST`, the consequences for rules spelled out). `kind` must be the plugin's kind.
   */
  updating?: PluginOverview | undefined;
  /**
   * Reopens the dialog for another kind with the same zip: offered when a portable plugin's zip is given to a
   * native kind. Without it (the Update dialog, whose kind is the plugin's) the dialog only says so.
   */
  onSwitchKind?: ((kind: PluginKind, file: File) => void) | undefined;
}

const ZIP_ACCEPT = {
  'application/zip': ['.zip'],
  'application/x-zip-compressed': ['.zip'],
  'application/octet-stream': ['.zip'],
};

/** `http(s)://…zip` or `file:///…zip`: the addresses the host installs from directly. */
export function isZipAddress(text: string): boolean {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') return false;
    return url.pathname.toLowerCase().endsWith('.zip');
  } catch {
    return false;
  }
}

/**
 * How many entries the zip has, folders included, as the host counts them in its refusals ("found 10 files in
 * total", eKuiper's wording), with how many are files and folders when there are folders.
 */
function entriesText(t: TFunction, inspection: ZipInspection): string {
  const files = inspection.entries.filter((entry) => !entry.isDirectory).length;
  const folders = inspection.entries.length - files;
  if (folders === 0) return String(files);
  return t('dialog.zipEntries', {
    count: inspection.entries.length,
    files: t('dialog.zipFiles', { count: files }),
    folders: t('dialog.zipFolders', { count: folders }),
  });
}

/** The chosen zip as a file again, to hand to another dialog. */
function fileOf(zip: ChosenZip): File {
  return new File([zip.bytes.slice().buffer], zip.fileName);
}

/** A file name the host's upload route accepts (no folders, nothing unusual). */
function uploadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? 'plugin.zip';
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe.toLowerCase().endsWith('.zip') ? safe : `${safe}.zip`;
}

function safeInspect(
  bytes: Uint8Array,
  kind: PluginKind,
  name: string | undefined,
  fileName: string,
  limits: ZipLimits,
): ZipInspection {
  try {
    return inspectZip(bytes, kind, name, { fileName, limits });
  } catch (error) {
    return { ...emptyInspection(bytes, kind, name), problems: [(error as Error).message] };
  }
}

type Stage =
  { step: 'idle' } | { step: 'upload'; percent: number } | { step: 'install'; phase?: InstallPhase };

/** An install that failed: the name it was for, kept with the host's reason so a later edit cannot mix them. */
interface InstallFailure {
  name: string;
  message: string;
}

/**
 * The Create Plugin dialog (NeuronEX's "Create Portable Plugin", per kind): a name, a zip (dropped, browsed or
 * given as an address), what the zip holds and every problem the host would refuse it for, checked in the
 * window with the host's own rules; then upload with progress, install with the host's progress events, and
 * the host's own message when it fails.
 */
export function CreatePluginDialog({
  kind,
  opened,
  initialFile,
  onClose,
  onCreated,
  updating,
  onSwitchKind,
}: CreatePluginDialogProps) {
  const { t, i18n } = useTranslation();
  const hostLimits = useHostZipLimits(opened);
  const limits = hostLimits.limits;
  const op = updating ? 'update' : 'create';
  const [name, setName] = useState('');
  const [zip, setZip] = useState<ChosenZip | undefined>();
  const [address, setAddress] = useState('');
  const [functions, setFunctions] = useState<string[]>([]);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [output, setOutput] = useState('');
  const [error, setError] = useState<InstallFailure | undefined>();
  const [rejected, setRejected] = useState(false);
  const openRef = useRef<() => void>(null);
  const busy = stage.step !== 'idle';
  useDialog(opened);
  // A failure is about the inputs it was sent with: any change to them makes it stale.
  const editName = (value: string) => {
    setName(value);
    setError(undefined);
  };
  const editFunctions = (value: string[]) => {
    setFunctions(value);
    setError(undefined);
  };

  useEffect(() => {
    if (!opened) return;
    setName(updating?.name ?? '');
    setZip(undefined);
    setAddress('');
    setFunctions(updating && kind === 'functions' ? updating.functions : []);
    setStage({ step: 'idle' });
    setOutput('');
    setError(undefined);
    setRejected(false);
    if (initialFile) void choose(initialFile, '');
    // Reset only when the dialog opens (or is given another dropped zip or plugin to update).
  }, [opened, initialFile, kind, updating?.name]);

  async function choose(file: File, currentName: string) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    setZip({ fileName: file.name, bytes });
    setAddress('');
    setError(undefined);
    setRejected(false);
    const first = safeInspect(bytes, kind, undefined, file.name, limits);
    if (!updating && currentName === '' && first.suggestedName !== undefined) setName(first.suggestedName);
    if (kind === 'functions') setFunctions((list) => (list.length > 0 ? list : first.symbols.functions));
  }

  const inspection = useMemo(() => {
    if (!zip) return undefined;
    const inspected = safeInspect(zip.bytes, kind, name.trim() || undefined, zip.fileName, limits);
    if (zip.bytes.length <= hostLimits.maxZipBytes) return inspected;
    const tooBig = t('manage.limits.zipTooBig', {
      size: formatBytes(zip.bytes.length, i18n.language),
      limit: formatBytes(hostLimits.maxZipBytes, i18n.language),
    });
    return { ...inspected, problems: [tooBig, ...inspected.problems] };
  }, [zip, kind, name, limits, hostLimits.maxZipBytes, t, i18n.language]);
  /** The zip with its top folder removed, offered when that alone makes the host accept it. */
  const repacked = useMemo(() => {
    if (!zip || !inspection || inspection.topFolder === undefined || inspection.problems.length === 0) {
      return undefined;
    }
    try {
      const bytes = repackWithoutTopFolder(zip.bytes);
      const again = safeInspect(bytes, kind, name.trim() || undefined, zip.fileName, limits);
      return again.problems.length === 0 && bytes.length <= hostLimits.maxZipBytes ? bytes : undefined;
    } catch {
      return undefined;
    }
  }, [zip, inspection, kind, name, limits, hostLimits.maxZipBytes]);

  const suggestions = useMemo(() => {
    const names = new Set<string>();
    if (inspection?.manifest?.name) names.add(inspection.manifest.name);
    if (inspection?.suggestedName) names.add(inspection.suggestedName);
    return [...names];
  }, [inspection]);

  const nameDropdown = useSuggestionDropdown(suggestions, name);

  const addressText = address.trim();
  const addressInvalid = addressText !== '' && !isZipAddress(addressText);
  const hasSource = zip !== undefined || (addressText !== '' && !addressInvalid);
  const problems = inspection?.problems ?? [];
  /** Create only: a plugin of this kind and name is installed already, which the host refuses as a duplicate. */
  const installed = usePluginsStore((state) =>
    updating
      ? undefined
      : state.plugins.find((plugin) => plugin.kind === kind && plugin.name === name.trim()),
  );
  const askUpdate = useManageStore((state) => state.askUpdate);
  const canSubmit = !busy && name.trim() !== '' && hasSource && problems.length === 0 && !installed;
  const canRepack = !busy && name.trim() !== '' && repacked !== undefined && !installed;
  /** Install (or repack and install) when allowed: the button and Enter in any field. */
  const submit = () => {
    if (repacked ? canRepack : canSubmit) void install(repacked ?? zip?.bytes);
  };
  const problemRef = useReveal<HTMLDivElement>(zip !== undefined && problems.length > 0 ? zip : undefined);
  const progressRef = useReveal<HTMLDivElement>(busy ? stage.step : undefined);
  const errorRef = useReveal<HTMLDivElement>(error);

  async function install(bytes: Uint8Array | undefined) {
    const pluginName = updating?.name ?? name.trim();
    setError(undefined);
    setOutput('');
    const stop = new AbortController();
    let stored: string | undefined;
    try {
      let file = addressText;
      if (bytes && zip) {
        setStage({ step: 'upload', percent: 0 });
        stored = await uploadZip(
          bytes,
          uploadName(zip.fileName),
          (loaded, total) => setStage({ step: 'upload', percent: total > 0 ? (loaded / total) * 100 : 0 }),
          stop.signal,
        );
        file = `file://${stored}`;
      }
      setStage({ step: 'install' });
      const body: CreatePluginBody = { name: pluginName, file };
      if (kind === 'functions' && functions.length > 0) body.functions = functions;
      const message = await withInstallEvents(
        { op, kind, name: pluginName },
        (event) => {
          setStage({ step: 'install', phase: event.phase });
          if (event.output) setOutput((text) => text + event.output);
        },
        () => (updating ? installApi.update(kind, pluginName, body) : installApi.create(kind, body)),
      );
      notifications.show({
        color: 'green',
        title: t(updating ? 'manage.update.done' : 'create.done', { name: pluginName }),
        message: message || t('create.doneMessage'),
        // A native update only takes effect after a restart: keep that message until it is read.
        ...(updating && kind !== 'portables' ? { autoClose: false } : {}),
      });
      setStage({ step: 'idle' });
      onCreated();
      onClose();
    } catch (failure) {
      noteConnectionError(failure);
      setError({ name: pluginName, message: (failure as Error).message });
      setStage({ step: 'idle' });
    } finally {
      stop.abort();
      if (stored !== undefined) {
        const storedName = stored.split(/[\\/]/).pop() ?? '';
        installApi.deleteUpload(storedName).catch(() => {});
      }
    }
  }

  const locale = i18n.language;
  const isPortable = kind === 'portables';
  const symbols = inspection
    ? [...inspection.symbols.sources, ...inspection.symbols.sinks, ...inspection.symbols.functions]
    : [];
  const facts: [string, string][] = inspection
    ? [
        ...(isPortable
          ? ([
              [t('create.facts.manifest'), inspection.manifestEntry ?? t('create.facts.none')],
              [t('create.facts.language'), inspection.manifest?.language || t('create.facts.none')],
              [t('create.facts.executable'), inspection.executable ?? t('create.facts.none')],
            ] as [string, string][])
          : ([[t('create.facts.library'), inspection.executable ?? t('create.facts.none')]] as [
              string,
              string,
            ][])),
        [t('create.facts.version'), inspection.version || t('create.facts.none')],
        [t('create.facts.symbols'), symbols.length > 0 ? symbols.join(', ') : t('create.facts.none')],
        [t('create.facts.installScript'), inspection.hasInstallScript ? t('create.yes') : t('create.no')],
        [t('create.facts.entries'), entriesText(t, inspection)],
        [
          t('create.facts.size'),
          t('create.facts.sizeValue', {
            zip: formatBytes(inspection.zipSize, locale),
            total: formatBytes(inspection.totalSize, locale),
          }),
        ],
      ]
    : [];

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={updating ? t('manage.update.title', { name: updating.name }) : t(`create.title.${kind}`)}
      size="lg"
      centered
      scrollAreaComponent={ScrollArea.Autosize}
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          {updating && <UpdateConsequences plugin={updating} />}
          {updating ? (
            <TextInput
              label={t('create.name')}
              description={t('manage.update.nameFixed')}
              value={updating.name}
              readOnly
              variant="filled"
            />
          ) : (
            <Autocomplete
              label={t('create.name')}
              description={t(isPortable ? 'create.nameHintPortable' : 'create.nameHint')}
              placeholder={t('create.namePlaceholder')}
              data={suggestions}
              {...nameDropdown}
              value={name}
              onChange={editName}
              disabled={busy}
              required
              data-autofocus
            />
          )}
          <Input.Wrapper label={t('create.file')} description={t('create.fileHint')} id="create-plugin-file">
            <Dropzone
              onDrop={(files) => {
                const file = files[0];
                if (file) void choose(file, name);
              }}
              onReject={() => setRejected(true)}
              accept={ZIP_ACCEPT}
              multiple={false}
              disabled={busy}
              openRef={openRef}
              activateOnClick={zip === undefined}
              enablePointerEvents
              inputProps={{ 'aria-label': t('create.browse') }}
              // The Update dialog's name is fixed: the zip is the first thing to give.
              data-autofocus={updating ? true : undefined}
              data-testid="zip-dropzone"
              mt={6}
              p="md"
            >
              {zip ? (
                <Group justify="space-between" wrap="nowrap">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text fw={600} truncate data-testid="chosen-file">
                      {zip.fileName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {formatBytes(zip.bytes.length, locale)}
                    </Text>
                  </Stack>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      variant="default"
                      size="xs"
                      disabled={busy}
                      onClick={(event) => {
                        event.stopPropagation();
                        openRef.current?.();
                      }}
                    >
                      {t('create.replace')}
                    </Button>
                    <Button
                      variant="subtle"
                      size="xs"
                      color="gray"
                      disabled={busy}
                      onClick={(event) => {
                        event.stopPropagation();
                        setZip(undefined);
                        setError(undefined);
                      }}
                    >
                      {t('create.remove')}
                    </Button>
                  </Group>
                </Group>
              ) : (
                <Stack gap={4} align="center" py="sm" style={{ pointerEvents: 'none' }}>
                  <Dropzone.Accept>
                    <Text fw={600}>{t('create.dropNow')}</Text>
                  </Dropzone.Accept>
                  <Dropzone.Reject>
                    <Text fw={600} c="red">
                      {t('create.onlyZip')}
                    </Text>
                  </Dropzone.Reject>
                  <Dropzone.Idle>
                    <Text fw={600}>{t('create.dropHere')}</Text>
                  </Dropzone.Idle>
                  <Text size="sm" c="dimmed">
                    {t('create.orBrowse')}
                  </Text>
                </Stack>
              )}
            </Dropzone>
          </Input.Wrapper>
          {rejected && (
            <Text size="sm" c="red" role="alert">
              {t('create.onlyZip')}
            </Text>
          )}
          <TextInput
            label={t('create.address')}
            description={t('create.addressHint')}
            placeholder="https://…/plugin.zip · file:///…/plugin.zip"
            value={address}
            onChange={(event) => {
              setAddress(event.currentTarget.value);
              setError(undefined);
              if (event.currentTarget.value !== '') setZip(undefined);
            }}
            error={addressInvalid ? t('create.addressInvalid') : undefined}
            disabled={busy}
          />
          {kind === 'functions' && (
            <TagsInput
              label={t('create.functions')}
              description={t('create.functionsHint')}
              value={functions}
              onChange={editFunctions}
              disabled={busy}
              clearable
              // Nothing to suggest: a dropdown Mantine counts as open would take the Escape meant for the dialog.
              dropdownOpened={false}
            />
          )}
          {inspection && (
            <Stack gap="xs" aria-label={t('create.contents')} role="region">
              <Text fw={600} size="sm">
                {t('create.contents')}
              </Text>
              <SimpleGrid cols={2} spacing={4} verticalSpacing={2}>
                {facts.map(([label, value]) => (
                  <Group key={label} gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                    <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
                      {label}:
                    </Text>
                    <Text size="sm" truncate title={value}>
                      {value}
                    </Text>
                  </Group>
                ))}
              </SimpleGrid>
            </Stack>
          )}
          {installed && !busy && (
            <Alert
              color="yellow"
              variant="light"
              title={t('manage.duplicate.title', { name: installed.name })}
            >
              <Text size="sm">{t('manage.duplicate.body')}</Text>
              <Button
                mt="xs"
                size="xs"
                variant="default"
                onClick={() => {
                  const file = zip ? fileOf(zip) : undefined;
                  onClose();
                  askUpdate(installed, file);
                }}
              >
                {t('manage.duplicate.update', { name: installed.name })}
              </Button>
            </Alert>
          )}
          {!isPortable && inspection?.portable && zip && (
            <Alert
              color="blue"
              variant="light"
              title={t('dialog.portableZip.title')}
              data-testid="portable-zip"
            >
              <Text size="sm">
                {t('dialog.portableZip.body', {
                  manifest: inspection.portable.manifestEntry,
                  executable: inspection.portable.executable,
                })}
              </Text>
              {onSwitchKind && (
                <Button
                  mt="xs"
                  size="xs"
                  variant="default"
                  disabled={busy}
                  onClick={() => onSwitchKind('portables', fileOf(zip))}
                >
                  {t('dialog.portableZip.switch')}
                </Button>
              )}
            </Alert>
          )}
          {problems.map((problem, index) => (
            <Alert
              key={problem}
              ref={index === 0 ? problemRef : undefined}
              color={repacked ? 'yellow' : 'red'}
              variant="light"
              title={t('create.problem')}
            >
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {problem}
              </Text>
              {repacked && (
                <Text size="sm" mt="xs">
                  {t('create.repackHint', { folder: inspection?.topFolder })}
                </Text>
              )}
            </Alert>
          ))}
          {stage.step === 'upload' && (
            <Stack gap={4} ref={progressRef}>
              <Text size="sm">{t('create.uploading', { percent: Math.round(stage.percent) })}</Text>
              <Progress value={stage.percent} aria-label={t('create.uploadProgress')} animated />
            </Stack>
          )}
          {stage.step === 'install' && (
            <Stack gap={4} ref={progressRef}>
              <Text size="sm" aria-live="polite">
                {stage.phase ? t(`create.phases.${stage.phase}`) : t('create.installing')}
              </Text>
              <Progress value={100} aria-label={t('create.installProgress')} animated striped />
            </Stack>
          )}
          {output !== '' && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('create.installOutput')}
              </Text>
              <ScrollArea.Autosize mah={160}>
                <Code block data-testid="install-output">
                  {output}
                </Code>
              </ScrollArea.Autosize>
            </Stack>
          )}
          {error !== undefined && (
            <Alert
              ref={errorRef}
              color="red"
              variant="light"
              title={t(updating ? 'manage.update.failed' : 'create.failed', { name: error.name })}
              role="alert"
            >
              <Text size="sm" style={{ wordBreak: 'break-word' }}>
                {error.message}
              </Text>
              {updating && (
                <Text size="sm" mt="xs">
                  {t('manage.update.oldVersionKept')}
                </Text>
              )}
            </Alert>
          )}
          <DialogFooter>
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t('create.cancel')}
            </Button>
            <Button type="submit" disabled={repacked ? !canRepack : !canSubmit} loading={busy}>
              {repacked
                ? t(updating ? 'manage.update.repackSubmit' : 'create.repackInstall')
                : t(updating ? 'manage.update.submit' : 'create.submit')}
            </Button>
          </DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}
