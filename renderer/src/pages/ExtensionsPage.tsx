import { Alert, Badge, Button, Group, Loader, Tabs, Text, Title } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useEffect, useState } from 'react';
import { LazyPart } from '../components/LazyPart';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { PLUGIN_KINDS, type PluginKind } from '../../../shared/plugin-kinds';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { RefreshIcon } from '../components/Icons';
import { lazyNamed, useAfterFirstPaint, useOnceTrue, whenIdle } from '../lib/lazy';
import { FOCUS_FALLBACK_ATTRIBUTE } from '../lib/use-return-focus';
import { useConnectionStore } from '../stores/connection-store';
import { useManageDialogOpen } from '../stores/manage-store';
import { usePluginsStore } from '../stores/plugins-store';
import { useViewStore, type ExtensionsTab } from '../stores/view-store';
import { PluginListPanel } from './PluginListPanel';

// Not needed for the first paint: loaded when first opened, and fetched in the background once the list shows.
const CreatePluginDialog = lazyNamed(() => import('../components/CreatePluginDialog'), 'CreatePluginDialog');
const DeleteDialog = lazyNamed(() => import('../components/DeleteDialog'), 'DeleteDialog');
const DescribeDrawer = lazyNamed(() => import('../components/DescribeDrawer'), 'DescribeDrawer');
const PrebuiltPanel = lazyNamed(() => import('../components/PrebuiltPanel'), 'PrebuiltPanel');
const ManageDialogs = lazyNamed(() => import('../components/ManageDialogs'), 'ManageDialogs');

/** Tab order: portables first, as on NeuronEX's page, then the native kinds and the prebuilt offer. */
const TABS: ExtensionsTab[] = ['portables', 'sources', 'sinks', 'functions', 'prebuilt'];

function find(plugins: readonly PluginOverview[], ref: { kind: PluginKind; name: string } | undefined) {
  return ref && plugins.find((plugin) => plugin.kind === ref.kind && plugin.name === ref.name);
}

/**
 * The Extensions page: one tab per plugin kind with its list, the describe drawer and the delete dialog.
 * The Create dialog opens from the toolbar, the empty states, and from a zip dropped anywhere on the window.
 */
export function ExtensionsPage() {
  const { t } = useTranslation();
  const { plugins, udfs, status, error, load, remove } = usePluginsStore();
  // Only what this page shows: the filters live in the same store, and a keystroke must not re-render the page.
  const { tab, setTab, describing, describe, deleting, askDelete } = useViewStore(
    useShallow(({ tab, setTab, describing, describe, deleting, askDelete }) => ({
      tab,
      setTab,
      describing,
      describe,
      deleting,
      askDelete,
    })),
  );
  // Host away or token refused before anything loaded: the banner explains; the lists wait instead of
  // claiming there are no plugins.
  const waitingForHost = useConnectionStore((state) => state.status !== 'online') && plugins.length === 0;
  const counts = Object.fromEntries(PLUGIN_KINDS.map((kind) => [kind, 0])) as Record<PluginKind, number>;
  for (const plugin of plugins) counts[plugin.kind]++;

  const describedPlugin = find(plugins, describing);
  const deletingPlugin = find(plugins, deleting);
  const [creating, setCreating] = useState<{ kind: PluginKind; file?: File } | undefined>();
  const createKind: PluginKind = tab === 'prebuilt' ? 'portables' : tab;
  const managing = useManageDialogOpen();
  // Mounted from their first opening on, so later openings and closings keep their transitions.
  const createMounted = useOnceTrue(creating !== undefined);
  const describeMounted = useOnceTrue(describing !== undefined);
  const deleteMounted = useOnceTrue(deleting !== undefined);
  const manageMounted = useOnceTrue(managing);
  // The window-wide drop target shows nothing until a zip is dragged in: it need not hold up the first paint.
  const dropTargetMounted = useAfterFirstPaint();
  useEffect(() => {
    if (status !== 'ready') return;
    return whenIdle(() => {
      for (const component of [
        CreatePluginDialog,
        DescribeDrawer,
        DeleteDialog,
        PrebuiltPanel,
        ManageDialogs,
      ]) {
        // A failed prefetch is not an error: opening the part asks again and explains if it still fails.
        component.preload().catch(() => undefined);
      }
    });
  }, [status]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      <Group justify="space-between" mb="sm">
        <Title order={2}>{t('extensions.title')}</Title>
        <Group gap="xs">
          {tab !== 'prebuilt' && (
            <Button onClick={() => setCreating({ kind: createKind })}>
              {t(`extensions.create.${createKind}`)}
            </Button>
          )}
          <Button variant="default" leftSection={<RefreshIcon />} onClick={() => void load()}>
            {t('extensions.refresh')}
          </Button>
        </Group>
      </Group>
      {status === 'error' && plugins.length === 0 && !waitingForHost && (
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
              // Where focus goes when a dialog closes and the control that opened it has gone (a deleted row).
              {...{ [FOCUS_FALLBACK_ATTRIBUTE]: value === tab ? '' : undefined }}
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
              <LazyPart fallback={<Loader size="sm" m="md" />}>
                <PrebuiltPanel />
              </LazyPart>
            ) : status === 'loading' || status === 'idle' || waitingForHost ? (
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
                onCreate={() => setCreating({ kind: value })}
              />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
      {createMounted && (
        <LazyPart fallback={null} floating>
          <CreatePluginDialog
            kind={creating?.kind ?? createKind}
            opened={creating !== undefined}
            initialFile={creating?.file}
            onClose={() => setCreating(undefined)}
            onCreated={() => void load()}
            onSwitchKind={(kind, file) => {
              setTab(kind);
              setCreating({ kind, file });
            }}
          />
        </LazyPart>
      )}
      {dropTargetMounted && (
        <Dropzone.FullScreen
          active={creating === undefined && deleting === undefined && !managing}
          accept={{ 'application/zip': ['.zip'], 'application/x-zip-compressed': ['.zip'] }}
          multiple={false}
          onDrop={(files) => {
            const file = files[0];
            if (file) setCreating({ kind: createKind, file });
          }}
        >
          <Group justify="center" align="center" mih={200} style={{ pointerEvents: 'none' }}>
            <Text size="xl" fw={600}>
              {t('create.openForDrop')}
            </Text>
          </Group>
        </Dropzone.FullScreen>
      )}
      {describeMounted && (
        <LazyPart fallback={null} floating>
          <DescribeDrawer
            plugin={describedPlugin}
            onClose={() => describe(undefined)}
            onDelete={(plugin) => askDelete({ kind: plugin.kind, name: plugin.name })}
          />
        </LazyPart>
      )}
      {deleteMounted && (
        <LazyPart fallback={null} floating>
          <DeleteDialog
            plugin={deletingPlugin}
            onClose={() => askDelete(undefined)}
            onConfirm={async (plugin, stop) => {
              const message = await remove(plugin.kind, plugin.name, stop);
              if (describing?.kind === plugin.kind && describing.name === plugin.name) describe(undefined);
              return message;
            }}
          />
        </LazyPart>
      )}
      {manageMounted && (
        <LazyPart fallback={null} floating>
          <ManageDialogs />
        </LazyPart>
      )}
    </div>
  );
}
