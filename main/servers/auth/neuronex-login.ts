import { decodeJwt } from 'jose';
import { hostMessage } from '../../../shared/host-messages.js';
import type { RawSend, ServerResponse } from '../server-client.js';
import { scrubSecrets } from '../scrub-secrets.js';
import { ServerAuthError, missingSecret, type ServerAuthorizer } from './auth-types.js';

/** NeuronEX's own login route, at the server's root (not under `/api/ekuiper`). */
export const NEURONEX_LOGIN_PATH = '/api/login';
/** A token whose `exp` is this close is replaced before use (NeuronEX's default lifetime is 24 h). */
const RENEW_BEFORE_MS = 60_000;
/** Statuses with which a NeuronEX older than 3.3 refuses the `password` field it does not know. */
const OLD_BODY_HINTS = new Set([400, 401, 422]);
/** How much of a server's answer is quoted in a message. */
const QUOTE_CHARS = 200;

interface LoginAnswer {
  token?: unknown;
  role?: unknown;
}

/** The JWT's `exp` in milliseconds, when the token is a JWT that has one. */
function expiresAt(token: string): number | undefined {
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * NeuronEX's login: `POST /api/login` with `{"name","password"}` (NeuronEX 3.3 and later) or, when that is
 * refused with 400/401/422, once more with the older `{"name","pass"}`; the body that worked is remembered. The
 * token goes out as `Authorization: Bearer <token>`. A 401 on any request logs in again once (tokens die when
 * NeuronEX restarts); a token about to expire is renewed before use. Concurrent requests share one login.
 */
export function neuronexLoginAuthorizer(
  username: string,
  password: string | undefined,
  send: RawSend,
  now: () => number = Date.now,
): ServerAuthorizer {
  let token: string | undefined;
  let role: string | undefined;
  let usesOldBody = false;
  let loggingIn: Promise<string> | undefined;

  const post = (body: Record<string, string>): Promise<ServerResponse> =>
    send({
      method: 'POST',
      path: NEURONEX_LOGIN_PATH,
      root: true,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });

  const quote = async (response: ServerResponse): Promise<string> => {
    const text = (await response.text().catch(() => '')).trim();
    return scrubSecrets(text, [password]).slice(0, QUOTE_CHARS);
  };

  const logIn = async (): Promise<string> => {
    if (password === undefined || password === '') throw missingSecret('password');
    const bodies: Array<Record<string, string>> = usesOldBody
      ? [{ name: username, pass: password }]
      : [
          { name: username, password },
          { name: username, pass: password },
        ];
    let refused = false;
    for (const [index, body] of bodies.entries()) {
      const response = await post(body);
      if (response.status === 200) {
        const answer = await response.json<LoginAnswer>().catch((): LoginAnswer => ({}));
        if (typeof answer.token !== 'string' || answer.token === '') {
          throw new ServerAuthError(hostMessage('loginNoToken', { path: NEURONEX_LOGIN_PATH }), 200);
        }
        token = answer.token;
        role = typeof answer.role === 'string' ? answer.role : undefined;
        usesOldBody = 'pass' in body;
        return token;
      }
      if (response.status === 401) refused = true;
      const last = index === bodies.length - 1;
      if (!last && OLD_BODY_HINTS.has(response.status)) {
        await response.dump();
        continue;
      }
      if (refused) {
        await response.dump();
        throw new ServerAuthError(
          hostMessage('loginRefused', { user: username, status: 401, path: NEURONEX_LOGIN_PATH }),
          401,
        );
      }
      if (response.status === 404) {
        await response.dump();
        throw new ServerAuthError(hostMessage('loginNoRoute', { path: NEURONEX_LOGIN_PATH }), 404);
      }
      const words = await quote(response);
      throw new ServerAuthError(
        words === ''
          ? hostMessage('loginAnswered', { path: NEURONEX_LOGIN_PATH, status: response.status })
          : hostMessage('loginAnsweredWords', { path: NEURONEX_LOGIN_PATH, status: response.status, words }),
        response.status,
      );
    }
    throw new ServerAuthError(hostMessage('loginFailed', { path: NEURONEX_LOGIN_PATH }));
  };

  const sharedLogIn = (): Promise<string> => {
    loggingIn ??= logIn().finally(() => {
      loggingIn = undefined;
    });
    return loggingIn;
  };

  const usable = (current: string): boolean => {
    const expiry = expiresAt(current);
    return expiry === undefined || expiry - now() > RENEW_BEFORE_MS;
  };

  return {
    async authorization() {
      const current = token !== undefined && usable(token) ? token : await sharedLogIn();
      return `Bearer ${current}`;
    },
    async refresh() {
      token = undefined;
      await sharedLogIn();
      return true;
    },
    role: () => role,
    missing: () => (password === undefined || password === '' ? missingSecret('password') : undefined),
    // The login token only: the password goes to the login alone, whose quotes mask it (`quote` above).
    secretValues: () => (token === undefined || token === '' ? [] : [token]),
  };
}
