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

/**
 * One list row: the host's overview plus the values the list shows, sorts and filters by. Those are derived on
 * first use and kept: the first paint of thousands of rows reads them for the screenful it draws (and the sort
 * column), not for every plugin.
 */
export class PluginRow {
  private originCache: string | null | undefined;
  private installedAtCache: number | null | undefined;
  private symbolsCache: string[] | undefined;
  private haystackCache: string | undefined;

  constructor(readonly plugin: PluginOverview) {}

  /** Unique in the whole window (names are unique per kind). */
  get key(): string {
    return `${this.plugin.kind}/${this.plugin.name}`;
  }

  /** The file name the plugin was installed from; undefined for plugins found on disk. */
  get origin(): string | undefined {
    if (this.originCache === undefined) this.originCache = originFileName(this.plugin.record?.source) ?? null;
    return this.originCache ?? undefined;
  }

  /** Install time in ms since the epoch; undefined without a record or a readable time. */
  get installedAt(): number | undefined {
    if (this.installedAtCache === undefined) {
      const time = this.plugin.record ? Date.parse(this.plugin.record.installedAt) : Number.NaN;
      this.installedAtCache = Number.isNaN(time) ? null : time;
    }
    return this.installedAtCache ?? undefined;
  }

  get size(): number | undefined {
    return this.plugin.record?.installedBytes;
  }

  /** Symbols (portables) or exported functions (function plugins), in display order. */
  get symbols(): string[] {
    const { kind, sources, sinks, functions } = this.plugin;
    this.symbolsCache ??=
      kind === 'portables' ? [...sources, ...sinks, ...functions] : kind === 'functions' ? functions : [];
    return this.symbolsCache;
  }

  /** Lower-case text every filter word is matched against: name, version, language, origin file, symbols. */
  get haystack(): string {
    this.haystackCache ??= [
      this.plugin.name,
      this.plugin.version,
      this.plugin.language ?? '',
      this.origin ?? '',
      ...this.symbols,
    ]
      .join('\n')
      .toLowerCase();
    return this.haystackCache;
  }
}

/** One kind's rows, in the host's order; the values they show are derived when first read. */
export function buildRows(plugins: readonly PluginOverview[], kind: PluginKind): PluginRow[] {
  const rows: PluginRow[] = [];
  for (const plugin of plugins) if (plugin.kind === kind) rows.push(new PluginRow(plugin));
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
    const haystack = row.haystack;
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
    return primary !== 0 || sort.column === 'name' ? primary : compareText(a.plugin.name, b.plugin.name);
  });
}

function sortValueMissing(column: SortColumn, row: PluginRow): boolean {
  if (column === 'installed') return row.installedAt === undefined;
  if (column === 'size') return row.size === undefined;
  if (column === 'origin') return row.origin === undefined;
  return false;
}
