import {
  ActionIcon,
  Alert,
  Button,
  Card,
  Code,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serverName } from '../lib/server-state';
import { PLUGIN_KINDS, type PluginKind } from '../../../shared/plugin-kinds';
import type { ServerInfo } from '../../../shared/server-dto';
import { Fact, FactList } from '../components/FactList';
import { PencilIcon, PulseIcon, RefreshIcon, TrashIcon } from '../components/Icons';
import {
  HealthDot,
  KindBadge,
  StandingBadge,
  TruncatedName,
  useServerState,
} from '../components/ServerBadges';
import { ServerVersionFacts } from '../components/ServerVersionFacts';
import { formatDateTime, formatDuration, formatRelative } from '../lib/format';
import { useHostMessage } from '../lib/host-message';
import { useDialog } from '../lib/use-dialog';
import { useMinuteClock } from '../lib/use-clock';
import { DialogFooter } from '../components/DialogParts';
import { ExtensionTransferMenu } from '../components/ExtensionTransfer';
import { noteConnectionError } from '../stores/connection-store';
import { useServerDialogStore } from '../stores/server-dialog-store';
import { openServer } from '../stores/server-view';
import { useServersStore } from '../stores/servers-store';

/** Counts in the Extensions page's tab order: portables first, as on NeuronEX. */
const COUNT_ORDER: readonly PluginKind[] = ['portables', 'sources', 'sinks', 'functions'];

/**
 * The Servers page: one card per server (health, kind, address, version and NeuronEX's own, OS/arch, uptime,
 * latency, plugin counts, when it was last checked) with Open, Test, Edit and Remove, and Add server. Like
 * Portainer's environments list: a glance tells which servers are up, and one click works on one.
 */
export function ServersPage() {
  const { t } = useTranslation();
  const servers = useServersStore((state) => state.servers);
  const status = useServersStore((state) => state.status);
  const error = useServersStore((state) => state.error);
  const load = useServersStore((state) => state.load);
  const openDialog = useServerDialogStore((state) => state.open);
  const [removing, setRemoving] = useState<ServerInfo | undefined>();

  return (
    <div style={{ flex: 1, minHeight: 0, overflowY: 'auto' }}>
      <Stack gap="md" pb="md">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
          <div style={{ minWidth: 0, flex: '1 1 320px' }}>
            <Title order={2}>{t('servers.page.title')}</Title>
            <Text size="sm" c="dimmed" mt={4} maw={720}>
              {t('servers.page.intro')}
            </Text>
          </div>
          <Group gap="xs" wrap="nowrap">
            <Button onClick={() => openDialog()}>{t('servers.page.add')}</Button>
            <Button variant="default" leftSection={<RefreshIcon />} onClick={() => void load()}>
              {t('servers.page.refresh')}
            </Button>
          </Group>
        </Group>
        {status === 'error' && (
          <Alert color="red" variant="light" role="alert">
            {t('servers.page.loadFailed', { message: error })}
          </Alert>
        )}
        {servers.length === 0 && status !== 'error' ? (
          <Group gap="xs">
            <Loader size="sm" />
            {t('servers.page.loading')}
          </Group>
        ) : (
          <SimpleGrid type="container" cols={{ base: 1, '620px': 2, '980px': 3 }} spacing="md">
            {servers.map((server) => (
              <ServerCard key={server.id} server={server} onRemove={() => setRemoving(server)} />
            ))}
          </SimpleGrid>
        )}
      </Stack>
      <RemoveServerDialog server={removing} onClose={() => setRemoving(undefined)} />
    </div>
  );
}

function ServerCard({ server, onRemove }: { server: ServerInfo; onRemove: () => void }) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const locale = i18n.language;
  const now = useMinuteClock();
  const state = useServerState(server);
  const current = useServersStore((store) => store.currentId === server.id);
  const checking = useServersStore((store) => store.checking[server.id] === true);
  const plugins = useServersStore((store) => store.plugins[server.id]);
  const check = useServersStore((store) => store.check);
  const loadPlugins = useServersStore((store) => store.loadPlugins);
  const openDialog = useServerDialogStore((store) => store.open);
  const name = serverName(server, t);
  const health = server.health;
  const reachable = health?.reachable === true;

  useEffect(() => {
    // Counted once per server and kept; Test counts again.
    if (plugins === undefined && state.standing !== 'down') void loadPlugins(server.id);
  }, [plugins, state.standing, server.id, loadPlugins]);

  const test = async () => {
    try {
      const result = await check(server.id);
      if (result.ok) void loadPlugins(server.id, true);
      notifications.show({
        color: result.ok ? 'teal' : result.reachable ? 'yellow' : 'red',
        message: t('servers.page.tested', { name, message: hostMessage(result.message) }),
      });
    } catch (failure) {
      if (!noteConnectionError(failure)) {
        notifications.show({
          color: 'red',
          message: t('servers.page.testFailed', { name, message: hostMessage((failure as Error).message) }),
        });
      }
    }
  };

  const counts = Object.fromEntries(PLUGIN_KINDS.map((kind) => [kind, 0])) as Record<PluginKind, number>;
  for (const plugin of plugins?.plugins ?? []) counts[plugin.kind]++;
  const countText =
    plugins === undefined && state.standing === 'down' ? (
      // Not asked while the server is down (it would only fail): a dash like the other facts, not "counting…".
      <Text span size="sm" title={t('servers.page.countsDown')} data-testid="plugin-counts-none">
        —
      </Text>
    ) : plugins === undefined || (plugins.status === 'loading' && plugins.loadedAt === undefined) ? (
      <Text span size="sm" c="dimmed">
        {t('servers.page.countsLoading')}
      </Text>
    ) : plugins.status === 'error' && plugins.loadedAt === undefined ? (
      <Text span size="sm" c="dimmed" title={plugins.error}>
        {t('servers.page.countsFailed')}
      </Text>
    ) : (
      <span data-testid="plugin-counts">
        {COUNT_ORDER.map((kind, index) => (
          <Fragment key={kind}>
            {index > 0 && ' · '}
            <span style={{ whiteSpace: 'nowrap' }}>
              {t(`servers.page.counts.${kind}`, { count: counts[kind] })}
            </span>
          </Fragment>
        ))}
      </span>
    );

  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      aria-label={name}
      component="article"
      data-testid={`server-card-${server.id}`}
      style={current ? { borderColor: 'var(--mantine-color-teal-6)' } : undefined}
    >
      <Stack gap="sm" h="100%">
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }}>
            <HealthDot state={state} size={12} />
            <Title order={3} size="h4" style={{ minWidth: 0 }}>
              <TruncatedName name={name} maxWidth={220} />
            </Title>
          </Group>
          <StandingBadge state={state} />
        </Group>
        <Group gap={6} wrap="wrap">
          <KindBadge kind={server.kind} />
          {server.builtIn && (
            <Text size="xs" c="dimmed">
              {t('servers.page.thisApp')}
            </Text>
          )}
          {current && (
            <Text size="xs" c="teal" fw={600}>
              {t('servers.page.shown')}
            </Text>
          )}
        </Group>
        <FactList gap="4px 12px">
          <Fact label={t('servers.page.fields.url')}>
            <Code style={{ wordBreak: 'break-all' }}>{server.url}</Code>
          </Fact>
          <ServerVersionFacts check={health} />
          <Fact label={t('servers.page.fields.osArch')}>
            {reachable && (health.os || health.arch) ? `${health.os || '—'} / ${health.arch || '—'}` : '—'}
          </Fact>
          <Fact label={t('servers.page.fields.uptime')}>
            {reachable ? formatDuration(health.upTimeSeconds, locale) : '—'}
          </Fact>
          <Fact label={t('servers.page.fields.latency')}>
            {reachable && health.latencyMs !== null
              ? t('servers.page.latencyValue', { ms: health.latencyMs })
              : '—'}
          </Fact>
          <Fact label={t('servers.page.fields.plugins')}>{countText}</Fact>
          <Fact label={t('servers.page.fields.checked')}>
            {health === undefined ? (
              <Text span size="sm" c="dimmed">
                {t('servers.page.notChecked')}
              </Text>
            ) : (
              <span title={formatDateTime(health.checkedAt, locale)}>
                {formatRelative(health.checkedAt, locale, Math.max(now, Date.now()))}
              </span>
            )}
          </Fact>
        </FactList>
        {state.message !== undefined && state.standing !== 'up' && (
          <Text size="sm" c={state.tone === 'red' ? 'red' : 'yellow.8'} style={{ overflowWrap: 'anywhere' }}>
            {state.message}
          </Text>
        )}
        <Group gap="xs" mt="auto" pt="xs" wrap="wrap">
          <Button
            size="xs"
            variant={current ? 'light' : 'filled'}
            onClick={() => openServer(server.id, 'extensions')}
            aria-label={t('servers.page.openName', { name })}
          >
            {t('servers.page.open')}
          </Button>
          <Button
            size="xs"
            variant="default"
            leftSection={<PulseIcon />}
            loading={checking}
            onClick={() => void test()}
            aria-label={t('servers.page.testName', { name })}
          >
            {t('servers.page.test')}
          </Button>
          <Group gap={6} ml="auto" wrap="nowrap">
            <ExtensionTransferMenu server={server.id} name={name} />
            {!server.builtIn && (
              <>
                <Tooltip label={t('servers.page.editName', { name })}>
                  <ActionIcon
                    size="md"
                    variant="default"
                    onClick={() => openDialog(server.id)}
                    aria-label={t('servers.page.editName', { name })}
                  >
                    <PencilIcon />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('servers.page.removeName', { name })}>
                  <ActionIcon
                    size="md"
                    variant="subtle"
                    color="red"
                    onClick={onRemove}
                    aria-label={t('servers.page.removeName', { name })}
                  >
                    <TrashIcon />
                  </ActionIcon>
                </Tooltip>
              </>
            )}
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}

function RemoveServerDialog({ server, onClose }: { server: ServerInfo | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const remove = useServersStore((state) => state.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [shown, setShown] = useState(server);
  if (server !== undefined && server !== shown) setShown(server);
  useEffect(() => setError(undefined), [server]);
  useDialog(server !== undefined);

  const confirm = async () => {
    if (server === undefined) return;
    setBusy(true);
    try {
      await remove(server.id);
      notifications.show({ color: 'teal', message: t('servers.remove.done', { name: server.name }) });
      onClose();
    } catch (failure) {
      if (!noteConnectionError(failure)) {
        setError(
          t('servers.remove.failed', { name: server.name, message: hostMessage((failure as Error).message) }),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={server !== undefined}
      onClose={busy ? () => {} : onClose}
      title={shown ? t('servers.remove.title', { name: shown.name }) : ''}
      centered
      closeButtonProps={{ 'aria-label': t('dialog.close') }}
      returnFocus={false}
    >
      {shown && (
        <Stack gap="md">
          <Text size="sm">{t('servers.remove.body', { name: shown.name, url: shown.url })}</Text>
          {error !== undefined && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <DialogFooter>
            <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
              {t('servers.remove.cancel')}
            </Button>
            <Button color="red" onClick={() => void confirm()} loading={busy}>
              {t('servers.remove.confirm')}
            </Button>
          </DialogFooter>
        </Stack>
      )}
    </Modal>
  );
}
