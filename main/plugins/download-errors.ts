import { hostMessage } from '../../shared/host-messages.js';
import { errorText } from './plugin-error.js';

/**
 * The sentence added when a failed address lies on one of the `pluginHosts` (a prebuilt plugin's URL): the
 * user did not type it, so they need to know which setting it comes from and where to change it.
 */
export function pluginHostHint(url: URL, pluginHosts: string | undefined): string {
  if (pluginHosts === undefined) return '';
  const host = pluginHosts
    .split(',')
    .map((base) => base.trim().replace(/\/+$/, ''))
    .find((base) => base !== '' && (url.href === base || url.href.startsWith(`${base}/`)));
  return host === undefined ? '' : hostMessage('pluginHostHint', { host });
}

/** Node's error code, also from the first of an AggregateError (one per address tried). */
function errorCode(error: unknown): string | undefined {
  const withCode = error as { code?: unknown; errors?: unknown[] };
  if (typeof withCode.code === 'string') return withCode.code;
  const first = withCode.errors?.[0] as { code?: unknown } | undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}

/** The code of the SSRF guard's refusal (`allowPrivateNetwork` off), whose text is eKuiper's and stays so. */
export const PRIVATE_NETWORK = 'EKUIPER_PRIVATE_NETWORK';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENETDOWN', 'EHOSTDOWN']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

function isTlsError(code: string, message: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.includes('CERT') ||
    code === 'EPROTO' ||
    /certificate|SSL routines|TLS/i.test(message)
  );
}

/**
 * What a failed connection means, in words a user can act on: the server refused (nothing listens), the
 * name does not resolve (offline, or misspelt), no route (offline), a cut connection, a TLS failure — and,
 * for a plugin host's address, where that host is set. Node's own code stays in the text for searching.
 */
export function explainConnectionError(error: unknown, url: URL, pluginHosts?: string): string {
  const code = errorCode(error) ?? '';
  if (code === PRIVATE_NETWORK) return errorText(error);
  const hint = pluginHostHint(url, pluginHosts);
  const server = url.host;
  if (code === 'ECONNREFUSED') return hostMessage('downloadRefused', { server, code, hint });
  if (DNS_CODES.has(code)) {
    return hostMessage('downloadNameNotFound', { hostname: url.hostname, code, hint });
  }
  if (UNREACHABLE_CODES.has(code)) return hostMessage('downloadUnreachable', { server, code, hint });
  if (RESET_CODES.has(code)) return hostMessage('downloadReset', { server, code, hint });
  const reason = errorText(error);
  if (isTlsError(code, reason)) {
    return hostMessage('downloadTls', { server, reason, code: code === '' ? 'TLS' : code, hint });
  }
  return hostMessage('downloadOtherNetwork', { server, reason, hint });
}

/**
 * eKuiper's status refusal (`cannot download the file with status: 404 Not Found`, which scripts match),
 * followed by what the status means for the user.
 */
export function explainStatus(status: number, statusText: string, url: URL, pluginHosts?: string): string {
  const base = `cannot download the file with status: ${statusText}`;
  const hint = pluginHostHint(url, pluginHosts);
  if (status === 404 || status === 410) return `${base}: ${hostMessage('downloadNotFound', { hint })}`;
  if (status === 401 || status === 403) return `${base}: ${hostMessage('downloadForbidden', { hint })}`;
  if (status >= 500) return `${base}: ${hostMessage('downloadServerError', { hint })}`;
  return base;
}

/** A download that ran out of time: the limit, the server, and the setting that sets the limit. */
export function timedOutText(timeoutMs: number, url: URL, pluginHosts?: string): string {
  return hostMessage('downloadTimedOut', {
    seconds: timeoutMs / 1000,
    server: url.host,
    hint: pluginHostHint(url, pluginHosts),
  });
}
