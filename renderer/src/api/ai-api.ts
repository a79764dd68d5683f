import type {
  AiCheck,
  AiGenerateAnswer,
  AiGenerateRequest,
  AiPackageRequest,
  AiSettings,
  AiSettingsInput,
  AiTryAnswer,
  AiTryRequest,
} from '../../../shared/ai-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { authHeaders, HostUnreachableError, parseError, requestJson, requestUrl } from './http';

/** A local model can take minutes for its first answer; the host's own limit decides, this only keeps a backstop. */
const GENERATE_TIMEOUT_MS = 5 * 60_000;
/** A Python trial installs and starts a plugin, then calls it once per example. */
const TRY_TIMEOUT_MS = 3 * 60_000;
const CHECK_TIMEOUT_MS = 30_000;

/**
 * The AI function generator of this app's own host (`/manager/ai`), whichever server the window shows: the endpoint
 * settings are this computer's, and trials run here. Installing goes through the ordinary install routes.
 */
export const aiApi = {
  settings: () => requestJson<AiSettings>('/manager/ai/settings', { server: LOCAL_SERVER_ID }),
  saveSettings: (input: AiSettingsInput) =>
    requestJson<AiSettings>('/manager/ai/settings', { method: 'PUT', body: input, server: LOCAL_SERVER_ID }),
  /** Checks the endpoint as stored, with `input` (unsaved changes) over it. */
  check: (input: AiSettingsInput = {}) =>
    requestJson<AiCheck>('/manager/ai/settings/check', {
      method: 'POST',
      body: input,
      server: LOCAL_SERVER_ID,
      timeoutMs: CHECK_TIMEOUT_MS,
    }),
  generate: (request: AiGenerateRequest, signal?: AbortSignal) =>
    requestJson<AiGenerateAnswer>('/manager/ai/functions/generate', {
      method: 'POST',
      body: request,
      server: LOCAL_SERVER_ID,
      timeoutMs: GENERATE_TIMEOUT_MS,
      signal,
    }),
  tryExamples: (request: AiTryRequest, signal?: AbortSignal) =>
    requestJson<AiTryAnswer>('/manager/ai/functions/try', {
      method: 'POST',
      body: request,
      server: LOCAL_SERVER_ID,
      timeoutMs: TRY_TIMEOUT_MS,
      signal,
    }),
  /** The Python plugin built around the code, as zip bytes for the install. */
  async packagePython(request: AiPackageRequest): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(requestUrl('/manager/ai/functions/package', LOCAL_SERVER_ID), {
        method: 'POST',
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
      });
    } catch (error) {
      throw new HostUnreachableError((error as Error).message, false);
    }
    if (!response.ok) throw parseError(response.status, await response.text(), LOCAL_SERVER_ID);
    return new Uint8Array(await response.arrayBuffer());
  },
};
