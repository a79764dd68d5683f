import { Alert, Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FleetServerResult } from '../../../shared/server-dto';
import { runCounts, type FleetRun } from '../lib/fleet-run';
import { useHostMessage } from '../lib/host-message';
import { serverName } from '../lib/server-state';
import { useServersStore } from '../stores/servers-store';
import { DialogFooter, useReveal } from './DialogParts';
import { FleetPreviewTable, FleetRunTable, type ServerFacts } from './FleetResults';

/** Where a fleet dialog is: filling the form, asking for the preview, showing it, running, done. */
export type FleetDialogStage = 'form' | 'checking' | 'preview' | 'running' | 'finished';

/** A fleet dialog's action (install, update, delete; create, replace, …) as one labelled segmented control. */
export function FleetActionChoice<A extends string>({
  value,
  actions,
  labelOf,
  onChange,
  disabled,
}: {
  value: A;
  actions: readonly A[];
  labelOf: (action: A) => string;
  onChange: (action: A) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('fleet.dialog.action')}
      </Text>
      <SegmentedControl
        value={value}
        onChange={onChange}
        data={actions.map((action) => ({ value: action, label: labelOf(action) }))}
        disabled={disabled}
        aria-label={t('fleet.dialog.action')}
      />
    </Stack>
  );
}

/** The parts of the run's summary line, each shown when not zero. */
const RUN_COUNTS = ['done', 'failed', 'skipped', 'running'] as const;

/**
 * What a fleet dialog shows after its form, for plugins, JavaScript functions and services alike: the summary
 * line, then the preview (what each server would do, and `notes` under it) or the run (counts and one row per
 * server).
 */
export function FleetOutcome({
  summary,
  stage,
  preview,
  run,
  facts,
  newVersion,
  planLabel,
  notes,
}: {
  summary: string;
  stage: FleetDialogStage;
  preview: readonly FleetServerResult[];
  run: FleetRun;
  facts: (server: string) => ServerFacts;
  newVersion?: string | undefined;
  planLabel?: (plan: NonNullable<FleetServerResult['plan']>) => string;
  notes?: ReactNode;
}) {
  const { t } = useTranslation();
  const counts = runCounts(run);
  const toRun = preview.filter((result) => result.plan !== 'skip').length;
  return (
    <>
      <Text size="sm" data-testid="fleet-summary">
        {summary}
      </Text>
      {stage === 'preview' ? (
        <>
          <FleetPreviewTable results={preview} facts={facts} newVersion={newVersion} planLabel={planLabel} />
          {toRun === 0 && (
            <Alert color="gray" variant="light">
              {t('fleet.preview.nothingToDo')}
            </Alert>
          )}
          {notes}
        </>
      ) : (
        <>
          <Text size="sm" fw={600} aria-live="polite" data-testid="fleet-counts">
            {RUN_COUNTS.filter((key) => counts[key] > 0)
              .map((key) => t(`fleet.run.${key}`, { count: counts[key] }))
              .join(' · ')}
          </Text>
          <FleetRunTable run={run} facts={facts} />
        </>
      )}
    </>
  );
}

/**
 * The end of a fleet dialog: the error (scrolled into view) and the footer whose buttons follow the stage —
 * Cancel and Preview in the form, Back and Run in the preview, Retry failed and Close after a run.
 */
export function FleetDialogEnd({
  stage,
  error,
  blocker,
  toRun,
  failed,
  waiting,
  runLabel,
  danger,
  onClose,
  onPreview,
  onBack,
  onRun,
  onRetry,
}: {
  stage: FleetDialogStage;
  error: { title: string; message: string } | undefined;
  /** Why Preview cannot be pressed yet. */
  blocker: string | undefined;
  toRun: number;
  failed: number;
  /** Servers of the run still on their way, by id. */
  waiting: readonly string[];
  runLabel: string;
  danger: boolean;
  onClose: () => void;
  onPreview: () => void;
  onBack: () => void;
  onRun: () => void;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const errorRef = useReveal<HTMLDivElement>(error);
  const busy = stage === 'checking' || stage === 'running';
  const inForm = stage === 'form' || stage === 'checking';
  const listed = useServersStore((state) => state.servers);
  const namesOf = (ids: readonly string[]) =>
    ids
      .map((id) => {
        const server = listed.find((candidate) => candidate.id === id);
        return server === undefined ? id : serverName(server, t);
      })
      .join(', ');
  return (
    <>
      {error !== undefined && (
        <Alert ref={errorRef} color="red" variant="light" role="alert" title={error.title}>
          <Text size="sm" style={{ wordBreak: 'break-word' }}>
            {hostMessage(error.message)}
          </Text>
        </Alert>
      )}
      <DialogFooter justify="space-between" testId="fleet-dialog-footer">
        <Text size="sm" c="dimmed" style={{ minWidth: 0 }} data-testid="fleet-dialog-status">
          {inForm
            ? (blocker ?? '')
            : stage === 'preview'
              ? t('fleet.preview.willRun', { count: toRun })
              : stage === 'running' && waiting.length > 0
                ? t('fleet.run.waitingFor', { count: waiting.length, servers: namesOf(waiting) })
                : ''}
        </Text>
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          {inForm && (
            <>
              <Button variant="default" onClick={onClose} disabled={busy}>
                {t('create.cancel')}
              </Button>
              <Button
                onClick={onPreview}
                disabled={blocker !== undefined || busy}
                loading={stage === 'checking'}
              >
                {t('fleet.dialog.preview')}
              </Button>
            </>
          )}
          {stage === 'preview' && (
            <>
              <Button variant="default" onClick={onBack}>
                {t('fleet.dialog.back')}
              </Button>
              <Button color={danger ? 'red' : undefined} disabled={toRun === 0} onClick={onRun}>
                {runLabel}
              </Button>
            </>
          )}
          {(stage === 'running' || stage === 'finished') && (
            <>
              {failed > 0 && (
                <Button variant="default" disabled={stage === 'running'} onClick={onRetry}>
                  {t('fleet.dialog.retryFailed', { count: failed })}
                </Button>
              )}
              {/* Closing mid-run is allowed: the host finishes what it started on every server. */}
              <Button onClick={onClose} variant={stage === 'running' ? 'default' : 'filled'}>
                {t('fleet.dialog.close')}
              </Button>
            </>
          )}
        </Group>
      </DialogFooter>
    </>
  );
}
