import type { ServerProblem } from '../../shared/server-dto.js';

/** A request that never got an answer, in words for the user, with the HTTP status a proxy answers for it. */
export interface NetworkFailure {
  problem: Extract<ServerProblem, 'dns' | 'refused' | 'timeout' | 'tls' | 'network'>;
  /** 504 when the server took too long, 502 for everything else (a gateway could not get an answer). */
  status: 502 | 504;
  /** One sentence naming the URL: what happened and what to check. */
  message: string;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * Says why a request to `url` failed before the server answered, in the words a user acts on: the name does not
 * resolve (DNS), nothing listens (refused), no answer in time (timed out after N s), the certificate is not
 * trusted (TLS), or the connection broke. The forwarding route, connection checks and fleet results all use it,
 * so a down server reads the same everywhere. `timeoutMs` is the limit that applied, for "timed out after N s".
 */
export function describeNetworkError(
  error: unknown,
  url: string,
  options: { timeoutMs?: number } = {},
): NetworkFailure {
  const failure = error as { code?: string; name?: string; message?: string; cause?: unknown };
  const code = failure.code ?? (failure.cause as { code?: string } | undefined)?.code ?? '';
  const text = failure.message ?? String(error);
  let host = url;
  let port = '';
  try {
    const parsed = new URL(url);
    host = parsed.hostname;
    port = parsed.port !== '' ? parsed.port : parsed.protocol === 'https:' ? '443' : '80';
  } catch {
    // The URL is only used in the message.
  }
  const limit = options.timeoutMs === undefined ? '' : ` after ${seconds(options.timeoutMs)}`;

  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') {
    return {
      problem: 'dns',
      status: 502,
      message: `${url}: the name ${host} could not be found (DNS${code === 'EAI_AGAIN' ? ', temporary failure' : ''}); check the address`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      problem: 'refused',
      status: 502,
      message: `${url}: the connection was refused — nothing listens on port ${port} of ${host}; is the server running, and is the port right?`,
    };
  }
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT' ||
    failure.name === 'TimeoutError'
  ) {
    const what =
      code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT'
        ? 'no connection could be made'
        : 'the server did not answer';
    return {
      problem: 'timeout',
      status: 504,
      message: `${url}: timed out${limit} — ${what}; the server may be busy, stopped, or behind a firewall`,
    };
  }
  if (TLS_CODES.has(code) || /certificate|SSL routines|TLS/i.test(text)) {
    const hint =
      code === 'ERR_SSL_WRONG_VERSION_NUMBER'
        ? 'the server does not speak HTTPS on this port; try http://'
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
          ? `the certificate is not made out to ${host}`
          : 'add its CA certificate to the server settings, or turn on skipping certificate checks if you trust the network';
    return {
      problem: 'tls',
      status: 502,
      message: `${url}: the TLS connection failed (${text.split('\n')[0]!.trim()}); ${hint}`,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return {
      problem: 'network',
      status: 502,
      message: `${url}: ${host} cannot be reached from this computer (${code === 'EHOSTUNREACH' ? 'no route to the host' : 'no route to its network'})`,
    };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      problem: 'network',
      status: 502,
      message: `${url}: the server closed the connection without answering (is it an HTTPS server addressed with http://?)`,
    };
  }
  return {
    problem: 'network',
    status: 502,
    message: `${url}: the request failed: ${code === '' ? text : `${text} (${code})`}`,
  };
}
