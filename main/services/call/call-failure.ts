import { hostMessage } from '../../../shared/host-messages.js';
import { describeNetworkError } from '../../servers/network-errors.js';
import { errorText } from '../../plugins/plugin-error.js';

/**
 * A service call that failed for a reason the user can act on (arguments that do not fit the proto, an answer a
 * rule could not read, a network failure): its message is the whole explanation, shown as the outcome's error.
 */
export class ServiceCallError extends Error {
  constructor(
    message: string,
    /** eKuiper retries only failures that may pass (timeouts, reset connections); everything else fails at once. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ServiceCallError';
  }
}

/** A value as the user wrote it, short enough for a message. */
export function shown(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a cycle or a BigInt: described by its kind below
  }
  text ??= typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** host:port of a URL, with the scheme's default port spelled out. */
function hostAndPort(url: URL): { where: string; port: string } {
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return { where: `${url.hostname}:${port}`, port };
}

/** The call ran out of time: eKuiper would give up too, and retry it when the interface asks for retries. */
export function serviceTimeout(url: string, timeoutMs: number): ServiceCallError {
  const { where } = hostAndPort(new URL(url));
  return new ServiceCallError(hostMessage('svcCallTimedOut', { where, seconds: timeoutMs / 1000 }), true);
}

/**
 * Words a failure to reach a REST service. The wording of `describeNetworkError` is reused where it fits any
 * server (names, unreachable hosts, closed connections); refusals, timeouts, TLS and non-HTTP answers get texts
 * that speak of the service and its interface rather than of an eKuiper server's settings.
 */
export function describeServiceNetworkError(
  error: unknown,
  url: string,
  timeoutMs: number,
): ServiceCallError {
  const failure = describeNetworkError(error, { url, timeoutMs });
  const { where, port } = hostAndPort(new URL(url));
  switch (failure.problem) {
    case 'refused':
      return new ServiceCallError(hostMessage('svcCallRefused', { where, port }));
    case 'timeout':
      return serviceTimeout(url, timeoutMs);
    case 'tls':
      return new ServiceCallError(hostMessage('svcCallTls', { where, reason: tlsReason(error) }));
    case 'not-ekuiper':
      return new ServiceCallError(hostMessage('svcCallNotHttp', { where }));
    default: {
      const code = (error as { code?: unknown } | null)?.code;
      const retryable = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
      return new ServiceCallError(failure.message, retryable);
    }
  }
}

/** Node's own words for a TLS failure (`self-signed certificate`), from the error or its cause. */
function tlsReason(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof Error ? cause.message : errorText(error);
}
