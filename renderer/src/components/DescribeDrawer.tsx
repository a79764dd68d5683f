import {
  Alert,
  Button,
  Code,
  Divider,
  Drawer,
  Group,
  Loader,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { LazyPart } from './LazyPart';
import { lazyNamed } from '../lib/lazy';
import { useTranslation } from 'react-i18next';
import { useHostMessage } from '../lib/host-message';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi } from '../api/plugin-api';
import { formatBytes, formatDateTime } from '../lib/format';
import { metadataSections, type MetadataSection } from '../lib/plugin-metadata';
import { usePluginDetails } from '../lib/use-plugin-details';
import { useDialog } from '../lib/use-dialog';
import { useServerNotes } from '../lib/use-server-notes';
import { noteConnectionError } from '../stores/connection-store';
import { useManageStore } from '../stores/manage-store';
import { CapabilityNote } from './CapabilityNote';
import { Fact, FactList } from './FactList';
import { MetadataView } from './MetadataView';

// A portable plugin's process, log and try-it panel load on demand: most drawers never need them.
const RuntimePanel = lazyNamed(() => import('./RuntimePanel'), 'RuntimePanel');
const PortableRuntimeSections = lazyNamed(
  () => import('./PortableRuntimeSections'),
  'PortableRuntimeSections',
);

interface Details {
  /** `kind/name` the answers belong to: another plugin's are never shown. */
  plugin: string;
  describe: unknown;
  metadata: MetadataSection[] | undefined;
  metadataError: string | undefined;
  error: string | undefined;
}

export interface DescribeDrawerProps {
  /** The plugin to describe, from the loaded list; `undefined` closes the drawer. */
  plugin: PluginOverview | undefined;
  onClose: () => void;
  onDelete: (plugin: PluginOverview) => void;
}

/**
 * Everything the host knows about one plugin: the list row at once, then what the list leaves out (file,
 * sha256, install parameters, install.sh's output), eKuiper's describe answer, the portable runtime status,
 * and the plugin's metadata rendered as documentation in the user's language.
 */
export function DescribeDrawer({ plugin, onClose, onDelete }: DescribeDrawerProps) {
  const { t, i18n } = useTranslation();
  const hostMessage = useHostMessage();
  const locale = i18n.language;
  const [loaded, setLoaded] = useState<Details | undefined>();
  const kind = plugin?.kind;
  const name = plugin?.name;
  const askUpdate = useManageStore((state) => state.askUpdate);
  const askRegister = useManageStore((state) => state.askRegister);
  const notes = useServerNotes();
  const full = usePluginDetails(plugin, notes.details === undefined);
  const metadataAvailable = notes.metadata === undefined;
  useDialog(plugin !== undefined);
  // The row's content: an update or a new function list changes eKuiper's answer, so it is asked for again
  // (the previous answer stays on screen meanwhile, so nothing jumps).
  const rowContent = plugin === undefined ? undefined : JSON.stringify(plugin);
  const details = loaded !== undefined && loaded.plugin === `${kind}/${name}` ? loaded : undefined;

  useEffect(() => {
    if (kind === undefined || name === undefined) return;
    const id = `${kind}/${name}`;
    let live = true;
    const settle = <T,>(promise: Promise<T>) =>
      promise.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => {
          noteConnectionError(error);
          return { ok: false as const, error: (error as Error).message };
        },
      );
    const metadata = metadataAvailable ? pluginApi.metadata(kind, name) : Promise.resolve(undefined);
    void Promise.all([settle(pluginApi.describe(kind, name)), settle(metadata)]).then(
      ([describe, metadata]) => {
        if (!live) return;
        setLoaded({
          plugin: id,
          describe: describe.ok ? describe.value : undefined,
          error: describe.ok ? undefined : describe.error,
          metadata: metadata.ok ? metadataSections(metadata.value) : undefined,
          metadataError: metadata.ok ? undefined : metadata.error,
        });
      },
    );
    return () => {
      live = false;
    };
  }, [kind, name, metadataAvailable, rowContent]);

  const record = plugin?.record ?? null;
  const fullRecord = full.details?.record ?? null;
  const none = (
    <Text span c="dimmed">
      {t('describe.none')}
    </Text>
  );
  /** A field only the details answer has: a quiet placeholder while it loads, a dimmed note if it failed. */
  const detail = (value: (details: NonNullable<typeof full.details>) => ReactNode, width = '60%') =>
    full.details !== undefined ? (
      value(full.details)
    ) : full.loading ? (
      <Skeleton height={14} width={width} radius="sm" mt={3} data-testid="details-placeholder" />
    ) : (
      <Text span c="dimmed">
        {t('details.unavailable')}
      </Text>
    );
  const installLogBytes = record?.installLogBytes ?? 0;
  const list = (items: string[] | undefined) => (items && items.length > 0 ? items.join(', ') : none);

  return (
    <Drawer
      opened={plugin !== undefined}
      onClose={onClose}
      position="right"
      size="lg"
      title={
        plugin && (
          <Title order={3} component="span">
            {t('describe.title', { name: plugin.name, kind: t(`describe.kinds.${plugin.kind}`) })}
          </Title>
        )
      }
      closeButtonProps={{ 'aria-label': t('describe.close') }}
      scrollAreaComponent={ScrollArea.Autosize}
      returnFocus={false}
    >
      {plugin && (
        <Stack gap="md">
          <Group gap="xs" aria-label={t('manage.actions.label')} role="group">
            {plugin.kind === 'functions' && (
              <Button
                variant="default"
                onClick={() => askRegister(plugin)}
                disabled={notes.readOnly !== undefined}
              >
                {t('manage.register.open')}
              </Button>
            )}
            <Button
              variant="default"
              onClick={() => askUpdate(plugin)}
              disabled={notes.readOnly !== undefined}
            >
              {t('manage.update.open')}
            </Button>
            <Button
              variant="light"
              color="red"
              onClick={() => onDelete(plugin)}
              disabled={notes.readOnly !== undefined}
            >
              {t('describe.delete')}
            </Button>
          </Group>
          {notes.readOnly !== undefined && <CapabilityNote>{notes.readOnly}</CapabilityNote>}
          <section aria-label={t('describe.overview')} aria-busy={full.loading}>
            <FactList>
              <Fact label={t('describe.fields.version')}>{plugin.version || none}</Fact>
              {plugin.language && <Fact label={t('describe.fields.language')}>{plugin.language}</Fact>}
              {plugin.kind === 'portables' && (
                <>
                  <Fact label={t('describe.fields.sources')}>{list(plugin.sources)}</Fact>
                  <Fact label={t('describe.fields.sinks')}>{list(plugin.sinks)}</Fact>
                  <Fact label={t('describe.fields.functions')}>{list(plugin.functions)}</Fact>
                </>
              )}
              {plugin.kind === 'functions' && (
                <Fact label={t('describe.fields.registered')}>{list(plugin.functions)}</Fact>
              )}
              {notes.details === undefined && (
                <Fact label={t('describe.fields.file')}>
                  {detail((details) => (
                    <Code style={{ wordBreak: 'break-all' }}>{details.file}</Code>
                  ))}
                </Fact>
              )}
              {record && (
                <>
                  <Fact label={t('describe.fields.installedAt')}>
                    {formatDateTime(record.installedAt, locale)}
                  </Fact>
                  <Fact label={t('describe.fields.source')}>
                    {record.source ? <Code style={{ wordBreak: 'break-all' }}>{record.source}</Code> : none}
                  </Fact>
                  <Fact label={t('describe.fields.zipBytes')}>{formatBytes(record.zipBytes, locale)}</Fact>
                  <Fact label={t('describe.fields.installedBytes')}>
                    {formatBytes(record.installedBytes, locale)}
                  </Fact>
                  <Fact label={t('describe.fields.zipSha256')}>
                    {detail(
                      () => (
                        <Code style={{ wordBreak: 'break-all' }}>{fullRecord?.zipSha256 || '—'}</Code>
                      ),
                      '90%',
                    )}
                  </Fact>
                  <Fact label={t('describe.fields.shellParas')}>
                    {detail(
                      () =>
                        fullRecord && fullRecord.shellParas.length > 0 ? (
                          <Code>{fullRecord.shellParas.join(' ')}</Code>
                        ) : (
                          none
                        ),
                      '30%',
                    )}
                  </Fact>
                </>
              )}
            </FactList>
            {notes.details !== undefined ? (
              <Text size="sm" c="dimmed" mt="xs">
                {notes.details}
              </Text>
            ) : (
              !record && (
                <Text size="sm" c="dimmed" mt="xs">
                  {t('describe.noRecord')}
                </Text>
              )
            )}
            {full.error !== undefined && (
              <Alert color="red" variant="light" mt="sm" role="alert">
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{t('details.failed', { message: hostMessage(full.error) })}</Text>
                  <Button size="xs" variant="default" onClick={full.retry}>
                    {t('details.retry')}
                  </Button>
                </Stack>
              </Alert>
            )}
            {plugin.kind === 'portables' && notes.runtime === undefined && (
              <section aria-label={t('tryIt.runtime.title')}>
                <Title order={5} mt="md" mb="xs">
                  {t('tryIt.runtime.title')}
                </Title>
                <LazyPart fallback={<Loader size="xs" />}>
                  <RuntimePanel key={plugin.name} name={plugin.name} />
                </LazyPart>
              </section>
            )}
          </section>

          {plugin.kind === 'portables' && notes.runtime !== undefined && (
            <CapabilityNote>{notes.runtime}</CapabilityNote>
          )}
          {plugin.kind === 'portables' && notes.runtime === undefined && (
            <LazyPart fallback={<Loader size="xs" />}>
              <PortableRuntimeSections
                key={plugin.name}
                name={plugin.name}
                functions={plugin.functions}
                sources={plugin.sources}
                sinks={plugin.sinks}
              />
            </LazyPart>
          )}

          <Divider />
          <section aria-label={t('describe.metadata')}>
            <Title order={4} mb="xs">
              {t('describe.metadata')}
            </Title>
            {!metadataAvailable ? (
              <Text size="sm" c="dimmed">
                {notes.metadata}
              </Text>
            ) : details === undefined ? (
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm">{t('describe.metadataLoading')}</Text>
              </Group>
            ) : details.metadataError ? (
              <Alert color="red" variant="light">
                {t('describe.metadataFailed', { message: details.metadataError })}
              </Alert>
            ) : details.metadata && details.metadata.length > 0 ? (
              <MetadataView sections={details.metadata} />
            ) : (
              <Text size="sm" c="dimmed">
                {t('describe.metadataNone', { name: plugin.name })}
              </Text>
            )}
          </section>

          {(installLogBytes > 0 || fullRecord?.installLog) && (
            <>
              <Divider />
              <section aria-label={t('describe.installLog')} aria-busy={full.loading}>
                <Title order={4} mb="xs">
                  {t('describe.installLog')}
                </Title>
                {fullRecord?.installLog ? (
                  <Code block style={{ maxHeight: 240, overflow: 'auto' }}>
                    {fullRecord.installLog}
                  </Code>
                ) : full.loading ? (
                  <Skeleton
                    // About the height the log will take (lines of some 40 bytes; it scrolls past 240 px), so little jumps.
                    height={Math.min(240, 20 + Math.ceil(installLogBytes / 40) * 19)}
                    radius="sm"
                    data-testid="details-placeholder"
                  />
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('details.unavailable')}
                  </Text>
                )}
              </section>
            </>
          )}

          <Divider />
          <section aria-label={t('describe.hostAnswer')}>
            <Title order={4} mb="xs">
              {t('describe.hostAnswer')}
            </Title>
            {details?.error ? (
              <Alert color="red" variant="light">
                {hostMessage(details.error)}
              </Alert>
            ) : (
              <Code block style={{ maxHeight: 240, overflow: 'auto' }}>
                {details ? JSON.stringify(details.describe, null, 2) : '…'}
              </Code>
            )}
          </section>
        </Stack>
      )}
    </Drawer>
  );
}
