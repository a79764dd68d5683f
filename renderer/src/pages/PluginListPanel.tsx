import { Button, Stack, Text } from '@mantine/core';
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PluginKind, PluginOverview } from '../../../shared/plugin-dto';
import { ListFilter, NoMatch } from '../components/ListFilter';
import { PluginTable, type RowActions } from '../components/PluginTable';
import { inIdleSlices } from '../lib/lazy';
import { buildRows, filterRows, sortRows, type SortColumn } from '../lib/plugin-rows';
import { useMinuteClock } from '../lib/use-clock';
import { useManageStore } from '../stores/manage-store';
import { DEFAULT_SORT, useViewStore } from '../stores/view-store';

export interface PluginListPanelProps {
  kind: PluginKind;
  plugins: readonly PluginOverview[];
  udfs: readonly string[];
  onDescribe: (plugin: PluginOverview) => void;
  onDelete: (plugin: PluginOverview) => void;
  /** Opens the Create dialog for this kind (offered in the empty state). */
  onCreate?: (() => void) | undefined;
  /** Why update, register and delete are unavailable on this server; undefined when they are. */
  writeBlocked?: string | undefined;
}

/**
 * One kind's list: a filter box, the sortable virtualised table, and an empty state that says what to do next.
 * Rows are derived once per load and sorted once per sort order; a keystroke only filters the sorted rows, in a
 * deferred render so the filter box answers at once. The table gets stable callbacks, so the box's own
 * re-render does not touch it.
 */
export function PluginListPanel({
  kind,
  plugins,
  udfs,
  onDescribe,
  onDelete,
  onCreate,
  writeBlocked,
}: PluginListPanelProps) {
  const { t } = useTranslation();
  const filter = useViewStore((state) => state.filters[kind] ?? '');
  const sort = useViewStore((state) => state.sorts[kind] ?? DEFAULT_SORT);
  const setFilter = useViewStore((state) => state.setFilter);
  const toggleSort = useViewStore((state) => state.toggleSort);
  const deferredFilter = useDeferredValue(filter);
  const now = useMinuteClock();

  const rows = useMemo(() => buildRows(plugins, kind), [plugins, kind]);
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const visible = useMemo(() => filterRows(sorted, deferredFilter), [sorted, deferredFilter]);
  const udfSet = useMemo(() => new Set(udfs), [udfs]);
  // The filter's text for every row, prepared in idle time once the list is on screen, so the first keystroke
  // finds it ready.
  useEffect(() => inIdleSlices(rows, (row) => void row.haystack), [rows]);

  // The parent passes new callbacks on every render; the rows call the latest ones through this ref.
  const latest = useRef({ onDescribe, onDelete });
  useLayoutEffect(() => {
    latest.current = { onDescribe, onDelete };
  });
  const actions = useMemo<RowActions>(
    () => ({
      onDescribe: (row) => latest.current.onDescribe(row.plugin),
      onDelete: (row) => latest.current.onDelete(row.plugin),
      onUpdate: (row) => useManageStore.getState().askUpdate(row.plugin),
      onRegister: (row) => useManageStore.getState().askRegister(row.plugin),
    }),
    [],
  );
  const onSort = useCallback((column: SortColumn) => toggleSort(kind, column), [toggleSort, kind]);

  if (rows.length === 0) {
    return (
      <Stack align="center" justify="center" gap="xs" py="xl" data-testid="empty-state">
        <Text fw={600}>{t(`extensions.empty.${kind}`)}</Text>
        <Text size="sm" c="dimmed">
          {t('extensions.empty.hint', { kind })}
        </Text>
        {onCreate && (
          <Button mt="sm" onClick={onCreate}>
            {t(`extensions.create.${kind}`)}
          </Button>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="sm" style={{ flex: 1, minHeight: 0 }}>
      <ListFilter
        value={filter}
        onChange={(value) => setFilter(kind, value)}
        label={t('extensions.filter')}
        placeholder={t('extensions.filterPlaceholder')}
        shown={visible.length}
        total={rows.length}
      />
      {visible.length === 0 ? (
        <NoMatch filter={filter} onClear={() => setFilter(kind, '')} />
      ) : (
        <PluginTable
          kind={kind}
          rows={visible}
          sort={sort}
          onSort={onSort}
          actions={actions}
          udfs={udfSet}
          now={now}
          writeBlocked={writeBlocked}
        />
      )}
    </Stack>
  );
}
