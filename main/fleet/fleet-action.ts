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
import { failureOf } from '../servers/server-answer.js';
import type { ServerDirectory } from '../servers/server-directory.js';
import { changeTimeoutMs } from '../servers/timeouts.js';
import type { HostSettings } from '../settings/host-settings.js';
import { serverApi } from './fleet-inventory.js';
import { planOnServer } from './fleet-plan.js';
import {
  deletePlugin,
  deleteUpload,
  fileUrlOf,
  installFrom,
  prebuiltUrl,
  uploadZip,
  type StepAnswer,
} from './fleet-steps.js';
import { obtainFleetZip, type FleetZip } from './fleet-zip.js';

/** What a fleet action needs of the host: its servers, itself as `local`, and its settings and uploads folder. */
export interface FleetContext {
  servers: ServerDirectory;
  /** The host's own API, answered in process. */
  local: ServerApi;
  settings: () => HostSettings;
  /** The host's `data/uploads`: where `local` reads a zip from when it refuses files elsewhere. */
  uploadsDir: string;
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
 * result, then `done`. The zip's temp folder is removed at the end, whatever happened.
 */
export async function runFleetAction(
  request: CheckedFleetRequest,
  zip: FleetZip | undefined,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void = () => {},
): Promise<FleetServerResult[]> {
  try {
    for (const server of request.servers) onEvent({ type: 'queued', server });
    const results = await boundedParallel(request.servers, request.concurrency, async (server) => {
      const started = performance.now();
      const outcome = await onServer(server, request, zip, context, onEvent).catch((error: unknown) =>
        failure(error, context.servers.get(server)),
      );
      const result: FleetServerResult = { server, ...outcome, ms: Math.round(performance.now() - started) };
      onEvent({ type: 'result', result });
      return result;
    });
    onEvent({ type: 'done', results });
    return results;
  } finally {
    await zip?.dispose();
  }
}

type Outcome = Omit<FleetServerResult, 'server' | 'ms'>;

function answered(answer: StepAnswer, note: (message: string) => string = (message) => message): Outcome {
  return { ok: answer.ok, status: answer.status, message: note(answer.message) };
}

function failure(error: unknown, info: ServerInfo | undefined): Outcome {
  return { ok: false, ...failureOf(error, info) };
}

async function onServer(
  server: string,
  request: CheckedFleetRequest,
  zip: FleetZip | undefined,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
): Promise<Outcome> {
  const info = context.servers.get(server);
  const api = serverApi(context.servers, context.local, server);
  if (info === undefined || api === undefined) {
    return { ok: false, status: 0, message: hostMessage('fleetServerGone', { id: server }) };
  }
  const readTimeout = info.timeoutMs;
  const changeTimeout = changeTimeoutMs(info.timeoutMs);
  if (request.dryRun) return planOnServer(api, info, request, zip?.version, readTimeout);

  const { kind, name } = request;
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
  if (server === LOCAL_SERVER_ID) return installOnLocal(request, zip, context, onEvent);

  onEvent({ type: 'phase', server, phase: 'upload' });
  let last = 0;
  const path = await uploadZip(api, zip, changeTimeout, (bytes) => {
    const now = Date.now();
    if (now - last < UPLOAD_REPORT_MS && bytes < zip.bytes) return;
    last = now;
    onEvent({ type: 'upload', server, bytes, totalBytes: zip.bytes });
  });
  // The upload is removed whatever the install's outcome; a failed removal is said, not hidden.
  const removeUpload = async (): Promise<(message: string) => string> => {
    onEvent({ type: 'phase', server, phase: 'cleanup' });
    const problem = await deleteUpload(api, zip.uploadName, readTimeout);
    return (message) =>
      problem === undefined
        ? message
        : hostMessage('fleetUploadNotRemoved', { message, upload: zip.uploadName, problem });
  };
  let answer: StepAnswer;
  try {
    onEvent({ type: 'phase', server, phase: 'install' });
    answer = await installFrom(api, update, kind, name, fileUrlOf(path), request.functions, changeTimeout);
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
  request: CheckedFleetRequest,
  zip: FleetZip,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
): Promise<Outcome> {
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
    const info = context.servers.get(LOCAL_SERVER_ID);
    return answered(
      await installFrom(
        context.local,
        request.action === 'update',
        request.kind,
        request.name,
        fileUrlOf(path),
        request.functions,
        changeTimeoutMs(info?.timeoutMs ?? 0),
      ),
    );
  } finally {
    if (placed !== undefined) await rm(placed, { force: true });
  }
}
