import {
  LOCAL_SERVER_ID,
  type FleetPluginAnswer,
  type FleetPluginRequest,
  type FleetPluginsAnswer,
  type FleetProgressEvent,
  type FleetServerResult,
} from '../../../shared/server-dto';
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
  /** Every server's plugins and versions; servers that did not answer come with the reason. */
  plugins: () =>
    requestJson<FleetPluginsAnswer>('/manager/fleet/plugins', {
      timeoutMs: FLEET_LIST_TIMEOUT_MS,
      server: LOCAL_SERVER_ID,
    }),

  /** What the action would do on each server (`dryRun`), touching nothing. */
  preview: (request: Omit<FleetPluginRequest, 'dryRun'>) =>
    requestJson<FleetPluginAnswer>('/manager/fleet/plugins', {
      method: 'POST',
      body: { ...request, dryRun: true },
      timeoutMs: FLEET_LIST_TIMEOUT_MS,
      server: LOCAL_SERVER_ID,
    }).then((answer) => answer.results),
};

/**
 * Runs a fleet action and reports each server's progress as the host streams it (`Accept: text/event-stream`),
 * answering every server's result. A host that answers JSON instead of a stream still gives the results. If the
 * stream ends before the host said it was done, the results so far are kept (each already reported) and the
 * servers without one are answered as failed with a sentence saying the answer was cut off.
 */
export async function runFleetAction(
  request: Omit<FleetPluginRequest, 'dryRun'>,
  onEvent: (event: FleetProgressEvent) => void,
  signal: AbortSignal,
): Promise<FleetServerResult[]> {
  const response = await openEventStream(
    '/manager/fleet/plugins',
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
