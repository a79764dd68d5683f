import { Alert, Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { runtimeApi } from '../api/runtime-api';
import { showJson } from '../lib/json-fields';
import { CallFailure, JsonField, SymbolSelect, formatMs, useArgumentsCall } from './TryItParts';

/**
 * Calls one of the plugin's functions as a rule would (Validate, then Exec) with arguments typed as a JSON
 * array, and shows the function's answer, the step that answered, and how long it took.
 */
export function TryFunction({ name, functions }: { name: string; functions: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [symbol, setSymbol] = useState(functions[0] ?? '');
  const [argsText, setArgsText] = useState('[]');
  const { argsRef, argsError, setArgsError, running, outcome, setOutcome, call } = useArgumentsCall(
    (args, signal) => runtimeApi.callFunction(name, symbol, args, signal),
  );

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
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void call(argsText);
        }}
      />
      <Group>
        <Button onClick={() => void call(argsText)} loading={running} disabled={symbol === ''}>
          {t('tryIt.function.call')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('tryIt.function.shortcut')}
        </Text>
      </Group>
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
        <CallFailure
          title={t('tryIt.function.failed')}
          error={outcome.error}
          roundTripMs={outcome.roundTripMs}
        />
      )}
    </Stack>
  );
}
