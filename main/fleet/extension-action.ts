import type { CheckedExtensionRequest, ExtensionKind } from '../../shared/extension-fleet.js';
import { hostMessage } from '../../shared/host-messages.js';
import type { FleetProgressEvent, FleetServerResult, ServerInfo } from '../../shared/server-dto.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { ServerAnswerError } from '../servers/server-answer.js';
import { changeTimeoutMs } from '../servers/timeouts.js';
import {
  answered,
  installZip,
  refusedBeforeChange,
  runWithZip,
  type FleetContext,
  type ServerOutcome,
} from './fleet-action.js';
import { step, type StepAnswer } from './fleet-steps.js';
import type { FleetZip } from './fleet-zip.js';
import { LIST_PATH, contentHash, extensionPath, javascriptItem } from './extension-inventory.js';
import { answerJson } from './ekuiper-answer.js';
import { readOnlySkip } from './fleet-plan.js';
import { obtainServiceZip } from './service-zip.js';

/** The kind in the host's words, a catalog message itself so the window translates it inside others. */
export function extensionWhat(kind: ExtensionKind): string {
  return hostMessage(kind === 'javascript' ? 'extensionWhatJavascript' : 'extensionWhatService');
}

/**
 * Gets what a fleet action needs before any server is touched: for a service create or update, its zip read
 * once on this computer and checked as a service zip (a `PluginError` when it cannot be had or no server would
 * accept it). JavaScript functions carry their script in the request.
 */
export async function prepareExtensionAction(
  request: CheckedExtensionRequest,
  context: FleetContext,
): Promise<FleetZip | undefined> {
  if (request.kind !== 'services' || request.file === undefined) return undefined;
  return obtainServiceZip(request.file, request.name, context.settings(), context.uploadsDir);
}

/**
 * Creates, updates or deletes a JavaScript function or a service on many servers with the plugin fleet's runner:
 * `request.concurrency` at a time, one result per server in the server's own words, progress to `onEvent`, and
 * with `dryRun` only what would happen. A service zip goes to each server as a plugin's does (uploaded, created
 * from the upload, the upload removed); its temp folder is removed at the end. Once `cancelled` aborts, servers
 * not yet started are not started.
 */
export async function runExtensionAction(
  request: CheckedExtensionRequest,
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
    (server, info, api) =>
      request.dryRun
        ? planExtension(api, info, request)
        : actOnServer(server, info, api, request, zip, context, onEvent),
    cancelled,
  );
}

/** Whether a server can have the kind at all, and whether it has this one (with its content hash). */
export type Presence =
  | { available: false }
  | { available: true; present: false }
  | { available: true; present: true; hash: string };

/** Asks a server, with read requests only, whether it has a function or service; refusals throw. */
export async function presenceOf(
  api: ServerApi,
  kind: ExtensionKind,
  name: string,
  timeoutMs: number,
): Promise<Presence> {
  const list = await api.request({ method: 'GET', path: LIST_PATH[kind], timeoutMs });
  if (list.status === 404) {
    await list.dump();
    return { available: false };
  }
  if (list.status !== 200) throw await ServerAnswerError.from(list);
  const names = await answerJson<unknown>(list, `GET ${LIST_PATH[kind]}`);
  if (!Array.isArray(names) || !names.includes(name)) return { available: true, present: false };
  const described = await api.request({ method: 'GET', path: extensionPath(kind, name), timeoutMs });
  if (described.status === 404 || (described.status === 400 && kind === 'javascript')) {
    await described.dump();
    return { available: true, present: false };
  }
  if (described.status !== 200) throw await ServerAnswerError.from(described);
  const value = await described.json<Record<string, unknown>>();
  const hash = kind === 'javascript' ? javascriptItem(name, value).hash : contentHash(value);
  return { available: true, present: true, hash };
}

/**
 * What the action would do on one server: create, replace (saying whether a function's script is the same),
 * delete, or skip with the reason — not there, already there, or not available because the server's eKuiper lacks
 * the routes. A NeuronEX account that may only read is skipped without asking, as for plugins.
 */
async function planExtension(
  api: ServerApi,
  info: ServerInfo,
  request: CheckedExtensionRequest,
): Promise<ServerOutcome> {
  const skip = (status: number, message: string): ServerOutcome => ({
    ok: false,
    status,
    message,
    plan: 'skip',
  });
  const readOnly = readOnlySkip(info, request.action);
  if (readOnly !== undefined) return skip(0, readOnly);
  const what = extensionWhat(request.kind);
  const item = { what, name: request.name };
  const presence = await presenceOf(api, request.kind, request.name, info.timeoutMs);
  if (!presence.available) {
    return skip(404, hostMessage('extensionSkipUnavailable', { ...item, path: LIST_PATH[request.kind] }));
  }
  const will = (plan: 'create' | 'update' | 'delete', message: string): ServerOutcome => ({
    ok: true,
    status: 200,
    message,
    plan,
  });
  // A function's incoming script is known, so the plan can say whether the server's differs.
  const same =
    presence.present && request.function !== undefined
      ? hostMessage(
          presence.hash === javascriptItem(request.name, request.function).hash
            ? 'extensionSame'
            : 'extensionDiffers',
        )
      : undefined;
  switch (request.action) {
    case 'create':
      if (!presence.present) return will('create', hostMessage('extensionWillCreate', item));
      return skip(
        200,
        same === undefined
          ? hostMessage('extensionAlreadyThere', item)
          : hostMessage('extensionAlreadyThereCompared', { ...item, same }),
      );
    case 'update':
      if (!presence.present) return will('create', hostMessage('extensionUpdateCreates', item));
      return will(
        'update',
        same === undefined
          ? hostMessage('extensionWillReplace', item)
          : hostMessage('extensionWillReplaceCompared', { ...item, same }),
      );
    case 'delete':
      return presence.present
        ? will('delete', hostMessage('extensionWillDelete', item))
        : skip(200, hostMessage('extensionNothingToDelete', item));
  }
}

async function actOnServer(
  server: string,
  info: ServerInfo,
  api: ServerApi,
  request: CheckedExtensionRequest,
  zip: FleetZip | undefined,
  context: FleetContext,
  onEvent: (event: FleetProgressEvent) => void,
): Promise<ServerOutcome> {
  const timeout = changeTimeoutMs(info.timeoutMs);
  const { kind, name } = request;
  const refused = await refusedBeforeChange(info, api, request.action);
  if (refused !== undefined) return refused;
  if (request.action === 'delete') {
    onEvent({ type: 'phase', server, phase: 'delete' });
    return answered(await step(api, 'DELETE', extensionPath(kind, name), timeout));
  }
  if (kind === 'javascript') {
    onEvent({ type: 'phase', server, phase: 'install' });
    return answered(await putJavascript(api, request.action === 'update', request.function!, timeout));
  }
  if (zip === undefined) throw new Error(`service ${name}: no zip was prepared`);
  return installZip(server, info, api, zip, context, onEvent, (file) =>
    putService(api, request.action === 'update', name, file, info.timeoutMs, timeout),
  );
}

/** eKuiper's create (`POST /udf/javascript`) or update (`PUT /udf/javascript/{id}`, which creates when missing). */
export function putJavascript(
  api: ServerApi,
  update: boolean,
  body: { id: string; description: string; script: string; isAgg: boolean },
  timeoutMs: number,
): Promise<StepAnswer> {
  return update
    ? step(api, 'PUT', extensionPath('javascript', body.id), timeoutMs, body)
    : step(api, 'POST', '/udf/javascript', timeoutMs, body);
}

/**
 * eKuiper's service create (`POST /services {name, file}`) or, for an update, its `PUT /services/{name}` when the
 * service is there and a create when it is not (eKuiper's PUT refuses a missing service with 404).
 */
export async function putService(
  api: ServerApi,
  update: boolean,
  name: string,
  file: string,
  readTimeoutMs: number,
  timeoutMs: number,
): Promise<StepAnswer> {
  const body = { name, file };
  if (update) {
    const there = await api.request({
      method: 'GET',
      path: extensionPath('services', name),
      timeoutMs: readTimeoutMs,
    });
    await there.dump();
    if (there.status === 200) return step(api, 'PUT', extensionPath('services', name), timeoutMs, body);
  }
  return step(api, 'POST', '/services', timeoutMs, body);
}
