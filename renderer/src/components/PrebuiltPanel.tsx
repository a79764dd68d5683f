import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  Progress,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { NATIVE_KINDS, type NativeKind } from '../../../shared/plugin-kinds';
import { formatBytes } from '../lib/format';
import { useDialog } from '../lib/use-dialog';
import { useServerNotes } from '../lib/use-server-notes';
import { prebuiltKey, usePluginsStore, type PrebuiltInstall } from '../stores/plugins-store';
import { CapabilityNote } from './CapabilityNote';
import { DialogFooter } from './DialogParts';
import { UpdateConsequences } from './UpdateConsequences';

/**
 * The prebuilt plugins the configured plugin hosts offer, per native kind: whether each is installed, and
 * Install (or Reinstall) with the host's download and install progress, then a notification.
 */
export function PrebuiltPanel() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const [reinstalling, setReinstalling] = useState<
    { plugin: PluginOverview; kind: NativeKind; url: string } | undefined
  >();
  const installPrebuilt = usePluginsStore((store) => store.installPrebuilt);
  useDialog(reinstalling !== undefined);
  const notes = useServerNotes();

  const install = async (kind: NativeKind, name: string, url: string, reinstall: boolean) => {
    const result = await installPrebuilt(kind, name, url, reinstall);
    const ok = result.status === 'done';
    notifications.show({
      color: ok ? 'green' : 'red',
      title: t(
        ok
          ? reinstall
            ? 'manage.prebuilt.reinstalled'
            : 'manage.prebuilt.installed'
          : 'manage.prebuilt.failed',
        {
          name,
        },
      ),
      message: hostMessage(result.message ?? ''),
      // A reinstalled native plugin needs a restart: keep that until it is read (a failure stays in its row).
      ...(reinstall && ok ? { autoClose: false } : {}),
    });
  };

  return (
    <Stack gap="lg" style={{ overflowY: 'auto', minHeight: 0 }} data-testid="prebuilt-panel">
      <Text size="sm" c="dimmed">
        {t('manage.prebuilt.intro')}
      </Text>
      {notes.prebuilt !== undefined ? (
        <CapabilityNote>{notes.prebuilt}</CapabilityNote>
      ) : (
        <>
          {notes.readOnly !== undefined && <CapabilityNote>{notes.readOnly}</CapabilityNote>}
          {NATIVE_KINDS.map((kind) => (
            <PrebuiltKind
              key={kind}
              kind={kind}
              blocked={notes.readOnly !== undefined}
              onInstall={(name, url) => void install(kind, name, url, false)}
              onReinstall={(plugin, url) => setReinstalling({ plugin, kind, url })}
            />
          ))}
        </>
      )}
      <Modal
        opened={reinstalling !== undefined}
        onClose={() => setReinstalling(undefined)}
        title={reinstalling ? t('manage.prebuilt.reinstallTitle', { name: reinstalling.plugin.name }) : ''}
        size="lg"
        centered
        closeButtonProps={{ 'aria-label': t('dialog.close') }}
        returnFocus={false}
      >
        {reinstalling && (
          <Stack gap="md">
            <UpdateConsequences plugin={reinstalling.plugin} />
            <Text size="sm">
              {t('manage.prebuilt.reinstallFrom')}{' '}
              <Code style={{ wordBreak: 'break-all' }}>{reinstalling.url}</Code>
            </Text>
            <DialogFooter>
              <Button variant="default" onClick={() => setReinstalling(undefined)} data-autofocus>
                {t('create.cancel')}
              </Button>
              <Button
                onClick={() => {
                  const { kind, plugin, url } = reinstalling;
                  setReinstalling(undefined);
                  void install(kind, plugin.name, url, true);
                }}
              >
                {t('manage.prebuilt.reinstall')}
              </Button>
            </DialogFooter>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

interface PrebuiltKindProps {
  kind: NativeKind;
  /** Installing is refused on this server (read-only): the buttons are disabled, the panel says why. */
  blocked: boolean;
  onInstall: (name: string, url: string) => void;
  onReinstall: (plugin: PluginOverview, url: string) => void;
}

function PrebuiltKind({ kind, blocked, onInstall, onReinstall }: PrebuiltKindProps) {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const state = usePluginsStore((store) => store.prebuilt[kind]);
  const loadPrebuilt = usePluginsStore((store) => store.loadPrebuilt);
  const plugins = usePluginsStore((store) => store.plugins);
  const installs = usePluginsStore((store) => store.installs);
  useEffect(() => {
    if (state === undefined) void loadPrebuilt(kind);
  }, [state, kind, loadPrebuilt]);
  const installed = new Map(
    plugins.filter((plugin) => plugin.kind === kind).map((plugin) => [plugin.name, plugin]),
  );
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
            <Text size="sm">{t('prebuilt.failed', { message: hostMessage(state.error) })}</Text>
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
              <Table.Th w={160}>{t('prebuilt.name')}</Table.Th>
              <Table.Th>{t('prebuilt.url')}</Table.Th>
              <Table.Th w={250}>{t('prebuilt.installed')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map(([name, url]) => {
              const plugin = installed.get(name);
              const progress = installs[prebuiltKey(kind, name)];
              const details = progress && progress.status !== 'done' ? progress : undefined;
              return [
                <Table.Tr key={name} aria-label={name}>
                  <Table.Td fw={600}>
                    <Text inherit truncate title={name}>
                      {name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {/* One line, cut short in a narrow window; the whole address is its title. */}
                    <Anchor
                      href={url}
                      size="sm"
                      target="_blank"
                      rel="noreferrer noopener"
                      title={url}
                      display="block"
                      truncate
                    >
                      {url}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {progress?.status === 'running' ? (
                      <InstallProgress progress={progress} />
                    ) : (
                      <Group gap="xs" wrap="nowrap" justify="space-between">
                        <Badge
                          variant="light"
                          color={plugin ? 'green' : progress?.status === 'failed' ? 'red' : 'gray'}
                        >
                          {plugin
                            ? t('prebuilt.yes')
                            : progress?.status === 'failed'
                              ? t('manage.prebuilt.failedBadge')
                              : t('prebuilt.no')}
                        </Badge>
                        {plugin ? (
                          <Button
                            size="xs"
                            variant="default"
                            disabled={blocked}
                            onClick={() => onReinstall(plugin, url)}
                            aria-label={t('manage.prebuilt.reinstallName', { name })}
                          >
                            {t('manage.prebuilt.reinstall')}
                          </Button>
                        ) : (
                          <Button
                            size="xs"
                            disabled={blocked}
                            onClick={() => onInstall(name, url)}
                            aria-label={t('manage.prebuilt.installName', { name })}
                          >
                            {progress?.status === 'failed'
                              ? t('prebuilt.retry')
                              : t('manage.prebuilt.install')}
                          </Button>
                        )}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>,
                details && (details.output !== '' || details.status === 'failed') && (
                  <Table.Tr key={`${name}-details`}>
                    <Table.Td colSpan={3}>
                      <Stack gap={6}>
                        {details.status === 'failed' && (
                          <Alert
                            color="red"
                            variant="light"
                            role="alert"
                            title={t('manage.prebuilt.failed', { name })}
                          >
                            <Text size="sm" style={{ wordBreak: 'break-word' }}>
                              {hostMessage(details.message)}
                            </Text>
                          </Alert>
                        )}
                        {details.output !== '' && (
                          <ScrollArea.Autosize mah={140}>
                            <Code block aria-label={t('create.installOutput')}>
                              {details.output}
                            </Code>
                          </ScrollArea.Autosize>
                        )}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ),
              ];
            })}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}

/** The phase of a running prebuilt install, with the download's bytes while it downloads. */
function InstallProgress({ progress }: { progress: PrebuiltInstall }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const downloading = progress.phase === 'download' || progress.phase === undefined;
  const { bytes, totalBytes } = progress;
  const percent =
    downloading && bytes !== undefined && totalBytes !== undefined && totalBytes > 0
      ? Math.min(100, (bytes / totalBytes) * 100)
      : undefined;
  let label: string;
  if (progress.phase === undefined) label = t('manage.prebuilt.starting');
  else if (progress.phase === 'download')
    label =
      bytes === undefined
        ? t('manage.prebuilt.downloading')
        : totalBytes === undefined
          ? t('manage.prebuilt.downloaded', { bytes: formatBytes(bytes, locale) })
          : t('manage.prebuilt.downloadedOf', {
              bytes: formatBytes(bytes, locale),
              total: formatBytes(totalBytes, locale),
            });
  else label = t(`create.phases.${progress.phase}`);
  return (
    <Stack gap={4} data-testid="prebuilt-progress">
      <Text size="sm" aria-live="polite" truncate>
        {label}
      </Text>
      <Progress
        value={percent ?? 100}
        animated
        striped={percent === undefined}
        aria-label={t('create.installProgress')}
      />
    </Stack>
  );
}
