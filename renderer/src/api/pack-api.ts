import type { PackCheck, PackCheckRequest, PackRequest, PackResult } from '../../../shared/pack-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { requestJson } from './http';

/** Packaging reads a folder and deflates it: a large Go binary or a vendored SDK takes more than a click. */
const PACK_TIMEOUT_MS = 5 * 60_000;

/** The folder is on this computer, so the requests go to this app's host whichever server the window works on. */
const postLocal = <T>(path: string, body: PackCheckRequest) =>
  requestJson<T>(path, { method: 'POST', body, server: LOCAL_SERVER_ID, timeoutMs: PACK_TIMEOUT_MS });

/** Packaging a plugin folder on this computer. */
export const packApi = {
  /** `POST /manager/authoring/check`: files, left-out files, problems with fixes, the executable's OS/arch. */
  check: (body: PackCheckRequest) => postLocal<PackCheck>('/manager/authoring/check', body),
  /** `POST /manager/authoring/pack`: writes the zip and answers its path, size and SHA-256. */
  pack: (body: PackRequest) => postLocal<PackResult>('/manager/authoring/pack', body),
};
