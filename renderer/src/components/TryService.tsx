import { Alert, Badge, Code, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceCallOutcome } from '../../../shared/service-call-dto';
import { HostError } from '../api/http';
import { callServiceFunction } from '../api/service-api';
import { useHostMessage } from '../lib/host-message';
import { showJson } from '../lib/json-fields';
import { formatBytes } from '../lib/format';
import { CapabilityNote } from './CapabilityNote';
import {
  ArgumentsField,
  CallButton,
  CallFailed,
  useArgumentsCall,
  type ArgumentsCall,
} from './ArgumentsCall';
import { formatMs } from './TryItParts';

/** A function Try it can call, with what decides its arguments. */
export interface TryableFunction {
  name: string;
  iface: string;
  protocol: string;
  schemaless: boolean;
}

/** The arguments a function starts with: schemaless REST takes method, path, then the body. */
export function initialArgs(fn: TryableFunction | undefined): string {
  return fn?.schemaless ? '["post", "/", {}]' : '[]';
}

/** Headers as lines, as the host reports them (it masks secret values before they reach the window). */
function headerLines(headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {})
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

/** Whether the service's answer status means success: HTTP 2xx/3xx, gRPC 0 (OK). */
function responseOk(outcome: ServiceCallOutcome): boolean {
  const status = outcome.response?.status ?? -1;
  return outcome.protocol === 'grpc' ? status === 0 : status >= 200 && status < 400;
}

/** A body as sent or received: pretty JSON when it is JSON, else the text. */
function bodyText(body: string | undefined): string {
  if (body === undefined || body === '') return '';
  try {
    return showJson(JSON.parse(body));
  } catch {
    return body;
  }
}

/**
 * Calls one of a service's functions as a rule would, through this app's host, with arguments typed as a JSON
 * array, and shows the HTTP request the host made (method, URL, headers, body), the response, the result or
 * the error in the host's words, and how long it took.
 */
export function TryService({ functions }: { functions: readonly TryableFunction[] }) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const locale = i18n.language;
  const [name, setName] = useState(functions[0]?.name ?? '');
  const chosen = functions.find((fn) => fn.name === name);
  const argsRef = useRef<HTMLTextAreaElement>(null);
  const form = useArgumentsCall<ServiceCallOutcome | 'noRoute'>(
    initialArgs(functions[0]),
    async (args, signal) => {
      try {
        return await callServiceFunction(name, args, signal);
      } catch (error) {
        // "404 page not found" (no eKuiper error code): the server has no call route, not a failed call.
        if (error instanceof HostError && error.status === 404 && error.code === undefined) return 'noRoute';
        throw error;
      }
    },
    () => argsRef.current?.focus(),
  );
  const { outcome } = form;

  const answer = outcome?.kind === 'answer' && outcome.answer !== 'noRoute' ? outcome.answer : undefined;
  return (
    <Stack gap="sm" data-testid="try-service">
      <Text size="sm" c="dimmed">
        {t('services.try.intro')}
      </Text>
      <NativeSelect
        label={t('services.try.function')}
        data={functions.map((fn) => ({ value: fn.name, label: `${fn.name} (${fn.iface}, ${fn.protocol})` }))}
        value={name}
        onChange={(event) => {
          const next = functions.find((fn) => fn.name === event.currentTarget.value);
          setName(event.currentTarget.value);
          if (next?.schemaless !== chosen?.schemaless) form.setArgsText(initialArgs(next));
          form.reset();
        }}
      />
      <ArgumentsField
        form={form}
        fieldRef={argsRef}
        label={t('services.try.args')}
        description={chosen?.schemaless ? t('services.try.argsSchemaless') : t('services.try.argsProto')}
      />
      {chosen?.protocol === 'msgpack-rpc' && (
        <Text size="sm" c="dimmed">
          {t('services.describe.msgpack')}
        </Text>
      )}
      <CallButton form={form} label={t('services.try.call')} disabled={name === ''} />
      {answer && outcome?.kind === 'answer' && (
        <Alert
          role="status"
          variant="light"
          color={answer.ok ? 'green' : 'orange'}
          title={answer.ok ? t('services.try.result') : t('services.try.refused')}
          data-testid="service-outcome"
        >
          <Stack gap={8}>
            <Code block style={{ maxHeight: 200, overflow: 'auto' }} data-testid="service-result">
              {answer.ok ? showJson(answer.result) : hostMessage(answer.error)}
            </Code>
            {(answer.notes ?? []).map((note) => (
              <Text key={note} size="sm">
                {hostMessage(note)}
              </Text>
            ))}
            <Text size="xs" c="dimmed">
              {t(answer.attempts > 1 ? 'services.try.timingRetried' : 'services.try.timing', {
                ms: formatMs(answer.ms, locale),
                roundTrip: formatMs(outcome.roundTripMs, locale),
                attempts: answer.attempts,
              })}
            </Text>
            <Text size="sm" fw={600}>
              {t('services.try.request')}
            </Text>
            {answer.request ? (
              <Code block style={{ maxHeight: 200, overflow: 'auto' }} data-testid="service-request">
                {[
                  `${answer.request.method} ${answer.request.url}`,
                  headerLines(answer.request.headers),
                  bodyText(answer.request.body),
                ]
                  .filter((part) => part !== '')
                  .join('\n\n')}
              </Code>
            ) : (
              <Text size="sm" c="dimmed">
                {t('services.try.noRequest')}
              </Text>
            )}
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {t('services.try.response')}
              </Text>
              {answer.response && (
                <Badge
                  variant="outline"
                  tt="none"
                  color={responseOk(answer) ? 'green' : 'red'}
                  data-testid="service-status"
                >
                  {`${answer.protocol === 'grpc' ? 'gRPC' : 'HTTP'} ${answer.response.status} ${answer.response.statusText}`.trim()}
                </Badge>
              )}
            </Group>
            {answer.response ? (
              <>
                <Code block style={{ maxHeight: 200, overflow: 'auto' }} data-testid="service-response">
                  {bodyText(answer.response.body) || t('services.try.emptyBody')}
                </Code>
                {answer.response.truncated && (
                  <Text size="xs" c="dimmed">
                    {t('services.try.truncated', { size: formatBytes(answer.response.bytes, locale) })}
                  </Text>
                )}
              </>
            ) : (
              <Text size="sm" c="dimmed">
                {t('services.try.noResponse')}
              </Text>
            )}
          </Stack>
        </Alert>
      )}
      {outcome?.kind === 'answer' && outcome.answer === 'noRoute' && (
        <CapabilityNote>{t('services.try.unavailable')}</CapabilityNote>
      )}
      {outcome?.kind === 'failed' && (
        <CallFailed
          title={t('services.try.failed')}
          message={outcome.message}
          roundTripMs={outcome.roundTripMs}
        />
      )}
    </Stack>
  );
}
