import { Alert, Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { runtimeApi, type FunctionTrial } from '../api/runtime-api';
import { parseJsonArray, showJson } from '../lib/json-fields';
import { noteConnectionError } from '../stores/connection-store';
import { JsonField, SymbolSelect, formatMs, hostFailureText, jsonProblemText } from './TryItParts';

type Outcome =
  | { kind: 'trial'; trial: FunctionTrial; roundTripMs: number }
  | { kind: 'failed'; message: string; roundTripMs: number };

/**
 * Calls one of the plugin's functions as a rule would (Validate, then Exec) with arguments typed as a JSON
 * array, and shows the function's answer, the step that answered, and how long it took.
 */
export function TryFunction({ name, functions }: { name: string; functions: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [symbol, setSymbol] = useState(functions[0] ?? '');
  const [argsText, setArgsText] = useState('[]');
  const [argsError, setArgsError] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const inFlight = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => inFlight.current?.abort(), []);

  const call = async () => {
    const args = parseJsonArray(argsText);
    if (!args.ok) {
      setArgsError(jsonProblemText(t, args.problem));
      // The last answer was for other arguments: left below the refused ones, it would read as theirs.
      setOutcome(undefined);
      argsRef.current?.focus();
      return;
    }
    setArgsError(undefined);
    setRunning(true);
    setOutcome(undefined);
    const stop = new AbortController();
    inFlight.current = stop;
    const started = performance.now();
    try {
      const trial = await runtimeApi.callFunction(name, symbol, args.value, stop.signal);
      setOutcome({ kind: 'trial', trial, roundTripMs: performance.now() - started });
    } catch (error) {
      if (stop.signal.aborted) return;
      noteConnectionError(error);
      setOutcome({
        kind: 'failed',
        message: hostFailureText(t, error),
        roundTripMs: performance.now() - started,
      });
    } finally {
      if (!stop.signal.aborted) setRunning(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="try-function">
      <SymbolSelect
        label={t('tryIt.function.symbol')}
        symbols={functions}
        value={symbol}
        onChange={(value) => {
          setSymbol(value);
          setOutcome(undefined);
        }}
      />
      <JsonField
        ref={argsRef}
        label={t('tryIt.function.args')}
        description={t('tryIt.function.argsHint')}
        value={argsText}
        onChange={(value) => {
          setArgsText(value);
          if (argsError !== undefined) setArgsError(undefined);
        }}
        error={argsError}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void call();
        }}
      />
      <Group>
        <Button onClick={() => void call()} loading={running} disabled={symbol === ''}>
          {t('tryIt.function.call')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('tryIt.function.shortcut')}
        </Text>
      </Group>
      {outcome?.kind === 'trial' && (
        <Alert
          role="status"
          variant="light"
          color={outcome.trial.ok ? 'green' : 'orange'}
          title={
            outcome.trial.ok
              ? t('tryIt.function.result')
              : t('tryIt.function.refused', { stage: t(`tryIt.function.stages.${outcome.trial.stage}`) })
          }
          data-testid="function-outcome"
        >
          <Stack gap={6}>
            <Code block style={{ maxHeight: 240, overflow: 'auto' }} data-testid="function-result">
              {outcome.trial.ok ? showJson(outcome.trial.result) : (outcome.trial.error ?? '')}
            </Code>
            <Group gap="xs">
              <Badge variant="outline" color="gray">
                {t('tryIt.function.stageBadge', { stage: t(`tryIt.function.stages.${outcome.trial.stage}`) })}
              </Badge>
              <Text size="xs" c="dimmed">
                {t('tryIt.function.timing', {
                  roundTrip: formatMs(outcome.roundTripMs, locale),
                  validate: formatMs(outcome.trial.validateMs, locale),
                  exec: outcome.trial.stage === 'exec' ? formatMs(outcome.trial.execMs, locale) : '—',
                })}
              </Text>
            </Group>
          </Stack>
        </Alert>
      )}
      {outcome?.kind === 'failed' && (
        <Alert role="alert" variant="light" color="red" title={t('tryIt.function.failed')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {outcome.message}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('tryIt.roundTrip', { ms: formatMs(outcome.roundTripMs, locale) })}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
