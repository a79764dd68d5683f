import { SERVICE_CALL_BODY_LIMIT, type ServiceCallResponseView } from '../../../shared/service-call-dto.js';

/** Headers whose values are credentials: shown as `••••` (an Authorization keeps its scheme, `Bearer ••••`). */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|api-?key|password|passwd/i;
const MASK = '••••';

function masked(name: string, value: string): string {
  if (!SECRET_HEADER.test(name)) return value;
  const scheme = /^(\w+)\s+\S/.exec(value);
  return /authorization/i.test(name) && scheme !== null ? `${scheme[1]} ${MASK}` : MASK;
}

/**
 * Headers as the outcome shows them: every value a string, credentials masked. The outcome is shown in the window
 * and may be pasted into a bug report, so the secrets the interface's options carry never leave the host.
 */
export function maskedHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = masked(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/** A body as text, cut to the outcome's limit. */
export function bodyView(
  bytes: number,
  text: string,
): Pick<ServiceCallResponseView, 'body' | 'truncated' | 'bytes'> {
  const truncated = text.length > SERVICE_CALL_BODY_LIMIT;
  return { body: truncated ? text.slice(0, SERVICE_CALL_BODY_LIMIT) : text, truncated, bytes };
}
