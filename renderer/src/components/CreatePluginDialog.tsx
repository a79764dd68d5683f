import { Alert, Button, Code, Modal, Progress, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstallPhase } from '../../../shared/install-events';
import type { PluginOverview } from '../../../shared/plugin-dto';
import type { PluginKind } from '../../../shared/plugin-kinds';
import { pluginNameProblem } from '../../../shared/plugin-names';
import { HostError } from '../api/http';
import {
  fileUrlOfStoredPath,
  installApi,
  uploadZip,
  withInstallEvents,
  type CreatePluginBody,
} from '../api/install-api';
import { pluginApi } from '../api/plugin-api';
import { currentServer } from '../api/server-scope';
import { useHostMessage } from '../lib/host-message';
import { useHostZipLimits } from '../lib/host-zip-limits';
import { useDialog } from '../lib/use-dialog';
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
import { PluginNameField } from './PluginNameField';
import { DialogFooter, UploadProgress, useReveal } from './DialogParts';
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
  /**
   * Reopens the dialog for another kind with the same zip: offered when a portable plugin's zip is given to a
   * native kind. Without it (the Update dialog, whose kind is the plugin's) the dialog only says so.
   */
  onSwitchKind?: ((kind: PluginKind, file: File) => void) | undefined;
}

type Stage =
  { step: 'idle' } | { step: 'upload'; percent: number } | { step: 'install'; phase?: InstallPhase };

/**
 * What a cancelled install left, as the host tells it afterwards: nothing (a create), the version that was
 * installed (an update), the new plugin (it had finished before the cancel arrived), or unknown (no answer).
 */
type CancelOutcome = 'nothing' | 'kept' | 'finished' | 'unknown';

/** An install that failed: the name it was for, kept with the host's reason so a later edit cannot mix them. */
interface InstallFailure {
  name: string;
  message: string;
}

/** The chosen zip as a file again, to hand to another dialog. */
function fileOf(zip: ChosenZip): File {
  return new File([zip.bytes.slice().buffer], zip.fileName);
}

/**
 * Asks the server what a cancelled install left: this app's host abandons it, unless it had already finished.
 * A server without this app's details route (a plain eKuiper) may go on installing after the hang-up, so what it
 * kept is unknown until its lists are read again.
 */
async function cancelOutcome(
  kind: PluginKind,
  name: string,
  updating: PluginOverview | undefined,
  server: string,
  hasDetails: boolean,
): Promise<CancelOutcome> {
  if (!hasDetails) return 'unknown';
  try {
    const details = await pluginApi.details(kind, name, server);
    if (updating === undefined) return 'finished';
    return details.record?.installedAt === updating.record?.installedAt ? 'kept' : 'finished';
  } catch (error) {
    if (error instanceof HostError && error.status === 404 && updating === undefined) return 'nothing';
    return 'unknown';
  }
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
  const hostMessage = useHostMessage();
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
  const [error, setError] = useState<InstallFailure | undefined>();
  const [cancelled, setCancelled] = useState<CancelOutcome | undefined>();
  const inFlight = useRef<AbortController | undefined>(undefined);
  const busy = stage.step !== 'idle';
  useDialog(opened);
  // A failure (or a cancel's outcome) is about the inputs it was sent with: any change to them makes it stale.
  const edited = () => {
    setError(undefined);
    setCancelled(undefined);
  };
  const editName = (value: string) => {
    setName(value);
    edited();
  };
  const editFunctions = (value: string[]) => {
    setFunctions(value);
    edited();
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
    setCancelled(undefined);
    if (initialFile) void choose(initialFile, '');
    // Reset only when the dialog opens (or is given another dropped zip or plugin to update).
  }, [opened, initialFile, kind, updating?.name]);

  async function choose(file: File, currentName: string) {
    const chosen = await readChosenZip(file);
    setZip(chosen);
    setAddress('');
    setError(undefined);
    setCancelled(undefined);
    const first = safeInspect(chosen.bytes, kind, undefined, chosen.fileName, limits);
    if (!updating && currentName === '' && first.suggestedName !== undefined) setName(first.suggestedName);
    if (kind === 'functions') setFunctions((list) => (list.length > 0 ? list : first.symbols.functions));
  }

  /** A name the host would refuse is marked on the Name field; the zip is then judged on its own. */
  const nameInvalid = !updating && name.trim() !== '' && pluginNameProblem(kind, name.trim()) !== undefined;
  const checkedName = nameInvalid ? '' : name;
  const { inspection, repacked } = useZipInspection(zip, kind, checkedName, hostLimits, t, i18n.language);

  const suggestions = useMemo(() => {
    const names = new Set<string>();
    if (inspection?.manifest?.name) names.add(inspection.manifest.name);
    if (inspection?.suggestedName) names.add(inspection.suggestedName);
    return [...names];
  }, [inspection]);

  const addressText = address.trim();
  const addressInvalid = addressText !== '' && !isZipAddress(addressText);
  const hasSource = zip !== undefined || (addressText !== '' && !addressInvalid);
  /** What the host would refuse the zip for; a name problem is the Name field's, not the zip's. */
  const problems = (inspection?.problems ?? []).filter((problem) => problem !== inspection?.nameProblem);
  const nameProblem = nameInvalid || inspection?.nameProblem !== undefined;
  /** Create only: a plugin of this kind and name is installed already, which the host refuses as a duplicate. */
  const installed = usePluginsStore((state) =>
    updating
      ? undefined
      : state.plugins.find((plugin) => plugin.kind === kind && plugin.name === name.trim()),
  );
  const askUpdate = useManageStore((state) => state.askUpdate);
  const canSubmit =
    !busy && name.trim() !== '' && !nameProblem && hasSource && problems.length === 0 && !installed;
  const canRepack = !busy && name.trim() !== '' && !nameProblem && repacked !== undefined && !installed;
  /** Install (or repack and install) when allowed: the button and Enter in any field. */
  const submit = () => {
    if (repacked ? canRepack : canSubmit) void install(repacked ?? zip?.bytes);
  };
  const problemRef = useReveal<HTMLDivElement>(zip !== undefined && problems.length > 0 ? zip : undefined);
  const progressRef = useReveal<HTMLDivElement>(busy ? stage.step : undefined);
  const errorRef = useReveal<HTMLDivElement>(error);
  const cancelledRef = useReveal<HTMLDivElement>(cancelled);

  async function install(bytes: Uint8Array | undefined) {
    const pluginName = updating?.name ?? name.trim();
    // Every step (upload, install, removing the upload) goes to the server the install began on, even if the
    // window moves to another meanwhile.
    const server = currentServer();
    setError(undefined);
    setCancelled(undefined);
    setOutput('');
    const stop = new AbortController();
    inFlight.current = stop;
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
        updating
          ? installApi.update(kind, pluginName, body, server, stop.signal)
          : installApi.create(kind, body, server, stop.signal);
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
      if (stop.signal.aborted) {
        // Cancelled: the host abandons the install when the request goes away; ask what it kept.
        const outcome = await cancelOutcome(kind, pluginName, updating, server, notes.details === undefined);
        setCancelled(outcome);
        if (outcome === 'finished') onCreated();
      } else {
        noteConnectionError(failure);
        setError({ name: pluginName, message: (failure as Error).message });
      }
      setStage({ step: 'idle' });
    } finally {
      inFlight.current = undefined;
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
            <PluginNameField
              kind={kind}
              label={t('create.name')}
              description={t(isPortable ? 'create.nameHintPortable' : 'create.nameHint')}
              placeholder={t('create.namePlaceholder')}
              data={suggestions}
              value={name}
              onChange={editName}
              disabled={busy}
              required
              data-autofocus
            />
          )}
          <ZipDropField
            id="create-plugin-file"
            zip={zip}
            onChoose={(file) => void choose(file, name)}
            onRemove={() => {
              setZip(undefined);
              edited();
            }}
            disabled={busy}
            // The Update dialog's name is fixed: the zip is the first thing to give.
            autoFocus={updating !== undefined}
          />
          <TextInput
            label={t('create.address')}
            description={t('create.addressHint')}
            placeholder="https://…/plugin.zip · file:///…/plugin.zip"
            value={address}
            onChange={(event) => {
              setAddress(event.currentTarget.value);
              edited();
              if (event.currentTarget.value !== '') setZip(undefined);
            }}
            error={addressInvalid ? t('create.addressInvalid') : undefined}
            disabled={busy}
          />
          {kind === 'functions' && (
            <FunctionNamesField value={functions} onChange={editFunctions} disabled={busy} />
          )}
          {inspection && <ZipContents inspection={inspection} />}
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
          {problems.length > 0 && (
            <Stack gap="md" ref={problemRef}>
              {problems.map((problem) => (
                <ZipProblem key={problem} problem={problem} fixable={repacked !== undefined}>
                  {repacked && (
                    <Text size="sm" mt="xs">
                      {t('create.repackHint', { folder: inspection?.topFolder })}
                    </Text>
                  )}
                </ZipProblem>
              ))}
            </Stack>
          )}
          {stage.step === 'upload' && <UploadProgress ref={progressRef} percent={stage.percent} />}
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
          {cancelled !== undefined && (
            <Alert
              ref={cancelledRef}
              color={cancelled === 'finished' ? 'green' : 'gray'}
              variant="light"
              role="status"
              data-testid="install-cancelled"
            >
              <Text size="sm">
                {t(`create.cancelled.${cancelled}`, { name: updating?.name ?? name.trim() })}
              </Text>
            </Alert>
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
                {hostMessage(error.message)}
              </Text>
              {updating && (
                <Text size="sm" mt="xs">
                  {t('manage.update.oldVersionKept')}
                </Text>
              )}
            </Alert>
          )}
          <DialogFooter>
            {/* While busy, Cancel hangs up on the host, which abandons the install and rolls it back. */}
            <Button variant="default" onClick={busy ? () => inFlight.current?.abort() : onClose}>
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
