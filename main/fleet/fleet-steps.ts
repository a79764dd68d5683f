import { hostMessage } from '../../shared/host-messages.js';
import { isRecord } from '../../shared/fleet-rules.js';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { multipartFile } from '../servers/multipart-file.js';
import { ServerAnswerError, answerMessageOf } from '../servers/server-answer.js';
import { answerJson, isWebPage, quoted, webPageMessage } from './ekuiper-answer.js';
import type { FleetZip } from './fleet-zip.js';

/** What a server said to one step: its status and its own words. */
export interface StepAnswer {
  status: number;
  ok: boolean;
  message: string;
}

/** The plugin routes of one kind: `/plugins/sources`, `/plugins/portables`, … */
export function pluginPath(kind: PluginKind, name?: string): string {
  return name === undefined ? `/plugins/${kind}` : `/plugins/${kind}/${encodeURIComponent(name)}`;
}

/**
 * Sends one request of a fleet action (a JSON body when given) and answers the server's status and own words. A
 * web page is never eKuiper's answer, whatever its status: it fails, saying the address is not eKuiper's API.
 */
export async function step(
  api: ServerApi,
  method: string,
  path: string,
  timeoutMs: number,
  body?: unknown,
): Promise<StepAnswer> {
  const response = await api.request({
    method,
    path,
    timeoutMs,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (isWebPage(response, text)) {
    return { status: response.status, ok: false, message: webPageMessage(`${method} ${path}`) };
  }
  const message = answerMessageOf(response, text);
  return { status: response.status, ok: response.status >= 200 && response.status < 300, message };
}

/**
 * Installs (`POST /plugins/{kind}`) or replaces (`PUT /plugins/{kind}/{name}`) a plugin from a URL the server
 * itself reads: its own upload, this computer's file for `local`, or a prebuilt URL.
 */
export function installFrom(
  api: ServerApi,
  update: boolean,
  kind: PluginKind,
  name: string,
  file: string,
  functions: string[] | undefined,
  timeoutMs: number,
): Promise<StepAnswer> {
  const body = { name, file, ...(functions === undefined ? {} : { functions }) };
  return update
    ? step(api, 'PUT', pluginPath(kind, name), timeoutMs, body)
    : step(api, 'POST', pluginPath(kind), timeoutMs, body);
}

export function deletePlugin(
  api: ServerApi,
  kind: PluginKind,
  name: string,
  timeoutMs: number,
): Promise<StepAnswer> {
  return step(api, 'DELETE', pluginPath(kind, name), timeoutMs);
}

/**
 * Asks the server its cheapest question (`GET /ping`) within its own timeout before a change is sent: a change
 * may take minutes to answer (`changeTimeoutMs`), so a server that accepts connections but never answers would
 * otherwise hold its fleet result that long. Throws what the request threw; any answer at all will do.
 */
export async function answersWithin(api: ServerApi, timeoutMs: number): Promise<void> {
  const answer = await api.request({ method: 'GET', path: '/ping', timeoutMs });
  await answer.dump();
}

/** What a server is given per byte of an upload to store it after the last byte arrived: 5 MB a second. */
const UPLOAD_STORE_BYTES_PER_MS = 5_000;

/**
 * How long to wait for an upload's answer after its last byte was sent (undici's header timer restarts when the
 * body is done): the server's own timeout plus the time a slow edge box's card needs to store the file, so a
 * server that stops answering mid-run is reported in about its timeout, not in `changeTimeoutMs`.
 */
export function uploadTimeoutMs(serverTimeoutMs: number, bytes: number): number {
  return serverTimeoutMs + Math.ceil(bytes / UPLOAD_STORE_BYTES_PER_MS);
}

/**
 * Uploads the zip to the server's `POST /config/uploads` (multipart, field `uploadFile`), streamed from the file
 * on this computer, and answers the path the server saved it at. eKuiper answers that path HTML-escaped; an
 * answer that is not an absolute path (a web page, a proxy's text) throws rather than being installed from.
 */
export async function uploadZip(
  api: ServerApi,
  zip: FleetZip,
  timeoutMs: number,
  onBytes: (bytes: number) => void,
): Promise<string> {
  const body = await multipartFile(zip.path, 'uploadFile', zip.uploadName);
  const response = await api.request({
    method: 'POST',
    path: '/config/uploads',
    headers: { 'content-type': body.contentType, 'content-length': String(body.contentLength) },
    body: () => body.open(onBytes),
    timeoutMs,
  });
  if (response.status !== 201 && response.status !== 200) {
    const refused = await ServerAnswerError.from(response);
    throw new ServerAnswerError(
      refused.status,
      hostMessage('fleetUploadRefused', { reason: refused.message }),
    );
  }
  const text = await response.text();
  if (isWebPage(response, text)) {
    throw new ServerAnswerError(response.status, webPageMessage('POST /config/uploads'));
  }
  const path = htmlUnescape(text.trim());
  if (!/^(\/|[a-zA-Z]:[\\/])[^\r\n]*$/.test(path)) {
    throw new ServerAnswerError(
      response.status,
      hostMessage('fleetUploadNoPath', { words: quoted(response.scrub(text)) }),
    );
  }
  return path;
}

/** Removes an upload; answers why not when the server refuses, undefined when it is gone. */
export async function deleteUpload(
  api: ServerApi,
  uploadName: string,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const answer = await step(api, 'DELETE', `/config/uploads/${encodeURIComponent(uploadName)}`, timeoutMs);
    return answer.ok ? undefined : answer.message;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The URL of a prebuilt plugin on this server (its own list matches its OS and architecture), or why none. */
export async function prebuiltUrl(
  api: ServerApi,
  kind: PluginKind,
  name: string,
  timeoutMs: number,
): Promise<{ url: string } | { status: number; message: string }> {
  const response = await api.request({ method: 'GET', path: `/plugins/${kind}/prebuild`, timeoutMs });
  if (response.status !== 200) return ServerAnswerError.from(response);
  let answer: unknown;
  try {
    answer = await answerJson<unknown>(response, `GET /plugins/${kind}/prebuild`);
  } catch (error) {
    if (error instanceof ServerAnswerError) return { status: error.status, message: error.message };
    throw error;
  }
  const list = isRecord(answer) ? answer : {};
  const url = list[name];
  if (typeof url === 'string' && url !== '') return { url };
  const offered = Object.keys(list).sort();
  return {
    status: response.status,
    message:
      offered.length > 0
        ? hostMessage('fleetNoPrebuiltOffers', { kind, name, offered: offered.join(', ') })
        : hostMessage('fleetNoPrebuilt', { kind, name }),
  };
}

/** A path as a `file:` URL the server reads: `/kuiper/data/uploads/x.zip`, or `C:\…` as `file:///C:/…`. */
export function fileUrlOf(path: string): string {
  const forward = path.replace(/\\/g, '/');
  const absolute = /^[a-zA-Z]:\//.test(forward) ? `/${forward}` : forward;
  return `file://${absolute.replace(/[%#?]/g, (c) => encodeURIComponent(c))}`;
}

/** Reverses Go's `template.HTMLEscapeString`, which eKuiper applies to the upload path it answers. */
export function htmlUnescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#34|#39);/g, (_, entity: string) => {
    switch (entity) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case '#39':
        return "'";
      default:
        return '"';
    }
  });
}
