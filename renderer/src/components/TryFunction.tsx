import { Alert, Badge, Code, Group, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { runtimeApi, type FunctionTrial } from '../api/runtime-api';
import { showJson } from '../lib/json-fields';
import { ArgumentsField, CallButton, CallFailed, useArgumentsCall } from './ArgumentsCall';
import { SymbolSelect, formatMs } from './TryItParts';

/**
 * Calls one of the plugin's functions as a rule would (Validate, then Exec) with arguments typed as a JSON
 * array, and shows the function's answer, the step that answered, and how long it took.
 */
export function TryFunction({ name, functions }: { name: string; functions: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [symbol, setSymbol] = useState(functions[0] ?? '');
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const form = useArgumentsCall<FunctionTrial>(
    '[]',
    (args, signal) => runtimeApi.callFunction(name, symbol, args, signal),
    () => argsRef.current?.focus(),
  );
  const { outcome } = form;

  return (
    <Stack gap="sm" data-testid="try-function">
      <SymbolSelect
        label={t('tryIt.function.symbol')}
        symbols={functions}
        value={symbol}
        onChange={(value) => {
          setSymbol(value);
          form.reset();
        }}
      />
      <ArgumentsField
        form={form}
        fieldRef={argsRef}
        label={t('tryIt.function.args')}
        description={t('tryIt.function.argsHint')}
      />
      <CallButton form={form} label={t('tryIt.function.call')} disabled={symbol === ''} />
      {outcome?.kind === 'answer' && (
        <Alert
          role="status"
          variant="light"
          color={outcome.answer.ok ? 'green' : 'orange'}
          title={
            outcome.answer.ok
              ? t('tryIt.function.result')
              : t('tryIt.function.refused', { stage: t(`tryIt.function.stages.${outcome.answer.stage}`) })
          }
          data-testid="function-outcome"
        >
          <Stack gap={6}>
            <Code block style={{ maxHeight: 240, overflow: 'auto' }} data-testid="function-result">
              {outcome.answer.ok ? showJson(outcome.answer.result) : (outcome.answer.error ?? '')}
            </Code>
            <Group gap="xs">
              <Badge variant="outline" color="gray">
                {t('tryIt.function.stageBadge', {
                  stage: t(`tryIt.function.stages.${outcome.answer.stage}`),
                })}
              </Badge>
              <Text size="xs" c="dimmed">
                {t('tryIt.function.timing', {
                  roundTrip: formatMs(outcome.roundTripMs, locale),
                  validate: formatMs(outcome.answer.validateMs, locale),
                  exec: outcome.answer.stage === 'exec' ? formatMs(outcome.answer.execMs, locale) : '—',
                })}
              </Text>
            </Group>
          </Stack>
        </Alert>
      )}
      {outcome?.kind === 'failed' && (
        <CallFailed
          title={t('tryIt.function.failed')}
          message={outcome.message}
          roundTripMs={outcome.roundTripMs}
        />
      )}
    </Stack>
  );
}
