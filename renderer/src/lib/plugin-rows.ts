import type { PluginKind, PluginOverview } from '../../../shared/plugin-dto';
import { originFileName } from './format';
import { compareText } from './text-order';

/** The columns a list can sort by. */
export type SortColumn = 'name' | 'version' | 'language' | 'symbols' | 'installed' | 'size' | 'origin';
export type SortDirection = 'asc' | 'desc';
export interface SortState {
  column: SortColumn;
  direction: SortDirection;
}

/** One list row: the host's overview plus the derived values the list shows, sorts and filters by. */
export interface PluginRow {
  key: string;
  plugin: PluginOverview;
  origin: string | undefined;
  installedAt: number | undefined;
  size: number | undefined;
  /** Symbols (portables) or exported functions (function plugins), in display order. */
  symbols: string[];
  /** Lower-case text every filter word is matched against; see `haystackOf`, which fills it on first use. */
  haystack?: string;
}

/**
 * The lower-case text a filter matches against (name, version, language, origin file, symbols), built the first
 * time a filter needs it and kept on the row: the first paint of thousands of rows does not pay for it.
 */
export function haystackOf(row: PluginRow): string {
  row.haystack ??= [
    row.plugin.name,
    row.plugin.version,
    row.plugin.language ?? '',
    row.origin ?? '',
    ...row.symbols,
  ]
    .join('\n')
    .toLowerCase();
  return row.haystack;
}

/**
 * Derives the rows of one kind once per load, so sorting thousands of rows only touches precomputed values
 * (filtering adds the text it matches on first use, see `haystackOf`).
 */
export function buildRows(plugins: readonly PluginOverview[], kind: PluginKind): PluginRow[] {
  const rows: PluginRow[] = [];
  for (const plugin of plugins) {
    if (plugin.kind !== kind) continue;
    const origin = originFileName(plugin.record?.source);
    const symbols =
      kind === 'portables'
        ? [...plugin.sources, ...plugin.sinks, ...plugin.functions]
        : kind === 'functions'
          ? plugin.functions
          : [];
    const installedAt = plugin.record ? Date.parse(plugin.record.installedAt) : undefined;
    rows.push({
      key: `${plugin.kind}/${plugin.name}`,
      plugin,
      origin,
      installedAt: installedAt !== undefined && Number.isNaN(installedAt) ? undefined : installedAt,
      size: plugin.record?.installedBytes,
      symbols,
    });
  }
  return rows;
}

/** Keeps the rows containing every whitespace-separated word of `filter` (case-insensitive). */
export function filterRows(rows: readonly PluginRow[], filter: string): readonly PluginRow[] {
  const words = filter
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const haystack = haystackOf(row);
    return words.every((word) => haystack.includes(word));
  });
}

function compareOptional<T>(a: T | undefined, b: T | undefined, compare: (x: T, y: T) => number): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return compare(a, b);
}

function compareBy(column: SortColumn, a: PluginRow, b: PluginRow): number {
  switch (column) {
    case 'name':
      return compareText(a.plugin.name, b.plugin.name);
    case 'version':
      return compareText(a.plugin.version, b.plugin.version);
    case 'language':
      return compareText(a.plugin.language ?? '', b.plugin.language ?? '');
    case 'symbols':
      return compareText(a.symbols.join(','), b.symbols.join(','));
    case 'installed':
      return compareOptional(a.installedAt, b.installedAt, (x, y) => x - y);
    case 'size':
      return compareOptional(a.size, b.size, (x, y) => x - y);
    case 'origin':
      return compareOptional(a.origin, b.origin, compareText);
  }
}

/**
 * Sorts by one column with the name as tie-breaker (so equal values keep a stable, readable order); rows without
 * a value (plugins found on disk) go last in both directions.
 */
export function sortRows(rows: readonly PluginRow[], sort: SortState): PluginRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const missingA = sortValueMissing(sort.column, a);
    const missingB = sortValueMissing(sort.column, b);
    if (missingA !== missingB) return missingA ? 1 : -1;
    const primary = compareBy(sort.column, a, b) * sign;
    return primary !== 0 ? primary : compareText(a.plugin.name, b.plugin.name);
  });
}

function sortValueMissing(column: SortColumn, row: PluginRow): boolean {
  if (column === 'installed') return row.installedAt === undefined;
  if (column === 'size') return row.size === undefined;
  if (column === 'origin') return row.origin === undefined;
  return false;
}
