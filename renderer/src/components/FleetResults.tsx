import { Badge, Group, Progress, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FleetServerResult } from '../../../shared/server-dto';
import { CUT_OFF } from '../api/fleet-api';
import { formatBytes, formatElapsed } from '../lib/format';
import { useHostMessage } from '../lib/host-message';
import { uploadPercent, type FleetRun, type ServerRun } from '../lib/fleet-run';

/** What the tables need to know of each server besides its result. */
export interface ServerFacts {
  name: string;
  /** The account may only read (a NeuronEX Viewer): installs and deletes will be refused. */
  readOnly: boolean;
  /** The version it has of the plugin now, when it has it. */
  currentVersion: string | undefined;
}

const PLAN_COLORS = { create: 'green', update: 'blue', delete: 'red', skip: 'gray' } as const;

/** The server's own words, or ours (in the window's language) when the host never got an answer from it. */
function useMessage() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  return (result: FleetServerResult) =>
    result.message === CUT_OFF ? t('fleet.run.cutOff') : hostMessage(result.message);
}

/**
 * The preview (`dryRun`): per server, what the action will do — install, update from the version it has to the
 * zip's, delete, or skip and why — and which servers could not be asked or may only read, before anything runs.
 */
export function FleetPreviewTable({
  results,
  facts,
  newVersion,
  planLabel,
}: {
  results: readonly FleetServerResult[];
  facts: (server: string) => ServerFacts;
  /** The version the chosen zip carries, when known. */
  newVersion: string | undefined;
  /** The badge of a plan in other words than a plugin's (JavaScript functions, services: no versions). */
  planLabel?: (plan: NonNullable<FleetServerResult['plan']>) => string;
}) {
  const { t } = useTranslation();
  const message = useMessage();
  return (
    <Table
      layout="fixed"
      verticalSpacing={6}
      aria-label={t('fleet.preview.label')}
      data-testid="fleet-preview"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="32%">{t('fleet.results.server')}</Table.Th>
          <Table.Th w="28%">{t('fleet.preview.plan')}</Table.Th>
          <Table.Th>{t('fleet.preview.details')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {results.map((result) => {
          const server = facts(result.server);
          // The host answers a skip as not ok with its reason; no plan at all means the server was not asked.
          const plan = result.plan;
          const from = server.currentVersion || t('fleet.noVersion');
          const to = newVersion || t('fleet.preview.newVersionUnknown');
          return (
            <Table.Tr key={result.server} aria-label={server.name} data-plan={plan ?? 'unreachable'}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={600} truncate title={server.name}>
                    {server.name}
                  </Text>
                  {server.readOnly && (
                    <Badge size="xs" color="orange" variant="light" style={{ flexShrink: 0 }}>
                      {t('fleet.readOnly')}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {plan === undefined ? (
                  <Badge color="red" variant="light">
                    {t('fleet.preview.unreachable')}
                  </Badge>
                ) : (
                  <Badge color={PLAN_COLORS[plan]} variant="light" maw="100%">
                    {planLabel
                      ? planLabel(plan)
                      : plan === 'update'
                        ? t('fleet.preview.updateFromTo', { from, to })
                        : t(`fleet.preview.plans.${plan}`)}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  <Text size="sm" style={{ wordBreak: 'break-word' }}>
                    {message(result)}
                  </Text>
                  {server.readOnly && plan !== 'skip' && (
                    <Text size="xs" c="orange">
                      {t('fleet.preview.readOnlyNote')}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/**
 * The run: one row per server with where it is (queued, uploading with a bar, installing, deleting, done,
 * failed, skipped), the server's HTTP status, its own message and the time it took. A failure is one row among
 * the others, never a replacement for them.
 */
export function FleetRunTable({ run, facts }: { run: FleetRun; facts: (server: string) => ServerFacts }) {
  const { t, i18n } = useTranslation();
  const message = useMessage();
  return (
    <Table
      layout="fixed"
      verticalSpacing={6}
      aria-label={t('fleet.results.label')}
      data-testid="fleet-results"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="24%">{t('fleet.results.server')}</Table.Th>
          <Table.Th w="24%">{t('fleet.results.progress')}</Table.Th>
          <Table.Th w={72}>{t('fleet.results.status')}</Table.Th>
          <Table.Th>{t('fleet.results.message')}</Table.Th>
          <Table.Th w={76}>{t('fleet.results.time')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {run.map((row) => {
          const server = facts(row.server);
          const result = row.result;
          return (
            <Table.Tr key={row.server} aria-label={server.name} data-stage={row.stage}>
              <Table.Td>
                <Text size="sm" fw={600} truncate title={server.name}>
                  {server.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <StageCell row={row} name={server.name} />
              </Table.Td>
              <Table.Td>
                {result === undefined || row.stage === 'skipped' ? (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ) : result.status === 0 ? (
                  <Text size="sm" c="red" title={t('fleet.results.notReachedHint')}>
                    {t('fleet.results.notReached')}
                  </Text>
                ) : (
                  <Text size="sm" c={result.ok ? undefined : 'red'} ff="monospace">
                    {result.status}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {result !== undefined && (
                  <Text
                    size="sm"
                    c={row.stage === 'failed' ? 'red' : row.stage === 'skipped' ? 'dimmed' : undefined}
                    style={{ wordBreak: 'break-word' }}
                  >
                    {message(result)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {result !== undefined && row.stage !== 'skipped'
                    ? formatElapsed(result.ms, i18n.language)
                    : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function StageCell({ row, name }: { row: ServerRun; name: string }) {
  const { t, i18n } = useTranslation();
  if (row.stage === 'done' || row.stage === 'failed' || row.stage === 'skipped') {
    const color = row.stage === 'done' ? 'green' : row.stage === 'failed' ? 'red' : 'gray';
    return (
      <Badge color={color} variant="light">
        {t(`fleet.stages.${row.stage}`)}
      </Badge>
    );
  }
  const percent = uploadPercent(row);
  const label =
    row.stage === 'upload' && row.bytes !== undefined && row.totalBytes !== undefined
      ? t('fleet.stages.uploadOf', {
          bytes: formatBytes(row.bytes, i18n.language),
          total: formatBytes(row.totalBytes, i18n.language),
        })
      : t(`fleet.stages.${row.stage}`);
  return (
    <Stack gap={4}>
      <Text size="xs" aria-live="polite" truncate title={label}>
        {label}
      </Text>
      <Progress
        size="sm"
        value={row.stage === 'queued' ? 0 : (percent ?? 100)}
        animated={row.stage !== 'queued'}
        striped={percent === undefined}
        aria-label={t('fleet.results.progressOf', { name })}
      />
    </Stack>
  );
}
