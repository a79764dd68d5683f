import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import type { ScaffoldRequest, ScaffoldWritten } from '../../../shared/scaffold-dto';
import { HostUnreachableError, authHeaders, parseError, requestJson, requestUrl } from './http';

export type { ScaffoldRequest, ScaffoldWritten } from '../../../shared/scaffold-dto';

const PATH = '/manager/authoring/scaffold';
const TIMEOUT_MS = 30_000;

/** `POST /manager/authoring/scaffold` on this app's host: a new plugin written to a folder, or as a zip. */
export const scaffoldApi = {
  /** Writes the plugin as the new folder `folder` (desktop app: the user chose its parent). */
  writeFolder: (request: ScaffoldRequest, folder: string) =>
    requestJson<ScaffoldWritten>(PATH, {
      method: 'POST',
      body: { ...request, folder },
      server: LOCAL_SERVER_ID,
      timeoutMs: TIMEOUT_MS,
    }),

  /** The plugin as a zip (a browser cannot write a folder): the host's bytes, refused as `requestText` does. */
  async zip(request: ScaffoldRequest): Promise<Blob> {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(requestUrl(PATH, LOCAL_SERVER_ID), {
        method: 'POST',
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
        signal: timeout,
        cache: 'no-store',
      });
    } catch (error) {
      throw new HostUnreachableError(
        timeout.aborted ? 'timed out' : (error as Error).message,
        timeout.aborted,
      );
    }
    if (!response.ok) throw parseError(response.status, await response.text(), LOCAL_SERVER_ID);
    return new Blob([await response.arrayBuffer()], { type: 'application/zip' });
  },
};
