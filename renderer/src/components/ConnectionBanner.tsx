import { Alert, Button, Checkbox, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { serverName } from '../lib/server-state';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { hostLabel, rememberToken } from '../api/api-config';
import type { ServerStanding } from '../lib/server-state';
import { useClock } from '../lib/use-clock';
import { useConnectionStore } from '../stores/connection-store';
import { useServerDialogStore } from '../stores/server-dialog-store';
import { useCurrentServer, useServersStore } from '../stores/servers-store';
import { PencilIcon, PulseIcon, RefreshIcon } from './Icons';
import { useServerState } from './ServerBadges';

/**
 * Says plainly when the host does not answer (counting down to the next automatic retry) or when it answers but
 * refuses this window's token — two different problems with different fixes. For the token, the user can enter
 * it here and retry; the banner disappears by itself once the host accepts the window again. With the host fine,
 * it speaks of the server the window works on: unreachable, refusing the app's credentials, or read-only.
 */
export function ConnectionBanner() {
  const status = useConnectionStore((state) => state.status);
  if (status === 'online') return <ServerBanner />;
  if (status === 'unauthorized') return <TokenBanner />;
  return <UnreachableBanner />;
}

const SERVER_BANNERS: Partial<Record<ServerStanding, { color: string; titleKey: string; bodyKey: string }>> =
  {
    down: { color: 'red', titleKey: 'servers.banner.downTitle', bodyKey: 'servers.banner.downBody' },
    auth: { color: 'orange', titleKey: 'servers.banner.authTitle', bodyKey: 'servers.banner.authBody' },
    problem: {
      color: 'orange',
      titleKey: 'servers.banner.problemTitle',
      bodyKey: 'servers.banner.problemBody',
    },
    readOnly: {
      color: 'yellow',
      titleKey: 'servers.banner.readOnlyTitle',
      bodyKey: 'servers.banner.readOnlyBody',
    },
  };

/**
 * A remote server that cannot be used as it should, in that server's terms: what is wrong, the server's own
 * words, Test connection (which clears the banner when the server is back) and Edit server, one click to fix.
 */
function ServerBanner() {
  const { t, i18n } = useTranslation();
  const server = useCurrentServer();
  const state = useServerState(server);
  const check = useServersStore((store) => store.check);
  const checking = useServersStore((store) =>
    server === undefined ? false : store.checking[server.id] === true,
  );
  const openDialog = useServerDialogStore((store) => store.open);
  const [stillFailing, setStillFailing] = useState<string | undefined>();
  useEffect(() => setStillFailing(undefined), [server?.id]);
  const banner = SERVER_BANNERS[state.standing];
  if (server === undefined || server.id === LOCAL_SERVER_ID || banner === undefined) return null;
  const name = serverName(server, t);
  const test = async () => {
    setStillFailing(undefined);
    try {
      const result = await check(server.id);
      if (!result.ok) setStillFailing(result.checkedAt);
    } catch {
      // The host itself did not answer: its own banner says so.
    }
  };
  return (
    <Alert
      color={banner.color}
      variant="light"
      title={t(state.timedOut ? 'servers.banner.timeoutTitle' : banner.titleKey, { name })}
      role="alert"
      mb="md"
      style={{ flexShrink: 0 }}
      data-testid="server-banner"
      data-standing={state.standing}
    >
      <Group justify="space-between" wrap="wrap" align="center" gap="sm">
        <Stack gap={2} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Text size="sm">{t(banner.bodyKey, { name, url: server.url })}</Text>
          {state.message !== undefined && state.message !== '' && (
            <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {/* Unreachable or worded by the host: its own sentence; otherwise the server's words. */}
              {state.standing === 'down' || state.hostWorded
                ? state.message
                : t('servers.banner.serverSaid', { message: state.message })}
            </Text>
          )}
          {stillFailing !== undefined && !checking && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('servers.banner.stillDown', {
                time: new Date(stillFailing).toLocaleTimeString(i18n.language),
              })}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          <Button
            variant="white"
            // Yellow or orange text on white is too faint to read (2–2.6:1); those banners' button is dark.
            color={banner.color === 'red' ? 'red' : 'dark'}
            leftSection={<PulseIcon />}
            loading={checking}
            onClick={() => void test()}
          >
            {t('servers.banner.test')}
          </Button>
          <Button variant="default" leftSection={<PencilIcon />} onClick={() => openDialog(server.id)}>
            {t('servers.banner.edit')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}

function UnreachableBanner() {
  const { t } = useTranslation();
  const { status, reason, nextRetryAt, retryNow } = useConnectionStore();
  const now = useClock(500);
  const seconds = Math.max(0, Math.ceil(((nextRetryAt ?? now) - now) / 1000));
  return (
    <Alert
      color="red"
      variant="light"
      title={t('connection.title')}
      role="alert"
      mb="md"
      style={{ flexShrink: 0 }}
    >
      <Group justify="space-between" wrap="nowrap" align="center">
        <div>
          <Text size="sm">
            {t('connection.body', {
              host: hostLabel(),
              reason: t(reason === 'timeout' ? 'connection.timedOut' : 'connection.refused'),
            })}
          </Text>
          <Text size="sm" c="dimmed" aria-live="polite">
            {status === 'checking' ? t('connection.checking') : t('connection.retrying', { seconds })}
          </Text>
        </div>
        <Button
          variant="white"
          color="red"
          leftSection={<RefreshIcon />}
          onClick={() => void retryNow()}
          loading={status === 'checking'}
        >
          {t('connection.retryNow')}
        </Button>
      </Group>
    </Alert>
  );
}

function TokenBanner() {
  const { t } = useTranslation();
  const tokenMissing = useConnectionStore((state) => state.tokenMissing);
  const retryNow = useConnectionStore((state) => state.retryNow);
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [checking, setChecking] = useState(false);
  const [tried, setTried] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const entered = token.trim();
    if (entered === '') return;
    rememberToken(entered, remember);
    setChecking(true);
    await retryNow();
    setChecking(false);
    setTried(true);
  };

  return (
    <Alert
      color="orange"
      variant="light"
      title={t('settingsPage.tokenBanner.title')}
      role="alert"
      mb="md"
      style={{ flexShrink: 0 }}
    >
      <Stack gap="xs">
        <Text size="sm">
          {t(tokenMissing ? 'settingsPage.tokenBanner.missing' : 'settingsPage.tokenBanner.wrong', {
            host: hostLabel(),
          })}
        </Text>
        <form onSubmit={(event) => void submit(event)} aria-label={t('settingsPage.tokenBanner.form')}>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <PasswordInput
              label={t('settingsPage.tokenBanner.label')}
              value={token}
              onChange={(event) => setToken(event.currentTarget.value)}
              error={tried && !checking ? t('settingsPage.tokenBanner.stillRejected') : undefined}
              autoComplete="off"
              style={{ flex: '1 1 260px', maxWidth: 420 }}
            />
            <Button type="submit" mt={25} loading={checking} disabled={token.trim() === ''}>
              {t('settingsPage.tokenBanner.submit')}
            </Button>
          </Group>
          <Checkbox
            mt="xs"
            size="xs"
            checked={remember}
            onChange={(event) => setRemember(event.currentTarget.checked)}
            label={t('settingsPage.tokenBanner.remember')}
            description={t('settingsPage.tokenBanner.rememberHint')}
          />
        </form>
      </Stack>
    </Alert>
  );
}
