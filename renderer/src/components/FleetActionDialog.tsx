import {
  Alert,
  Anchor,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PLUGIN_KINDS, type PluginKind } from '../../../shared/plugin-kinds';
import {
  LOCAL_SERVER_ID,
  type FleetAction,
  type FleetPluginRequest,
  type ServerInfo,
} from '../../../shared/server-dto';
import { fleetApi } from '../api/fleet-api';
import { fileUrlOfStoredPath, installApi, uploadZip } from '../api/install-api';
import type { FleetMatrix } from '../lib/fleet-matrix';
import { useFleetSteps } from '../lib/use-fleet-steps';
import { useHostZipLimits } from '../lib/host-zip-limits';
import {
  isZipAddress,
  readChosenZip,
  safeInspect,
  uploadName,
  uploadedName,
  useZipInspection,
  type ChosenZip,
} from '../lib/zip-choice';
import { FLEET_CONCURRENCY, usePreferencesStore } from '../stores/preferences-store';
import { useDialog } from '../lib/use-dialog';
import { FleetActionChoice, FleetDialogEnd, FleetOutcome } from './FleetDialogSteps';
import type { ServerFacts } from './FleetResults';
import { FunctionNamesField, ZipContents, ZipDropField, ZipProblem } from './ZipDropField';

/** What the dialog starts with: from the toolbar (selected servers) or a matrix row's menu. */
export interface FleetDialogRequest {
  action: FleetAction;
  kind: PluginKind;
  name: string;
  targets: string[];
}

export interface FleetActionDialogProps {
  opened: boolean;
  request: FleetDialogRequest | undefined;
  servers: readonly ServerInfo[];
  matrix: FleetMatrix;
  onClose: () => void;
  /** A run ended: the page asks every server again. */
  onFinished: () => void;
}

/** Where the zip comes from: a file chosen in the window, an address, or each server's own prebuilt list. */
type Source = 'zip' | 'address' | 'prebuilt';

const ACTIONS: readonly FleetAction[] = ['install', 'update', 'delete'];

/**
 * A plugin action on many servers, in three steps as fleet tools do it (pick targets, check, execute): the form
 * (action, kind, name, the zip — dropped, browsed, by address or from each server's prebuilt list — functions,
 * target servers, concurrency); the preview, where every server says what it would do; the run, where every
 * server has its own row with progress, its HTTP status, its own message and its time. Failed servers can be
 * retried alone. A zip chosen here is uploaded once to this computer's host, which sends it on to each server;
 * the upload is removed when the dialog closes.
 */
export function FleetActionDialog({
  opened,
  request,
  servers,
  matrix,
  onClose,
  onFinished,
}: FleetActionDialogProps) {
  const { t, i18n } = useTranslation();
  // The zip goes to this computer's host first, whichever server the window shows: its limits apply.
  const hostLimits = useHostZipLimits(opened, LOCAL_SERVER_ID);
  const concurrency = usePreferencesStore((state) => state.fleetConcurrency);
  const setConcurrency = usePreferencesStore((state) => state.setFleetConcurrency);
  const [action, setAction] = useState<FleetAction>('install');
  const [kind, setKind] = useState<PluginKind>('portables');
  const [name, setName] = useState('');
  const [source, setSource] = useState<Source>('zip');
  const [zip, setZip] = useState<ChosenZip | undefined>();
  const [address, setAddress] = useState('');
  const [functions, setFunctions] = useState<string[]>([]);
  const [targets, setTargets] = useState<string[]>([]);
  const [uploadPercent, setUploadPercent] = useState<number | undefined>();
  /** The zip's path on this computer's host once uploaded; reused by the run and retries. */
  const stored = useRef<string | undefined>(undefined);

  const forgetUpload = () => {
    const path = stored.current;
    stored.current = undefined;
    if (path !== undefined) {
      installApi.deleteUpload(uploadedName(path), LOCAL_SERVER_ID).catch(() => undefined);
    }
  };

  useEffect(() => {
    if (!opened) return;
    setAction(request?.action ?? 'install');
    setKind(request?.kind ?? 'portables');
    setName(request?.name ?? '');
    setSource('zip');
    setZip(undefined);
    setAddress('');
    setFunctions([]);
    setTargets(request?.targets ?? []);
    steps.reset();
    setUploadPercent(undefined);
    return () => {
      steps.abort();
      forgetUpload();
    };
    // Reset only when the dialog opens, or is opened afresh for another request.
  }, [opened, request]);

  useDialog(opened);

  const { inspection, repacked } = useZipInspection(
    source === 'zip' && action !== 'delete' ? zip : undefined,
    kind,
    name,
    hostLimits,
    t,
    i18n.language,
  );

  const row = matrix.rows.find((candidate) => candidate.kind === kind && candidate.name === name.trim());
  const facts = (server: string): ServerFacts => {
    const info = servers.find((candidate) => candidate.id === server);
    const cell = row?.cells[server];
    return {
      name: info?.name ?? matrix.columns.find((column) => column.id === server)?.name ?? server,
      readOnly: info?.health?.readOnly === true,
      currentVersion: cell?.state === 'present' ? cell.version : undefined,
    };
  };
  const nameChoices = useMemo(() => {
    const names = new Set(matrix.rows.filter((r) => r.kind === kind).map((r) => r.name));
    if (inspection?.suggestedName) names.add(inspection.suggestedName);
    return [...names];
  }, [matrix.rows, kind, inspection?.suggestedName]);

  async function choose(file: File) {
    const chosen = await readChosenZip(file);
    forgetUpload();
    setZip(chosen);
    setError(undefined);
    if (stage !== 'form') setStage('form');
    const first = safeInspect(chosen.bytes, kind, undefined, chosen.fileName, hostLimits.limits);
    setName((current) => (current.trim() === '' && first.suggestedName ? first.suggestedName : current));
    if (kind === 'functions') {
      setFunctions((list) => (list.length > 0 ? list : first.symbols.functions));
    }
  }

  const needsFile = action !== 'delete';
  const addressText = address.trim();
  const addressInvalid = addressText !== '' && !isZipAddress(addressText);
  const zipProblems = inspection?.problems ?? [];
  const blocker: string | undefined =
    name.trim() === ''
      ? t('fleet.dialog.needName')
      : needsFile && source === 'zip' && zip === undefined
        ? t('fleet.dialog.needZip')
        : needsFile && source === 'zip' && zipProblems.length > 0
          ? t('fleet.dialog.zipRefused')
          : needsFile && source === 'address' && (addressText === '' || addressInvalid)
            ? t('fleet.dialog.needAddress')
            : needsFile && source === 'prebuilt' && kind === 'portables'
              ? t('fleet.dialog.noPrebuiltPortables')
              : targets.length === 0
                ? t('fleet.dialog.needTargets')
                : undefined;

  /** The request as the host takes it, once the zip (if any) is on this computer's host. */
  function requestFor(servers: string[]): Omit<FleetPluginRequest, 'dryRun'> {
    const body: Omit<FleetPluginRequest, 'dryRun'> = {
      action,
      kind,
      name: name.trim(),
      servers,
      concurrency,
    };
    if (needsFile) {
      body.file =
        source === 'prebuilt'
          ? 'prebuilt'
          : source === 'address'
            ? addressText
            : fileUrlOfStoredPath(stored.current ?? '');
      if (kind === 'functions' && functions.length > 0) body.functions = functions;
    }
    return body;
  }

  const steps = useFleetSteps('/manager/fleet/plugins', requestFor, onFinished);
  const { stage, setStage, preview, run, setError, toRun, busy, inForm } = steps;

  const check = () =>
    steps.previewWith(
      async () => {
        if (needsFile && source === 'zip' && zip && stored.current === undefined) {
          setUploadPercent(0);
          stored.current = await uploadZip(
            zip.bytes,
            uploadName(zip.fileName),
            (loaded, total) => setUploadPercent(total > 0 ? (loaded / total) * 100 : 0),
            undefined,
            LOCAL_SERVER_ID,
          );
        }
        setUploadPercent(undefined);
        return fleetApi.preview(requestFor(targets));
      },
      () => setUploadPercent(undefined),
    );

  const kindLabel = t(`fleet.kindLabel.${kind}`);

  const summary = t(`fleet.dialog.summary.${action}`, {
    kind: kindLabel,
    name: name.trim(),
    count: targets.length,
  });

  return (
    <Modal
      opened={opened}
      onClose={stage === 'checking' ? () => {} : onClose}
      title={t(`fleet.dialog.title.${action}`)}
      size="xl"
      centered
      closeOnClickOutside={!busy}
      closeButtonProps={{ 'aria-label': t('fleet.dialog.close'), disabled: stage === 'checking' }}
      returnFocus={false}
    >
      <Stack gap="md">
        {inForm ? (
          <>
            <Group grow align="flex-start" wrap="wrap">
              <FleetActionChoice
                value={action}
                actions={ACTIONS}
                labelOf={(value) => t(`fleet.actionNames.${value}`)}
                onChange={setAction}
                disabled={busy}
              />
              <Select
                label={t('fleet.dialog.kind')}
                value={kind}
                onChange={(value) => value && setKind(value)}
                data={PLUGIN_KINDS.map((value) => ({ value, label: t(`fleet.kindLabel.${value}`) }))}
                allowDeselect={false}
                disabled={busy}
              />
            </Group>
            <Autocomplete
              label={t('fleet.dialog.name')}
              description={t(`fleet.dialog.nameHint.${action}`)}
              placeholder={t('fleet.dialog.namePlaceholder')}
              data={nameChoices}
              value={name}
              onChange={setName}
              disabled={busy}
              required
            />
            {needsFile && (
              <Stack gap="xs">
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    {t('fleet.dialog.source')}
                  </Text>
                  <SegmentedControl
                    value={source}
                    onChange={(value) => setSource(value)}
                    data={[
                      { value: 'zip', label: t('fleet.dialog.sources.zip') },
                      { value: 'address', label: t('fleet.dialog.sources.address') },
                      {
                        value: 'prebuilt',
                        label: t('fleet.dialog.sources.prebuilt'),
                        disabled: kind === 'portables',
                      },
                    ]}
                    disabled={busy}
                    aria-label={t('fleet.dialog.source')}
                  />
                </Stack>
                {source === 'zip' && (
                  <>
                    <ZipDropField
                      id="fleet-zip"
                      zip={zip}
                      onChoose={(file) => void choose(file)}
                      onRemove={() => {
                        forgetUpload();
                        setZip(undefined);
                      }}
                      disabled={busy}
                    />
                    {inspection && <ZipContents inspection={inspection} />}
                    {zipProblems.map((problem) => (
                      <ZipProblem key={problem} problem={problem} fixable={repacked !== undefined}>
                        {repacked && zip && (
                          <Button
                            mt="xs"
                            size="xs"
                            variant="default"
                            onClick={() => {
                              forgetUpload();
                              setZip({ fileName: zip.fileName, bytes: repacked });
                            }}
                          >
                            {t('fleet.dialog.useRepacked', { folder: inspection?.topFolder })}
                          </Button>
                        )}
                      </ZipProblem>
                    ))}
                  </>
                )}
                {source === 'address' && (
                  <TextInput
                    label={t('fleet.dialog.address')}
                    description={t('fleet.dialog.addressHint')}
                    placeholder="https://…/plugin.zip · file:///…/plugin.zip"
                    value={address}
                    onChange={(event) => setAddress(event.currentTarget.value)}
                    error={addressInvalid ? t('create.addressInvalid') : undefined}
                    disabled={busy}
                  />
                )}
                {source === 'prebuilt' && (
                  <Text size="sm" c="dimmed">
                    {t('fleet.dialog.prebuiltHint', { name: name.trim() || '…', kind: kindLabel })}
                  </Text>
                )}
              </Stack>
            )}
            {needsFile && kind === 'functions' && (
              <FunctionNamesField value={functions} onChange={setFunctions} disabled={busy} />
            )}
            <TargetList
              columns={matrix.columns}
              facts={facts}
              targets={targets}
              onChange={setTargets}
              disabled={busy}
              hasPlugin={(server) => row?.cells[server]?.state}
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
            {uploadPercent !== undefined && (
              <Stack gap={4}>
                <Text size="sm">
                  {t('fleet.dialog.uploadingLocal', { percent: Math.round(uploadPercent) })}
                </Text>
                <Progress value={uploadPercent} aria-label={t('create.uploadProgress')} animated />
              </Stack>
            )}
          </>
        ) : (
          <FleetOutcome
            summary={summary}
            stage={stage}
            preview={preview}
            run={run}
            facts={facts}
            newVersion={inspection?.version}
            notes={
              action === 'update' &&
              kind !== 'portables' &&
              toRun.length > 0 && (
                <Alert color="yellow" variant="light" data-testid="native-restart">
                  {t('fleet.preview.nativeRestart')}
                </Alert>
              )
            }
          />
        )}
        <FleetDialogEnd
          {...steps.endProps}
          blocker={blocker}
          runLabel={t(`fleet.dialog.run.${action}`, { count: toRun.length })}
          danger={action === 'delete'}
          onClose={onClose}
          onPreview={() => void check()}
        />
      </Stack>
    </Modal>
  );
}

/** The target servers: one checkbox each, saying what the server has of the plugin now. */
export function TargetList({
  columns,
  facts,
  targets,
  onChange,
  disabled,
  hasPlugin,
  describeState,
}: {
  columns: FleetMatrix['columns'];
  facts: (server: string) => ServerFacts;
  targets: string[];
  onChange: (targets: string[]) => void;
  disabled: boolean;
  hasPlugin: (server: string) => 'present' | 'missing' | 'unknown' | 'unavailable' | undefined;
  /** Says what a server has in other words than a plugin's version (JavaScript functions, services). */
  describeState?: (server: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Checkbox.Group
      label={t('fleet.dialog.targets')}
      description={
        <Group gap="xs" component="span">
          <span>{t('fleet.dialog.targetsHint', { count: targets.length })}</span>
          <Anchor
            component="button"
            type="button"
            size="xs"
            disabled={disabled}
            onClick={() => onChange(columns.map((column) => column.id))}
          >
            {t('fleet.dialog.all')}
          </Anchor>
          <Anchor component="button" type="button" size="xs" disabled={disabled} onClick={() => onChange([])}>
            {t('fleet.dialog.none')}
          </Anchor>
        </Group>
      }
      value={targets}
      onChange={onChange}
    >
      <Stack gap={6} mt={6}>
        {columns.map((column) => {
          const server = facts(column.id);
          const state = hasPlugin(column.id);
          const has = describeState
            ? describeState(column.id)
            : state === 'present'
              ? server.currentVersion
                ? t('fleet.dialog.has', { version: server.currentVersion })
                : t('fleet.dialog.hasNoVersion')
              : state === 'missing'
                ? t('fleet.dialog.hasNot')
                : state === 'unknown'
                  ? t('fleet.dialog.noAnswer')
                  : undefined;
          return (
            <Checkbox
              key={column.id}
              value={column.id}
              disabled={disabled}
              label={server.name}
              description={[has, server.readOnly ? t('fleet.readOnlyLong') : undefined]
                .filter(Boolean)
                .join(' · ')}
            />
          );
        })}
      </Stack>
    </Checkbox.Group>
  );
}
