import { hostMessage } from '../../shared/host-messages.js';
import { copyFile, link, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PREBUILT_FILE, type CheckedFleetRequest } from '../../shared/fleet-rules.js';
import {
  LOCAL_SERVER_ID,
  type FleetProgressEvent,
  type FleetServerResult,
  type ServerInfo,
} from '../../shared/server-dto.js';
import { boundedParallel } from '../servers/bounded-parallel.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { ServerAnswerError, failureOf } from '../servers/server-answer.js';
import type { ServerDirectory } from '../servers/server-directory.js';
import { changeTimeoutMs } from '../servers/timeouts.js';
import type { HostSettings } from '../settings/host-settings.js';
import { serverApi } from './fleet-inventory.js';
import { planOnServer, readOnlySkip } from './fleet-plan.js';
import {
  answersWithin,
  deletePlugin,
  deleteUpload,
  fileUrlOf,
  installFrom,
  prebuiltUrl,
  uploadTimeoutMs,
  uploadZip,
  type StepAnswer,
} from './fleet-steps.js';
import { freshUploadName, obtainFleetZip, type FleetZip } from './fleet-zip.js';

/** What a fleet action needs of the host: its servers, itself as `local`, and its settings and uploads folder. */
export interface FleetContext {
  servers: ServerDirectory;
  /** The host's own API, answered in process. */
  local: ServerApi;
  settings: () => HostSettings;
  /** The host's `data/uploads`: where `local` reads a zip from when it refuses files elsewhere. */
  uploadsDir: string;
  /** A service of the host itself as the zip of the files it brought, with its install file (for export). */
  hostService?: (name: string) => Promise<{ file: string; zip: Uint8Array } | undefined>;
}

/** Upload progress is reported at most this often per server. */
const UPLOAD_REPORT_MS = 200;

/**
 * Gets what a fleet action needs before any server is touched: the zip, read once on this computer and checked
 * with the window's rules (a `PluginError` when it cannot be had or no server would accept it). Delete and
 * `prebuilt` need nothing.
 */
export async function prepareFleetAction(
  request: CheckedFleetRequest,
  context: FleetContext,
): Promise<FleetZip | undefined> {
  if (request.action === 'delete' || request.file === undefined || request.file === PREBUILT_FILE)
    return undefined;
  return obtainFleetZip(request.file, request.kind, request.name, context.settings(), context.uploadsDir);
}

/**
 * Runs a fleet action on its servers, `request.concurrency` at a time, and answers one result per server in the
 * request's order: the server's status and its own message. One server's failure (refused, unreachable, timed out)
 * is its result and never stops the others. `onEvent` hears each server queued, its phases, upload bytes and
 * result, then `done`. Once `cancelled` aborts, servers not yet started are not started (see `runOnServers`).
 * The zip's temp folder is removed at the end, whatever happened.
 */
export async function runFleetAction(
  request: CheckedFleetRequest,
  zip: FleetZip | undefined,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void = () => {},
  cancelled?: AbortSignal,
): Promise<FleetServerResult[]> {
  return runWithZip(
    zip,
    request,
    context,
    onEvent,
    (server, info, api) => onServer(server, info, api, request, zip, context, onEvent),
    cancelled,
  );
}

/** `runOnServers` on a request's servers and concurrency, the zip's temp folder removed at the end whatever happened. */
export async function runWithZip(
  zip: FleetZip | undefined,
  request: { servers: readonly string[]; concurrency: number },
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
  work: (server: string, info: ServerInfo, api: ServerApi) => Promise<ServerOutcome>,
  cancelled?: AbortSignal,
): Promise<FleetServerResult[]> {
  try {
    return await runOnServers(request.servers, request.concurrency, context, onEvent, work, cancelled);
  } finally {
    await zip?.dispose();
  }
}

/** What happened on one server, before the runner adds its id and time. */
export type ServerOutcome = Omit<FleetServerResult, 'server' | 'ms'>;

/**
 * The fleet's runner for any kind of extension: `work` runs on each server, `concurrency` at a time, with the
 * server's listing and API; the results come back in the servers' order. A server removed meanwhile, or `work`
 * throwing (unreachable, timed out, refused), is that server's result and never stops the others. `onEvent` hears
 * each server queued and its result, then `done`. When `cancelled` aborts (the caller hung up), the servers
 * already running finish — stopping one halfway would leave it between two versions with an upload behind — and
 * those not yet started are not started: each answers that it was not, so a retry knows where to go on.
 */
export async function runOnServers(
  servers: readonly string[],
  concurrency: number,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
  work: (server: string, info: ServerInfo, api: ServerApi) => Promise<ServerOutcome>,
  cancelled?: AbortSignal,
): Promise<FleetServerResult[]> {
  for (const server of servers) onEvent({ type: 'queued', server });
  const results = await boundedParallel(servers, concurrency, async (server) => {
    const started = performance.now();
    const info = context.servers.get(server);
    const api = serverApi(context.servers, context.local, server);
    const outcome: ServerOutcome =
      cancelled?.aborted === true
        ? { ok: false, status: 0, message: hostMessage('fleetNotStarted') }
        : info === undefined || api === undefined
          ? { ok: false, status: 0, message: hostMessage('fleetServerGone', { id: server }) }
          : await work(server, info, api).catch((error: unknown) => failure(error, info));
    const result: FleetServerResult = { server, ...outcome, ms: Math.round(performance.now() - started) };
    onEvent({ type: 'result', result });
    return result;
  });
  onEvent({ type: 'done', results });
  return results;
}

/** A server's answer to a step as its result; `note` adds to its words (an upload that could not be removed). */
export function answered(
  answer: StepAnswer,
  note: (message: string) => string = (message) => message,
): ServerOutcome {
  return { ok: answer.ok, status: answer.status, message: note(answer.message) };
}

function failure(error: unknown, info: ServerInfo | undefined): ServerOutcome {
  return { ok: false, ...failureOf(error, info) };
}

async function onServer(
  server: string,
  info: ServerInfo,
  api: ServerApi,
  request: CheckedFleetRequest,
  zip: FleetZip | undefined,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
): Promise<ServerOutcome> {
  const readTimeout = info.timeoutMs;
  const changeTimeout = changeTimeoutMs(info.timeoutMs);
  if (request.dryRun) return planOnServer(api, info, request, zip?.version, readTimeout);

  const { kind, name } = request;
  const refused = await refusedBeforeChange(info, api, request.action);
  if (refused !== undefined) return refused;
  if (request.action === 'delete') {
    onEvent({ type: 'phase', server, phase: 'delete' });
    return answered(await deletePlugin(api, kind, name, changeTimeout));
  }
  const update = request.action === 'update';
  if (zip === undefined) {
    const prebuilt = await prebuiltUrl(api, kind, name, readTimeout);
    if (!('url' in prebuilt)) return { ok: false, status: prebuilt.status, message: prebuilt.message };
    onEvent({ type: 'phase', server, phase: 'install' });
    return answered(
      await installFrom(api, update, kind, name, prebuilt.url, request.functions, changeTimeout),
    );
  }
  return installZip(server, info, api, zip, context, onEvent, (file) =>
    installFrom(api, update, kind, name, file, request.functions, changeTimeout),
  );
}

/**
 * What every change on a server goes through first, plugins and extensions alike: an account that may only read
 * is skipped with the preview's words (it would refuse the change after the whole zip was sent), and a server
 * that does not answer `/ping` within its own timeout fails there (throwing) rather than after the change's
 * minutes. Undefined when the change may go ahead.
 */
export async function refusedBeforeChange(
  info: ServerInfo,
  api: ServerApi,
  action: string,
): Promise<ServerOutcome | undefined> {
  const readOnly = readOnlySkip(info, action);
  if (readOnly !== undefined) return { ok: false, status: 0, message: readOnly };
  await answersWithin(api, info.timeoutMs);
  return undefined;
}

/**
 * Puts a zip read on this computer where a server can read it, runs `install` with its `file:` URL, and removes
 * it again: a remote server gets it uploaded to its `POST /config/uploads` (progress reported) and the upload is
 * removed whatever the install's outcome — a failed removal is said, not hidden — and also when the upload itself
 * failed (a broken connection, a lost answer, a gateway's 502 or 504: the server may have stored it); `local`
 * reads it from this computer, placed in its `data/uploads` when it reads files only there
 * (`allowExternalFileAccess` off).
 */
export async function installZip(
  server: string,
  info: ServerInfo,
  api: ServerApi,
  zip: FleetZip,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
  install: (file: string) => Promise<StepAnswer>,
): Promise<ServerOutcome> {
  if (server === LOCAL_SERVER_ID) return installOnLocal(zip, context, onEvent, install);
  // Two entries of the list may be one server (directly and through NeuronEX): each upload its own name.
  zip = freshUploadName(zip);

  onEvent({ type: 'phase', server, phase: 'upload' });
  let last = 0;
  let path: string;
  try {
    path = await uploadZip(api, zip, uploadTimeoutMs(info.timeoutMs, zip.bytes), (bytes) => {
      const now = Date.now();
      if (now - last < UPLOAD_REPORT_MS && bytes < zip.bytes) return;
      last = now;
      onEvent({ type: 'upload', server, bytes, totalBytes: zip.bytes });
    });
  } catch (error) {
    // Whatever went wrong, the server may have stored the zip (a gateway timed out in front of it, the answer
    // was lost): it is removed by name, quietly, as nothing else is known of it.
    onEvent({ type: 'phase', server, phase: 'cleanup' });
    await deleteUpload(api, zip.uploadName, info.timeoutMs);
    if (error instanceof ServerAnswerError) throw error;
    const { status, message } = failureOf(error, info);
    return { ok: false, status, message: hostMessage('fleetUploadFailed', { reason: message }) };
  }
  const removeUpload = async (): Promise<(message: string) => string> => {
    onEvent({ type: 'phase', server, phase: 'cleanup' });
    const problem = await deleteUpload(api, zip.uploadName, info.timeoutMs);
    return (message) =>
      problem === undefined
        ? message
        : hostMessage('fleetUploadNotRemoved', { message, upload: zip.uploadName, problem });
  };
  let answer: StepAnswer;
  try {
    onEvent({ type: 'phase', server, phase: 'install' });
    answer = await install(fileUrlOf(path));
  } catch (error) {
    await removeUpload();
    throw error;
  }
  return answered(answer, await removeUpload());
}

/**
 * `local` installs straight from the file on this computer, no upload. A host that reads files only under its
 * `data/uploads` (`allowExternalFileAccess` off) gets it there for the install: linked, or copied across file
 * systems, and removed after.
 */
async function installOnLocal(
  zip: FleetZip,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
  install: (file: string) => Promise<StepAnswer>,
): Promise<ServerOutcome> {
  let path = zip.path;
  let placed: string | undefined;
  if (!context.settings().allowExternalFileAccess) {
    placed = join(context.uploadsDir, zip.uploadName);
    const target = placed;
    await link(zip.path, target).catch(() => copyFile(zip.path, target));
    path = placed;
  }
  try {
    onEvent({ type: 'phase', server: LOCAL_SERVER_ID, phase: 'install' });
    return answered(await install(fileUrlOf(path)));
  } finally {
    if (placed !== undefined) await rm(placed, { force: true });
  }
}
