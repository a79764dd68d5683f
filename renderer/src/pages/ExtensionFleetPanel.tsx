import { Group, Loader, Switch, Text, TextInput } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { EXTENSION_ACTIONS, type ExtensionAction, type ExtensionKind } from '../../../shared/extension-fleet';
import type { ServerInfo } from '../../../shared/server-dto';
import { ExtensionActionDialog, type ExtensionDialogRequest } from '../components/ExtensionActionDialog';
import { FleetMatrix, type FleetRowAction } from '../components/FleetMatrix';
import { FleetBulkButtons, FleetLoadError } from '../components/FleetToolbar';
import {
  buildExtensionMatrix,
  filterFleetRows,
  serversHaving,
  serversMissing,
  type FleetRow,
} from '../lib/fleet-matrix';
import { onReconnect } from '../stores/connection-store';
import { useFleetStore } from '../stores/fleet-store';

/** One empty list for "no server being asked", so the matrix is not rebuilt for a new `[]` on every render. */
const NONE_PENDING: readonly string[] = [];

/**
 * The Fleet page's matrix of JavaScript functions or external services: which server has which, where the content
 * differs (`differs`), where it is missing, where the server cannot have it (`n/a`), with bulk create, update and
 * delete on the ticked servers or from a row's menu. The server ticks are shared with the plugin matrix.
 */
export function ExtensionFleetPanel({
  kind,
  servers,
}: {
  kind: ExtensionKind;
  servers: readonly ServerInfo[];
}) {
  const { t } = useTranslation();
  const { answer, pending, state, selected, load, toggleServer, setSelected } = useFleetStore(
    useShallow((store) => ({
      answer: store.extensions[kind],
      pending: store.extensionPending[kind] ?? NONE_PENDING,
      state: store.extensionStatus[kind],
      selected: store.selected,
      load: store.loadExtensions,
      toggleServer: store.toggleServer,
      setSelected: store.setSelected,
    })),
  );
  const [text, setText] = useState('');
  const [onlyDrift, setOnlyDrift] = useState(false);
  const [dialog, setDialog] = useState<ExtensionDialogRequest | undefined>();
  const [dialogOpen, setDialogOpen] = useState(false);
  const ns = `extensionFleet.${kind}` as const;

  useEffect(() => {
    void load(kind);
    return onReconnect(() => void load(kind));
  }, [load, kind]);

  const matrix = useMemo(() => buildExtensionMatrix(servers, answer, pending), [servers, answer, pending]);
  const rows = useMemo(
    () => filterFleetRows(matrix.rows, { kind: 'all', text, onlyDrift }),
    [matrix.rows, text, onlyDrift],
  );
  const driftCount = matrix.rows.filter((row) => row.drift !== undefined).length;
  const loading = state?.status === 'loading';

  const open = (request: ExtensionDialogRequest) => {
    setDialog(request);
    setDialogOpen(true);
  };
  const openBulk = (action: ExtensionAction) => open({ action, name: '', targets: selected });
  const onRowAction = useCallback((row: FleetRow, action: FleetRowAction) => {
    if (action === 'install-missing')
      open({ action: 'create', name: row.name, targets: serversMissing(row) });
    else {
      open({
        action: action === 'update-all' ? 'update' : 'delete',
        name: row.name,
        targets: serversHaving(row),
      });
    }
  }, []);
  const onToggleAll = useCallback(() => {
    const ids = matrix.columns.map((column) => column.id);
    setSelected(ids.every((id) => selected.includes(id)) ? [] : ids);
  }, [matrix.columns, selected, setSelected]);

  return (
    <>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" data-testid="fleet-selection">
          {selected.length === 0
            ? t('extensionFleet.selectHint')
            : t('fleet.selected', { count: selected.length })}
        </Text>
        <FleetBulkButtons
          actions={EXTENSION_ACTIONS}
          labels={[
            t('extensionFleet.bulk.create'),
            t('extensionFleet.bulk.update'),
            t('extensionFleet.bulk.delete'),
          ]}
          disabled={selected.length === 0}
          loading={loading}
          onAction={openBulk}
          onRefresh={() => void load(kind)}
        />
      </Group>
      {state?.status === 'error' && <FleetLoadError error={state.error} onRetry={() => void load(kind)} />}
      {answer === undefined ? (
        state?.status !== 'error' && (
          <Group gap="xs" p="md">
            <Loader size="sm" />
            {t(`${ns}.loading`)}
          </Group>
        )
      ) : (
        <>
          <Group gap="sm" wrap="wrap" align="flex-end">
            <TextInput
              aria-label={t('fleet.filterText')}
              placeholder={t('fleet.filterText')}
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              w={220}
            />
            <Switch
              label={t('fleet.onlyDrift', { count: driftCount })}
              checked={onlyDrift}
              onChange={(event) => setOnlyDrift(event.currentTarget.checked)}
              mb={8}
            />
            <Text size="sm" c="dimmed" mb={8} data-testid="fleet-count">
              {t(`${ns}.count`, { shown: rows.length, total: matrix.rows.length, drift: driftCount })}
            </Text>
          </Group>
          <FleetMatrix
            columns={matrix.columns}
            rows={rows}
            selected={selected}
            onToggleServer={toggleServer}
            onToggleAll={onToggleAll}
            onRowAction={onRowAction}
            words={ns}
          />
          {rows.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="fleet-empty">
              {matrix.rows.length === 0 ? t(`${ns}.noItems`) : t(`${ns}.noMatch`)}
            </Text>
          )}
        </>
      )}
      <ExtensionActionDialog
        kind={kind}
        opened={dialogOpen}
        request={dialog}
        servers={servers}
        matrix={matrix}
        onClose={() => setDialogOpen(false)}
        onFinished={() => void load(kind)}
      />
    </>
  );
}
