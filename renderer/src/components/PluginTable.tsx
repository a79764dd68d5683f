import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type MouseEvent,
  type ReactNode,
} from 'react';
import { flushSync } from 'react-dom';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PluginKind } from '../../../shared/plugin-dto';
import { formatBytes, formatDateTime, formatRelative } from '../lib/format';
import {
  observeOffsetNotingMoves,
  observeRectAfterLayout,
  scrollUnlessAtTop,
} from '../lib/layout-free-virtualizer';
import type { PluginRow, SortColumn, SortState } from '../lib/plugin-rows';
import { ROW_ICON_SHAPES, iconMaskUrl, type RowIcon } from './icon-shapes';
import classes from './PluginTable.module.css';

/** The row buttons' icon masks, as custom properties the stylesheet reads (`--row-icon-info`, …). */
const ROW_ICON_MASKS = Object.fromEntries(
  Object.entries(ROW_ICON_SHAPES).map(([icon, shapes]) => [`--row-icon-${icon}`, iconMaskUrl(shapes)]),
) as CSSProperties;

/** Height of one row; fixed, so the virtualiser never has to measure. */
export const ROW_HEIGHT = 44;
/** Height of the header row, which sits above the rows in the same scrolling box. */
export const HEADER_HEIGHT = 40;

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
  labels: RowLabels;
  locale: string;
  now: number;
  udfs: ReadonlySet<string> | undefined;
  actions: RowActions;
  /** Why update, register and delete are unavailable (a read-only server); undefined when they are. */
  writeBlocked: string | undefined;
}

/**
 * The translated texts every row repeats, looked up once per language instead of a few times per row: i18next's
 * lookup and interpolation were a tenth of the list's first render.
 */
interface RowLabels {
  describe: (name: string) => string;
  update: (name: string) => string;
  register: (name: string) => string;
  remove: (name: string) => string;
  zipSize: (values: { size: string; installed: string }) => string;
  symbolKinds: Record<(typeof SYMBOL_GROUPS)[number], string>;
}

/**
 * A translation with placeholders filled in later: translated once with markers (private-use characters no
 * translation holds), then split at them.
 */
function template<Name extends string>(t: TFunction, key: string, names: readonly Name[]) {
  const marker = (index: number) => `\uE000${index}\uE000`;
  const parts = t(key, Object.fromEntries(names.map((name, index) => [name, marker(index)]))).split(
    /\uE000(\d+)\uE000/,
  );
  // Odd parts are the markers' indexes.
  return (values: Record<Name, string>) =>
    parts.map((part, index) => (index % 2 === 0 ? part : values[names[Number(part)]!])).join('');
}

function rowLabels(t: TFunction): RowLabels {
  const withName = (key: string) => {
    const fill = template(t, key, ['name']);
    return (name: string) => fill({ name });
  };
  return {
    describe: withName('extensions.describe'),
    update: withName('manage.actions.update'),
    register: withName('manage.actions.register'),
    remove: withName('extensions.delete'),
    zipSize: template(t, 'extensions.zipSize', ['size', 'installed']),
    symbolKinds: {
      sources: t('extensions.symbolKinds.sources'),
      sinks: t('extensions.symbolKinds.sinks'),
      functions: t('extensions.symbolKinds.functions'),
    },
  };
}

/** One column of the table, with how it gives way when the window narrows. */
export interface Column {
  id: SortColumn | 'actions';
  /** Translation key of the header when it differs from `extensions.columns.{id}`. */
  labelKey?: string;
  /** The narrowest it may be, in px: a fixed column is exactly this wide. */
  min: number;
  /** Its share (`fr`) of the room left once every shown column has its minimum; 0 for a fixed width. */
  grow: number;
  /**
   * Lower stays longer: a table too narrow for every column hides the highest numbers first. The name and the
   * actions (0) always stay; what a hidden column said is in the describe drawer.
   */
  priority: number;
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
    // The rows start below the header, which scrolls with them sideways and stays on top.
    scrollMargin: HEADER_HEIGHT,
    // About the list's height until it is measured (the window's, less the header, title, tabs and filter above
    // it): the first render already draws the rows a screen holds, instead of none. The overscan covers a guess
    // a few rows short.
    initialRect: {
      width: 0,
      height: typeof window === 'undefined' ? 0 : Math.max(0, window.innerHeight - 200),
    },
    // No forced layout while React commits (see layout-free-virtualizer.ts).
    observeElementRect: observeRectAfterLayout,
    observeElementOffset: observeOffsetNotingMoves,
    scrollToFn: scrollUnlessAtTop,
    getItemKey: (index) => rows[index]?.key ?? index,
  });

  const allColumns = useMemo(() => columnsFor(kind), [kind]);
  const shownIds = useColumnsThatFit(scrollRef, allColumns);
  const columns = useMemo(
    () => allColumns.filter((column) => shownIds === undefined || shownIds.includes(column.id)),
    [allColumns, shownIds],
  );
  const template = columns.map(columnTrack).join(' ');
  const minWidth = columns.reduce((sum, column) => sum + column.min, 0);
  const labels = useMemo(() => rowLabels(t), [t]);
  const context = useMemo<CellContext>(
    () => ({ kind, t, labels, locale, now, udfs, actions, writeBlocked }),
    [kind, t, labels, locale, now, udfs, actions, writeBlocked],
  );

  return (
    <div className={classes.frame} style={ROW_ICON_MASKS}>
      {/* One box scrolls both ways, so the header always sits over its columns. */}
      <div ref={scrollRef} className={classes.scroller}>
        <div
          className={classes.inner}
          role="table"
          aria-label={t(`extensions.tabs.${kind}`)}
          aria-rowcount={rows.length + 1}
          style={{ minWidth }}
        >
          <div role="rowgroup" className={classes.headerGroup}>
            <div
              className={classes.header}
              role="row"
              aria-rowindex={1}
              style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}
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
                    className={classes.sortHeader}
                    aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      className={classes.sortButton}
                      onClick={() => onSort(sortColumn)}
                      title={t('extensions.sortBy', { column: label })}
                    >
                      <span className={classes.headerLabel}>{label}</span>
                      <span aria-hidden="true" className={active ? undefined : classes.muted}>
                        {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  </div>
                );
              })}
            </div>
          </div>
          <div
            role="rowgroup"
            data-testid="plugin-rows"
            style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
          >
            {virtualizer.getVirtualItems().map((item) => (
              <TableRow
                key={item.key}
                row={rows[item.index]!}
                index={item.index}
                start={item.start - HEADER_HEIGHT}
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

/** A column's track in the grid template: fixed, or growing from its minimum. */
function columnTrack(column: Column): string {
  return column.grow === 0 ? `${column.min}px` : `minmax(${column.min}px, ${column.grow}fr)`;
}

/**
 * The columns to show in `width` px: by priority, each that still fits beside those already chosen, in the
 * table's own order. The name and the actions always stay (below their width the table scrolls sideways).
 * `width` 0 means "not laid out yet": every column.
 */
export function columnsThatFit(columns: readonly Column[], width: number): Column[] {
  if (width <= 0) return [...columns];
  const chosen = new Set<Column>();
  let used = 0;
  for (const column of [...columns].sort((a, b) => a.priority - b.priority)) {
    if (column.priority === 0 || used + column.min <= width) {
      chosen.add(column);
      used += column.min;
    }
  }
  return columns.filter((column) => chosen.has(column));
}

/**
 * The ids of the columns that fit the scrolling box, following its width (the window, the navigation folding,
 * a vertical scrollbar appearing); `undefined` while every column fits, which is also what it assumes before it
 * has measured, so a wide window renders its rows once. Kept as ids, so a resize that changes nothing re-renders
 * nothing.
 */
function useColumnsThatFit(
  box: { readonly current: HTMLElement | null },
  columns: readonly Column[],
): readonly string[] | undefined {
  const [ids, setIds] = useState<string | undefined>();
  useLayoutEffect(() => {
    const element = box.current;
    if (element === null) return;
    // Measured when the ResizeObserver reports, after the browser's own layout and before it paints, rather than
    // by reading the width here, which would force a layout of the whole page in the middle of React's commit.
    // flushSync applies the columns before that paint, so a narrow window never shows them overflowing.
    const observer = new ResizeObserver(() => {
      const fit = columnsThatFit(columns, element.clientWidth);
      // Every column fitting is the state it starts in: no second render of the rows on a wide window.
      const next = fit.length === columns.length ? undefined : fit.map((column) => column.id).join(' ');
      flushSync(() => setIds(next));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [box, columns]);
  return useMemo(() => ids?.split(' '), [ids]);
}

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
 * An icon button with the same label for assistive technology and as its hover title, its icon drawn by the
 * stylesheet (`data-icon`); `blocked` disables it and says why in the title and its description.
 */
function RowButton({
  label,
  icon,
  danger,
  blocked,
  onClick,
}: {
  label: string;
  icon: RowIcon;
  danger?: boolean;
  blocked?: string | undefined;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className={danger ? `${classes.iconButton} ${classes.danger}` : classes.iconButton}
      data-icon={icon}
      aria-label={label}
      aria-description={blocked}
      title={blocked === undefined ? label : `${label}: ${blocked}`}
      disabled={blocked !== undefined}
      onClick={onClick}
    />
  );
}

const name: Column = {
  id: 'name',
  min: 140,
  grow: 1.6,
  priority: 0,
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
  min: 96,
  grow: 0,
  priority: 2,
  render: (row, { t }) =>
    row.plugin.version === '' ? (
      <Muted>{t('extensions.noVersion')}</Muted>
    ) : (
      <span title={row.plugin.version}>{row.plugin.version}</span>
    ),
};

const language: Column = {
  id: 'language',
  min: 112,
  grow: 0,
  priority: 5,
  render: (row, { t }) =>
    row.plugin.language ? (
      <span className={`${classes.badge} ${classes.outline}`}>{row.plugin.language}</span>
    ) : (
      <Muted>{t('extensions.unknown')}</Muted>
    ),
};

const symbols: Column = {
  id: 'symbols',
  min: 160,
  grow: 2,
  priority: 1,
  render: (row, { labels }) => {
    const title = SYMBOL_GROUPS.filter((group) => row.plugin[group].length > 0)
      .map((group) => `${labels.symbolKinds[group]}: ${row.plugin[group].join(', ')}`)
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
  min: 160,
  grow: 2,
  priority: 1,
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
  min: 140,
  grow: 0,
  priority: 3,
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
  min: 92,
  grow: 0,
  priority: 6,
  render: (row, { t, labels, locale }) =>
    row.plugin.record ? (
      <span
        title={labels.zipSize({
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
  min: 120,
  grow: 1.4,
  priority: 4,
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
    min: kind === 'functions' ? 156 : 124,
    grow: 0,
    priority: 0,
    render: (row, { labels, actions, writeBlocked }) => {
      const pluginName = row.plugin.name;
      return (
        <div className={classes.actions}>
          <RowButton
            label={labels.describe(pluginName)}
            icon="info"
            onClick={() => actions.onDescribe(row)}
          />
          <RowButton
            label={labels.update(pluginName)}
            icon="update"
            blocked={writeBlocked}
            onClick={() => actions.onUpdate(row)}
          />
          {kind === 'functions' && (
            <RowButton
              label={labels.register(pluginName)}
              icon="functions"
              blocked={writeBlocked}
              onClick={() => actions.onRegister(row)}
            />
          )}
          <RowButton
            label={labels.remove(pluginName)}
            icon="delete"
            danger
            blocked={writeBlocked}
            onClick={() => actions.onDelete(row)}
          />
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
