import { Alert, Button, Checkbox, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { hostLabel, rememberToken } from '../api/api-config';
import { useConnectionStore } from '../stores/connection-store';
import { RefreshIcon } from './Icons';

/**
 * Says plainly when the host does not answer (counting down to the next automatic retry) or when it answers but
 * refuses this window's token — two different problems with different fixes. For the token, the user can enter
 * it here and retry; the banner disappears by itself once the host accepts the window again.
 */
export function ConnectionBanner() {
  const status = useConnectionStore((state) => state.status);
  if (status === 'online') return null;
  if (status === 'unauthorized') return <TokenBanner />;
  return <UnreachableBanner />;
}

function UnreachableBanner() {
  const { t } = useTranslation();
  const { status, reason, nextRetryAt, retryNow } = useConnectionStore();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
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
