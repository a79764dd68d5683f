import type { ServerProblem } from '../../shared/server-dto.js';
import { errorText } from '../plugins/plugin-error.js';
import { ServerAuthError } from './auth/auth-types.js';

/** A failure to reach a server, in plain words, with the kind of problem for the window's icon and wording. */
export interface NetworkFailure {
  problem: ServerProblem;
  message: string;
}

/** What `describeNetworkError` needs to know about the request that failed. */
export interface FailedRequest {
  /** The URL asked for (its origin names the server in messages; never carries credentials). */
  url: string;
  /** The timeout that applied, for the message. */
  timeoutMs?: number;
}

/** What to do about a certificate the system does not trust. */
const TRUST_FIX =
  "add the server's CA certificate (PEM) in the server's TLS settings, or turn on skip verification";

const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: `the server's certificate is self-signed, so this computer does not trust it: ${TRUST_FIX}`,
  SELF_SIGNED_CERT_IN_CHAIN: `the server's certificate chains to a self-signed CA this computer does not trust: ${TRUST_FIX}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `the server's certificate is signed by a CA this computer does not know: ${TRUST_FIX}`,
  UNABLE_TO_GET_ISSUER_CERT: `the server's certificate is signed by a CA this computer does not know: ${TRUST_FIX}`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `the server's certificate is signed by a CA this computer does not know: ${TRUST_FIX}`,
  CERT_HAS_EXPIRED:
    "the server's certificate has expired: renew it on the server, or turn on skip verification in the server's TLS settings",
  CERT_NOT_YET_VALID:
    "the server's certificate is not valid yet (check both machines' clocks), or turn on skip verification",
  CERT_SIGNATURE_FAILURE: `the server's certificate has a broken signature: ${TRUST_FIX}`,
  CERT_REVOKED: "the server's certificate has been revoked: the server needs a new one",
  INVALID_CA: `the CA certificate given for this server is not a CA: ${TRUST_FIX}`,
};

/** The error's own code, or that of the first of several (a name with IPv4 and IPv6 addresses fails twice). */
function codeOf(error: unknown): string | undefined {
  const record = error as { code?: unknown; errors?: unknown; cause?: unknown } | null;
  if (record === null || typeof record !== 'object') return undefined;
  if (typeof record.code === 'string') return record.code;
  if (Array.isArray(record.errors) && record.errors.length > 0) return codeOf(record.errors[0]);
  return record.cause === undefined ? undefined : codeOf(record.cause);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` within ${ms / 1000} s`;
}

/**
 * Says why a request to a server failed before it answered — DNS, refused, timeouts, TLS, a connection closed,
 * credentials that could not be used — in words the user can act on. The connection check, the forwarding route
 * (502 and, for `timeout`, 504) and the fleet all word failures with it, so they read the same everywhere.
 */
export function describeNetworkError(error: unknown, request: FailedRequest): NetworkFailure {
  if (error instanceof ServerAuthError) return { problem: 'auth', message: error.message };
  const url = new URL(request.url);
  const host = url.hostname;
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  const where = `${host}:${port}`;
  const code = codeOf(error);
  const name = (error as { name?: unknown } | null)?.name;

  if (code === 'ENOTFOUND') {
    return {
      problem: 'dns',
      message:
        `the name ${host} cannot be found: check the address for typing mistakes, and that this computer ` +
        `can resolve it (its DNS server or hosts file)`,
    };
  }
  if (code === 'EAI_AGAIN') {
    return {
      problem: 'dns',
      message:
        `the name ${host} cannot be found right now: the name server did not answer. Check this computer's ` +
        `network and DNS settings, or use the server's IP address`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      problem: 'refused',
      message:
        `${where} refused the connection: nothing listens on port ${port} there. Is the server running, and ` +
        `is the port right (eKuiper's REST API uses 9081, NeuronEX 8085)?`,
    };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return {
      problem: 'timeout',
      message:
        `${where} did not accept a connection${seconds(request.timeoutMs)}: the server may be down or a ` +
        `firewall may drop the traffic`,
    };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError') {
    return {
      problem: 'timeout',
      message:
        `${where} accepted the connection but did not answer${seconds(request.timeoutMs)}: the server may be ` +
        `overloaded or not an HTTP server; a longer timeout in the server's settings may help`,
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = (error as { cert?: { subjectaltname?: string } }).cert?.subjectaltname;
    return {
      problem: 'tls',
      message:
        `the server's certificate is not valid for the name ${host}${names === undefined ? '' : ` (it names ${names})`}: ` +
        `use a name the certificate was issued for, or turn on skip verification in the server's TLS settings`,
    };
  }
  if (code !== undefined && TLS_CODES[code] !== undefined)
    return { problem: 'tls', message: TLS_CODES[code] };
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || code?.startsWith('ERR_SSL_') === true) {
    return {
      problem: 'tls',
      message:
        url.protocol === 'https:'
          ? `${where} does not speak TLS: if the server uses plain HTTP, write its address with http://`
          : `the TLS connection to ${where} failed (${errorText(error)})`,
    };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      problem: 'network',
      message:
        `${where} closed the connection without answering` +
        (url.protocol === 'http:' ? ': if the server uses TLS, write its address with https://' : ''),
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') {
    return {
      problem: 'network',
      message: `${host} cannot be reached from this computer (no route to it): check the network between them`,
    };
  }
  if (code?.startsWith('HPE_') === true) {
    return {
      problem: 'not-ekuiper',
      message: `${where} answered with something that is not HTTP: is the port right (eKuiper 9081, NeuronEX 8085)?`,
    };
  }
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return { problem: 'network', message: `the request to ${where} was cancelled` };
  }
  return { problem: 'network', message: `${where} could not be reached: ${errorText(error)}` };
}
