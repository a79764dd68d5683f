import { Alert, Button, Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hostLabel } from '../api/api-config';
import { useConnectionStore } from '../stores/connection-store';
import { RefreshIcon } from './Icons';

/**
 * Says plainly when the host does not answer, counts down to the next automatic retry, and offers to retry now;
 * it disappears by itself once the host answers again.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const { status, reason, nextRetryAt, retryNow } = useConnectionStore();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (status === 'online') return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [status]);
  if (status === 'online') return null;
  const seconds = Math.max(0, Math.ceil(((nextRetryAt ?? now) - now) / 1000));
  return (
    <Alert color="red" variant="light" title={t('connection.title')} role="alert" mb="md">
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
