import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RefreshIcon } from './Icons';

/**
 * The Fleet page's bulk buttons — add (install or create), update, delete, each on the ticked servers — and
 * Refresh, the same for plugins, JavaScript functions and services; `labels` names the three in the view's words.
 */
export function FleetBulkButtons<A extends string>({
  actions,
  labels,
  disabled,
  loading,
  onAction,
  onRefresh,
}: {
  /** Add, update, delete: in this order. */
  actions: readonly [A, A, A];
  labels: readonly [string, string, string];
  disabled: boolean;
  loading: boolean;
  onAction: (action: A) => void;
  onRefresh: () => void;
}) {
  const { t } = useTranslation();
  const [add, update, remove] = actions;
  return (
    <Group gap="xs" wrap="wrap">
      <Button disabled={disabled} onClick={() => onAction(add)}>
        {labels[0]}
      </Button>
      <Button variant="default" disabled={disabled} onClick={() => onAction(update)}>
        {labels[1]}
      </Button>
      <Button variant="light" color="red" disabled={disabled} onClick={() => onAction(remove)}>
        {labels[2]}
      </Button>
      <Button
        variant="default"
        leftSection={loading ? <Loader size={14} /> : <RefreshIcon />}
        onClick={onRefresh}
        disabled={loading}
      >
        {t('fleet.refresh')}
      </Button>
    </Group>
  );
}

/** Why the servers could not be asked (the host's words), with Try again. */
export function FleetLoadError({ error, onRetry }: { error: string | undefined; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={t('fleet.loadFailedTitle')}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" style={{ wordBreak: 'break-word' }}>
          {error}
        </Text>
        <Button size="xs" variant="default" onClick={onRetry}>
          {t('fleet.retry')}
        </Button>
      </Group>
    </Alert>
  );
}
