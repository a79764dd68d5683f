import { Alert, Badge, Button, Code, Group, Loader, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import { runtimeApi, type ProcessEndReport, type RuntimeStatus } from '../api/runtime-api';
import { noteConnectionError } from '../stores/connection-store';

/** How often the drawer asks for the status while it is open: a crash or a restart shows within this. */
export const STATUS_REFRESH_MS = 2_000;

const STATE_COLORS: Record<string, string> = {
  running: 'green',
  initializing: 'blue',
  error: 'red',
  stop: 'gray',
};

/** The process state as a coloured badge, its words translated. */
export function RuntimeStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLORS[state] ?? 'gray'} variant="light" data-testid="runtime-state">
      {t(`tryIt.runtime.states.${state}`, { defaultValue: state })}
    </Badge>
  );
}

/** How the process ended by itself, in the window's language (the host's `errMsg` is English, for scripts). */
function endedText(t: TFunction, ended: ProcessEndReport): string {
  if (ended.signal !== null) return t('tryIt.runtime.endedBySignal', { signal: ended.signal });
  return ended.code === 0
    ? t('tryIt.runtime.endedNormally')
    : t('tryIt.runtime.endedWithCode', { code: ended.code });
}

type RestartOutcome = { ok: true; status: RuntimeStatus } | { ok: false; message: string };

/**
 * A portable plugin's process: state, process id, last error and running sessions, refreshed while shown, and
 * a Restart that answers with what the host did — the quickest way back after a plugin misbehaves.
 */
export function RuntimePanel({ name }: { name: string }) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [status, setStatus] = useState<RuntimeStatus | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [restarting, setRestarting] = useState(false);
  const [outcome, setOutcome] = useState<RestartOutcome | undefined>();

  const refresh = useCallback(async () => {
    try {
      const next = await runtimeApi.status(name);
      setStatus(next);
      setLoadError(undefined);
    } catch (error) {
      noteConnectionError(error);
      setLoadError((error as Error).message);
    }
  }, [name]);

  useEffect(() => {
    setStatus(undefined);
    setOutcome(undefined);
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await refresh();
      if (live) timer = setTimeout(() => void tick(), STATUS_REFRESH_MS);
    };
    void tick();
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [refresh]);

  const restart = async () => {
    setRestarting(true);
    setOutcome(undefined);
    try {
      const next = await runtimeApi.restart(name);
      setStatus(next);
      setOutcome({ ok: true, status: next });
    } catch (error) {
      noteConnectionError(error);
      setOutcome({ ok: false, message: (error as Error).message });
      await refresh();
    } finally {
      setRestarting(false);
    }
  };

  const sessions = status ? Object.entries(status.refCount) : [];
  return (
    <Stack gap="xs" data-testid="runtime-panel">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <dl
          style={{
            display: 'grid',
            gridTemplateColumns: 'max-content 1fr',
            gap: '6px 16px',
            margin: 0,
            flex: 1,
            minWidth: 0,
          }}
        >
          <Text component="dt" size="sm" c="dimmed">
            {t('tryIt.runtime.state')}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {status ? <RuntimeStateBadge state={status.status} /> : loadError ? '—' : <Loader size="xs" />}
          </Text>
          <Text component="dt" size="sm" c="dimmed">
            {t('tryIt.runtime.pid')}
          </Text>
          <Text component="dd" size="sm" m={0} data-testid="runtime-pid" ff="monospace">
            {status ? (status.pid > 0 ? status.pid : t('tryIt.runtime.noProcess')) : '—'}
          </Text>
          <Text component="dt" size="sm" c="dimmed">
            {t('tryIt.runtime.sessions')}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {sessions.length > 0
              ? sessions.map(([id, count]) => `${id} (${count})`).join(', ')
              : t('tryIt.runtime.noSessions')}
          </Text>
          {status?.ended ? (
            <>
              <Text component="dt" size="sm" c="dimmed">
                {t('tryIt.runtime.ended')}
              </Text>
              <Text component="dd" size="sm" m={0} data-testid="runtime-ended">
                <Text span size="sm" c={status.status === 'error' ? 'red' : undefined}>
                  {endedText(t, status.ended)}
                </Text>
                {status.ended.output !== '' && (
                  <>
                    <Text size="xs" c="dimmed" mt={4}>
                      {t('tryIt.runtime.endedOutput')}
                    </Text>
                    <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {status.ended.output}
                    </Code>
                  </>
                )}
              </Text>
            </>
          ) : status?.errMsg ? (
            <>
              <Text component="dt" size="sm" c="dimmed">
                {t('tryIt.runtime.errMsg')}
              </Text>
              <Text
                component="dd"
                size="sm"
                m={0}
                c="red"
                style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
              >
                {hostMessage(status.errMsg)}
              </Text>
            </>
          ) : null}
        </dl>
        <Button
          variant="default"
          size="xs"
          loading={restarting}
          onClick={() => void restart()}
          style={{ flexShrink: 0 }}
        >
          {t('tryIt.runtime.restart')}
        </Button>
      </Group>
      {loadError && (
        <Text size="sm" c="red" role="status">
          {t('tryIt.runtime.loadFailed', { message: hostMessage(loadError) })}
        </Text>
      )}
      {outcome && (
        <Alert
          color={outcome.ok ? 'green' : 'red'}
          variant="light"
          role="status"
          withCloseButton
          closeButtonLabel={t('tryIt.dismiss')}
          onClose={() => setOutcome(undefined)}
          title={outcome.ok ? t('tryIt.runtime.restarted') : t('tryIt.runtime.restartFailed')}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {outcome.ok
              ? t('tryIt.runtime.restartedBody', {
                  state: t(`tryIt.runtime.states.${outcome.status.status}`, {
                    defaultValue: outcome.status.status,
                  }),
                  pid: outcome.status.pid,
                })
              : hostMessage(outcome.message)}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
