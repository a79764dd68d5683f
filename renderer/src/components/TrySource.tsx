import { Alert, Badge, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HostError } from '../api/http';
import {
  TRY_LIMITS,
  runtimeApi,
  sampleSource,
  type SourceConfigFile,
  type SourceEvent,
} from '../api/runtime-api';
import { parseJsonObject } from '../lib/json-fields';
import { noteConnectionError } from '../stores/connection-store';
import classes from './TryIt.module.css';
import {
  JsonField,
  LimitedNumberField,
  SymbolSelect,
  formatMs,
  hostFailureText,
  jsonProblemText,
} from './TryItParts';

/** Events kept on screen: a long sample keeps counting, but the box shows the latest ones. */
export const SAMPLE_VIEW_EVENTS = 500;

type ShownEvent = Exclude<SourceEvent, { type: 'end' }> & { id: number };
type EndEvent = Extract<SourceEvent, { type: 'end' }>;

type Phase =
  | { kind: 'idle' }
  | { kind: 'running'; startedAt: number }
  | { kind: 'done'; end: EndEvent }
  | { kind: 'stopped'; elapsedMs: number }
  | { kind: 'refused'; message: string; byPlugin: boolean }
  | { kind: 'dropped'; message: string };

type ConfigOrigin =
  { kind: 'loading' } | { kind: 'file'; file: SourceConfigFile } | { kind: 'failed'; message: string };

/**
 * Samples one of the plugin's sources: its yaml configuration prefilled and editable, messages streamed live
 * until the count or the time is reached or the user stops, then a summary. A configuration the plugin
 * refuses shows the plugin's own message.
 */
export function TrySource({ name, sources }: { name: string; sources: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [symbol, setSymbol] = useState(sources[0] ?? '');
  const [dataSource, setDataSource] = useState('');
  const [configText, setConfigText] = useState('{}');
  const [configError, setConfigError] = useState<string | undefined>();
  const [origin, setOrigin] = useState<ConfigOrigin>({ kind: 'loading' });
  const [section, setSection] = useState('default');
  const [maxMessages, setMaxMessages] = useState<number | string>(10);
  const [seconds, setSeconds] = useState<number | string>(10);
  const [events, setEvents] = useState<ShownEvent[]>([]);
  const [counts, setCounts] = useState({ messages: 0, errors: 0 });
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [now, setNow] = useState(() => performance.now());
  const configRef = useRef<HTMLTextAreaElement>(null);
  const sampling = useRef<AbortController | undefined>(undefined);
  const nextId = useRef(0);

  // Prefill the configuration from the source's yaml whenever another source is chosen.
  useEffect(() => {
    if (symbol === '') return;
    let live = true;
    setOrigin({ kind: 'loading' });
    runtimeApi.sourceConfig(name, symbol).then(
      (file) => {
        if (!live) return;
        setOrigin({ kind: 'file', file });
        setSection('default');
        setConfigText(JSON.stringify(file.config, null, 2));
        setConfigError(undefined);
      },
      (error: unknown) => {
        if (!live) return;
        noteConnectionError(error);
        setOrigin({ kind: 'failed', message: hostFailureText(t, error) });
      },
    );
    return () => {
      live = false;
    };
  }, [name, symbol, t]);

  // Closing the drawer hangs up, which makes the host stop the source.
  useEffect(() => () => sampling.current?.abort(), []);

  const running = phase.kind === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [running]);

  const start = async () => {
    const config = parseJsonObject(configText);
    if (!config.ok) {
      setConfigError(jsonProblemText(t, config.problem));
      // The last sample was for another configuration: left below the refused one, it would read as its.
      setPhase({ kind: 'idle' });
      setEvents([]);
      configRef.current?.focus();
      return;
    }
    setConfigError(undefined);
    const stop = new AbortController();
    sampling.current = stop;
    const startedAt = performance.now();
    setEvents([]);
    setCounts({ messages: 0, errors: 0 });
    setNow(startedAt);
    setPhase({ kind: 'running', startedAt });
    let end: EndEvent | undefined;
    try {
      await sampleSource(
        name,
        symbol,
        {
          dataSource,
          config: config.value,
          maxMessages: Number(maxMessages),
          durationMs: Math.round(Number(seconds) * 1000),
        },
        (event) => {
          if (event.type === 'end') {
            end = event;
            return;
          }
          setCounts((previous) =>
            event.type === 'message'
              ? { ...previous, messages: previous.messages + 1 }
              : { ...previous, errors: previous.errors + 1 },
          );
          setEvents((previous) => {
            const next = [...previous, { ...event, id: nextId.current++ }];
            return next.length > SAMPLE_VIEW_EVENTS ? next.slice(next.length - SAMPLE_VIEW_EVENTS) : next;
          });
        },
        stop.signal,
      );
      if (stop.signal.aborted) return;
      setPhase(end ? { kind: 'done', end } : { kind: 'dropped', message: t('tryIt.source.droppedBody') });
    } catch (error) {
      if (stop.signal.aborted) return;
      noteConnectionError(error);
      if (error instanceof HostError) {
        setPhase({ kind: 'refused', message: error.message, byPlugin: error.status === 422 });
      } else {
        setPhase({ kind: 'dropped', message: hostFailureText(t, error) });
      }
    } finally {
      if (sampling.current === stop) sampling.current = undefined;
    }
  };

  const stopSample = () => {
    if (phase.kind !== 'running') return;
    sampling.current?.abort();
    sampling.current = undefined;
    setPhase({ kind: 'stopped', elapsedMs: performance.now() - phase.startedAt });
  };

  const chooseSection = (next: string) => {
    if (origin.kind !== 'file') return;
    setSection(next);
    setConfigText(JSON.stringify(origin.file.all[next] ?? {}, null, 2));
    setConfigError(undefined);
  };

  const elapsedMs = phase.kind === 'running' ? now - phase.startedAt : undefined;
  const maxOk = Number.isInteger(Number(maxMessages)) && Number(maxMessages) >= 1;
  const secondsOk = Number(seconds) > 0 && Number(seconds) <= TRY_LIMITS.maxDurationMs / 1000;

  return (
    <Stack gap="sm" data-testid="try-source">
      <SymbolSelect
        label={t('tryIt.source.symbol')}
        symbols={sources}
        value={symbol}
        disabled={running}
        onChange={(value) => {
          setSymbol(value);
          setPhase({ kind: 'idle' });
          setEvents([]);
        }}
      />
      <TextInput
        label={t('tryIt.source.dataSource')}
        description={t('tryIt.source.dataSourceHint')}
        value={dataSource}
        onChange={(event) => setDataSource(event.currentTarget.value)}
        disabled={running}
      />
      {origin.kind === 'file' && origin.file.sections.length > 1 && (
        <NativeSelect
          label={t('tryIt.source.section')}
          data={origin.file.sections}
          value={section}
          onChange={(event) => chooseSection(event.currentTarget.value)}
          disabled={running}
        />
      )}
      <JsonField
        ref={configRef}
        label={t('tryIt.source.config')}
        description={
          origin.kind === 'loading'
            ? t('tryIt.source.configLoading')
            : origin.kind === 'failed'
              ? t('tryIt.source.configFailed', { message: origin.message })
              : origin.file.file === ''
                ? t('tryIt.source.configNone', { symbol })
                : t('tryIt.source.configFrom', { file: origin.file.file, section })
        }
        value={configText}
        onChange={(value) => {
          setConfigText(value);
          if (configError !== undefined) setConfigError(undefined);
        }}
        error={configError}
        disabled={running}
        maxRows={12}
      />
      <Group grow align="flex-start">
        <LimitedNumberField
          label={t('tryIt.source.maxMessages')}
          value={maxMessages}
          onChange={setMaxMessages}
          min={1}
          max={TRY_LIMITS.maxMessages}
          disabled={running}
          valid={maxOk}
          invalidText={t('tryIt.source.maxMessagesError', { max: TRY_LIMITS.maxMessages })}
        />
        <LimitedNumberField
          label={t('tryIt.source.seconds')}
          value={seconds}
          onChange={setSeconds}
          min={1}
          max={TRY_LIMITS.maxDurationMs / 1000}
          allowDecimal
          disabled={running}
          valid={secondsOk}
          invalidText={t('tryIt.source.secondsError', { max: TRY_LIMITS.maxDurationMs / 1000 })}
        />
      </Group>
      <Group>
        {running ? (
          <Button color="red" variant="light" onClick={stopSample}>
            {t('tryIt.source.stop')}
          </Button>
        ) : (
          <Button onClick={() => void start()} disabled={symbol === '' || !maxOk || !secondsOk}>
            {t('tryIt.source.start')}
          </Button>
        )}
        <Text size="sm" c="dimmed" role="status" data-testid="sample-progress">
          {running
            ? t('tryIt.source.running', {
                messages: counts.messages,
                errors: counts.errors,
                elapsed: formatMs(elapsedMs ?? 0, locale),
              })
            : phase.kind === 'stopped' || phase.kind === 'dropped'
              ? t('tryIt.source.counted', { messages: counts.messages, errors: counts.errors })
              : ''}
        </Text>
      </Group>
      {phase.kind === 'refused' && (
        <Alert
          role="alert"
          color="red"
          variant="light"
          title={phase.byPlugin ? t('tryIt.source.refusedByPlugin') : t('tryIt.source.refused')}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {phase.message}
          </Text>
        </Alert>
      )}
      {phase.kind === 'dropped' && (
        <Alert role="alert" color="red" variant="light" title={t('tryIt.source.dropped')}>
          {phase.message}
        </Alert>
      )}
      {(events.length > 0 || running) && (
        <div
          className={classes.events}
          role="log"
          aria-label={t('tryIt.source.messages')}
          data-testid="sample-events"
        >
          {events.length === 0 ? (
            <Text size="xs" c="dimmed" p={8}>
              {t('tryIt.source.waiting')}
            </Text>
          ) : (
            events.map((event, index) => (
              <div
                key={event.id}
                className={`${classes.event} ${event.type === 'error' ? classes.eventError : ''}`}
                data-type={event.type}
              >
                <span className={classes.dimmed}>
                  {index + 1 + Math.max(0, counts.messages + counts.errors - events.length)}
                </span>
                <span className={classes.dimmed}>{formatMs(event.elapsedMs, locale)}</span>
                <span>
                  {event.type === 'error'
                    ? t('tryIt.source.errorEvent', { error: event.error })
                    : JSON.stringify(event.message)}
                </span>
              </div>
            ))
          )}
        </div>
      )}
      {phase.kind === 'done' && (
        <Alert
          role="status"
          variant="light"
          color={phase.end.errors > 0 ? 'orange' : 'green'}
          data-testid="sample-summary"
        >
          <Group gap="xs">
            <Badge variant="outline" color="gray">
              {t(`tryIt.source.reasons.${phase.end.reason}`)}
            </Badge>
            <Text size="sm">
              {t('tryIt.source.summary', {
                messages: phase.end.messages,
                errors: phase.end.errors,
                elapsed: formatMs(phase.end.elapsedMs, locale),
              })}
            </Text>
          </Group>
        </Alert>
      )}
      {phase.kind === 'stopped' && (
        <Alert role="status" variant="light" color="gray" data-testid="sample-summary">
          {t('tryIt.source.stoppedSummary', {
            messages: counts.messages,
            errors: counts.errors,
            elapsed: formatMs(phase.elapsedMs, locale),
          })}
        </Alert>
      )}
    </Stack>
  );
}
