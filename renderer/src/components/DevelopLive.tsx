import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DevelopState } from '../../../shared/develop-dto';
import type { PluginDetails } from '../../../shared/plugin-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { folderChooser } from '../api/desktop-bridge';
import { useDevelopFolderStore } from '../stores/develop-folder-store';
import { pluginApi } from '../api/plugin-api';
import { useHostMessage } from '../lib/host-message';
import { metadataSections, type MetadataSection } from '../lib/plugin-metadata';
import { serverName } from '../lib/server-state';
import { useDevelopSession } from '../lib/use-develop-session';
import { noteConnectionError } from '../stores/connection-store';
import { useServersStore } from '../stores/servers-store';
import { DevelopTimeline } from './DevelopTimeline';
import { MetadataView } from './MetadataView';
import { PluginLog } from './PluginLog';
import { TryItPanel } from './TryItPanel';

const STATE_COLORS: Record<DevelopState, string> = {
  building: 'blue',
  running: 'green',
  refused: 'red',
  stopped: 'gray',
};

/** The installed plugin's symbols, read again after every build that changed it; the last answer is kept meanwhile. */
function usePluginDetails(plugin: string | undefined, revision: number): PluginDetails | undefined {
  const [details, setDetails] = useState<PluginDetails | undefined>();
  useEffect(() => {
    setDetails(undefined);
  }, [plugin]);
  useEffect(() => {
    if (plugin === undefined || revision === 0) return;
    let live = true;
    pluginApi.details('portables', plugin, LOCAL_SERVER_ID).then(
      (next) => {
        if (live) setDetails(next);
      },
      (error: unknown) => noteConnectionError(error),
    );
    return () => {
      live = false;
    };
  }, [plugin, revision]);
  return details;
}

/** The plugin's metadata as the describe view shows it, read again when a metadata JSON changed. */
function useMetadata(plugin: string | undefined, revision: number): MetadataSection[] | undefined {
  const [sections, setSections] = useState<MetadataSection[] | undefined>();
  useEffect(() => {
    setSections(undefined);
  }, [plugin]);
  useEffect(() => {
    if (plugin === undefined || revision === 0) return;
    let live = true;
    pluginApi.metadata('portables', plugin).then(
      (raw) => {
        if (live) setSections(raw === undefined ? [] : metadataSections(raw));
      },
      (error: unknown) => noteConnectionError(error),
    );
    return () => {
      live = false;
    };
  }, [plugin, revision]);
  return sections;
}

/**
 * The Develop page's live part: a plugin folder on this computer watched by the host, every save packaged and
 * the plugin updated in place. The build timeline says what each save did; Try it stays open across reloads (it
 * is keyed by the session, not the build), the plugin's log is followed, and the describe view is read again
 * when a metadata JSON changes.
 */
export function DevelopLive() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const currentId = useServersStore((state) => state.currentId);
  const servers = useServersStore((state) => state.servers);
  const select = useServersStore((state) => state.select);
  const view = useDevelopSession();
  const { session, state } = view;
  const { folder, setFolder } = useDevelopFolderStore();
  const [busy, setBusy] = useState<'starting' | 'stopping' | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const choose = folderChooser();
  const active = session !== undefined && state !== 'stopped';
  const plugin = session?.plugin;
  const details = usePluginDetails(plugin, view.pluginRevision);
  const metadata = useMetadata(plugin, view.metadataRevision);

  useEffect(() => {
    if (session !== undefined && folder === '') setFolder(session.folder);
  }, [session, folder]);

  if (currentId !== LOCAL_SERVER_ID) {
    const current = servers.find((server) => server.id === currentId);
    return (
      <Card withBorder>
        <Title order={3}>{t('develop.live.title')}</Title>
        <Alert color="blue" mt="sm" title={t('develop.live.localOnlyTitle')}>
          <Text size="sm">{t('develop.live.localOnly', { server: serverName(current, t) })}</Text>
          <Button mt="sm" size="xs" variant="light" onClick={() => select(LOCAL_SERVER_ID)}>
            {t('develop.live.switchLocal')}
          </Button>
        </Alert>
      </Card>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (active || folder.trim() === '') return;
    setBusy('starting');
    setFailure(undefined);
    try {
      await view.start(folder.trim());
    } catch (error) {
      noteConnectionError(error);
      setFailure((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const stop = async () => {
    setBusy('stopping');
    setFailure(undefined);
    try {
      await view.stop();
    } catch (error) {
      noteConnectionError(error);
      setFailure((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const pickFolder = async () => {
    if (choose === undefined) return;
    const chosen = await choose('plugin');
    if (chosen !== null) setFolder(chosen);
  };

  const running = details !== undefined;
  return (
    <Stack gap="md" data-testid="develop-live">
      <Card withBorder>
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={3}>{t('develop.live.title')}</Title>
            <Text size="sm" c="dimmed" maw={720}>
              {t('develop.live.intro')}
            </Text>
          </div>
          {session !== undefined && state !== undefined && (
            <Badge color={STATE_COLORS[state]} variant="light" size="lg" data-testid="develop-state">
              {t(`develop.live.states.${state}`)}
            </Badge>
          )}
        </Group>
        <form onSubmit={(event) => void submit(event)}>
          <Group align="flex-end" gap="xs" mt="sm" wrap="wrap">
            <TextInput
              label={t('develop.live.folder')}
              description={t('develop.live.folderHint')}
              placeholder={t('develop.live.folderPlaceholder')}
              value={folder}
              onChange={(event) => setFolder(event.currentTarget.value)}
              readOnly={active}
              style={{ flex: 1, minWidth: 260 }}
              spellCheck={false}
              autoComplete="off"
              data-testid="develop-folder"
            />
            {choose !== undefined && !active && (
              <Button variant="default" onClick={() => void pickFolder()}>
                {t('develop.live.choose')}
              </Button>
            )}
            {active ? (
              <Button color="red" variant="light" onClick={() => void stop()} loading={busy === 'stopping'}>
                {t('develop.live.stop')}
              </Button>
            ) : (
              <Button type="submit" loading={busy === 'starting'} disabled={folder.trim() === ''}>
                {t('develop.live.start')}
              </Button>
            )}
          </Group>
        </form>
        {busy === 'starting' && (
          <Text size="sm" c="dimmed" mt="xs" role="status">
            {t('develop.live.starting')}
          </Text>
        )}
        {failure !== undefined && (
          <Alert color="red" mt="sm" title={t('develop.live.failed')} data-testid="develop-failure">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {hostMessage(failure)}
            </Text>
          </Alert>
        )}
        {session !== undefined && (
          <Text size="sm" mt="sm">
            {t('develop.live.session', { plugin: session.plugin })} <Code>{session.folder}</Code>
          </Text>
        )}
        {state === 'stopped' && (
          <Text size="sm" c="dimmed" mt="xs">
            {view.stopReason === 'host-closing' ? t('develop.live.hostClosed') : t('develop.live.stopped')}
          </Text>
        )}
      </Card>

      {session !== undefined && (
        <>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <Card withBorder>
              <Title order={4} mb="xs">
                {t('develop.live.timeline.title')}
              </Title>
              <DevelopTimeline builds={view.builds} building={view.building} />
            </Card>
            <Card withBorder data-testid="develop-try">
              <Title order={4}>{t('develop.live.tryIt')}</Title>
              <Text size="xs" c="dimmed" mb="xs">
                {t('develop.live.tryItNote')}
              </Text>
              {running ? (
                // Keyed by the session: a reload changes the plugin under the panel, never the panel.
                <TryItPanel
                  key={session.id}
                  name={details.name}
                  functions={details.functions}
                  sources={details.sources}
                  sinks={details.sinks}
                />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('develop.live.tryItWaiting')}
                </Text>
              )}
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Tabs defaultValue="log" keepMounted>
              <Tabs.List aria-label={t('develop.live.more')}>
                <Tabs.Tab value="log">{t('develop.live.log')}</Tabs.Tab>
                <Tabs.Tab value="describe">{t('develop.live.describe')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="log" pt="sm">
                {running ? (
                  <PluginLog key={session.plugin} name={session.plugin} />
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('develop.live.tryItWaiting')}
                  </Text>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="describe" pt="sm" data-testid="develop-describe">
                {metadata === undefined ? (
                  <Text size="sm" c="dimmed">
                    {t('develop.live.tryItWaiting')}
                  </Text>
                ) : metadata.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('develop.live.noMetadata')}
                  </Text>
                ) : (
                  <MetadataView sections={metadata} />
                )}
              </Tabs.Panel>
            </Tabs>
          </Card>
        </>
      )}
    </Stack>
  );
}
