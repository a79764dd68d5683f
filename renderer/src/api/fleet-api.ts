import {
  LOCAL_SERVER_ID,
  type FleetPluginAnswer,
  type FleetPluginRequest,
  type FleetPluginsAnswer,
  type FleetProgressEvent,
  type FleetServerResult,
} from '../../../shared/server-dto';
import type {
  ExtensionExportFile,
  ExtensionImportAnswer,
  ExtensionKind,
  FleetExtensionRequest,
  FleetExtensionsAnswer,
} from '../../../shared/extension-fleet';
import { openEventStream, readEventStream } from './event-stream';
import { requestJson } from './http';

/**
 * Asking every server takes as long as the slowest one (each has its own timeout on the host, up to minutes for
 * a server that hangs): the window waits as long as the host does rather than giving up first.
 */
const FLEET_LIST_TIMEOUT_MS = 5 * 60_000;

/**
 * The fleet routes (`/manager/fleet/plugins`). They belong to this app's own host, which asks or drives every
 * server itself, whichever server the window shows: every call names `local`.
 */
export const fleetApi = {
  /**
   * Every server's plugins and versions, or only `servers`' (`?servers=a,b`); servers that did not answer come
   * with the reason.
   */
  plugins: (servers?: readonly string[]) => fleetList<FleetPluginsAnswer>('plugins', servers),

  /** What the action would do on each server (`dryRun`), touching nothing. */
  preview: (request: Omit<FleetPluginRequest, 'dryRun'>) => previewFleet('/manager/fleet/plugins', request),

  /**
   * Every server's JavaScript functions or services, or only `servers`' (`?servers=a,b`); servers without the
   * routes say so.
   */
  extensions: (kind: ExtensionKind, servers?: readonly string[]) =>
    fleetList<FleetExtensionsAnswer>(kind, servers),

  /** What a JavaScript function or service action would do on each server (`dryRun`). */
  previewExtension: (kind: ExtensionKind, request: Omit<FleetExtensionRequest, 'dryRun'>) =>
    previewFleet(`/manager/fleet/${kind}`, request),

  /** One server's functions and services as eKuiper's export file (with each service zip embedded). */
  exportExtensions: (server: string) =>
    requestJson<ExtensionExportFile>(`/manager/servers/${encodeURIComponent(server)}/extensions/export`, {
      timeoutMs: FLEET_LIST_TIMEOUT_MS,
      server: LOCAL_SERVER_ID,
    }),

  /** Imports an export file into a server, or with `dryRun` says what it would do; one result per item. */
  importExtensions: (server: string, file: unknown, dryRun: boolean) =>
    requestJson<ExtensionImportAnswer>(
      `/manager/servers/${encodeURIComponent(server)}/extensions/import${dryRun ? '?dryRun=true' : ''}`,
      { method: 'POST', body: file, timeoutMs: FLEET_LIST_TIMEOUT_MS, server: LOCAL_SERVER_ID },
    ),
};

/** A fleet list (`GET /manager/fleet/{what}`) of every server, or only of `servers`. */
function fleetList<Answer>(what: 'plugins' | ExtensionKind, servers?: readonly string[]): Promise<Answer> {
  const only = servers === undefined ? '' : `?servers=${servers.map(encodeURIComponent).join(',')}`;
  return requestJson<Answer>(`/manager/fleet/${what}${only}`, {
    timeoutMs: FLEET_LIST_TIMEOUT_MS,
    server: LOCAL_SERVER_ID,
  });
}

/** A fleet route's dry run: each server's plan. */
function previewFleet(path: string, request: object): Promise<FleetServerResult[]> {
  return requestJson<FleetPluginAnswer>(path, {
    method: 'POST',
    body: { ...request, dryRun: true },
    timeoutMs: FLEET_LIST_TIMEOUT_MS,
    server: LOCAL_SERVER_ID,
  }).then((answer) => answer.results);
}

/**
 * Runs a fleet action and reports each server's progress as the host streams it (`Accept: text/event-stream`),
 * answering every server's result. A host that answers JSON instead of a stream still gives the results. If the
 * stream ends before the host said it was done, the results so far are kept (each already reported) and the
 * servers without one are answered as failed with a sentence saying the answer was cut off.
 */
export async function runFleetAction(
  request: { servers: string[] },
  onEvent: (event: FleetProgressEvent) => void,
  signal: AbortSignal,
  path = '/manager/fleet/plugins',
): Promise<FleetServerResult[]> {
  const response = await openEventStream(
    path,
    { method: 'POST', body: JSON.stringify(request) },
    signal,
    LOCAL_SERVER_ID,
  );
  if (!(response.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
    const answer = (await response.json()) as FleetPluginAnswer;
    for (const result of answer.results) onEvent({ type: 'result', result });
    return answer.results;
  }
  const results = new Map<string, FleetServerResult>();
  let done: FleetServerResult[] | undefined;
  try {
    await readEventStream(response.body as NonNullable<Response['body']>, ({ data }) => {
      let event: FleetProgressEvent;
      try {
        event = JSON.parse(data) as FleetProgressEvent;
      } catch {
        return;
      }
      if (event.type === 'result') results.set(event.result.server, event.result);
      if (event.type === 'done') done = event.results;
      onEvent(event);
    });
  } catch (error) {
    if (signal.aborted) throw error;
  }
  if (done !== undefined) return done;
  const cutOff = request.servers
    .filter((server) => !results.has(server))
    .map((server) => ({
      server,
      ok: false,
      status: 0,
      message: CUT_OFF,
      ms: 0,
    }));
  for (const result of cutOff) onEvent({ type: 'result', result });
  return [...results.values(), ...cutOff];
}

/**
 * The message of a server whose result never arrived: the window's own words (not a server's), so the
 * results table can translate it.
 */
export const CUT_OFF = 'the host stopped reporting before this server finished';
