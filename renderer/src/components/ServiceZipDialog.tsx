import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Progress,
  ScrollArea,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { registerService, writeServiceZip } from '../api/service-api';
import { currentServer } from '../api/server-scope';
import { formatBytes } from '../lib/format';
import { useHostMessage } from '../lib/host-message';
import { useHostZipLimits } from '../lib/host-zip-limits';
import { serviceNameProblemText } from '../lib/name-rules';
import { sqlCall } from '../lib/service-sql';
import { inspectServiceZip, type ServiceZipInspection, type ServiceZipProblem } from '../lib/service-zip';
import { useDialog } from '../lib/use-dialog';
import { isZipAddress, readChosenZip, type ChosenZip } from '../lib/zip-choice';
import { noteConnectionError } from '../stores/connection-store';
import { useServicesStore } from '../stores/services-store';
import { DialogFooter, HostRefusal, UploadProgress, useReveal } from './DialogParts';
import { ServiceSql } from './ServiceSql';
import { ZipDropField } from './ZipDropField';

export interface ServiceZipDialogProps {
  opened: boolean;
  /** The service to give a new zip (`PUT`); a new service (`POST`) when undefined. */
  updating?: string | undefined;
  onClose: () => void;
  /** Called after the server took the zip (the tab reloads its list). */
  onDone: () => void;
}

/** A problem of the zip in the window's language; `archive` problems are the host's own words. */
export function serviceZipProblemText(
  t: TFunction,
  hostMessage: (message: string) => string,
  problem: ServiceZipProblem,
): string {
  if (problem.code === 'archive') return hostMessage(problem.values.message ?? '');
  if (problem.code === 'noDescriptor' && problem.values.found === '') {
    return t('services.zip.problems.noDescriptorNone', problem.values);
  }
  return t(`services.zip.problems.${problem.code}`, problem.values);
}

/** "What the zip holds": the descriptor, each interface, and the SQL of each function it will give. */
function ServiceZipContents({ inspection }: { inspection: ServiceZipInspection }) {
  const { t } = useTranslation();
  if (inspection.interfaces.length === 0) return null;
  return (
    <Stack gap="xs" role="region" aria-label={t('create.contents')}>
      <Text fw={600} size="sm">
        {t('create.contents')}
        {inspection.descriptorEntry && (
          <Text span c="dimmed" size="sm" fw={400}>
            {' '}
            · {inspection.descriptorEntry}
          </Text>
        )}
      </Text>
      {inspection.interfaces.map((iface) => (
        <Stack key={iface.name} gap={4}>
          <Group gap={6} wrap="wrap">
            <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
              {iface.name}
            </Text>
            {iface.protocol !== '' && (
              <Badge size="sm" variant="light" tt="none">
                {iface.protocol}
              </Badge>
            )}
            <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
              {iface.address}
            </Text>
            {iface.schemaFile && (
              <Text size="sm" c="dimmed">
                schemas/{iface.schemaFile}
              </Text>
            )}
          </Group>
          {iface.functions.map((fn) => (
            <ServiceSql
              key={fn.name}
              sql={sqlCall(fn.name, { schemaless: iface.schemaless, fields: fn.fields })}
              label={t('services.sql.label', { name: fn.name })}
            />
          ))}
        </Stack>
      ))}
    </Stack>
  );
}

/**
 * Create a service from a zip (dropped, browsed, or an address the server reads), or give one a new zip:
 * the zip is read in the window first with eKuiper's rules — `<name>.json` at the root, the descriptor, each
 * interface's schema under `schemas/` — so every problem is explained before anything is uploaded; then the
 * zip goes to the server as plugin zips do (upload, register from the stored path, remove the upload).
 */
export function ServiceZipDialog({ opened, updating, onClose, onDone }: ServiceZipDialogProps) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const { limits, maxZipBytes } = useHostZipLimits(opened);
  const [name, setName] = useState('');
  const [zip, setZip] = useState<ChosenZip | undefined>();
  const [address, setAddress] = useState('');
  const [stage, setStage] = useState<
    { step: 'idle' } | { step: 'upload'; percent: number } | { step: 'register' }
  >({
    step: 'idle',
  });
  const [error, setError] = useState<{ name: string; message: string } | undefined>();
  const inFlight = useRef<AbortController | undefined>(undefined);
  const busy = stage.step !== 'idle';
  useDialog(opened);

  useEffect(() => {
    if (!opened) return;
    setName(updating ?? '');
    setZip(undefined);
    setAddress('');
    setStage({ step: 'idle' });
    setError(undefined);
  }, [opened, updating]);

  const trimmed = (updating ?? name).trim();
  const nameError = updating ? undefined : serviceNameProblemText(t, name);
  const inspection = useMemo(
    () =>
      zip &&
      inspectServiceZip(zip.bytes, nameError || trimmed === '' ? undefined : trimmed, {
        fileName: zip.fileName,
        limits,
      }),
    [zip, trimmed, nameError, limits],
  );
  const problems = inspection?.nameProblem === undefined ? (inspection?.problems ?? []) : [];
  const tooBig = zip !== undefined && zip.bytes.length > maxZipBytes;
  const exists = useServicesStore((state) =>
    updating ? false : state.services.some((service) => service.name === trimmed),
  );
  const addressText = address.trim();
  const addressInvalid = addressText !== '' && !isZipAddress(addressText);
  const hasSource = zip !== undefined || (addressText !== '' && !addressInvalid);
  const canSubmit =
    !busy &&
    trimmed !== '' &&
    nameError === undefined &&
    !exists &&
    hasSource &&
    problems.length === 0 &&
    !tooBig;
  const problemRef = useReveal<HTMLDivElement>(problems.length > 0 ? zip : undefined);
  const errorRef = useReveal<HTMLDivElement>(error);
  const progressRef = useReveal<HTMLDivElement>(busy ? stage.step : undefined);

  async function choose(file: File) {
    const chosen = await readChosenZip(file);
    setZip(chosen);
    setAddress('');
    setError(undefined);
    if (!updating && name.trim() === '') {
      const suggested = inspectServiceZip(chosen.bytes, undefined, {
        fileName: chosen.fileName,
        limits,
      }).suggestedName;
      if (suggested) setName(suggested);
    }
  }

  async function submit() {
    if (!canSubmit) return;
    const server = currentServer();
    const write = updating ? 'update' : 'create';
    const stop = new AbortController();
    inFlight.current = stop;
    setError(undefined);
    try {
      let message: string;
      if (zip) {
        setStage({ step: 'upload', percent: 0 });
        message = await writeServiceZip(write, trimmed, zip, {
          server,
          signal: stop.signal,
          onProgress: (loaded, total) => {
            const percent = total > 0 ? (loaded / total) * 100 : 0;
            setStage(percent >= 100 ? { step: 'register' } : { step: 'upload', percent });
          },
        });
      } else {
        setStage({ step: 'register' });
        message = await registerService(write, trimmed, addressText, server, stop.signal);
      }
      notifications.show({
        color: 'green',
        title: t(updating ? 'services.update.done' : 'services.zip.done', { name: trimmed }),
        message,
      });
      setStage({ step: 'idle' });
      onDone();
      onClose();
    } catch (failure) {
      setStage({ step: 'idle' });
      if (stop.signal.aborted) return;
      noteConnectionError(failure);
      setError({ name: trimmed, message: (failure as Error).message });
      onDone();
    } finally {
      inFlight.current = undefined;
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => {} : onClose}
      title={updating ? t('services.update.title', { name: updating }) : t('services.zip.title')}
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
          void submit();
        }}
      >
        <Stack gap="md">
          {updating ? (
            <>
              <Text size="sm">{t('services.update.consequence')}</Text>
              <TextInput
                label={t('create.name')}
                description={t('manage.update.nameFixed')}
                value={updating}
                readOnly
                variant="filled"
              />
            </>
          ) : (
            <TextInput
              label={t('create.name')}
              description={t('services.zip.nameHint')}
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
                setError(undefined);
              }}
              error={nameError ?? (exists ? t('services.zip.exists', { name: trimmed }) : undefined)}
              disabled={busy}
              required
              data-autofocus
            />
          )}
          <ZipDropField
            id="service-zip-file"
            zip={zip}
            onChoose={(file) => void choose(file)}
            onRemove={() => {
              setZip(undefined);
              setError(undefined);
            }}
            disabled={busy}
            autoFocus={updating !== undefined}
            description={t('services.zip.fileHint')}
          />
          <TextInput
            label={t('services.zip.address')}
            description={t('services.zip.addressHint')}
            placeholder="https://…/service.zip · file:///…/service.zip"
            value={address}
            onChange={(event) => {
              setAddress(event.currentTarget.value);
              setError(undefined);
              if (event.currentTarget.value !== '') setZip(undefined);
            }}
            error={addressInvalid ? t('create.addressInvalid') : undefined}
            disabled={busy}
          />
          {inspection && <ServiceZipContents inspection={inspection} />}
          {(problems.length > 0 || tooBig) && (
            <Stack gap="xs" ref={problemRef}>
              <Alert color="red" variant="light" title={t('services.zip.problem')} role="alert">
                <Stack gap={4} component="ul" style={{ margin: 0, paddingInlineStart: 18 }}>
                  {tooBig && zip && (
                    <Text component="li" size="sm">
                      {t('manage.limits.zipTooBig', {
                        size: formatBytes(zip.bytes.length, i18n.language),
                        limit: formatBytes(maxZipBytes, i18n.language),
                      })}
                    </Text>
                  )}
                  {problems.map((problem, index) => (
                    <Text key={index} component="li" size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {serviceZipProblemText(t, hostMessage, problem)}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            </Stack>
          )}
          {stage.step === 'upload' && <UploadProgress ref={progressRef} percent={stage.percent} />}
          {stage.step === 'register' && (
            <Stack gap={4} ref={progressRef}>
              <Text size="sm" aria-live="polite">
                {t('services.zip.registering')}
              </Text>
              <Progress value={100} aria-label={t('services.zip.registering')} animated striped />
            </Stack>
          )}
          {error && (
            <HostRefusal
              ref={errorRef}
              title={t(updating ? 'services.update.failed' : 'services.zip.failed', { name: error.name })}
              message={error.message}
            />
          )}
          <DialogFooter>
            <Button variant="default" onClick={busy ? () => inFlight.current?.abort() : onClose}>
              {t('create.cancel')}
            </Button>
            <Button type="submit" disabled={!canSubmit} loading={busy}>
              {updating ? t('services.update.submit') : t('services.zip.submit')}
            </Button>
          </DialogFooter>
        </Stack>
      </form>
    </Modal>
  );
}
