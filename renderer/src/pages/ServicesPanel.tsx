import { Alert, Button, CloseButton, Group, Loader, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CapabilityNote } from '../components/CapabilityNote';
import { LazyPart } from '../components/LazyPart';
import { ServiceTable } from '../components/ServiceTable';
import { useHostMessage } from '../lib/host-message';
import { lazyNamed, useOnceTrue } from '../lib/lazy';
import { serverName } from '../lib/server-state';
import { buildServiceRows, filterServiceRows } from '../lib/service-rows';
import { useServerNotes } from '../lib/use-server-notes';
import { useServicesStore } from '../stores/services-store';
import { useCurrentServer, useServersStore } from '../stores/servers-store';

const ServiceDrawer = lazyNamed(() => import('../components/ServiceDrawer'), 'ServiceDrawer');
const ServiceZipDialog = lazyNamed(() => import('../components/ServiceZipDialog'), 'ServiceZipDialog');
const AddServiceDialog = lazyNamed(() => import('../components/AddServiceDialog'), 'AddServiceDialog');
const ServiceDeleteDialog = lazyNamed(
  () => import('../components/ServiceDeleteDialog'),
  'ServiceDeleteDialog',
);

/** Which zip dialog is open: a new service, or a new zip for an existing one. */
type ZipDialog = { mode: 'create' } | { mode: 'update'; name: string };

/**
 * The External services tab (NeuronEX's "External Service"): eKuiper's `/services` of the current server as a
 * list with a filter, the describe drawer with the SQL that calls each function, NeuronEX's simple form, create
 * and update from a zip checked in the window first, and delete.
 */
export function ServicesPanel() {
  const { t } = useTranslation();
  const hostMessage = useHostMessage();
  const notes = useServerNotes();
  const server = useCurrentServer();
  const currentId = useServersStore((state) => state.currentId);
  const { services, status, error, load, switchTo, remove } = useServicesStore();
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [describing, setDescribing] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<string | undefined>();
  const [zipDialog, setZipDialog] = useState<ZipDialog | undefined>();
  const [adding, setAdding] = useState(false);
  const drawerMounted = useOnceTrue(describing !== undefined);
  const deleteMounted = useOnceTrue(deleting !== undefined);
  const zipMounted = useOnceTrue(zipDialog !== undefined);
  const addMounted = useOnceTrue(adding);

  useEffect(() => {
    setDescribing(undefined);
    setDeleting(undefined);
    setZipDialog(undefined);
    setAdding(false);
    void switchTo(currentId);
  }, [currentId, switchTo]);

  const rows = useMemo(() => buildServiceRows(services), [services]);
  const visible = useMemo(() => filterServiceRows(rows, deferredFilter), [rows, deferredFilter]);
  const described = services.find((service) => service.name === describing);
  const readOnly = notes.readOnly;

  const writeButtons = (
    <Group gap="xs" wrap="nowrap">
      <Tooltip label={readOnly} disabled={readOnly === undefined} multiline w={280}>
        <Button onClick={() => setAdding(true)} disabled={readOnly !== undefined} aria-description={readOnly}>
          {t('services.add.open')}
        </Button>
      </Tooltip>
      <Tooltip label={readOnly} disabled={readOnly === undefined} multiline w={280}>
        <Button
          variant="default"
          onClick={() => setZipDialog({ mode: 'create' })}
          disabled={readOnly !== undefined}
          aria-description={readOnly}
        >
          {t('services.zip.open')}
        </Button>
      </Tooltip>
    </Group>
  );

  let body;
  if (status === 'missing') {
    body = <CapabilityNote>{t('services.missing', { name: serverName(server, t) })}</CapabilityNote>;
  } else if (status === 'idle' || status === 'loading') {
    body = (
      <Group gap="xs" p="md">
        <Loader size="sm" />
        {t('services.loading')}
      </Group>
    );
  } else if (status === 'error' && rows.length === 0) {
    body = (
      <Alert color="red" variant="light" role="alert">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{t('services.loadFailed', { message: hostMessage(error) })}</Text>
          <Button size="xs" variant="default" onClick={() => void load()}>
            {t('services.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (rows.length === 0) {
    body = (
      <Stack align="center" justify="center" gap="xs" py="xl" data-testid="services-empty">
        <Text fw={600}>{t('services.empty.title')}</Text>
        <Text size="sm" c="dimmed" ta="center" maw={520}>
          {t('services.empty.hint')}
        </Text>
      </Stack>
    );
  } else {
    body = (
      <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
        <Group justify="space-between" wrap="nowrap">
          <TextInput
            aria-label={t('services.filter')}
            placeholder={t('services.filterPlaceholder')}
            value={filter}
            onChange={(event) => setFilter(event.currentTarget.value)}
            style={{ flex: 1, maxWidth: 420 }}
            type="search"
            rightSection={
              filter !== '' ? (
                <CloseButton
                  size="sm"
                  aria-label={t('extensions.clearFilter')}
                  onClick={() => setFilter('')}
                />
              ) : null
            }
          />
          <Text size="sm" c="dimmed" aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
            {t('extensions.count', { shown: visible.length, total: rows.length })}
          </Text>
        </Group>
        {visible.length === 0 ? (
          <Stack align="center" gap="xs" py="xl">
            <Text>{t('extensions.empty.noMatch', { filter })}</Text>
            <Button variant="default" size="xs" onClick={() => setFilter('')}>
              {t('extensions.clearFilter')}
            </Button>
          </Stack>
        ) : (
          <ServiceTable
            rows={visible}
            writeBlocked={readOnly}
            onDescribe={setDescribing}
            onUpdate={(name) => setZipDialog({ mode: 'update', name })}
            onDelete={setDeleting}
          />
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }} data-testid="services-panel">
      {status !== 'missing' && (
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" c="dimmed" style={{ flex: '1 1 240px' }}>
            {t('services.intro')}
          </Text>
          {writeButtons}
        </Group>
      )}
      {readOnly !== undefined && status === 'ready' && <CapabilityNote>{readOnly}</CapabilityNote>}
      {body}
      {drawerMounted && (
        <LazyPart fallback={null} floating>
          <ServiceDrawer
            service={described}
            onClose={() => setDescribing(undefined)}
            onUpdate={(name) => setZipDialog({ mode: 'update', name })}
            onDelete={setDeleting}
          />
        </LazyPart>
      )}
      {zipMounted && (
        <LazyPart fallback={null} floating>
          <ServiceZipDialog
            key={currentId}
            opened={zipDialog !== undefined}
            updating={zipDialog?.mode === 'update' ? zipDialog.name : undefined}
            onClose={() => setZipDialog(undefined)}
            onDone={() => void load()}
          />
        </LazyPart>
      )}
      {addMounted && (
        <LazyPart fallback={null} floating>
          <AddServiceDialog
            key={currentId}
            opened={adding}
            onClose={() => setAdding(false)}
            onDone={() => void load()}
          />
        </LazyPart>
      )}
      {deleteMounted && (
        <LazyPart fallback={null} floating>
          <ServiceDeleteDialog
            service={services.find((service) => service.name === deleting)}
            onClose={() => setDeleting(undefined)}
            onConfirm={async (name) => {
              const message = await remove(name);
              if (describing === name) setDescribing(undefined);
              return message;
            }}
          />
        </LazyPart>
      )}
    </Stack>
  );
}
