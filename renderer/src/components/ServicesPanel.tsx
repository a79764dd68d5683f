import { Button, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lazyNamed, useOnceTrue } from '../lib/lazy';
import { buildServiceRows, filterServiceRows } from '../lib/service-rows';
import { useServerNotes } from '../lib/use-server-notes';
import { useServiceNamesStore } from '../stores/route-list-store';
import { useServicesStore } from '../stores/services-store';
import { useViewStore } from '../stores/view-store';
import { CapabilityNote } from './CapabilityNote';
import { ListFilter, NoMatch } from './ListFilter';
import { LazyPart } from './LazyPart';
import { ServiceTable } from './ServiceTable';

const ServiceDrawer = lazyNamed(() => import('./ServiceDrawer'), 'ServiceDrawer');
const ServiceZipDialog = lazyNamed(() => import('./ServiceZipDialog'), 'ServiceZipDialog');
const AddServiceDialog = lazyNamed(() => import('./AddServiceDialog'), 'AddServiceDialog');
const ServiceDeleteDialog = lazyNamed(() => import('./ServiceDeleteDialog'), 'ServiceDeleteDialog');

/** Reads the names again: the tab's badge, and through it the rows, follow. */
const reloadNames = () => void useServiceNamesStore.getState().load();

/** Which zip dialog is open: a new service, or a new zip for an existing one. */
type ZipDialog = { mode: 'create' } | { mode: 'update'; name: string };

/**
 * The External services tab (NeuronEX's "External Service"): eKuiper's `/services` of the current server as a
 * list with a filter, the describe drawer with the SQL that calls each function, NeuronEX's simple form, create
 * and update from a zip checked in the window first, and delete.
 */
export function ServicesPanel() {
  const { t } = useTranslation();
  const notes = useServerNotes();
  const server = useServiceNamesStore((state) => state.server);
  const names = useServiceNamesStore((state) => state.names);
  const { services, status, describeAll, remove } = useServicesStore();
  const loadedServer = useServicesStore((state) => state.server);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [describing, setDescribing] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<string | undefined>();
  const [zipDialog, setZipDialog] = useState<ZipDialog | undefined>();
  // The page's toolbar button ("Add external service") asks through the view store; the dialog clears it.
  const adding = useViewStore((state) => state.creatingIn === 'services');
  const askCreateIn = useViewStore((state) => state.askCreateIn);
  const drawerMounted = useOnceTrue(describing !== undefined);
  const deleteMounted = useOnceTrue(deleting !== undefined);
  const zipMounted = useOnceTrue(zipDialog !== undefined);
  const addMounted = useOnceTrue(adding);

  // eKuiper lists names only: each new answer of `GET /services` is described, service by service.
  useEffect(() => {
    void describeAll(server, names);
  }, [server, names, describeAll]);

  const rows = useMemo(() => buildServiceRows(services), [services]);
  const visible = useMemo(() => filterServiceRows(rows, deferredFilter), [rows, deferredFilter]);
  const described = services.find((service) => service.name === describing);
  const readOnly = notes.readOnly;

  const zipButton = (
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
  );

  let body;
  if (status !== 'ready' || loadedServer !== server) {
    body = (
      <Group gap="xs" p="md">
        <Loader size="sm" />
        {t('services.loading')}
      </Group>
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
        <ListFilter
          filter={filter}
          onChange={setFilter}
          placeholder={t('services.filterPlaceholder')}
          shown={visible.length}
          total={rows.length}
        />
        {visible.length === 0 ? (
          <NoMatch filter={filter} onClear={() => setFilter('')} />
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
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" style={{ flex: '1 1 240px' }}>
          {t('services.intro')}
        </Text>
        {zipButton}
      </Group>
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
            key={server}
            opened={zipDialog !== undefined}
            updating={zipDialog?.mode === 'update' ? zipDialog.name : undefined}
            onClose={() => setZipDialog(undefined)}
            onDone={reloadNames}
          />
        </LazyPart>
      )}
      {addMounted && (
        <LazyPart fallback={null} floating>
          <AddServiceDialog
            key={server}
            opened={adding}
            onClose={() => askCreateIn(undefined)}
            onDone={reloadNames}
          />
        </LazyPart>
      )}
      {deleteMounted && (
        <LazyPart fallback={null} floating>
          <ServiceDeleteDialog
            service={services.find((service) => service.name === deleting)}
            onClose={() => setDeleting(undefined)}
            onConfirm={async (name) => {
              const message = await remove(server, name);
              if (describing === name) setDescribing(undefined);
              return message;
            }}
          />
        </LazyPart>
      )}
    </Stack>
  );
}
