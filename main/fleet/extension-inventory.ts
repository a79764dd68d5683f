import { createHash } from 'node:crypto';
import type {
  ExtensionKind,
  FleetExtensionItem,
  FleetExtensionsAnswer,
  FleetServerExtensions,
  JavascriptFunctionBody,
} from '../../shared/extension-fleet.js';
import { hostMessage } from '../../shared/host-messages.js';
import type { ServiceInfo } from '../../shared/service-dto.js';
import { boundedParallel } from '../servers/bounded-parallel.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { DESCRIBE_PARALLEL } from '../servers/remote-inventory.js';
import { ServerAnswerError, failureOf } from '../servers/server-answer.js';
import type { ServerDirectory } from '../servers/server-directory.js';
import { answerJson } from './ekuiper-answer.js';
import { serverApi } from './fleet-inventory.js';

/** Servers asked at once, as for plugins. */
const SERVERS_PARALLEL = 16;

/** What a server has of one kind; `undefined` when its eKuiper lacks the routes (built without them: 404). */
export type Described<T> = { name: string; value: T }[] | undefined;

/** The list route and the describe route of each kind. */
export const LIST_PATH: Record<ExtensionKind, string> = {
  javascript: '/udf/javascript',
  services: '/services',
};

export function extensionPath(kind: ExtensionKind, name: string): string {
  return `${LIST_PATH[kind]}/${encodeURIComponent(name)}`;
}

/**
 * Every JavaScript function or service of a server with its describe answer, at most `DESCRIBE_PARALLEL`
 * describes at once. A 404 for the list means the server's eKuiper was built without the routes (eKuiper's
 * `script` and `service` build tags): `undefined`, not an error. One deleted between the list and its describe
 * (eKuiper answers a missing function with 400, a missing service with 404) is left out. Any other refusal
 * throws `ServerAnswerError` with the server's words.
 */
export async function describeAll<T>(
  api: ServerApi,
  kind: ExtensionKind,
  timeoutMs?: number,
): Promise<Described<T>> {
  const list = await api.request({
    method: 'GET',
    path: LIST_PATH[kind],
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  if (list.status === 404) {
    await list.dump();
    return undefined;
  }
  if (list.status !== 200) throw await ServerAnswerError.from(list);
  const names = await answerJson<unknown>(list, `GET ${LIST_PATH[kind]}`);
  const unique = [...new Set(Array.isArray(names) ? names : [])].filter(
    (name): name is string => typeof name === 'string',
  );
  unique.sort();
  const described = await boundedParallel(unique, DESCRIBE_PARALLEL, async (name): Promise<Entry<T>> => {
    const answer = await api.request({ method: 'GET', path: extensionPath(kind, name) });
    if (answer.status === 404 || (answer.status === 400 && kind === 'javascript')) {
      await answer.dump();
      return undefined;
    }
    if (answer.status !== 200) throw await ServerAnswerError.from(answer);
    const value: T = await answer.json<T>();
    return { name, value };
  });
  return described.filter((entry): entry is { name: string; value: T } => entry !== undefined);
}

type Entry<T> = { name: string; value: T } | undefined;

/** A short hash of a value's JSON with its keys sorted: equal on two servers exactly when the content is. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A function as the fleet view shows it: the script itself is compared by hash, not sent. */
export function javascriptItem(name: string, fn: Partial<JavascriptFunctionBody>): FleetExtensionItem {
  const script = typeof fn.script === 'string' ? fn.script : '';
  const isAgg = fn.isAgg === true;
  return {
    name,
    hash: contentHash({ script, isAgg }),
    description: typeof fn.description === 'string' ? fn.description : '',
    isAgg,
  };
}

/** A service as the fleet view shows it: its interfaces, their protocol, address and SQL functions. */
export function serviceItem(name: string, info: Partial<ServiceInfo>): FleetExtensionItem {
  const interfaces = Object.entries(info.Interfaces ?? {})
    .map(([iface, binding]) => ({
      name: iface,
      protocol: typeof binding?.Protocol === 'string' ? binding.Protocol : '',
      address: typeof binding?.Addr === 'string' ? binding.Addr : '',
      functions: Array.isArray(binding?.Functions)
        ? binding.Functions.filter((f) => typeof f === 'string')
        : [],
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { name, hash: contentHash(info), interfaces };
}

/** One server's JavaScript functions or services for the fleet view; `available` false when it lacks them. */
export async function extensionInventory(
  api: ServerApi,
  kind: ExtensionKind,
): Promise<{ available: boolean; items: FleetExtensionItem[] }> {
  if (kind === 'javascript') {
    const described = await describeAll<Partial<JavascriptFunctionBody>>(api, kind);
    if (described === undefined) return { available: false, items: [] };
    return { available: true, items: described.map(({ name, value }) => javascriptItem(name, value)) };
  }
  const described = await describeAll<Partial<ServiceInfo>>(api, kind);
  if (described === undefined) return { available: false, items: [] };
  return { available: true, items: described.map(({ name, value }) => serviceItem(name, value)) };
}

/**
 * Every listed server's JavaScript functions or services in one answer for the fleet view, asked in parallel. A
 * server whose eKuiper lacks the routes is answered as `available: false` (it said so); one that did not answer
 * is listed with the reason rather than left out.
 */
export async function listFleetExtensions(
  kind: ExtensionKind,
  ids: readonly string[],
  servers: ServerDirectory,
  local: ServerApi,
): Promise<FleetExtensionsAnswer> {
  const rows = await boundedParallel(
    ids,
    SERVERS_PARALLEL,
    async (server): Promise<FleetServerExtensions> => {
      const api = serverApi(servers, local, server);
      const none = { server, ok: false, available: false, items: [] };
      if (api === undefined) return { ...none, message: hostMessage('fleetNoServer', { id: server }) };
      try {
        const { available, items } = await extensionInventory(api, kind);
        const message = available
          ? hostMessage(
              kind === 'javascript' ? 'extensionFleetFunctionCount' : 'extensionFleetServiceCount',
              {
                count: items.length,
              },
            )
          : hostMessage(kind === 'javascript' ? 'extensionFleetNoJavascript' : 'extensionFleetNoServices');
        return { server, ok: true, available, message, items };
      } catch (error) {
        return { ...none, message: failureOf(error, servers.get(server)).message };
      }
    },
  );
  return { kind, servers: rows };
}
