import { Button, CloseButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDeferredValue, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PluginKind, PluginOverview } from '../../../shared/plugin-dto';
import { PluginTable } from '../components/PluginTable';
import { buildRows, filterRows, sortRows } from '../lib/plugin-rows';
import { useMinuteClock } from '../lib/use-minute-clock';
import { DEFAULT_SORT, useViewStore } from '../stores/view-store';

export interface PluginListPanelProps {
  kind: PluginKind;
  plugins: readonly PluginOverview[];
  udfs: readonly string[];
  onDescribe: (plugin: PluginOverview) => void;
  onDelete: (plugin: PluginOverview) => void;
  /** Opens the Create dialog for this kind (offered in the empty state). */
  onCreate?: () => void;
}

/**
 * One kind's list: a filter box, the sortable virtualised table, and an empty state that says what to do next.
 * Rows are derived once per load; filtering and sorting are memoised on the (deferred) filter text.
 */
export function PluginListPanel({
  kind,
  plugins,
  udfs,
  onDescribe,
  onDelete,
  onCreate,
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
      <Group justify="space-between" wrap="nowrap">
        <TextInput
          aria-label={t('extensions.filter')}
          placeholder={t('extensions.filterPlaceholder')}
          value={filter}
          onChange={(event) => setFilter(kind, event.currentTarget.value)}
          style={{ flex: 1, maxWidth: 420 }}
          type="search"
          rightSection={
            filter !== '' ? (
              <CloseButton
                size="sm"
                aria-label={t('extensions.clearFilter')}
                onClick={() => setFilter(kind, '')}
              />
            ) : null
          }
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('extensions.count', { shown: visible.length, total: rows.length })}
        </Text>
      </Group>
      {visible.length === 0 ? (
        <Stack align="center" gap="xs" py="xl" data-testid="no-match">
          <Text>{t('extensions.empty.noMatch', { filter })}</Text>
          <Button variant="default" size="xs" onClick={() => setFilter(kind, '')}>
            {t('extensions.clearFilter')}
          </Button>
        </Stack>
      ) : (
        <PluginTable
          kind={kind}
          rows={visible}
          sort={sort}
          onSort={(column) => toggleSort(kind, column)}
          onDescribe={(row) => onDescribe(row.plugin)}
          onDelete={(row) => onDelete(row.plugin)}
          udfs={udfSet}
          now={now}
        />
      )}
    </Stack>
  );
}
