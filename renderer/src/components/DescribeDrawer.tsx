import {
  Alert,
  Button,
  Code,
  Divider,
  Drawer,
  Group,
  Loader,
  ScrollArea,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi, type PortableStatus } from '../api/plugin-api';
import { formatBytes, formatDateTime } from '../lib/format';
import { metadataSections, type MetadataSection } from '../lib/plugin-metadata';
import { noteConnectionError } from '../stores/connection-store';
import { useManageStore } from '../stores/manage-store';
import { MetadataView } from './MetadataView';

interface Details {
  describe: unknown;
  status: PortableStatus | undefined;
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
 * Everything the host knows about one plugin: the list row (install record), eKuiper's describe answer, the
 * portable runtime status, and the plugin's metadata rendered as documentation in the user's language.
 */
export function DescribeDrawer({ plugin, onClose, onDelete }: DescribeDrawerProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [details, setDetails] = useState<Details | undefined>();
  const kind = plugin?.kind;
  const name = plugin?.name;
  const askUpdate = useManageStore((state) => state.askUpdate);
  const askRegister = useManageStore((state) => state.askRegister);

  useEffect(() => {
    setDetails(undefined);
    if (kind === undefined || name === undefined) return;
    let live = true;
    const settle = <T,>(promise: Promise<T>) =>
      promise.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => {
          noteConnectionError(error);
          return { ok: false as const, error: (error as Error).message };
        },
      );
    void Promise.all([
      settle(pluginApi.describe(kind, name)),
      kind === 'portables' ? settle(pluginApi.portableStatus(name)) : Promise.resolve(undefined),
      settle(pluginApi.metadata(kind, name)),
    ]).then(([describe, status, metadata]) => {
      if (!live) return;
      setDetails({
        describe: describe.ok ? describe.value : undefined,
        error: describe.ok ? undefined : describe.error,
        status: status?.ok ? status.value : undefined,
        metadata: metadata.ok ? metadataSections(metadata.value) : undefined,
        metadataError: metadata.ok ? undefined : metadata.error,
      });
    });
    return () => {
      live = false;
    };
  }, [kind, name]);

  const record = plugin?.record ?? null;
  const none = (
    <Text span c="dimmed">
      {t('describe.none')}
    </Text>
  );
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
    >
      {plugin && (
        <Stack gap="md">
          <Group gap="xs" aria-label={t('manage.actions.label')} role="group">
            {plugin.kind === 'functions' && (
              <Button variant="default" onClick={() => askRegister(plugin)}>
                {t('manage.register.open')}
              </Button>
            )}
            <Button variant="default" onClick={() => askUpdate(plugin)}>
              {t('manage.update.open')}
            </Button>
            <Button variant="light" color="red" onClick={() => onDelete(plugin)}>
              {t('describe.delete')}
            </Button>
          </Group>
          <section aria-label={t('describe.overview')}>
            <dl
              style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '6px 16px', margin: 0 }}
            >
              <Field label={t('describe.fields.version')}>{plugin.version || none}</Field>
              {plugin.language && <Field label={t('describe.fields.language')}>{plugin.language}</Field>}
              {plugin.kind === 'portables' && (
                <>
                  <Field label={t('describe.fields.sources')}>{list(plugin.sources)}</Field>
                  <Field label={t('describe.fields.sinks')}>{list(plugin.sinks)}</Field>
                  <Field label={t('describe.fields.functions')}>{list(plugin.functions)}</Field>
                </>
              )}
              {plugin.kind === 'functions' && (
                <Field label={t('describe.fields.registered')}>{list(plugin.functions)}</Field>
              )}
              <Field label={t('describe.fields.file')}>
                <Code style={{ wordBreak: 'break-all' }}>{plugin.file}</Code>
              </Field>
              {record && (
                <>
                  <Field label={t('describe.fields.installedAt')}>
                    {formatDateTime(record.installedAt, locale)}
                  </Field>
                  <Field label={t('describe.fields.source')}>
                    {record.source ? <Code style={{ wordBreak: 'break-all' }}>{record.source}</Code> : none}
                  </Field>
                  <Field label={t('describe.fields.zipBytes')}>{formatBytes(record.zipBytes, locale)}</Field>
                  <Field label={t('describe.fields.installedBytes')}>
                    {formatBytes(record.installedBytes, locale)}
                  </Field>
                  <Field label={t('describe.fields.zipSha256')}>
                    <Code style={{ wordBreak: 'break-all' }}>{record.zipSha256 || '—'}</Code>
                  </Field>
                  <Field label={t('describe.fields.shellParas')}>
                    {record.shellParas.length > 0 ? <Code>{record.shellParas.join(' ')}</Code> : none}
                  </Field>
                </>
              )}
              {details?.status && (
                <>
                  <Field label={t('describe.fields.status')}>{details.status.status ?? '—'}</Field>
                  <Field label={t('describe.fields.refCount')}>
                    {details.status.refCount && Object.keys(details.status.refCount).length > 0
                      ? Object.entries(details.status.refCount)
                          .map(([rule, count]) => `${rule} (${count})`)
                          .join(', ')
                      : none}
                  </Field>
                  {details.status.errMsg && (
                    <Field label={t('describe.fields.errMsg')}>
                      <Text span c="red" size="sm">
                        {details.status.errMsg}
                      </Text>
                    </Field>
                  )}
                </>
              )}
            </dl>
            {!record && (
              <Text size="sm" c="dimmed" mt="xs">
                {t('describe.noRecord')}
              </Text>
            )}
          </section>

          <Divider />
          <section aria-label={t('describe.metadata')}>
            <Title order={4} mb="xs">
              {t('describe.metadata')}
            </Title>
            {details === undefined ? (
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

          {record?.installLog && (
            <>
              <Divider />
              <section aria-label={t('describe.installLog')}>
                <Title order={4} mb="xs">
                  {t('describe.installLog')}
                </Title>
                <Code block style={{ maxHeight: 240, overflow: 'auto' }}>
                  {record.installLog}
                </Code>
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
                {details.error}
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

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </>
  );
}
