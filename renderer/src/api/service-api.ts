import type { ServiceCallOutcome } from '../../../shared/service-call-dto';
import type { ServiceInfo } from '../../../shared/service-dto';
import { fileUrlOfStoredPath, installApi, uploadZip } from './install-api';
import { requestJson, requestText } from './http';
import { currentServer } from './server-scope';
import { uploadName, uploadedName } from '../lib/zip-choice';

/** Registering downloads and parses the zip on the server: give it as long as eKuiper's own download. */
const REGISTER_TIMEOUT_MS = 5 * 60_000;

const servicePath = (name: string) => `/services/${encodeURIComponent(name)}`;

/**
 * eKuiper's `/services` routes on a server (the current one when absent). Every write takes the server it is
 * for, so the upload, the registration and the upload's removal all reach the server the write began on.
 */
export const serviceApi = {
  /** `GET /services/{name}`: eKuiper's describe answer (capitalised keys). */
  describe: (name: string, server?: string) => requestJson<ServiceInfo>(servicePath(name), { server }),
  /** `DELETE /services/{name}`; answers the server's message. */
  remove: (name: string, server?: string) =>
    requestText(servicePath(name), { method: 'DELETE', server, timeoutMs: 60_000 }).then((text) =>
      text.trim(),
    ),
};

/** What a service write is: a new service (`POST /services`) or a new zip for one (`PUT /services/{name}`). */
export type ServiceWrite = 'create' | 'update';

/**
 * Puts a service zip on `server` the way the plugin dialogs install plugins: uploads it to the server's
 * `/config/uploads` (this app's host and a remote eKuiper alike), registers the service from the path the
 * server answered (`file://…`), and removes the upload afterwards whatever happened. Answers the server's
 * message; throws its refusal. `onUploaded` marks the end of the upload (the rest is the server's work).
 */
export async function writeServiceZip(
  write: ServiceWrite,
  name: string,
  zip: { bytes: Uint8Array; fileName: string },
  options: {
    server?: string;
    signal?: AbortSignal;
    onProgress?: (loaded: number, total: number) => void;
  } = {},
): Promise<string> {
  const server = options.server ?? currentServer();
  const stored = await uploadZip(
    zip.bytes,
    uploadName(zip.fileName),
    options.onProgress ?? (() => {}),
    options.signal,
    server,
  );
  try {
    return await registerService(write, name, fileUrlOfStoredPath(stored), server, options.signal);
  } finally {
    installApi.deleteUpload(uploadedName(stored), server).catch(() => {});
  }
}

/** `POST /services` or `PUT /services/{name}` with `{name, file}`: the zip at an address the server can read. */
export function registerService(
  write: ServiceWrite,
  name: string,
  file: string,
  server: string = currentServer(),
  signal?: AbortSignal,
): Promise<string> {
  const path = write === 'create' ? '/services' : servicePath(name);
  return requestText(path, {
    method: write === 'create' ? 'POST' : 'PUT',
    body: { name, file },
    server,
    signal,
    timeoutMs: REGISTER_TIMEOUT_MS,
  }).then((text) => text.trim());
}

/** Calls a service function as a rule would, through this app's host (`POST …/call` with `{args}`). */
export function callServiceFunction(
  name: string,
  args: unknown[],
  signal?: AbortSignal,
  server?: string,
): Promise<ServiceCallOutcome> {
  return requestJson<ServiceCallOutcome>(`/manager/services/functions/${encodeURIComponent(name)}/call`, {
    method: 'POST',
    body: { args },
    server,
    signal,
    // eKuiper's own call timeout is 5 s; leave room for the host to answer with it.
    timeoutMs: 30_000,
  });
}
