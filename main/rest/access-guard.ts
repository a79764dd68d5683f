import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HostSettings } from '../settings/host-settings.js';
import { isLoopbackHostname } from '../../shared/loopback.js';
import { sendStatusError } from './replies.js';

export { isLoopbackHostname };

/** Whether an address to bind to keeps the endpoint on this machine. */
export function isLoopbackAddress(address: string): boolean {
  return isLoopbackHostname(address);
}

/** The host name part of a `Host` header (`[::1]:9081` → `[::1]`). */
function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Paths served without a token: eKuiper exempts `/` and `/ping`; the page's own files must load too. */
export function isPublicPath(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    path === '/' ||
    path === '/ping' ||
    path === '/index.html' ||
    path.startsWith('/assets/') ||
    path === '/favicon.ico'
  );
}

export type GuardVerdict =
  { ok: true; corsOrigin?: string } | { ok: false; status: number; message: string; plain?: boolean };

/**
 * Decides whether a request may reach the API. No web page the user visits may drive it: a `Host` that is not
 * a loopback name (DNS rebinding) and an `Origin` other than the host's own (cross-site requests, including
 * `null` from sandboxed frames and files) are refused unless allowlisted. With a token set, every API call
 * must carry it, as `Bearer <token>` or eKuiper's bare form.
 */
export function checkRequest(
  request: { method: string; path: string; headers: Record<string, string | string[] | undefined> },
  settings: HostSettings,
): GuardVerdict {
  const header = (key: string): string | undefined => {
    const value = request.headers[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const hostHeader = header('host') ?? '';
  const hostname = hostnameOf(hostHeader);
  const openHost = settings.token !== '' && !isLoopbackAddress(settings.restHost);
  if (!isLoopbackHostname(hostname) && !settings.allowedHosts.includes(hostname) && !openHost) {
    return {
      ok: false,
      status: 403,
      message:
        `request refused: Host '${hostHeader}' is not a loopback name. The local plugin API answers only ` +
        `localhost and 127.0.0.1, so web pages cannot reach it through DNS rebinding; add the name to ` +
        `allowedHosts to allow it`,
    };
  }
  const origin = header('origin');
  let corsOrigin: string | undefined;
  if (origin !== undefined) {
    const ownOrigin = origin === `http://${hostHeader}`;
    if (!ownOrigin && !settings.allowedOrigins.includes(origin)) {
      return {
        ok: false,
        status: 403,
        message:
          `request refused: origin '${origin}' may not use the local plugin API, so that no web page you ` +
          `visit can install or remove plugins. Call the API from scripts (no Origin header), or add the ` +
          `origin to allowedOrigins`,
      };
    }
    if (!ownOrigin) corsOrigin = origin;
  } else if (header('sec-fetch-site') === 'cross-site') {
    return {
      ok: false,
      status: 403,
      message: 'request refused: cross-site requests may not use the local plugin API',
    };
  }
  if (settings.token !== '' && !isPublicPath(request.method, request.path) && request.method !== 'OPTIONS') {
    const authorization = header('authorization');
    if (authorization === undefined || authorization === '') {
      return { ok: false, status: 401, message: 'missing_token', plain: true };
    }
    const presented = authorization.startsWith('Bearer ')
      ? authorization.slice('Bearer '.length)
      : authorization;
    if (!tokenMatches(presented.trim(), settings.token)) {
      return {
        ok: false,
        status: 401,
        message: 'validate token error: the token does not match',
        plain: true,
      };
    }
  }
  return corsOrigin === undefined ? { ok: true } : { ok: true, corsOrigin };
}

const CORS_HEADERS = 'Accept, Accept-Language, Content-Type, Content-Language, Origin, Authorization';
const CORS_METHODS = 'POST, GET, PUT, DELETE, HEAD';

/** Fastify hook applying `checkRequest`, answering preflights for allowlisted origins. */
export function accessGuard(settings: () => HostSettings) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const verdict = checkRequest(
      { method: request.method, path: request.url.split('?')[0] ?? '/', headers: request.headers },
      settings(),
    );
    if (!verdict.ok) {
      if (verdict.plain === true) {
        await reply.code(verdict.status).type('text/plain; charset=utf-8').send(verdict.message);
      } else {
        await sendStatusError(reply, verdict.status, verdict.message);
      }
      return;
    }
    if (verdict.corsOrigin !== undefined) {
      void reply.header('Access-Control-Allow-Origin', verdict.corsOrigin).header('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') {
      await reply
        .header('Access-Control-Allow-Methods', CORS_METHODS)
        .header('Access-Control-Allow-Headers', CORS_HEADERS)
        .code(200)
        .send('');
    }
  };
}
