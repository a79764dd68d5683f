import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { javascriptApi, type JsCallResult, type JsFunction } from '../api/javascript-api';
import { parseJsonArray, showJson } from '../lib/json-fields';
import { noteConnectionError } from '../stores/connection-store';
import { JsonField, formatMs, hostFailureText, jsonProblemText } from './TryItParts';

type Outcome =
  | { kind: 'result'; answer: JsCallResult; roundTripMs: number }
  | { kind: 'failed'; message: string; roundTripMs: number };

/** Arguments to start from: two numbers for the sample's `a * b`, one group of values for an aggregate. */
export function sampleArguments(isAgg: boolean): string {
  return isAgg ? '[[2, 3, 4]]' : '[2, 3]';
}

/**
 * Calls a custom function as a rule would, on this app's host (`POST /manager/udf/javascript/{id}/call`), with
 * the arguments typed as a JSON array: its result, or the server's refusal in its words, and the time taken. An
 * answer is cleared as soon as the arguments change, so it is never read as theirs.
 */
export function TryJavascript({ fn, server }: { fn: JsFunction; server: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [argsText, setArgsText] = useState(() => sampleArguments(fn.isAgg));
  const [argsError, setArgsError] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const inFlight = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => inFlight.current?.abort(), []);
  // Another script or flag (saved from the dialog): the old answer was for the old function.
  useEffect(() => {
    inFlight.current?.abort();
    setRunning(false);
    setOutcome(undefined);
  }, [fn.script, fn.isAgg]);

  const call = async () => {
    const args = parseJsonArray(argsText);
    if (!args.ok) {
      setArgsError(jsonProblemText(t, args.problem));
      setOutcome(undefined);
      argsRef.current?.focus();
      return;
    }
    setArgsError(undefined);
    setRunning(true);
    setOutcome(undefined);
    inFlight.current?.abort();
    const stop = new AbortController();
    inFlight.current = stop;
    const started = performance.now();
    try {
      const answer = await javascriptApi.call(fn.id, args.value, server, stop.signal);
      setOutcome({ kind: 'result', answer, roundTripMs: performance.now() - started });
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
    <Stack gap="sm" data-testid="try-javascript">
      <JsonField
        ref={argsRef}
        label={t('javascriptFunctions.tryIt.args')}
        description={t(
          fn.isAgg ? 'javascriptFunctions.tryIt.argsHintAggregate' : 'javascriptFunctions.tryIt.argsHint',
        )}
        value={argsText}
        onChange={(value) => {
          setArgsText(value);
          setArgsError(undefined);
          setOutcome(undefined);
        }}
        error={argsError}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void call();
        }}
      />
      <Group>
        <Button onClick={() => void call()} loading={running}>
          {t('javascriptFunctions.tryIt.call')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('tryIt.function.shortcut')}
        </Text>
      </Group>
      {outcome?.kind === 'result' && (
        <Alert role="status" variant="light" color="green" title={t('javascriptFunctions.tryIt.result')}>
          <Stack gap={6}>
            <Code
              block
              style={{ maxHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              data-testid="javascript-result"
            >
              {showJson(outcome.answer.result)}
            </Code>
            <Text size="xs" c="dimmed" data-testid="javascript-timing">
              {t('javascriptFunctions.tryIt.timing', {
                call: formatMs(outcome.answer.ms, locale),
                roundTrip: formatMs(outcome.roundTripMs, locale),
              })}
            </Text>
          </Stack>
        </Alert>
      )}
      {outcome?.kind === 'failed' && (
        <Alert role="alert" variant="light" color="red" title={t('javascriptFunctions.tryIt.failed')}>
          <Text
            size="sm"
            style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
            data-testid="javascript-failure"
          >
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
