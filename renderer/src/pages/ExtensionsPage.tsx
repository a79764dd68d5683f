import { Alert, Badge, Button, Group, Loader, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useEffect, useState, type ReactNode } from 'react';
import { GenerateWithAiButton } from '../components/GenerateWithAiButton';
import { LazyPart } from '../components/LazyPart';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { PLUGIN_KINDS, type PluginKind } from '../../../shared/plugin-kinds';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { RefreshIcon } from '../components/Icons';
import { HealthDot, KindBadge, useServerState } from '../components/ServerBadges';
import { useHostMessage } from '../lib/host-message';
import { lazyNamed, useAfterFirstPaint, useOnceTrue, whenIdle } from '../lib/lazy';
import { serverName } from '../lib/server-state';
import { useSecondsWaiting } from '../lib/use-seconds-waiting';
import { FOCUS_FALLBACK_ATTRIBUTE } from '../lib/use-return-focus';
import { useServerNotes } from '../lib/use-server-notes';
import { useConnectionStore } from '../stores/connection-store';
import { useManageDialogOpen } from '../stores/manage-store';
import { usePluginsStore } from '../stores/plugins-store';
import { useCurrentServer, useServersStore } from '../stores/servers-store';
import {
  useJavascriptNamesStore,
  useServiceNamesStore,
  type RouteListState,
} from '../stores/route-list-store';
import { isPluginTab, useViewStore, type ExtensionsTab, type RouteTab } from '../stores/view-store';
import { CapabilityNote } from '../components/CapabilityNote';
import { PluginListPanel } from './PluginListPanel';

// Not needed for the first paint: loaded when first opened, and fetched in the background once the list shows.
const CreatePluginDialog = lazyNamed(() => import('../components/CreatePluginDialog'), 'CreatePluginDialog');
const DeleteDialog = lazyNamed(() => import('../components/DeleteDialog'), 'DeleteDialog');
const DescribeDrawer = lazyNamed(() => import('../components/DescribeDrawer'), 'DescribeDrawer');
const PrebuiltPanel = lazyNamed(() => import('../components/PrebuiltPanel'), 'PrebuiltPanel');
const ManageDialogs = lazyNamed(() => import('../components/ManageDialogs'), 'ManageDialogs');
const ServicesPanel = lazyNamed(() => import('../components/ServicesPanel'), 'ServicesPanel');
const JavascriptPanel = lazyNamed(() => import('../components/JavascriptPanel'), 'JavascriptPanel');

/**
 * Tab order: NeuronEX's three first (Portable Plugin, External Service, Custom Functions), so its users find them
 * where they know them, then the native kinds and the prebuilt offer.
 */
const TABS: ExtensionsTab[] = [
  'portables',
  'services',
  'javascript',
  'sources',
  'sinks',
  'functions',
  'prebuilt',
];

/** The list store behind each tab that is not a plugin list. */
const ROUTE_LISTS: Record<RouteTab, () => RouteListState> = {
  services: () => useServiceNamesStore.getState(),
  javascript: () => useJavascriptNamesStore.getState(),
};

function find(plugins: readonly PluginOverview[], ref: { kind: PluginKind; name: string } | undefined) {
  return ref && plugins.find((plugin) => plugin.kind === ref.kind && plugin.name === ref.name);
}

/**
 * The Extensions page: one tab per plugin kind with its list, the describe drawer and the delete dialog.
 * The Create dialog opens from the toolbar, the empty states, and from a zip dropped anywhere on the window.
 */
export function ExtensionsPage() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
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
  const server = useCurrentServer();
  const serverStanding = useServerState(server).standing;
  const notes = useServerNotes();
  // Host away or token refused, or the server it shows unreachable or refusing the app's credentials, before
  // anything loaded: the banner explains; the lists wait instead of claiming there are no plugins.
  const hostAway = useConnectionStore((state) => state.status !== 'online');
  const waitingForHost = hostAway && plugins.length === 0;
  const waitingForServer =
    !hostAway && (serverStanding === 'down' || serverStanding === 'auth') && plugins.length === 0;
  const counts = Object.fromEntries(PLUGIN_KINDS.map((kind) => [kind, 0])) as Record<PluginKind, number>;
  for (const plugin of plugins) counts[plugin.kind]++;
  const services = useServiceNamesStore(useShallow(({ names, status }) => ({ count: names.length, status })));
  const javascript = useJavascriptNamesStore(
    useShallow(({ names, status }) => ({ count: names.length, status })),
  );
  const routeLists = { services, javascript };
  /** The number in a tab's badge; undefined while it is not known (or the tab lists no such thing). */
  const countOf = (value: ExtensionsTab): number | undefined => {
    if (value === 'prebuilt') return undefined;
    if (isPluginTab(value)) return status === 'ready' ? counts[value] : undefined;
    return routeLists[value].status === 'ready' ? routeLists[value].count : undefined;
  };
  const askCreateIn = useViewStore((state) => state.askCreateIn);
  const servicesError = useServiceNamesStore((state) => state.error);
  const javascriptError = useJavascriptNamesStore((state) => state.error);

  const describedPlugin = find(plugins, describing);
  const deletingPlugin = find(plugins, deleting);
  const [creating, setCreating] = useState<{ kind: PluginKind; file?: File } | undefined>();
  // The Create dialog and the prebuilt offer belong to the server they were opened for: another server closes
  // the dialog and starts them afresh (keyed by server); an install already running carries on there and reports
  // when done.
  const currentId = useServersStore((state) => state.currentId);
  useEffect(() => setCreating(undefined), [currentId]);
  const createKind: PluginKind = isPluginTab(tab) ? tab : 'portables';
  // On the services and custom-functions tabs the Create button is theirs; it says why when the server lacks them.
  const routeMissing =
    tab === 'services' ? notes.services : tab === 'javascript' ? notes.javascript : undefined;
  const createBlocked = notes.readOnly ?? routeMissing;
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
      <Group justify="space-between" mb="sm" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" align="baseline" style={{ minWidth: 0 }}>
          <Title order={2} style={{ whiteSpace: 'nowrap' }}>
            {t('extensions.title')}
          </Title>
          <ServerLabel />
        </Group>
        <Group gap="xs" wrap="nowrap">
          {tab === 'javascript' && createBlocked === undefined && <GenerateWithAiButton form="javascript" />}
          {tab !== 'prebuilt' && (
            <Tooltip label={createBlocked} disabled={createBlocked === undefined} multiline w={280}>
              <Button
                onClick={() => (isPluginTab(tab) ? setCreating({ kind: tab }) : askCreateIn(tab))}
                disabled={createBlocked !== undefined}
                aria-description={createBlocked}
                data-testid="extensions-create"
              >
                {t(`extensions.create.${tab}`)}
              </Button>
            </Tooltip>
          )}
          <Button
            variant="default"
            leftSection={<RefreshIcon />}
            onClick={() => {
              void load();
              if (!isPluginTab(tab) && tab !== 'prebuilt') void ROUTE_LISTS[tab]().load();
            }}
          >
            {t('extensions.refresh')}
          </Button>
        </Group>
      </Group>
      {status === 'error' && plugins.length === 0 && !waitingForHost && !waitingForServer && (
        <Alert color="red" variant="light" mb="sm">
          {t('extensions.loadFailed', { message: hostMessage(error) })}
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
              rightSection={<CountBadge count={countOf(value)} />}
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
                <PrebuiltPanel key={currentId} />
              </LazyPart>
            ) : waitingForServer ? (
              <Text c="dimmed" size="sm" p="md" data-testid="waiting-for-server">
                {t('servers.waiting', { name: serverName(server, t) })}
              </Text>
            ) : !isPluginTab(value) ? (
              <RouteTabBody
                status={routeLists[value].status}
                missing={value === 'services' ? notes.services : notes.javascript}
                waitingForHost={waitingForHost}
                error={value === 'services' ? servicesError : javascriptError}
              >
                {value === 'services' ? (
                  <ServicesPanel key={currentId} />
                ) : (
                  <JavascriptPanel key={currentId} />
                )}
              </RouteTabBody>
            ) : status === 'loading' || status === 'idle' || waitingForHost ? (
              <LoadingLine />
            ) : (
              <PluginListPanel
                kind={value}
                plugins={plugins}
                udfs={udfs}
                onDescribe={(plugin) => describe({ kind: plugin.kind, name: plugin.name })}
                onDelete={(plugin) => askDelete({ kind: plugin.kind, name: plugin.name })}
                onCreate={notes.readOnly === undefined ? () => setCreating({ kind: value }) : undefined}
                writeBlocked={notes.readOnly}
              />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
      {createMounted && (
        <LazyPart fallback={null} floating>
          <CreatePluginDialog
            key={currentId}
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
          active={
            creating === undefined &&
            deleting === undefined &&
            !managing &&
            notes.readOnly === undefined &&
            (isPluginTab(tab) || tab === 'prebuilt')
          }
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

/** A tab's count once known: a round badge for one digit, a pill beyond. */
function CountBadge({ count }: { count: number | undefined }) {
  if (count === undefined) return null;
  return (
    <Badge size="sm" variant="light" color="gray" circle={count < 10}>
      {count}
    </Badge>
  );
}

/** After this long without an answer, the loading line says which server the window is waiting for. */
const SLOW_ANSWER_S = 3;

/**
 * The loading line; on another server, a wait beyond a few seconds names the server, how long it has been and
 * how long the app will wait (its timeout), so a slow server is not taken for a frozen window.
 */
function LoadingLine() {
  const { t } = useTranslation();
  const server = useCurrentServer();
  const seconds = useSecondsWaiting();
  const slow = server !== undefined && server.id !== LOCAL_SERVER_ID && seconds >= SLOW_ANSWER_S;
  return (
    <Stack gap={4} p="md">
      <Group gap="xs">
        <Loader size="sm" />
        {t('extensions.loading')}
      </Group>
      {slow && (
        <Text size="sm" c="dimmed" data-testid="slow-server" aria-live="polite">
          {t('servers.slow', {
            name: serverName(server, t),
            seconds,
            timeout: Math.round(server.timeoutMs / 1000),
          })}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The body of the services or custom-functions tab: the one sentence why when the server lacks the route (the
 * tab stays, so users learn where the feature is), the loading line, a failed list, or the tab's panel.
 */
function RouteTabBody({
  status,
  missing,
  waitingForHost,
  error,
  children,
}: {
  status: RouteListState['status'];
  missing: string | undefined;
  waitingForHost: boolean;
  error: string | undefined;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  if (missing !== undefined) {
    return (
      <div data-testid="route-missing">
        <CapabilityNote>{missing}</CapabilityNote>
      </div>
    );
  }
  if (status === 'idle' || status === 'loading' || waitingForHost) return <LoadingLine />;
  if (status === 'error' || status === 'missing') {
    return (
      <Alert color="red" variant="light">
        {t('extensions.loadFailed', { message: hostMessage(error) })}
      </Alert>
    );
  }
  return (
    <LazyPart fallback={<Loader size="sm" m="md" />}>
      <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>{children}</div>
    </LazyPart>
  );
}

/** Which server the page shows: its health dot, name (cut if long) and kind, beside the title. */
function ServerLabel() {
  const { t } = useTranslation();
  const server = useCurrentServer();
  const state = useServerState(server);
  if (server === undefined) return null;
  const name = serverName(server, t);
  return (
    <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }} data-testid="extensions-server">
      <HealthDot state={state} />
      <Tooltip label={name} openDelay={400}>
        <Text c="dimmed" size="sm" truncate="end" style={{ minWidth: 0 }}>
          {t('servers.extensionsOn', { name })}
        </Text>
      </Tooltip>
      <KindBadge kind={server.kind} size="xs" />
    </Group>
  );
}
