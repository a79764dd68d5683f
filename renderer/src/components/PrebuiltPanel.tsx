import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NATIVE_KINDS, type NativeKind } from '../../../shared/plugin-kinds';
import { usePluginsStore } from '../stores/plugins-store';

/**
 * The prebuilt plugins the configured plugin hosts offer, per native kind, with whether each is installed.
 * Read-only this round: the Install button (with progress) plugs in where the status badge is.
 */
export function PrebuiltPanel() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg" style={{ overflowY: 'auto', minHeight: 0 }}>
      <Text size="sm" c="dimmed">
        {t('prebuilt.intro')}
      </Text>
      {NATIVE_KINDS.map((kind) => (
        <PrebuiltKind key={kind} kind={kind} />
      ))}
    </Stack>
  );
}

function PrebuiltKind({ kind }: { kind: NativeKind }) {
  const { t } = useTranslation();
  const state = usePluginsStore((store) => store.prebuilt[kind]);
  const loadPrebuilt = usePluginsStore((store) => store.loadPrebuilt);
  const plugins = usePluginsStore((store) => store.plugins);
  useEffect(() => {
    if (state === undefined) void loadPrebuilt(kind);
  }, [state, kind, loadPrebuilt]);
  const installed = new Set(plugins.filter((plugin) => plugin.kind === kind).map((plugin) => plugin.name));
  const entries = Object.entries(state?.list ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const kindLabel = t(`extensions.tabs.${kind}`);
  return (
    <section aria-label={kindLabel}>
      <Title order={4} mb="xs">
        {kindLabel}
      </Title>
      {state === undefined || state.status === 'loading' ? (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('prebuilt.loading')}</Text>
        </Group>
      ) : state.status === 'error' ? (
        <Alert color="orange" variant="light">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{t('prebuilt.failed', { message: state.error })}</Text>
            <Button size="xs" variant="default" onClick={() => void loadPrebuilt(kind)}>
              {t('prebuilt.retry')}
            </Button>
          </Group>
        </Alert>
      ) : entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('prebuilt.none', { kind: kindLabel })}
        </Text>
      ) : (
        <Table striped highlightOnHover layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={200}>{t('prebuilt.name')}</Table.Th>
              <Table.Th>{t('prebuilt.url')}</Table.Th>
              <Table.Th w={160}>{t('prebuilt.installed')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map(([name, url]) => (
              <Table.Tr key={name}>
                <Table.Td fw={600}>{name}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>
                  <Anchor href={url} size="sm" target="_blank" rel="noreferrer noopener">
                    {url}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={installed.has(name) ? 'green' : 'gray'}>
                    {installed.has(name) ? t('prebuilt.yes') : t('prebuilt.no')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}
