import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, type MouseEvent, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PluginKind } from '../../../shared/plugin-dto';
import { formatBytes, formatDateTime, formatRelative } from '../lib/format';
import type { PluginRow, SortColumn, SortState } from '../lib/plugin-rows';
import { FunctionIcon, InfoIcon, TrashIcon, UploadIcon } from './Icons';
import classes from './PluginTable.module.css';

/** Height of one row; fixed, so the virtualiser never has to measure. */
export const ROW_HEIGHT = 44;

/** What a row's buttons do; the table passes one stable object to every row. */
export interface RowActions {
  onDescribe: (row: PluginRow) => void;
  onDelete: (row: PluginRow) => void;
  onUpdate: (row: PluginRow) => void;
  onRegister: (row: PluginRow) => void;
}

/** Everything a cell needs besides its row; one object per render of the table, shared by every row. */
interface CellContext {
  kind: PluginKind;
  t: TFunction;
  locale: string;
  now: number;
  udfs: ReadonlySet<string> | undefined;
  actions: RowActions;
  /** Why update, register and delete are unavailable (a read-only server); undefined when they are. */
  writeBlocked: string | undefined;
}

interface Column {
  id: SortColumn | 'actions';
  /** Translation key of the header when it differs from `extensions.columns.{id}`. */
  labelKey?: string;
  width: string;
  render: (row: PluginRow, context: CellContext) => ReactNode;
}

export interface PluginTableProps {
  kind: PluginKind;
  rows: readonly PluginRow[];
  sort: SortState;
  onSort: (column: SortColumn) => void;
  /** Keep this object stable (rows re-render when it changes). */
  actions: RowActions;
  /** Registered UDF names; function plugins' exports not in it are shown dimmed. */
  udfs?: ReadonlySet<string>;
  /** Time "now" for relative times, passed in so a re-render per minute refreshes them. */
  now: number;
  /** Why the row's write actions are unavailable (a read-only server): they are disabled with this reason. */
  writeBlocked?: string | undefined;
}

const SYMBOL_GROUPS = ['sources', 'sinks', 'functions'] as const;

/**
 * A table of plugins that stays smooth with thousands of rows: only the visible rows are in the DOM
 * (@tanstack/react-virtual), laid out as an ARIA table of div grids so screen readers still read it as a table.
 * Rows are memoised and drawn with plain elements styled by Mantine's CSS variables (not Mantine components):
 * a filter keystroke re-renders only the rows that changed, and each costs a few elements rather than a
 * component tree per badge and button.
 */
export const PluginTable = memo(function PluginTable({
  kind,
  rows,
  sort,
  onSort,
  actions,
  udfs,
  now,
  writeBlocked,
}: PluginTableProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // The window's height until the list is measured: the first render already draws the rows a screen holds,
    // instead of none, then a second pass after measuring.
    initialRect: { width: 0, height: typeof window === 'undefined' ? 0 : window.innerHeight },
    getItemKey: (index) => rows[index]?.key ?? index,
  });

  const columns = useMemo(() => columnsFor(kind), [kind]);
  const template = columns.map((column) => column.width).join(' ');
  const context = useMemo<CellContext>(
    () => ({ kind, t, locale, now, udfs, actions, writeBlocked }),
    [kind, t, locale, now, udfs, actions, writeBlocked],
  );

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
            {virtualizer.getVirtualItems().map((item) => (
              <TableRow
                key={item.key}
                row={rows[item.index]!}
                index={item.index}
                start={item.start}
                columns={columns}
                template={template}
                context={context}
              />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
});

interface TableRowProps {
  row: PluginRow;
  index: number;
  start: number;
  columns: readonly Column[];
  template: string;
  context: CellContext;
}

/** One visible row; re-renders only when its plugin, position, language, clock or UDF list change. */
const TableRow = memo(function TableRow({ row, index, start, columns, template, context }: TableRowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      {columns.map((column) => (
        <div key={column.id} role="cell" className={classes.cell}>
          {column.render(row, context)}
        </div>
      ))}
    </div>
  );
});

function Muted({ children }: { children: ReactNode }) {
  return <span className={classes.muted}>{children}</span>;
}

/**
 * The exact install time as a hover title, formatted when the pointer first reaches it: building the date
 * formatter is the slowest single step of the list's first paint, and few rows are ever hovered.
 */
function showExactTime(event: MouseEvent<HTMLElement>) {
  const element = event.currentTarget;
  const iso = element.getAttribute('datetime') ?? undefined;
  const locale = element.dataset.locale ?? 'en';
  element.title = formatDateTime(iso, locale);
}

/**
 * An icon button with the same label for assistive technology and as its hover title; `blocked` disables it and
 * says why in the title and its description.
 */
function RowButton({
  label,
  danger,
  blocked,
  onClick,
  children,
}: {
  label: string;
  danger?: boolean;
  blocked?: string | undefined;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={danger ? `${classes.iconButton} ${classes.danger}` : classes.iconButton}
      aria-label={label}
      aria-description={blocked}
      title={blocked === undefined ? label : `${label}: ${blocked}`}
      disabled={blocked !== undefined}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

const name: Column = {
  id: 'name',
  width: 'minmax(140px, 1.6fr)',
  render: (row, { actions }) => (
    <button
      type="button"
      className={classes.nameButton}
      onClick={() => actions.onDescribe(row)}
      title={row.plugin.name}
    >
      {row.plugin.name}
    </button>
  ),
};

const version: Column = {
  id: 'version',
  width: '104px',
  render: (row, { t }) =>
    row.plugin.version === '' ? <Muted>{t('extensions.noVersion')}</Muted> : row.plugin.version,
};

const language: Column = {
  id: 'language',
  width: '100px',
  render: (row, { t }) =>
    row.plugin.language ? (
      <span className={`${classes.badge} ${classes.outline}`}>{row.plugin.language}</span>
    ) : (
      <Muted>{t('extensions.unknown')}</Muted>
    ),
};

const symbols: Column = {
  id: 'symbols',
  width: 'minmax(160px, 2fr)',
  render: (row, { t }) => {
    const title = SYMBOL_GROUPS.filter((group) => row.plugin[group].length > 0)
      .map((group) => `${t(`extensions.symbolKinds.${group}`)}: ${row.plugin[group].join(', ')}`)
      .join('\n');
    return (
      <div className={classes.symbols} title={title}>
        {SYMBOL_GROUPS.flatMap((group) =>
          row.plugin[group].map((symbol) => (
            <span key={`${group}/${symbol}`} className={classes.badge} data-group={group}>
              {symbol}
            </span>
          )),
        )}
      </div>
    );
  },
};

const functions: Column = {
  id: 'symbols',
  labelKey: 'extensions.columns.functions',
  width: 'minmax(160px, 2fr)',
  render: (row, { udfs }) => (
    <div className={classes.symbols} title={row.symbols.join(', ')}>
      {row.symbols.map((fn) => (
        <span
          key={fn}
          className={classes.badge}
          data-group={udfs === undefined || udfs.has(fn) ? 'functions' : 'unregistered'}
        >
          {fn}
        </span>
      ))}
    </div>
  ),
};

const installed: Column = {
  id: 'installed',
  width: '150px',
  render: (row, { t, locale, now }) =>
    row.plugin.record ? (
      <time dateTime={row.plugin.record.installedAt} data-locale={locale} onMouseEnter={showExactTime}>
        {formatRelative(row.plugin.record.installedAt, locale, now)}
      </time>
    ) : (
      <Muted>{t('extensions.unknown')}</Muted>
    ),
};

const size: Column = {
  id: 'size',
  width: '104px',
  render: (row, { t, locale }) =>
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
      <Muted>{t('units.unknownSize')}</Muted>
    ),
};

const origin: Column = {
  id: 'origin',
  width: 'minmax(120px, 1.4fr)',
  render: (row, { t }) =>
    row.origin !== undefined ? (
      <span title={row.plugin.record?.source ?? undefined}>{row.origin}</span>
    ) : (
      <Muted>{t('extensions.foundOnDisk')}</Muted>
    ),
};

function actionsColumn(kind: PluginKind): Column {
  return {
    id: 'actions',
    width: kind === 'functions' ? '156px' : '124px',
    render: (row, { t, actions, writeBlocked }) => {
      const pluginName = row.plugin.name;
      return (
        <div className={classes.actions}>
          <RowButton
            label={t('extensions.describe', { name: pluginName })}
            onClick={() => actions.onDescribe(row)}
          >
            <InfoIcon />
          </RowButton>
          <RowButton
            label={t('manage.actions.update', { name: pluginName })}
            blocked={writeBlocked}
            onClick={() => actions.onUpdate(row)}
          >
            <UploadIcon />
          </RowButton>
          {kind === 'functions' && (
            <RowButton
              label={t('manage.actions.register', { name: pluginName })}
              blocked={writeBlocked}
              onClick={() => actions.onRegister(row)}
            >
              <FunctionIcon />
            </RowButton>
          )}
          <RowButton
            label={t('extensions.delete', { name: pluginName })}
            danger
            blocked={writeBlocked}
            onClick={() => actions.onDelete(row)}
          >
            <TrashIcon />
          </RowButton>
        </div>
      );
    },
  };
}

/** The columns of one kind's list; built once per kind, since cells read everything else from the context. */
function columnsFor(kind: PluginKind): Column[] {
  const actions = actionsColumn(kind);
  if (kind === 'portables') return [name, version, language, symbols, installed, size, origin, actions];
  if (kind === 'functions') return [name, version, functions, installed, size, origin, actions];
  return [name, version, installed, size, origin, actions];
}
