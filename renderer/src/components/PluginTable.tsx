import { ActionIcon, Anchor, Badge } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PluginKind } from '../../../shared/plugin-dto';
import { formatBytes, formatDateTime, formatRelative } from '../lib/format';
import type { PluginRow, SortColumn, SortState } from '../lib/plugin-rows';
import { FunctionIcon, InfoIcon, TrashIcon, UploadIcon } from './Icons';
import { useManageStore } from '../stores/manage-store';
import classes from './PluginTable.module.css';

/** Height of one row; fixed, so the virtualiser never has to measure. */
export const ROW_HEIGHT = 44;

interface Column {
  id: SortColumn | 'actions';
  /** Translation key of the header when it differs from `extensions.columns.{id}`. */
  labelKey?: string;
  width: string;
  render: (row: PluginRow) => ReactNode;
}

export interface PluginTableProps {
  kind: PluginKind;
  rows: readonly PluginRow[];
  sort: SortState;
  onSort: (column: SortColumn) => void;
  onDescribe: (row: PluginRow) => void;
  onDelete: (row: PluginRow) => void;
  /** Registered UDF names; function plugins' exports not in it are shown dimmed. */
  udfs?: ReadonlySet<string>;
  /** Time "now" for relative times, passed in so a re-render per minute refreshes them. */
  now: number;
}

const SYMBOL_COLORS = { sources: 'blue', sinks: 'grape', functions: 'teal' } as const;

/**
 * A table of plugins that stays smooth with thousands of rows: only the visible rows are in the DOM
 * (@tanstack/react-virtual), laid out as an ARIA table of div grids so screen readers still read it as a table.
 */
export function PluginTable({ kind, rows, sort, onSort, onDescribe, onDelete, udfs, now }: PluginTableProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]?.key ?? index,
  });

  const askUpdate = useManageStore((state) => state.askUpdate);
  const askRegister = useManageStore((state) => state.askRegister);
  const onUpdate = (row: PluginRow) => askUpdate(row.plugin);
  const onRegister = (row: PluginRow) => askRegister(row.plugin);
  const columns = columnsFor(kind, { t, locale, now, udfs, onDescribe, onDelete, onUpdate, onRegister });
  const template = columns.map((column) => column.width).join(' ');

  return (
    <div className={classes.frame}>
      <div
        className={classes.inner}
        role="table"
        aria-label={t(`extensions.tabs.${kind}`)}
        aria-rowcount={rows.length + 1}
      >
        <div role="rowgroup">
          <div
            className={classes.header}
            role="row"
            aria-rowindex={1}
            style={{ gridTemplateColumns: template }}
          >
            {columns.map((column) => {
              const label = t(column.labelKey ?? `extensions.columns.${column.id}`);
              if (column.id === 'actions') {
                return (
                  <div
                    key={column.id}
                    role="columnheader"
                    className={classes.headerCell}
                    style={{ textAlign: 'right' }}
                  >
                    {label}
                  </div>
                );
              }
              const active = sort.column === column.id;
              const sortColumn = column.id;
              return (
                <div
                  key={column.id}
                  role="columnheader"
                  aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className={classes.sortButton}
                    onClick={() => onSort(sortColumn)}
                    title={t('extensions.sortBy', { column: label })}
                  >
                    {label}
                    <span aria-hidden="true" className={active ? undefined : classes.muted}>
                      {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        <div ref={scrollRef} className={classes.body} role="rowgroup" data-testid="plugin-rows">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <div
                  key={item.key}
                  role="row"
                  aria-rowindex={item.index + 2}
                  className={classes.row}
                  style={{
                    gridTemplateColumns: template,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {columns.map((column) => (
                    <div key={column.id} role="cell" className={classes.cell}>
                      {column.render(row)}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

interface ColumnContext {
  t: TFunction;
  locale: string;
  now: number;
  udfs: ReadonlySet<string> | undefined;
  onDescribe: (row: PluginRow) => void;
  onDelete: (row: PluginRow) => void;
  onUpdate: (row: PluginRow) => void;
  onRegister: (row: PluginRow) => void;
}

function columnsFor(kind: PluginKind, context: ColumnContext): Column[] {
  const { t, locale, now, udfs, onDescribe, onDelete, onUpdate, onRegister } = context;
  const name: Column = {
    id: 'name',
    width: 'minmax(140px, 1.6fr)',
    render: (row) => (
      <Anchor
        component="button"
        type="button"
        fw={600}
        size="sm"
        onClick={() => onDescribe(row)}
        title={row.plugin.name}
      >
        {row.plugin.name}
      </Anchor>
    ),
  };
  const version: Column = {
    id: 'version',
    width: '104px',
    render: (row) =>
      row.plugin.version === '' ? (
        <span className={classes.muted}>{t('extensions.noVersion')}</span>
      ) : (
        row.plugin.version
      ),
  };
  const language: Column = {
    id: 'language',
    width: '100px',
    render: (row) =>
      row.plugin.language ? (
        <Badge variant="outline" size="sm" tt="none">
          {row.plugin.language}
        </Badge>
      ) : (
        <span className={classes.muted}>{t('extensions.unknown')}</span>
      ),
  };
  const symbols: Column = {
    id: 'symbols',
    width: 'minmax(160px, 2fr)',
    render: (row) => {
      const groups = (['sources', 'sinks', 'functions'] as const).flatMap((group) =>
        row.plugin[group].map((symbol) => ({ group, symbol })),
      );
      const title = (['sources', 'sinks', 'functions'] as const)
        .filter((group) => row.plugin[group].length > 0)
        .map((group) => `${t(`extensions.symbolKinds.${group}`)}: ${row.plugin[group].join(', ')}`)
        .join('\n');
      return (
        <div className={classes.symbols} title={title}>
          {groups.map(({ group, symbol }) => (
            <Badge
              key={`${group}/${symbol}`}
              size="sm"
              variant="light"
              color={SYMBOL_COLORS[group]}
              tt="none"
            >
              {symbol}
            </Badge>
          ))}
        </div>
      );
    },
  };
  const functions: Column = {
    id: 'symbols',
    labelKey: 'extensions.columns.functions',
    width: 'minmax(160px, 2fr)',
    render: (row) => (
      <div className={classes.symbols} title={row.symbols.join(', ')}>
        {row.symbols.map((fn) => (
          <Badge
            key={fn}
            size="sm"
            variant="light"
            color={udfs === undefined || udfs.has(fn) ? 'teal' : 'gray'}
            tt="none"
          >
            {fn}
          </Badge>
        ))}
      </div>
    ),
  };
  const installed: Column = {
    id: 'installed',
    width: '150px',
    render: (row) =>
      row.plugin.record ? (
        <time
          dateTime={row.plugin.record.installedAt}
          title={formatDateTime(row.plugin.record.installedAt, locale)}
        >
          {formatRelative(row.plugin.record.installedAt, locale, now)}
        </time>
      ) : (
        <span className={classes.muted}>{t('extensions.unknown')}</span>
      ),
  };
  const size: Column = {
    id: 'size',
    width: '104px',
    render: (row) =>
      row.plugin.record ? (
        <span
          title={t('extensions.zipSize', {
            size: formatBytes(row.plugin.record.zipBytes, locale),
            installed: formatBytes(row.plugin.record.installedBytes, locale),
          })}
        >
          {formatBytes(row.size, locale)}
        </span>
      ) : (
        <span className={classes.muted}>{t('units.unknownSize')}</span>
      ),
  };
  const origin: Column = {
    id: 'origin',
    width: 'minmax(120px, 1.4fr)',
    render: (row) =>
      row.origin !== undefined ? (
        <span title={row.plugin.record?.source ?? undefined}>{row.origin}</span>
      ) : (
        <span className={classes.muted}>{t('extensions.foundOnDisk')}</span>
      ),
  };
  const actions: Column = {
    id: 'actions',
    width: kind === 'functions' ? '156px' : '124px',
    render: (row) => (
      <div className={classes.actions}>
        <ActionIcon
          variant="subtle"
          aria-label={t('extensions.describe', { name: row.plugin.name })}
          title={t('extensions.describe', { name: row.plugin.name })}
          onClick={() => onDescribe(row)}
        >
          <InfoIcon />
        </ActionIcon>
        <ActionIcon
          variant="subtle"
          aria-label={t('manage.actions.update', { name: row.plugin.name })}
          title={t('manage.actions.update', { name: row.plugin.name })}
          onClick={() => onUpdate(row)}
        >
          <UploadIcon />
        </ActionIcon>
        {kind === 'functions' && (
          <ActionIcon
            variant="subtle"
            aria-label={t('manage.actions.register', { name: row.plugin.name })}
            title={t('manage.actions.register', { name: row.plugin.name })}
            onClick={() => onRegister(row)}
          >
            <FunctionIcon />
          </ActionIcon>
        )}
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={t('extensions.delete', { name: row.plugin.name })}
          title={t('extensions.delete', { name: row.plugin.name })}
          onClick={() => onDelete(row)}
        >
          <TrashIcon />
        </ActionIcon>
      </div>
    ),
  };
  if (kind === 'portables') return [name, version, language, symbols, installed, size, origin, actions];
  if (kind === 'functions') return [name, version, functions, installed, size, origin, actions];
  return [name, version, installed, size, origin, actions];
}
