import { Alert, Badge, Button, Group, Loader, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PLUGIN_KINDS, type PluginKind } from '../../../shared/plugin-kinds';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { DeleteDialog } from '../components/DeleteDialog';
import { DescribeDrawer } from '../components/DescribeDrawer';
import { RefreshIcon } from '../components/Icons';
import { PrebuiltPanel } from '../components/PrebuiltPanel';
import { usePluginsStore } from '../stores/plugins-store';
import { useViewStore, type ExtensionsTab } from '../stores/view-store';
import { PluginListPanel } from './PluginListPanel';

/** Tab order: portables first, as on NeuronEX's page, then the native kinds and the prebuilt offer. */
const TABS: ExtensionsTab[] = ['portables', 'sources', 'sinks', 'functions', 'prebuilt'];

function find(plugins: readonly PluginOverview[], ref: { kind: PluginKind; name: string } | undefined) {
  return ref && plugins.find((plugin) => plugin.kind === ref.kind && plugin.name === ref.name);
}

/**
 * The Extensions page: one tab per plugin kind with its list, the describe drawer and the delete dialog.
 * The Create dialog (next round) hooks in beside the Refresh button and in the empty states.
 */
export function ExtensionsPage() {
  const { t } = useTranslation();
  const { plugins, udfs, status, error, load, remove } = usePluginsStore();
  const { tab, setTab, describing, describe, deleting, askDelete } = useViewStore();
  const counts = Object.fromEntries(PLUGIN_KINDS.map((kind) => [kind, 0])) as Record<PluginKind, number>;
  for (const plugin of plugins) counts[plugin.kind]++;

  const describedPlugin = find(plugins, describing);
  const deletingPlugin = find(plugins, deleting);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <ConnectionBanner />
      <Group justify="space-between" mb="sm">
        <Title order={2}>{t('extensions.title')}</Title>
        <Button variant="default" leftSection={<RefreshIcon />} onClick={() => void load()}>
          {t('extensions.refresh')}
        </Button>
      </Group>
      {status === 'error' && plugins.length === 0 && (
        <Alert color="red" variant="light" mb="sm">
          {t('extensions.loadFailed', { message: error })}
        </Alert>
      )}
      <Tabs
        value={tab}
        onChange={(value) => value && setTab(value as ExtensionsTab)}
        keepMounted={false}
        style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}
      >
        <Tabs.List aria-label={t('extensions.tablist')} mb="sm">
          {TABS.map((value) => (
            <Tabs.Tab
              key={value}
              value={value}
              rightSection={
                value !== 'prebuilt' && status === 'ready' ? (
                  <Badge size="sm" variant="light" color="gray" circle={counts[value] < 10}>
                    {counts[value]}
                  </Badge>
                ) : undefined
              }
            >
              {t(`extensions.tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {TABS.map((value) => (
          <Tabs.Panel
            key={value}
            value={value}
            style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}
          >
            {value === 'prebuilt' ? (
              <PrebuiltPanel />
            ) : status === 'loading' || status === 'idle' ? (
              <Group gap="xs" p="md">
                <Loader size="sm" />
                {t('extensions.loading')}
              </Group>
            ) : (
              <PluginListPanel
                kind={value}
                plugins={plugins}
                udfs={udfs}
                onDescribe={(plugin) => describe({ kind: plugin.kind, name: plugin.name })}
                onDelete={(plugin) => askDelete({ kind: plugin.kind, name: plugin.name })}
              />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
      <DescribeDrawer
        plugin={describedPlugin}
        onClose={() => describe(undefined)}
        onDelete={(plugin) => askDelete({ kind: plugin.kind, name: plugin.name })}
      />
      <DeleteDialog
        plugin={deletingPlugin}
        onClose={() => askDelete(undefined)}
        onConfirm={async (plugin, stop) => {
          const message = await remove(plugin.kind, plugin.name, stop);
          if (describing?.kind === plugin.kind && describing.name === plugin.name) describe(undefined);
          return message;
        }}
      />
    </div>
  );
}
