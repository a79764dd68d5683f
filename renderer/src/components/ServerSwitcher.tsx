import { Group, Loader, Menu, Text, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serverName } from '../lib/server-state';
import { useHostMessage } from '../lib/host-message';
import type { ServerInfo } from '../../../shared/server-dto';
import { openServer } from '../stores/server-view';
import { useServersStore } from '../stores/servers-store';
import { useViewStore } from '../stores/view-store';
import { CheckIcon, ChevronDownIcon, ServerIcon } from './Icons';
import { HealthDot, KindBadge, TruncatedName, useServerState } from './ServerBadges';

/**
 * The header's server switcher: the server the window works on (health dot, name, kind) and a menu of every
 * server with the same, then "Manage servers…". Compact, so it fits an 800 px header: long names are cut and
 * shown whole in a tooltip. Mantine's menu gives the keyboard handling (Enter/Space/↓ opens, arrows move, Esc).
 */
export function ServerSwitcher() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const servers = useServersStore((state) => state.servers);
  const status = useServersStore((state) => state.status);
  const error = useServersStore((state) => state.error);
  const currentId = useServersStore((state) => state.currentId);
  const current = servers.find((server) => server.id === currentId);
  const state = useServerState(current, currentId);
  const [opened, setOpened] = useState(false);
  const name =
    current !== undefined ? serverName(current, t) : currentId === 'local' ? t('servers.local') : currentId;

  return (
    <Menu position="bottom-end" shadow="md" width={300} withinPortal opened={opened} onChange={setOpened}>
      <Menu.Target>
        <UnstyledButton
          aria-label={t('servers.switcher.label', {
            name,
            standing: t(`servers.standing.${state.standing}`),
          })}
          data-testid="server-switcher"
          px="sm"
          py={6}
          style={{
            border: '1px solid var(--mantine-color-default-border)',
            borderRadius: 'var(--mantine-radius-md)',
            background: 'var(--mantine-color-default)',
            minWidth: 0,
          }}
        >
          <Group gap={8} wrap="nowrap">
            <HealthDot state={state} />
            <Text size="sm" fw={600} component="span" style={{ minWidth: 0 }}>
              <TruncatedName name={name} maxWidth={140} tooltip={!opened} />
            </Text>
            {current !== undefined && <KindBadge kind={current.kind} size="xs" />}
            <ChevronDownIcon />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown data-testid="server-menu">
        <Menu.Label>{t('servers.switcher.menu')}</Menu.Label>
        {servers.length === 0 && status !== 'error' && (
          <Group gap="xs" px="sm" py={6}>
            <Loader size="xs" />
            <Text size="sm">{t('servers.switcher.loading')}</Text>
          </Group>
        )}
        {servers.length === 0 && status === 'error' && (
          <Text size="sm" c="red" px="sm" py={6}>
            {t('servers.switcher.failed', { message: hostMessage(error) })}
          </Text>
        )}
        {servers.map((server) => (
          <ServerItem key={server.id} server={server} current={server.id === currentId} />
        ))}
        <Menu.Divider />
        <Menu.Item leftSection={<ServerIcon />} onClick={() => useViewStore.getState().setPage('servers')}>
          {t('servers.switcher.manage')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function ServerItem({ server, current }: { server: ServerInfo; current: boolean }) {
  const { t } = useTranslation();
  const state = useServerState(server);
  const name = serverName(server, t);
  return (
    <Menu.Item
      onClick={() => openServer(server.id)}
      leftSection={<HealthDot state={state} />}
      rightSection={current ? <CheckIcon /> : undefined}
      aria-current={current ? 'true' : undefined}
      aria-label={`${name}, ${t(`servers.kinds.${server.kind}`)}, ${t(`servers.standing.${state.standing}`)}${
        current ? `, ${t('servers.switcher.current')}` : ''
      }`}
    >
      <Group gap={8} wrap="nowrap" justify="space-between">
        <Text size="sm" fw={current ? 600 : 400} component="span" style={{ minWidth: 0 }}>
          <TruncatedName name={name} maxWidth={170} />
        </Text>
        <KindBadge kind={server.kind} size="xs" />
      </Group>
    </Menu.Item>
  );
}
