import { Alert, Code, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { javascriptApi, type JsCallResult, type JsFunction } from '../api/javascript-api';
import { showJson } from '../lib/json-fields';
import { ArgumentsField, CallButton, CallFailed, useArgumentsCall } from './ArgumentsCall';
import { formatMs } from './TryItParts';

/** Arguments to start from: two numbers for the sample's `a * b`, one group of values for an aggregate. */
export function sampleArguments(isAgg: boolean): string {
  return isAgg ? '[[2, 3, 4]]' : '[2, 3]';
}

/**
 * Calls a custom function as a rule would, on this app's host (`POST /manager/udf/javascript/{id}/call`), with
 * the arguments typed as a JSON array: its result, or the server's refusal in its words, and the time taken. An
 * answer is cleared as soon as the arguments or the function change, so it is never read as theirs.
 */
export function TryJavascript({ fn, server }: { fn: JsFunction; server: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const form = useArgumentsCall<JsCallResult>(
    sampleArguments(fn.isAgg),
    (args, signal) => javascriptApi.call(fn.id, args, server, signal),
    () => argsRef.current?.focus(),
  );
  const { outcome, reset } = form;
  // Another script or flag (saved from the dialog): the old answer was for the old function.
  useEffect(() => reset(), [fn.script, fn.isAgg]);

  return (
    <Stack gap="sm" data-testid="try-javascript">
      <ArgumentsField
        form={form}
        fieldRef={argsRef}
        label={t('javascriptFunctions.tryIt.args')}
        description={t(
          fn.isAgg ? 'javascriptFunctions.tryIt.argsHintAggregate' : 'javascriptFunctions.tryIt.argsHint',
        )}
        onChange={reset}
      />
      <CallButton form={form} label={t('javascriptFunctions.tryIt.call')} />
      <Text size="xs" c="dimmed">
        {t('javascriptFunctions.tryIt.engineNote')}
      </Text>
      {outcome?.kind === 'answer' && (
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
        <CallFailed
          title={t('javascriptFunctions.tryIt.failed')}
          message={outcome.message}
          roundTripMs={outcome.roundTripMs}
        />
      )}
    </Stack>
  );
}
