import {
  Autocomplete,
  Checkbox,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EXTENSION_ACTIONS,
  type ExtensionAction,
  type ExtensionKind,
  type FleetExtensionRequest,
  type JavascriptFunctionBody,
} from '../../../shared/extension-fleet';
import { validateId } from '../../../shared/plugin-names';
import { LOCAL_SERVER_ID, type ServerInfo } from '../../../shared/server-dto';
import { fleetApi } from '../api/fleet-api';
import { requestJson } from '../api/http';
import { fileUrlOfStoredPath, installApi, uploadZip } from '../api/install-api';
import { differsFromCommon, type FleetMatrix } from '../lib/fleet-matrix';
import { useFleetSteps } from '../lib/use-fleet-steps';
import { useHostMessage } from '../lib/host-message';
import { useDialog } from '../lib/use-dialog';
import { isZipAddress, readChosenZip, uploadName, uploadedName, type ChosenZip } from '../lib/zip-choice';
import { FLEET_CONCURRENCY, usePreferencesStore } from '../stores/preferences-store';
import { TargetList } from './FleetActionDialog';
import { FleetActionChoice, FleetDialogEnd, FleetOutcome } from './FleetDialogSteps';
import type { ServerFacts } from './FleetResults';
import { ZipDropField } from './ZipDropField';

/** What the dialog starts with: from the toolbar (selected servers) or a matrix row's menu. */
export interface ExtensionDialogRequest {
  action: ExtensionAction;
  name: string;
  targets: string[];
}

export interface ExtensionActionDialogProps {
  kind: ExtensionKind;
  opened: boolean;
  request: ExtensionDialogRequest | undefined;
  servers: readonly ServerInfo[];
  matrix: FleetMatrix;
  onClose: () => void;
  /** A run ended: the page asks every server again. */
  onFinished: () => void;
}

/**
 * A JavaScript function or service created, updated or deleted on many servers, with the plugin fleet's three
 * steps and tables: the form (action, name, the script — taken from this computer's function of that name when
 * there is one — or the service zip, target servers, concurrency); the preview, where every server says what it
 * would do; the run, one row per server in its own words, failed ones retried alone. A service zip chosen here is
 * uploaded once to this computer's host, which sends it on; the upload is removed when the dialog closes.
 */
export function ExtensionActionDialog({
  kind,
  opened,
  request,
  servers,
  matrix,
  onClose,
  onFinished,
}: ExtensionActionDialogProps) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const concurrency = usePreferencesStore((state) => state.fleetConcurrency);
  const setConcurrency = usePreferencesStore((state) => state.setFleetConcurrency);
  const [action, setAction] = useState<ExtensionAction>('create');
  const [name, setName] = useState('');
  const [script, setScript] = useState('');
  const [description, setDescription] = useState('');
  const [isAgg, setIsAgg] = useState(false);
  const [source, setSource] = useState<'zip' | 'address'>('zip');
  const [zip, setZip] = useState<ChosenZip | undefined>();
  const [address, setAddress] = useState('');
  const [targets, setTargets] = useState<string[]>([]);
  const stored = useRef<string | undefined>(undefined);

  const forgetUpload = () => {
    const path = stored.current;
    stored.current = undefined;
    if (path !== undefined)
      installApi.deleteUpload(uploadedName(path), LOCAL_SERVER_ID).catch(() => undefined);
  };

  useEffect(() => {
    if (!opened) return;
    setAction(request?.action ?? 'create');
    setName(request?.name ?? '');
    setScript('');
    setDescription('');
    setIsAgg(false);
    setSource('zip');
    setZip(undefined);
    setAddress('');
    setTargets(request?.targets ?? []);
    steps.reset();
    return () => {
      steps.abort();
      forgetUpload();
    };
  }, [opened, request]);

  // A function this computer has is the usual source of a bulk create: its script fills the form.
  const trimmed = name.trim();
  const localRow = matrix.rows.find((row) => row.name === trimmed);
  const onLocal = localRow?.cells[LOCAL_SERVER_ID]?.state === 'present';
  useEffect(() => {
    if (!opened || kind !== 'javascript' || !onLocal || script !== '') return;
    let cancelled = false;
    requestJson<JavascriptFunctionBody>(`/udf/javascript/${encodeURIComponent(trimmed)}`, {
      server: LOCAL_SERVER_ID,
    })
      .then((fn) => {
        if (cancelled) return;
        setScript((current) => (current === '' ? fn.script : current));
        setDescription((current) => (current === '' ? fn.description : current));
        setIsAgg(fn.isAgg);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // Only when the name comes to match a function of this computer.
  }, [opened, kind, onLocal, trimmed]);

  useDialog(opened);

  const facts = (server: string): ServerFacts => {
    const info = servers.find((candidate) => candidate.id === server);
    return {
      name: info?.name ?? matrix.columns.find((column) => column.id === server)?.name ?? server,
      readOnly: info?.health?.readOnly === true,
      currentVersion: undefined,
    };
  };
  const nameChoices = useMemo(() => matrix.rows.map((row) => row.name), [matrix.rows]);

  const changes = action !== 'delete';
  const addressText = address.trim();
  const blocker: string | undefined =
    trimmed === ''
      ? t('extensionFleet.dialog.needName')
      : validateId(trimmed) !== undefined
        ? hostMessage(validateId(trimmed))
        : changes && kind === 'javascript' && script.trim() === ''
          ? t('extensionFleet.dialog.needScript')
          : changes && kind === 'services' && source === 'zip' && zip === undefined
            ? t('fleet.dialog.needZip')
            : changes && kind === 'services' && source === 'address' && !isZipAddress(addressText)
              ? t('fleet.dialog.needAddress')
              : targets.length === 0
                ? t('fleet.dialog.needTargets')
                : undefined;

  function requestFor(list: string[]): Omit<FleetExtensionRequest, 'dryRun'> {
    const body: Omit<FleetExtensionRequest, 'dryRun'> = { action, name: trimmed, servers: list, concurrency };
    if (!changes) return body;
    if (kind === 'javascript') return { ...body, script, description, isAgg };
    return {
      ...body,
      file: source === 'address' ? addressText : fileUrlOfStoredPath(stored.current ?? ''),
    };
  }

  const steps = useFleetSteps(`/manager/fleet/${kind}`, requestFor, onFinished);
  const { stage, preview, run, toRun, busy, inForm } = steps;

  const check = () =>
    steps.previewWith(async () => {
      if (changes && kind === 'services' && source === 'zip' && zip && stored.current === undefined) {
        stored.current = await uploadZip(
          zip.bytes,
          uploadName(zip.fileName),
          () => {},
          undefined,
          LOCAL_SERVER_ID,
        );
      }
      return fleetApi.previewExtension(kind, requestFor(targets));
    });

  const stateOf = (server: string) => localRow?.cells[server]?.state;
  const describeState = (server: string): string | undefined => {
    const cell = localRow?.cells[server];
    if (cell === undefined) return undefined;
    if (cell.state === 'present') {
      return differsFromCommon(localRow!, cell)
        ? t('extensionFleet.dialog.hasDiffers')
        : t('extensionFleet.dialog.has');
    }
    return t(
      `extensionFleet.dialog.${cell.state === 'missing' ? 'hasNot' : cell.state === 'unavailable' ? 'unavailable' : 'noAnswer'}`,
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={stage === 'checking' ? () => {} : onClose}
      title={t(`extensionFleet.dialog.title.${kind}.${action}`)}
      size="xl"
      centered
      closeOnClickOutside={!busy}
      closeButtonProps={{ 'aria-label': t('fleet.dialog.close'), disabled: stage === 'checking' }}
      returnFocus={false}
    >
      <Stack gap="md" data-testid="extension-fleet-dialog">
        {inForm ? (
          <>
            <FleetActionChoice
              value={action}
              actions={EXTENSION_ACTIONS}
              labelOf={(value) => t(`extensionFleet.actionNames.${value}`)}
              onChange={setAction}
              disabled={busy}
            />
            <Autocomplete
              label={t(`extensionFleet.dialog.name.${kind}`)}
              description={t(`extensionFleet.dialog.nameHint.${kind}`)}
              placeholder={t('fleet.dialog.namePlaceholder')}
              data={nameChoices}
              value={name}
              onChange={setName}
              disabled={busy}
              required
            />
            {changes && kind === 'javascript' && (
              <>
                <TextInput
                  label={t('extensionFleet.dialog.description')}
                  value={description}
                  onChange={(event) => setDescription(event.currentTarget.value)}
                  disabled={busy}
                />
                <Textarea
                  label={t('extensionFleet.dialog.script')}
                  description={t('extensionFleet.dialog.scriptHint')}
                  value={script}
                  onChange={(event) => setScript(event.currentTarget.value)}
                  autosize
                  minRows={5}
                  maxRows={12}
                  spellCheck={false}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  disabled={busy}
                  required
                />
                <Checkbox
                  label={t('extensionFleet.dialog.isAgg')}
                  checked={isAgg}
                  onChange={(event) => setIsAgg(event.currentTarget.checked)}
                  disabled={busy}
                />
              </>
            )}
            {changes && kind === 'services' && (
              <Stack gap="xs">
                <SegmentedControl
                  value={source}
                  onChange={(value) => setSource(value)}
                  data={[
                    { value: 'zip', label: t('fleet.dialog.sources.zip') },
                    { value: 'address', label: t('fleet.dialog.sources.address') },
                  ]}
                  disabled={busy}
                  aria-label={t('fleet.dialog.source')}
                />
                {source === 'zip' ? (
                  <ZipDropField
                    id="extension-fleet-zip"
                    zip={zip}
                    onChoose={(file) =>
                      void readChosenZip(file).then((chosen) => {
                        forgetUpload();
                        setZip(chosen);
                        setName((current) =>
                          current.trim() === '' ? chosen.fileName.replace(/\.zip$/i, '') : current,
                        );
                      })
                    }
                    onRemove={() => {
                      forgetUpload();
                      setZip(undefined);
                    }}
                    disabled={busy}
                  />
                ) : (
                  <TextInput
                    label={t('fleet.dialog.address')}
                    description={t('fleet.dialog.addressHint')}
                    placeholder="https://…/service.zip · file:///…/service.zip"
                    value={address}
                    onChange={(event) => setAddress(event.currentTarget.value)}
                    disabled={busy}
                  />
                )}
              </Stack>
            )}
            <TargetList
              columns={matrix.columns}
              facts={facts}
              targets={targets}
              onChange={setTargets}
              disabled={busy}
              hasPlugin={stateOf}
              describeState={describeState}
            />
            <NumberInput
              label={t('fleet.dialog.concurrency')}
              description={t('fleet.dialog.concurrencyHint')}
              value={concurrency}
              onChange={(value) => typeof value === 'number' && setConcurrency(value)}
              min={FLEET_CONCURRENCY.min}
              max={FLEET_CONCURRENCY.max}
              clampBehavior="strict"
              allowDecimal={false}
              disabled={busy}
              w={200}
            />
          </>
        ) : (
          <FleetOutcome
            summary={t(`extensionFleet.dialog.summary.${kind}.${action}`, {
              name: trimmed,
              count: targets.length,
            })}
            stage={stage}
            preview={preview}
            run={run}
            facts={facts}
            planLabel={(plan) => t(`extensionFleet.plans.${plan}`)}
          />
        )}
        <FleetDialogEnd
          {...steps.endProps}
          blocker={blocker}
          runLabel={t(`extensionFleet.dialog.run.${action}`, { count: toRun.length })}
          danger={action === 'delete'}
          onClose={onClose}
          onPreview={() => void check()}
        />
      </Stack>
    </Modal>
  );
}
