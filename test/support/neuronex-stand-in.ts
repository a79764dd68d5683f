/**
 * A NeuronEX (EMQX Neuron) as its public docs describe it, for tests and benches: port 8085's routes in
 * miniature, with one of our hosts playing the bundled eKuiper behind `/api/ekuiper`.
 *
 * - `POST /api/login` `{"name","password"}` → 200 `{"token","role"}` (`Administrator` or `Viewer`), or 401 `{}`.
 *   With `oldLoginBody` it is a NeuronEX before 3.3: it reads only `{"name","pass"}` (a `password` field is
 *   ignored, so the login fails with 401 as the Go struct would leave `pass` empty).
 * - Every other `/api/…` route needs `Authorization: Bearer <token>` (401 `{}` otherwise), including
 *   `GET /api/version` → `{"version"}` and `/api/ekuiper/*`, forwarded to the host without the prefix.
 * - A Viewer may only read: any other method is refused with 403.
 * - `GET /` is the web page (HTML), open to all.
 * - `revokeAll()` forgets every token, as a NeuronEX restart does (its JWT key pair is made at start).
 * NeuronEX's own 401/403 bodies are not documented; these are placeholders.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { startTestHost, type TestHost } from './host-harness.js';
import {
  closeServer,
  forward,
  listenOnLoopback,
  readBody,
  sendJsonAnswer,
  type StandIn,
} from './stand-in-server.js';

export type NeuronexRole = 'Administrator' | 'Viewer';

export interface NeuronexUser {
  name: string;
  password: string;
  role: NeuronexRole;
}

/** NeuronEX's default administrator and an optional viewer account (NEURONEX__SERVER__VIEWER__USERNAME). */
export const NEURONEX_ADMIN: NeuronexUser = { name: 'admin', password: '0000', role: 'Administrator' };
export const NEURONEX_VIEWER: NeuronexUser = { name: 'viewer', password: 'viewer-pass', role: 'Viewer' };

export interface NeuronexStandInOptions {
  /** One of our hosts as the bundled eKuiper; a fresh one is started (and stopped) when absent. */
  upstream?: string;
  users?: NeuronexUser[];
  /** Behave like NeuronEX before 3.3: the login body is `{"name","pass"}`. */
  oldLoginBody?: boolean;
  version?: string;
  /**
   * Issue tokens shaped like NeuronEX's JWTs, with an `exp` this many seconds ahead (24 h on a real NeuronEX), so
   * a client can see when one expires. Opaque random tokens when absent. Either way a token is valid until
   * revoked: the stand-in does not enforce `exp`.
   */
  tokenLifetimeS?: number;
}

export interface NeuronexStandIn extends StandIn {
  upstream: string;
  /** Login requests received (successful or not), to prove a re-login or a shared one. */
  readonly loginAttempts: number;
  /** Successful logins. */
  readonly logins: number;
  /** Forgets every issued token, as a NeuronEX restart does. */
  revokeAll(): void;
}

const PAGE =
  '<!doctype html><html><head><title>EMQX Neuron</title></head><body><div id="app"></div></body></html>';

/** A random token, or one shaped like a JWT with an `exp` (unsigned: only its shape and expiry matter). */
function issueToken(lifetimeS: number | undefined): string {
  const random = randomBytes(24).toString('base64url');
  if (lifetimeS === undefined) return random;
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + lifetimeS;
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ exp, iss: 'neuronex' })}.${random}`;
}

/** Starts the stand-in on 127.0.0.1 with a host behind `/api/ekuiper`. */
export async function startNeuronexStandIn(options: NeuronexStandInOptions = {}): Promise<NeuronexStandIn> {
  const users = options.users ?? [NEURONEX_ADMIN, NEURONEX_VIEWER];
  let host: TestHost | undefined;
  const upstream = options.upstream ?? (host = await startTestHost()).url;
  const tokens = new Map<string, NeuronexRole>();
  let loginAttempts = 0;
  let logins = 0;

  const server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? '/';
      const pathname = path.split('?')[0] ?? '/';
      if (pathname === '/api/login' && request.method === 'POST') {
        loginAttempts++;
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(await readBody(request)) as Record<string, unknown>;
        } catch {
          sendJsonAnswer(response, 400, { error: 'invalid body' });
          return;
        }
        const password = options.oldLoginBody === true ? body.pass : body.password;
        const user = users.find(
          (candidate) => candidate.name === body.name && candidate.password === password,
        );
        if (user === undefined) {
          sendJsonAnswer(response, 401, {});
          return;
        }
        const token = issueToken(options.tokenLifetimeS);
        tokens.set(token, user.role);
        logins++;
        sendJsonAnswer(response, 200, { token, role: user.role });
        return;
      }
      if (!pathname.startsWith('/api/')) {
        request.resume();
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(PAGE);
        return;
      }
      const header = request.headers.authorization ?? '';
      const role = header.startsWith('Bearer ') ? tokens.get(header.slice('Bearer '.length)) : undefined;
      if (role === undefined) {
        request.resume();
        sendJsonAnswer(response, 401, {});
        return;
      }
      if (role === 'Viewer' && request.method !== 'GET' && request.method !== 'HEAD') {
        request.resume();
        sendJsonAnswer(response, 403, { error: 'the Viewer role may only read' });
        return;
      }
      if (pathname === '/api/version' && request.method === 'GET') {
        sendJsonAnswer(response, 200, { version: options.version ?? '3.6.0' });
        return;
      }
      if (pathname === '/api/ekuiper' || pathname.startsWith('/api/ekuiper/')) {
        forward(upstream, path.slice('/api/ekuiper'.length) || '/', request, response);
        return;
      }
      request.resume();
      sendJsonAnswer(response, 404, { error: 'not found' });
    })();
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    upstream,
    get loginAttempts() {
      return loginAttempts;
    },
    get logins() {
      return logins;
    },
    revokeAll: () => tokens.clear(),
    async close() {
      await closeServer(server);
      await host?.close();
    },
  };
}
