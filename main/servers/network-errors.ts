import { hostMessage } from '../../shared/host-messages.js';
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

/** Node's certificate verdicts, as catalog messages saying what to do about each. */
const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: hostMessage('tlsSelfSigned'),
  SELF_SIGNED_CERT_IN_CHAIN: hostMessage('tlsSelfSignedChain'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: hostMessage('tlsUnknownCa'),
  UNABLE_TO_GET_ISSUER_CERT: hostMessage('tlsUnknownCa'),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: hostMessage('tlsUnknownCa'),
  CERT_HAS_EXPIRED: hostMessage('tlsExpired'),
  CERT_NOT_YET_VALID: hostMessage('tlsNotYetValid'),
  CERT_SIGNATURE_FAILURE: hostMessage('tlsBadSignature'),
  CERT_REVOKED: hostMessage('tlsRevoked'),
  INVALID_CA: hostMessage('tlsInvalidCa'),
};

/** The error's own code, or that of the first of several (a name with IPv4 and IPv6 addresses fails twice). */
function codeOf(error: unknown): string | undefined {
  const record = error as { code?: unknown; errors?: unknown; cause?: unknown } | null;
  if (record === null || typeof record !== 'object') return undefined;
  if (typeof record.code === 'string') return record.code;
  if (Array.isArray(record.errors) && record.errors.length > 0) return codeOf(record.errors[0]);
  return record.cause === undefined ? undefined : codeOf(record.cause);
}

/** Whether the server had sent bytes on the connection that broke (undici's `SocketError` carries its counts). */
function answeredOnConnection(error: unknown): boolean {
  const record = error as { socket?: { bytesRead?: unknown }; cause?: unknown } | null;
  if (record === null || typeof record !== 'object') return false;
  if (typeof record.socket?.bytesRead === 'number' && record.socket.bytesRead > 0) return true;
  return record.cause === undefined ? false : answeredOnConnection(record.cause);
}

function within(ms: number | undefined): string {
  return ms === undefined ? '' : hostMessage('netWithin', { seconds: ms / 1000 });
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
      message: hostMessage('netNameNotFound', { host }),
    };
  }
  if (code === 'EAI_AGAIN') {
    return {
      problem: 'dns',
      message: hostMessage('netNameNoAnswer', { host }),
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      problem: 'refused',
      message: hostMessage('netRefused', { where, port }),
    };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return {
      problem: 'timeout',
      message: hostMessage('netConnectTimeout', { where, within: within(request.timeoutMs) }),
    };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || name === 'TimeoutError') {
    return {
      problem: 'timeout',
      message: hostMessage('netNoAnswer', { where, within: within(request.timeoutMs) }),
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = (error as { cert?: { subjectaltname?: string } }).cert?.subjectaltname;
    return {
      problem: 'tls',
      message:
        names === undefined
          ? hostMessage('tlsWrongName', { host })
          : hostMessage('tlsWrongNameNames', { host, names }),
    };
  }
  if (code !== undefined && TLS_CODES[code] !== undefined)
    return { problem: 'tls', message: TLS_CODES[code] };
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || code?.startsWith('ERR_SSL_') === true) {
    return {
      problem: 'tls',
      message:
        url.protocol === 'https:'
          ? hostMessage('tlsNotSpoken', { where })
          : hostMessage('tlsFailed', { where, reason: errorText(error) }),
    };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
    // A TLS server closes a plain-HTTP connection before saying anything; one that answered on it speaks HTTP.
    const tryHttps = url.protocol === 'http:' && !answeredOnConnection(error);
    return {
      problem: 'network',
      message: hostMessage(tryHttps ? 'netClosedTryHttps' : 'netClosed', { where }),
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN' || code === 'ENETDOWN') {
    return {
      problem: 'network',
      message: hostMessage('netUnreachable', { host }),
    };
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return { problem: 'not-ekuiper', message: hostMessage('netHeadersTooLarge', { where }) };
  }
  // undici's HTTPParserError carries its llhttp code only sometimes; its name is enough.
  if (code?.startsWith('HPE_') === true || name === 'HTTPParserError') {
    return {
      problem: 'not-ekuiper',
      message: hostMessage('netNotHttp', { where }),
    };
  }
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED') {
    return { problem: 'network', message: hostMessage('netCancelled', { where }) };
  }
  return { problem: 'network', message: hostMessage('netOther', { where, reason: errorText(error) }) };
}
