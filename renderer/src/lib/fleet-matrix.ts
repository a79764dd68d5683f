import type { PluginKind } from '../../../shared/plugin-kinds';
import type { FleetExtensionItem, FleetExtensionsAnswer } from '../../../shared/extension-fleet';
import type { FleetPlugin, FleetPluginsAnswer, ServerInfo } from '../../../shared/server-dto';
import { compareText } from './text-order';

/** One server as a column of the fleet matrix. */
export interface FleetColumn {
  id: string;
  name: string;
  /** The server as listed (health included); undefined for a server answered but no longer listed. */
  server: ServerInfo | undefined;
  /** The server listed its plugins; when false its cells are unknown, never "missing". */
  answered: boolean;
  /** Why the server's plugins could not be listed (its own words or the host's), `''` when it answered. */
  message: string;
  /** How many plugins it has, when it answered. */
  count: number;
  /** False where the server answered that it cannot have such things at all (its eKuiper lacks the routes). */
  available?: boolean;
  /** The server is being asked right now; its cells show its last answer, or unknown before its first. */
  pending?: boolean;
}

/** What one server has of one plugin. */
export type FleetCell =
  | {
      state: 'present';
      version: string;
      status?: string | undefined;
      errMsg?: string | undefined;
      /** Functions and services: what the server has, in a few words (a service's protocol and address). */
      label?: string;
    }
  | { state: 'missing' }
  /** The server did not answer: whether it has the plugin is not known. */
  | { state: 'unknown' }
  /** The server cannot have it: its eKuiper was built without the routes (JavaScript functions, services). */
  | { state: 'unavailable' };

/** Why a row counts as drift. */
export interface FleetDrift {
  /** Answered servers that lack the plugin. */
  missingOn: string[];
  /** The versions found, when they differ (sorted, `''` for "no version"). */
  versions: string[];
  /** Servers where the (portable) plugin is in `error`. */
  errorOn: string[];
}

export interface FleetRow {
  /** `kind/name`. */
  key: string;
  kind: string;
  name: string;
  /** By server id, one per column. */
  cells: Record<string, FleetCell>;
  /** Undefined when every answered server has the plugin at the same version and none is in error. */
  drift: FleetDrift | undefined;
  /** The version most servers have: others are marked as differing. */
  commonVersion: string | undefined;
}

export interface FleetMatrix {
  columns: FleetColumn[];
  rows: FleetRow[];
}

/** The order of kinds, as the Extensions page's tabs: portables first, then the native kinds. */
const KIND_ORDER: readonly string[] = ['portables', 'sources', 'sinks', 'functions'];

const kindRank = (kind: string): number => {
  const rank = KIND_ORDER.indexOf(kind);
  return rank < 0 ? KIND_ORDER.length : rank;
};

/** A portable plugin whose process could not start or died: eKuiper's `error` status. */
export function isErrorPlugin(plugin: Pick<FleetPlugin, 'status'>): boolean {
  return plugin.status === 'error';
}

/**
 * Lays the fleet's answer out as plugins × servers. Columns follow the server list (`local` first); a server in
 * the answer but not in the list (removed meanwhile) still gets its column. A server that did not answer has
 * unknown cells, so a plugin is only "missing" where a server said it lacks it. Servers in `pending` are being
 * asked: their columns say so.
 */
export function buildFleetMatrix(
  servers: readonly ServerInfo[],
  answer: FleetPluginsAnswer | undefined,
  pending: readonly string[] = [],
): FleetMatrix {
  const byServer = new Map((answer?.servers ?? []).map((entry) => [entry.server, entry]));
  const columns: FleetColumn[] = servers.map((server) => {
    const entry = byServer.get(server.id);
    return {
      id: server.id,
      name: server.name,
      server,
      answered: entry?.ok ?? false,
      message: entry === undefined ? '' : entry.ok ? '' : entry.message,
      count: entry?.ok === true ? entry.plugins.length : 0,
      ...(pending.includes(server.id) ? { pending: true } : {}),
    };
  });
  for (const entry of answer?.servers ?? []) {
    if (servers.some((server) => server.id === entry.server)) continue;
    columns.push({
      id: entry.server,
      name: entry.server,
      server: undefined,
      answered: entry.ok,
      message: entry.ok ? '' : entry.message,
      count: entry.ok ? entry.plugins.length : 0,
    });
  }

  const found = new Map<string, { kind: string; name: string; on: Map<string, FleetPlugin> }>();
  for (const column of columns) {
    const entry = byServer.get(column.id);
    if (entry === undefined || !entry.ok) continue;
    for (const plugin of entry.plugins) {
      const key = `${plugin.kind}/${plugin.name}`;
      let row = found.get(key);
      if (row === undefined) {
        row = { kind: plugin.kind, name: plugin.name, on: new Map() };
        found.set(key, row);
      }
      row.on.set(column.id, plugin);
    }
  }

  const rows: FleetRow[] = [...found.entries()].map(([key, { kind, name, on }]) => {
    const cells: Record<string, FleetCell> = {};
    for (const column of columns) {
      const plugin = on.get(column.id);
      cells[column.id] = !column.answered
        ? { state: 'unknown' }
        : plugin === undefined
          ? { state: 'missing' }
          : { state: 'present', version: plugin.version, status: plugin.status, errMsg: plugin.errMsg };
    }
    return { key, kind, name, cells, ...driftOf(columns, on) };
  });
  rows.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || compareText(a.name, b.name));
  return { columns, rows };
}

function driftOf(
  columns: readonly FleetColumn[],
  on: ReadonlyMap<string, FleetPlugin>,
): Pick<FleetRow, 'drift' | 'commonVersion'> {
  const missingOn = columns.filter((column) => column.answered && !on.has(column.id)).map((c) => c.id);
  const counts = new Map<string, number>();
  for (const plugin of on.values()) counts.set(plugin.version, (counts.get(plugin.version) ?? 0) + 1);
  const versions = [...counts.keys()].sort(compareText);
  // The most common version; on a tie, the highest, which is what the others are likely behind.
  let commonVersion: string | undefined;
  for (const version of versions) {
    if (commonVersion === undefined || (counts.get(version) ?? 0) >= (counts.get(commonVersion) ?? 0)) {
      commonVersion = version;
    }
  }
  const errorOn = [...on.entries()].filter(([, plugin]) => isErrorPlugin(plugin)).map(([id]) => id);
  const differs = versions.length > 1;
  if (missingOn.length === 0 && !differs && errorOn.length === 0) return { drift: undefined, commonVersion };
  return { drift: { missingOn, versions: differs ? versions : [], errorOn }, commonVersion };
}

export interface FleetFilter {
  /** A kind, or `all`. */
  kind: PluginKind | 'all';
  /** Matched against the name, case-insensitively. */
  text: string;
  onlyDrift: boolean;
}

export const NO_FLEET_FILTER: FleetFilter = { kind: 'all', text: '', onlyDrift: false };

/** The rows the filter lets through, in their order. */
export function filterFleetRows(rows: readonly FleetRow[], filter: FleetFilter): FleetRow[] {
  const needle = filter.text.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (filter.kind === 'all' || row.kind === filter.kind) &&
      (!filter.onlyDrift || row.drift !== undefined) &&
      (needle === '' || row.name.toLowerCase().includes(needle)),
  );
}

/** Servers that answered and lack the plugin: where "Install on missing servers" goes. */
export function serversMissing(row: FleetRow): string[] {
  return Object.entries(row.cells)
    .filter(([, cell]) => cell.state === 'missing')
    .map(([id]) => id);
}

/** Servers that have the plugin: where "Update everywhere" and "Delete everywhere" go. */
export function serversHaving(row: FleetRow): string[] {
  return Object.entries(row.cells)
    .filter(([, cell]) => cell.state === 'present')
    .map(([id]) => id);
}

/** Whether a present cell's version differs from the row's common one (shown marked). */
export function differsFromCommon(row: FleetRow, cell: FleetCell): boolean {
  return (
    cell.state === 'present' &&
    row.drift !== undefined &&
    row.drift.versions.length > 0 &&
    cell.version !== row.commonVersion
  );
}

/**
 * The fleet's answer for JavaScript functions or services as the same matrix, functions or services × servers:
 * a cell's "version" is the item's content hash, so a script that differs between servers shows as drift just as
 * a version does; a server whose eKuiper lacks the routes gets `unavailable` cells and a column saying so (never
 * "missing", never drift). Servers in `pending` are being asked, as in `buildFleetMatrix`.
 */
export function buildExtensionMatrix(
  servers: readonly ServerInfo[],
  answer: FleetExtensionsAnswer | undefined,
  pending: readonly string[] = [],
): FleetMatrix {
  const matrix = buildFleetMatrix(
    servers,
    answer === undefined
      ? undefined
      : {
          servers: answer.servers.map((entry) => ({
            server: entry.server,
            ok: entry.ok && entry.available,
            message: entry.message,
            plugins: entry.items.map((item) => ({ kind: answer.kind, name: item.name, version: item.hash })),
          })),
        },
    pending,
  );
  const unavailable = new Set(
    (answer?.servers ?? []).filter((entry) => entry.ok && !entry.available).map((entry) => entry.server),
  );
  for (const column of matrix.columns) if (unavailable.has(column.id)) column.available = false;
  const items = new Map(
    (answer?.servers ?? []).map((entry) => [
      entry.server,
      new Map(entry.items.map((item) => [item.name, item])),
    ]),
  );
  for (const row of matrix.rows) {
    for (const id of unavailable) row.cells[id] = { state: 'unavailable' };
    for (const [id, cell] of Object.entries(row.cells)) {
      const item = items.get(id)?.get(row.name);
      if (cell.state === 'present' && item !== undefined) cell.label = itemLabel(item);
    }
  }
  return matrix;
}

/** A service's first interface as `rest http://…` (and how many more); nothing for a function. */
function itemLabel(item: FleetExtensionItem): string {
  const [first, ...others] = item.interfaces ?? [];
  if (first === undefined) return '';
  const text = [first.protocol, first.address].filter(Boolean).join(' ');
  return others.length > 0 ? `${text} +${others.length}` : text;
}
