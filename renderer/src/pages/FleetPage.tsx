import {
  Alert,
  Anchor,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { PLUGIN_KINDS, type PluginKind } from '../../../shared/plugin-kinds';
import type { FleetAction } from '../../../shared/server-dto';
import { FleetActionDialog, type FleetDialogRequest } from '../components/FleetActionDialog';
import { FleetMatrix, type FleetRowAction } from '../components/FleetMatrix';
import { FleetBulkButtons, FleetLoadError } from '../components/FleetToolbar';
import {
  buildFleetMatrix,
  filterFleetRows,
  serversHaving,
  serversMissing,
  type FleetRow,
} from '../lib/fleet-matrix';
import { serverName } from '../lib/server-state';
import { onReconnect } from '../stores/connection-store';
import { useFleetStore, type FleetView } from '../stores/fleet-store';
import { ExtensionFleetPanel } from './ExtensionFleetPanel';
import { useServersStore } from '../stores/servers-store';

const KIND_FILTERS = ['all', ...PLUGIN_KINDS] as const;

const PAGE_STYLE = {
  display: 'flex',
  flexDirection: 'column',
  height: '100%',
  minHeight: 0,
  gap: 12,
} as const;

const BULK_ACTIONS = ['install', 'update', 'delete'] as const;

const VIEWS: readonly FleetView[] = ['plugins', 'services', 'javascript'];

/** Plugins, external services or custom functions: one matrix each, the server ticks shared. */
function FleetViewSwitch() {
  const { t } = useTranslation();
  const view = useFleetStore((state) => state.view);
  const setView = useFleetStore((state) => state.setView);
  return (
    <SegmentedControl
      value={view}
      onChange={(value) => setView(value)}
      data={VIEWS.map((value) => ({ value, label: t(`extensionFleet.view.${value}`) }))}
      aria-label={t('extensionFleet.view.label')}
      data-testid="fleet-view"
    />
  );
}

const asKind = (kind: string): PluginKind =>
  (PLUGIN_KINDS as readonly string[]).includes(kind) ? (kind as PluginKind) : 'portables';

/**
 * The Fleet page: which server has which plugin at which version, with drift marked, and bulk install, update
 * and delete on the servers ticked in the column headers or from a row's menu. It asks every server afresh each
 * time it is shown and after every bulk action.
 */
export function FleetPage() {
  const { t } = useTranslation();
  const listed = useServersStore((state) => state.servers);
  // The built-in server by its name in the window's language ("This computer", "本机").
  const servers = useMemo(
    () => listed.map((server) => ({ ...server, name: serverName(server, t) })),
    [listed, t],
  );
  const view = useFleetStore((state) => state.view);
  const { answer, pending, status, error, selected, filter, load, toggleServer, setSelected, setFilter } =
    useFleetStore(
      useShallow((state) => ({
        answer: state.answer,
        pending: state.pending,
        status: state.status,
        error: state.error,
        selected: state.selected,
        filter: state.filter,
        load: state.load,
        toggleServer: state.toggleServer,
        setSelected: state.setSelected,
        setFilter: state.setFilter,
      })),
    );
  const [dialog, setDialog] = useState<FleetDialogRequest | undefined>();
  const [dialogOpen, setDialogOpen] = useState(false);

  useEffect(() => {
    void load();
    return onReconnect(() => void load());
  }, [load]);

  const matrix = useMemo(() => buildFleetMatrix(servers, answer, pending), [servers, answer, pending]);
  const rows = useMemo(() => filterFleetRows(matrix.rows, filter), [matrix.rows, filter]);
  const driftCount = useMemo(
    () => matrix.rows.filter((row) => row.drift !== undefined).length,
    [matrix.rows],
  );
  const loaded = answer !== undefined;

  const open = (request: FleetDialogRequest) => {
    setDialog(request);
    setDialogOpen(true);
  };
  const openBulk = (action: FleetAction) =>
    open({
      action,
      kind: filter.kind === 'all' ? 'portables' : filter.kind,
      name: '',
      targets: selected,
    });
  const onRowAction = useCallback((row: FleetRow, action: FleetRowAction) => {
    const kind = asKind(row.kind);
    if (action === 'install-missing') {
      open({ action: 'install', kind, name: row.name, targets: serversMissing(row) });
    } else {
      open({
        action: action === 'update-all' ? 'update' : 'delete',
        kind,
        name: row.name,
        targets: serversHaving(row),
      });
    }
  }, []);
  const onToggleAll = useCallback(() => {
    const ids = matrix.columns.map((column) => column.id);
    setSelected(ids.every((id) => selected.includes(id)) ? [] : ids);
  }, [matrix.columns, selected, setSelected]);

  if (view !== 'plugins') {
    return (
      <div style={PAGE_STYLE}>
        <Group gap="md" wrap="wrap">
          <Title order={2}>{t('fleet.title')}</Title>
          <FleetViewSwitch />
        </Group>
        <ExtensionFleetPanel key={view} kind={view} servers={servers} />
      </div>
    );
  }

  return (
    <div style={PAGE_STYLE}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="md" wrap="wrap">
          <Title order={2}>{t('fleet.title')}</Title>
          <FleetViewSwitch />
        </Group>
        <FleetBulkButtons
          actions={BULK_ACTIONS}
          labels={[t('fleet.bulk.install'), t('fleet.bulk.update'), t('fleet.bulk.delete')]}
          disabled={selected.length === 0}
          loading={status === 'loading'}
          onAction={openBulk}
          onRefresh={() => void load()}
        />
      </Group>
      <Text size="sm" c="dimmed" data-testid="fleet-selection">
        {selected.length === 0 ? t('fleet.selectHint') : t('fleet.selected', { count: selected.length })}
      </Text>
      {loaded && servers.length <= 1 && (
        <Alert color="blue" variant="light" data-testid="fleet-only-local">
          {t('fleet.onlyLocal')}{' '}
          <Anchor href="#/servers" size="sm">
            {t('fleet.addServers')}
          </Anchor>
        </Alert>
      )}
      {status === 'error' && <FleetLoadError error={error} onRetry={() => void load()} />}
      {loaded && (
        <Group gap="sm" wrap="wrap" align="flex-end">
          <Select
            aria-label={t('fleet.filterKind')}
            value={filter.kind}
            onChange={(value) => value && setFilter({ kind: value })}
            data={KIND_FILTERS.map((value) => ({
              value,
              label: value === 'all' ? t('fleet.allKinds') : t(`fleet.kindLabel.${value}`),
            }))}
            allowDeselect={false}
            w={150}
          />
          <TextInput
            aria-label={t('fleet.filterText')}
            placeholder={t('fleet.filterText')}
            value={filter.text}
            onChange={(event) => setFilter({ text: event.currentTarget.value })}
            w={220}
          />
          <Switch
            label={t('fleet.onlyDrift', { count: driftCount })}
            checked={filter.onlyDrift}
            onChange={(event) => setFilter({ onlyDrift: event.currentTarget.checked })}
            mb={8}
          />
          <Text size="sm" c="dimmed" mb={8} data-testid="fleet-count">
            {t('fleet.count', { shown: rows.length, total: matrix.rows.length, drift: driftCount })}
          </Text>
        </Group>
      )}
      {!loaded && status !== 'error' ? (
        <Group gap="xs" p="md">
          <Loader size="sm" />
          {t('fleet.loading')}
        </Group>
      ) : loaded ? (
        <>
          <FleetMatrix
            columns={matrix.columns}
            rows={rows}
            selected={selected}
            onToggleServer={toggleServer}
            onToggleAll={onToggleAll}
            onRowAction={onRowAction}
          />
          {rows.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="fleet-empty">
              {matrix.rows.length === 0 ? t('fleet.noPlugins') : t('fleet.noMatch')}
            </Text>
          )}
        </>
      ) : null}
      <FleetActionDialog
        opened={dialogOpen}
        request={dialog}
        servers={servers}
        matrix={matrix}
        onClose={() => setDialogOpen(false)}
        onFinished={() => void load()}
      />
    </div>
  );
}
