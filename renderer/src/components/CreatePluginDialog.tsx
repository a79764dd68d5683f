import {
  Alert,
  Autocomplete,
  Button,
  Code,
  Group,
  Modal,
  Progress,
  ScrollArea,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstallPhase } from '../../../shared/install-events';
import type { PluginOverview } from '../../../shared/plugin-dto';
import type { PluginKind } from '../../../shared/plugin-kinds';
import {
  fileUrlOfStoredPath,
  installApi,
  uploadZip,
  withInstallEvents,
  type CreatePluginBody,
} from '../api/install-api';
import { currentServer } from '../api/server-scope';
import { useHostZipLimits } from '../lib/host-zip-limits';
import { useServerNotes } from '../lib/use-server-notes';
import {
  isZipAddress,
  readChosenZip,
  safeInspect,
  uploadName,
  uploadedName,
  useZipInspection,
  type ChosenZip,
} from '../lib/zip-choice';
import { noteConnectionError } from '../stores/connection-store';
import { useManageStore } from '../stores/manage-store';
import { usePluginsStore } from '../stores/plugins-store';
import { UpdateConsequences } from './UpdateConsequences';
import { FunctionNamesField, ZipContents, ZipDropField, ZipProblem } from './ZipDropField';

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
}

type Stage =
  { step: 'idle' } | { step: 'upload'; percent: number } | { step: 'install'; phase?: InstallPhase };

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
}: CreatePluginDialogProps) {
  const { t, i18n } = useTranslation();
  const hostLimits = useHostZipLimits(opened);
  const notes = useServerNotes();
  const limits = hostLimits.limits;
  const op = updating ? 'update' : 'create';
  const [name, setName] = useState('');
  const [zip, setZip] = useState<ChosenZip | undefined>();
  const [address, setAddress] = useState('');
  const [functions, setFunctions] = useState<string[]>([]);
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [output, setOutput] = useState('');
  const [error, setError] = useState<string | undefined>();
  const busy = stage.step !== 'idle';

  useEffect(() => {
    if (!opened) return;
    setName(updating?.name ?? '');
    setZip(undefined);
    setAddress('');
    setFunctions(updating && kind === 'functions' ? updating.functions : []);
    setStage({ step: 'idle' });
    setOutput('');
    setError(undefined);
    if (initialFile) void choose(initialFile, '');
    // Reset only when the dialog opens (or is given another dropped zip or plugin to update).
  }, [opened, initialFile, kind, updating?.name]);

  async function choose(file: File, currentName: string) {
    const chosen = await readChosenZip(file);
    setZip(chosen);
    setAddress('');
    setError(undefined);
    const first = safeInspect(chosen.bytes, kind, undefined, chosen.fileName, limits);
    if (!updating && currentName === '' && first.suggestedName !== undefined) setName(first.suggestedName);
    if (kind === 'functions') setFunctions((list) => (list.length > 0 ? list : first.symbols.functions));
  }

  const { inspection, repacked } = useZipInspection(zip, kind, name, hostLimits, t, i18n.language);

  const suggestions = useMemo(() => {
    const names = new Set<string>();
    if (inspection?.manifest?.name) names.add(inspection.manifest.name);
    if (inspection?.suggestedName) names.add(inspection.suggestedName);
    return [...names];
  }, [inspection]);

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

  async function install(bytes: Uint8Array | undefined) {
    const pluginName = updating?.name ?? name.trim();
    // Every step (upload, install, removing the upload) goes to the server the install began on, even if the
    // window moves to another meanwhile.
    const server = currentServer();
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
          server,
        );
        file = fileUrlOfStoredPath(stored);
      }
      setStage({ step: 'install' });
      const body: CreatePluginBody = { name: pluginName, file };
      if (kind === 'functions' && functions.length > 0) body.functions = functions;
      const run = () =>
        updating ? installApi.update(kind, pluginName, body, server) : installApi.create(kind, body, server);
      // Progress comes from this app's event stream; a plain eKuiper has none, and answers only at the end.
      const message = notes.installEvents
        ? await withInstallEvents(
            { op, kind, name: pluginName },
            (event) => {
              setStage({ step: 'install', phase: event.phase });
              if (event.output) setOutput((text) => text + event.output);
            },
            run,
            server,
          )
        : await run();
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
      setError((failure as Error).message);
      setStage({ step: 'idle' });
    } finally {
      stop.abort();
      if (stored !== undefined) {
        installApi.deleteUpload(uploadedName(stored), server).catch(() => {});
      }
    }
  }

  const isPortable = kind === 'portables';

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={updating ? t('manage.update.title', { name: updating.name }) : t(`create.title.${kind}`)}
      size="lg"
      centered
      scrollAreaComponent={ScrollArea.Autosize}
      closeButtonProps={{ 'aria-label': t('create.cancel') }}
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
            value={name}
            onChange={setName}
            disabled={busy}
            required
          />
        )}
        <ZipDropField
          id="create-plugin-file"
          zip={zip}
          onChoose={(file) => void choose(file, name)}
          onRemove={() => setZip(undefined)}
          disabled={busy}
        />
        <TextInput
          label={t('create.address')}
          description={t('create.addressHint')}
          placeholder="https://…/plugin.zip · file:///…/plugin.zip"
          value={address}
          onChange={(event) => {
            setAddress(event.currentTarget.value);
            if (event.currentTarget.value !== '') setZip(undefined);
          }}
          error={addressInvalid ? t('create.addressInvalid') : undefined}
          disabled={busy}
        />
        {kind === 'functions' && (
          <FunctionNamesField value={functions} onChange={setFunctions} disabled={busy} />
        )}
        {inspection && <ZipContents inspection={inspection} />}
        {installed && !busy && (
          <Alert color="yellow" variant="light" title={t('manage.duplicate.title', { name: installed.name })}>
            <Text size="sm">{t('manage.duplicate.body')}</Text>
            <Button
              mt="xs"
              size="xs"
              variant="default"
              onClick={() => {
                const file = zip ? new File([zip.bytes.slice().buffer], zip.fileName) : undefined;
                onClose();
                askUpdate(installed, file);
              }}
            >
              {t('manage.duplicate.update', { name: installed.name })}
            </Button>
          </Alert>
        )}
        {problems.map((problem) => (
          <ZipProblem key={problem} problem={problem} fixable={repacked !== undefined}>
            {repacked && (
              <Text size="sm" mt="xs">
                {t('create.repackHint', { folder: inspection?.topFolder })}
              </Text>
            )}
          </ZipProblem>
        ))}
        {stage.step === 'upload' && (
          <Stack gap={4}>
            <Text size="sm">{t('create.uploading', { percent: Math.round(stage.percent) })}</Text>
            <Progress value={stage.percent} aria-label={t('create.uploadProgress')} animated />
          </Stack>
        )}
        {stage.step === 'install' && (
          <Stack gap={4}>
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
            color="red"
            variant="light"
            title={t(updating ? 'manage.update.failed' : 'create.failed', { name: name.trim() })}
            role="alert"
          >
            <Text size="sm" style={{ wordBreak: 'break-word' }}>
              {error}
            </Text>
            {updating && (
              <Text size="sm" mt="xs">
                {t('manage.update.oldVersionKept')}
              </Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('create.cancel')}
          </Button>
          {repacked ? (
            <Button onClick={() => void install(repacked)} disabled={!canRepack} loading={busy}>
              {t(updating ? 'manage.update.repackSubmit' : 'create.repackInstall')}
            </Button>
          ) : (
            <Button
              onClick={() => void install(zip?.bytes)}
              disabled={!canSubmit}
              loading={busy}
              type="submit"
            >
              {t(updating ? 'manage.update.submit' : 'create.submit')}
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
