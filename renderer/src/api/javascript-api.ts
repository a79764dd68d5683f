import type { JsCallResult, JsFunction } from '../../../shared/javascript-dto';
import { requestJson, requestText } from './http';

export type { JsCallResult, JsFunction } from '../../../shared/javascript-dto';

const path = (id: string) => `/udf/javascript/${encodeURIComponent(id)}`;

/** A call may run the sandbox up to its limit on top of the network: room beyond the host's own deadline. */
const CALL_TIMEOUT_MS = 30_000;

/**
 * eKuiper's `/udf/javascript` routes and this app's Try it for them, on the server named (the current one when
 * absent). Writes answer eKuiper's text (`javascript function x is created`); refusals throw its error.
 */
export const javascriptApi = {
  list: (server?: string) => requestJson<string[]>('/udf/javascript', { server }),
  describe: (id: string, server?: string) => requestJson<JsFunction>(path(id), { server }),
  create: (fn: JsFunction, server?: string) =>
    requestText('/udf/javascript', { method: 'POST', body: fn, server, timeoutMs: 30_000 }).then((text) =>
      text.trim(),
    ),
  /** PUT saves under the body's id and creates the function when it is missing (eKuiper's behaviour). */
  update: (fn: JsFunction, server?: string) =>
    requestText(path(fn.id), { method: 'PUT', body: fn, server, timeoutMs: 30_000 }).then((text) =>
      text.trim(),
    ),
  remove: (id: string, server?: string) =>
    requestText(path(id), { method: 'DELETE', server }).then((text) => text.trim()),
  /** Calls the function as a rule would (this app's hosts only). */
  call: (id: string, args: unknown[], server?: string, signal?: AbortSignal) =>
    requestJson<JsCallResult>(`/manager${path(id)}/call`, {
      method: 'POST',
      body: { args },
      server,
      signal,
      timeoutMs: CALL_TIMEOUT_MS,
    }),
};
