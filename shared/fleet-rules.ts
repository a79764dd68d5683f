import { NATIVE_KINDS, PLUGIN_KINDS, type PluginKind } from './plugin-kinds.js';
import { validateId } from './plugin-names.js';
import type { FleetAction, FleetPluginRequest } from './server-dto.js';

/** How many servers a fleet action runs on at once when the request does not say. */
export const DEFAULT_FLEET_CONCURRENCY = 4;
export const MIN_FLEET_CONCURRENCY = 1;
export const MAX_FLEET_CONCURRENCY = 16;

/** `file` of a fleet install or update that installs each server's own prebuilt plugin of that name. */
export const PREBUILT_FILE = 'prebuilt';

export const FLEET_ACTIONS: readonly FleetAction[] = ['install', 'update', 'delete'];

/** A fleet request after its checks: every field present, `kind` narrowed. */
export interface CheckedFleetRequest extends FleetPluginRequest {
  kind: PluginKind;
  concurrency: number;
  dryRun: boolean;
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks `POST /manager/fleet/plugins` before anything runs: the host answers the first problem with a 400 and
 * touches no server, and the window runs the same checks on its form. `knownServer` says whether an id names a
 * server the host has.
 */
export function checkFleetRequest(
  value: unknown,
  knownServer: (id: string) => boolean,
): { ok: true; request: CheckedFleetRequest } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  if (!isRecord(value)) return fail('the body must be a JSON object');
  const { action, kind, name, file, functions, servers, concurrency, dryRun } = value;
  if (!FLEET_ACTIONS.includes(action as FleetAction)) {
    return fail(`action must be one of ${FLEET_ACTIONS.join(', ')}`);
  }
  if (!PLUGIN_KINDS.includes(kind as PluginKind))
    return fail(`kind must be one of ${PLUGIN_KINDS.join(', ')}`);
  if (typeof name !== 'string') return fail('name must be the plugin name');
  const nameProblem = validateId(name);
  if (nameProblem !== undefined) return fail(nameProblem);

  if (action === 'delete') {
    if (file !== undefined) return fail('a delete takes no file');
  } else if (typeof file !== 'string' || file === '') {
    return fail(
      `an ${action as string} needs file: an http(s) URL, a file:// path on this computer, or "${PREBUILT_FILE}"`,
    );
  } else if (file === PREBUILT_FILE) {
    if (!(NATIVE_KINDS as readonly string[]).includes(kind as string)) {
      return fail(`prebuilt plugins exist for ${NATIVE_KINDS.join(', ')} only, not for ${kind as string}`);
    }
  } else if (!fileProblemFree(file)) {
    return fail(
      `file '${file}' is not an http(s) URL, a file:/// path or "${PREBUILT_FILE}" (a path is written file:///home/me/plugin.zip)`,
    );
  }

  if (functions !== undefined) {
    if (kind !== 'functions') return fail('functions is for function plugins only');
    if (action === 'delete') return fail('a delete takes no functions');
    if (!Array.isArray(functions) || functions.some((item) => typeof item !== 'string' || item === '')) {
      return fail('functions must be a list of function names');
    }
  }

  const targets = checkFleetTargets({ servers, concurrency, dryRun }, knownServer);
  if (!targets.ok) return targets;

  const request: CheckedFleetRequest = {
    action: action as FleetAction,
    kind: kind as PluginKind,
    name,
    ...targets.targets,
  };
  if (typeof file === 'string') request.file = file;
  if (functions !== undefined) request.functions = functions as string[];
  return { ok: true, request };
}

/** The part every fleet request shares: on which servers, how many at once, and whether only to preview. */
export interface FleetTargets {
  servers: string[];
  concurrency: number;
  dryRun: boolean;
}

/**
 * Checks `servers`, `concurrency` and `dryRun` of any fleet request (plugins, JavaScript functions, services) with
 * the same words, so every fleet route refuses the same mistakes the same way.
 */
export function checkFleetTargets(
  value: { servers: unknown; concurrency: unknown; dryRun: unknown },
  knownServer: (id: string) => boolean,
): { ok: true; targets: FleetTargets } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  const { servers, concurrency, dryRun } = value;
  if (!Array.isArray(servers) || servers.length === 0) {
    return fail('servers must list the ids of the servers to act on (GET /manager/servers lists them)');
  }
  if (servers.some((id) => typeof id !== 'string')) return fail('servers must be a list of server ids');
  const ids = servers as string[];
  const twice = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (twice.length > 0) return fail(`servers lists ${quoteList([...new Set(twice)])} more than once`);
  const unknown = ids.filter((id) => !knownServer(id));
  if (unknown.length > 0) {
    return fail(
      `no server has the id ${quoteList(unknown)} (GET /manager/servers lists the servers and their ids)`,
    );
  }

  let parallel = DEFAULT_FLEET_CONCURRENCY;
  if (concurrency !== undefined) {
    if (
      typeof concurrency !== 'number' ||
      !Number.isInteger(concurrency) ||
      concurrency < MIN_FLEET_CONCURRENCY ||
      concurrency > MAX_FLEET_CONCURRENCY
    ) {
      return fail(
        `concurrency must be a whole number from ${MIN_FLEET_CONCURRENCY} to ${MAX_FLEET_CONCURRENCY}`,
      );
    }
    parallel = concurrency;
  }
  if (dryRun !== undefined && typeof dryRun !== 'boolean') return fail('dryRun must be true or false');
  return { ok: true, targets: { servers: ids, concurrency: parallel, dryRun: dryRun === true } };
}

/** An http(s) URL with a host, or a `file:///` URL with a path: what the desktop can read or download. */
export function fileProblemFree(file: string): boolean {
  let url: URL;
  try {
    url = new URL(file);
  } catch {
    return false;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'file:' && file.toLowerCase().startsWith('file:///') && url.pathname.length > 1;
}

function quoteList(ids: string[]): string {
  return ids.map((id) => `'${id}'`).join(', ');
}
