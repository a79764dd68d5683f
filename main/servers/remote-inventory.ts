import { hostMessage } from '../../shared/host-messages.js';
import { NATIVE_KINDS, type NativeKind } from '../../shared/plugin-kinds.js';
import type { NativePluginInfo, PluginOverview, PortablePluginInfo } from '../../shared/plugin-dto.js';
import { boundedParallel } from './bounded-parallel.js';
import type { ServerApi } from './local-server-api.js';
import { ServerAnswerError } from './server-answer.js';

/** Describe requests in flight at once against one server. */
export const DESCRIBE_PARALLEL = 8;

/** The version eKuiper reports for a native plugin deleted since its last restart: gone, though still listed. */
const DELETED_VERSION = '$deleted';

/**
 * A server's plugins as the window's lists read them (`PluginOverview[]`, sorted by kind then name). One of our own
 * hosts answers `GET /manager/plugins` with exactly that, install records included; a plain eKuiper (or NeuronEX)
 * has only its plugin API, so the rows are built from its lists, one describe per native plugin (at most
 * `DESCRIBE_PARALLEL` at once) and the portable list's manifests, without records. A refusal throws
 * `ServerAnswerError` with the server's status and words; a network failure throws as the client threw it.
 */
export async function remoteInventory(api: ServerApi): Promise<PluginOverview[]> {
  const own = await api.request({
    method: 'GET',
    path: '/manager/plugins',
    headers: { accept: 'application/json' },
  });
  if (own.status === 200) {
    const rows = await own.json<unknown>().catch(() => undefined);
    if (Array.isArray(rows)) return rows as PluginOverview[];
  } else if (own.status !== 404) {
    throw await ServerAnswerError.from(own);
  } else {
    await own.dump();
  }
  return ekuiperInventory(api);
}

async function ekuiperInventory(api: ServerApi): Promise<PluginOverview[]> {
  const missing: string[] = [];
  const [natives, portables] = await Promise.all([
    Promise.all(NATIVE_KINDS.map((kind) => nativeRows(api, kind, missing))),
    getList<PortablePluginInfo>(api, '/plugins/portables', missing),
  ]);
  // One list may be missing (a build without native plugins); all of them means this is not eKuiper's plugin API,
  // and "0 plugins" would read as an empty server.
  if (missing.length === NATIVE_KINDS.length + 1) {
    throw new ServerAnswerError(
      404,
      hostMessage('fleetNoPluginRoutes', { paths: missing.sort().join(', ') }),
    );
  }
  const portableRows = portables
    .filter((manifest) => typeof manifest?.name === 'string')
    .map((manifest): PluginOverview => ({
      kind: 'portables',
      name: manifest.name,
      version: manifest.version ?? '',
      functions: manifest.functions ?? [],
      sources: manifest.sources ?? [],
      sinks: manifest.sinks ?? [],
      ...(typeof manifest.language === 'string' ? { language: manifest.language } : {}),
      record: null,
    }))
    .sort(byName);
  return [...natives.flat(), ...portableRows];
}

async function nativeRows(api: ServerApi, kind: NativeKind, missing: string[]): Promise<PluginOverview[]> {
  const names = (await getList<string>(api, `/plugins/${kind}`, missing)).filter(
    (name) => typeof name === 'string',
  );
  const described = await boundedParallel([...new Set(names)].sort(), DESCRIBE_PARALLEL, async (name) => {
    const answer = await api.request({ method: 'GET', path: `/plugins/${kind}/${encodeURIComponent(name)}` });
    // Deleted between the list and the describe: it is not there any more.
    if (answer.status === 404) {
      await answer.dump();
      return undefined;
    }
    if (answer.status !== 200) throw await ServerAnswerError.from(answer);
    return answer.json<NativePluginInfo>();
  });
  return described
    .filter((info): info is NativePluginInfo => info !== undefined && info.version !== DELETED_VERSION)
    .map((info) => ({
      kind,
      name: info.name,
      version: info.version ?? '',
      functions: kind === 'functions' ? (info.functions ?? [info.name]) : [],
      sources: kind === 'sources' ? [info.name] : [],
      sinks: kind === 'sinks' ? [info.name] : [],
      record: null,
    }));
}

/**
 * A list route's array; `null` (Go's nil slice) is empty, and so is a 404: a server built without native or
 * portable plugin support has no such routes (its path is added to `missing`).
 */
async function getList<T>(api: ServerApi, path: string, missing: string[]): Promise<T[]> {
  const answer = await api.request({ method: 'GET', path });
  if (answer.status === 404) {
    await answer.dump();
    missing.push(path);
    return [];
  }
  if (answer.status !== 200) throw await ServerAnswerError.from(answer);
  const list = await answer.json<T[] | null>();
  return Array.isArray(list) ? list : [];
}

const byName = (a: { name: string }, b: { name: string }): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
