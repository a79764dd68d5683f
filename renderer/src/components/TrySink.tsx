import { Alert, Badge, Button, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_SINK_DRAIN_MS, TRY_LIMITS, runtimeApi, type FeedResult } from '../api/runtime-api';
import { parseJsonArray, parseJsonObject } from '../lib/json-fields';
import { noteConnectionError } from '../stores/connection-store';
import {
  JsonField,
  LimitedNumberField,
  SymbolSelect,
  formatMs,
  hostFailureText,
  jsonProblemText,
} from './TryItParts';

const ROW_COLORS: Record<string, string> = {
  ok: 'green',
  error: 'red',
  timeout: 'orange',
  handed: 'blue',
  unsent: 'gray',
};

/** A whole number of milliseconds within the host's range, as the number inputs hold it. */
function wholeMsWithin(value: number | string, min: number, max: number): boolean {
  const ms = Number(value);
  return value !== '' && Number.isInteger(ms) && ms >= min && ms <= max;
}

type Outcome = { kind: 'fed'; result: FeedResult; roundTripMs: number } | { kind: 'failed'; message: string };

/**
 * Feeds rows to one of the plugin's sinks and shows what each row got back: acknowledged, refused, no answer
 * in time, or only handed to the plugin's socket (the host cannot see more without an acknowledgement) — with
 * how long the sink was kept running after the last row, and the host's note when the sink never acknowledges.
 */
export function TrySink({ name, sinks }: { name: string; sinks: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [symbol, setSymbol] = useState(sinks[0] ?? '');
  const [configText, setConfigText] = useState('{}');
  const [rowsText, setRowsText] = useState('[{"temperature": 21.5}]');
  const [configError, setConfigError] = useState<string | undefined>();
  const [rowsError, setRowsError] = useState<string | undefined>();
  const [requireAck, setRequireAck] = useState(true);
  const [ackTimeoutMs, setAckTimeoutMs] = useState<number | string>(3000);
  const [drainMs, setDrainMs] = useState<number | string>(DEFAULT_SINK_DRAIN_MS);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const configRef = useRef<HTMLTextAreaElement>(null);
  const rowsRef = useRef<HTMLTextAreaElement>(null);
  const inFlight = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => inFlight.current?.abort(), []);

  const timeoutOk = !requireAck || wholeMsWithin(ackTimeoutMs, 1, TRY_LIMITS.maxAckTimeoutMs);
  const drainOk = wholeMsWithin(drainMs, 0, TRY_LIMITS.maxDrainMs);

  const send = async () => {
    const config = parseJsonObject(configText);
    const rows = parseJsonArray(rowsText, { min: 1, max: TRY_LIMITS.maxRows });
    setConfigError(config.ok ? undefined : jsonProblemText(t, config.problem));
    setRowsError(rows.ok ? undefined : jsonProblemText(t, rows.problem));
    if (!config.ok) configRef.current?.focus();
    else if (!rows.ok) rowsRef.current?.focus();
    if (!config.ok || !rows.ok || !timeoutOk || !drainOk) {
      // The last answer was for other input: left below the refused one, it would read as its.
      setOutcome(undefined);
      return;
    }
    setSending(true);
    setOutcome(undefined);
    const stop = new AbortController();
    inFlight.current = stop;
    const started = performance.now();
    try {
      const result = await runtimeApi.feedSink(
        name,
        symbol,
        {
          config: config.value,
          rows: rows.value,
          requireAck,
          ackTimeoutMs: Number(ackTimeoutMs),
          drainMs: Number(drainMs),
        },
        stop.signal,
      );
      setOutcome({ kind: 'fed', result, roundTripMs: performance.now() - started });
    } catch (error) {
      if (stop.signal.aborted) return;
      noteConnectionError(error);
      setOutcome({ kind: 'failed', message: hostFailureText(t, error) });
    } finally {
      if (!stop.signal.aborted) setSending(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="try-sink">
      <SymbolSelect
        label={t('tryIt.sink.symbol')}
        symbols={sinks}
        value={symbol}
        onChange={(value) => {
          setSymbol(value);
          setOutcome(undefined);
        }}
      />
      <JsonField
        ref={configRef}
        label={t('tryIt.sink.config')}
        description={t('tryIt.sink.configHint')}
        value={configText}
        onChange={(value) => {
          setConfigText(value);
          if (configError !== undefined) setConfigError(undefined);
        }}
        error={configError}
      />
      <JsonField
        ref={rowsRef}
        label={t('tryIt.sink.rows')}
        description={t('tryIt.sink.rowsHint')}
        value={rowsText}
        onChange={(value) => {
          setRowsText(value);
          if (rowsError !== undefined) setRowsError(undefined);
        }}
        error={rowsError}
      />
      <Group align="flex-end">
        <Switch
          label={t('tryIt.sink.requireAck')}
          checked={requireAck}
          onChange={(event) => setRequireAck(event.currentTarget.checked)}
          mb={8}
        />
        <LimitedNumberField
          label={t('tryIt.sink.ackTimeout')}
          value={ackTimeoutMs}
          onChange={setAckTimeoutMs}
          min={1}
          max={TRY_LIMITS.maxAckTimeoutMs}
          disabled={!requireAck}
          w={260}
          valid={timeoutOk}
          invalidText={t('tryIt.sink.ackTimeoutError', { max: TRY_LIMITS.maxAckTimeoutMs })}
        />
        <LimitedNumberField
          label={t('tryIt.sink.drain')}
          description={t('tryIt.sink.drainHint')}
          value={drainMs}
          onChange={setDrainMs}
          min={0}
          max={TRY_LIMITS.maxDrainMs}
          w={260}
          valid={drainOk}
          invalidText={t('tryIt.sink.drainError', { max: TRY_LIMITS.maxDrainMs })}
        />
      </Group>
      <Group>
        <Button onClick={() => void send()} loading={sending} disabled={symbol === ''}>
          {t('tryIt.sink.send')}
        </Button>
      </Group>
      {outcome?.kind === 'failed' && (
        <Alert role="alert" color="red" variant="light" title={t('tryIt.sink.failed')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {outcome.message}
          </Text>
        </Alert>
      )}
      {outcome?.kind === 'fed' && (
        <Stack gap="xs" data-testid="sink-outcome">
          <Table striped withTableBorder verticalSpacing={4} fz="sm" aria-label={t('tryIt.sink.results')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('tryIt.sink.columns.row')}</Table.Th>
                <Table.Th>{t('tryIt.sink.columns.status')}</Table.Th>
                <Table.Th>{t('tryIt.sink.columns.ms')}</Table.Th>
                <Table.Th>{t('tryIt.sink.columns.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outcome.result.rows.map((row) => (
                <Table.Tr key={row.index}>
                  <Table.Td>{row.index + 1}</Table.Td>
                  <Table.Td>
                    <Badge color={ROW_COLORS[row.status] ?? 'gray'} variant="light">
                      {t(`tryIt.sink.statuses.${row.status}`, { defaultValue: row.status })}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatMs(row.ms, locale)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{row.message ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {outcome.result.rows.some((row) => row.status === 'handed') && (
            <Text size="sm" c="dimmed">
              {t('tryIt.sink.handedExplained')}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {outcome.result.rows.every((row) => row.status === 'ok' || row.status === 'error')
              ? t('tryIt.sink.allAcknowledged')
              : t('tryIt.sink.drained', { ms: formatMs(outcome.result.drainedMs, locale) })}
          </Text>
          {outcome.result.note && (
            <Alert role="note" color="yellow" variant="light" title={t('tryIt.sink.noteTitle')}>
              <Text size="sm">
                {outcome.result.noAckWithinMs !== undefined
                  ? t('tryIt.sink.noAck', { ms: outcome.result.noAckWithinMs })
                  : outcome.result.note}
              </Text>
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            {t('tryIt.roundTrip', { ms: formatMs(outcome.roundTripMs, locale) })}
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
