import { performance } from 'node:perf_hooks';
import type { ServerCheck, ServerKind, ServerProblem } from '../../shared/server-dto.js';
import { ServerAuthError, type ServerAuthorizer } from './auth/auth-types.js';
import { describeNetworkError } from './network-errors.js';
import type { RawSend, ServerClient, ServerRequest, ServerResponse } from './server-client.js';
import type { StoredAuth } from './server-file.js';

/** What a check needs of one server: its client, the same server without credentials, and how it authenticates. */
export interface CheckTarget {
  kind: ServerKind;
  auth: StoredAuth;
  client: ServerClient;
  authorizer: ServerAuthorizer;
  /** The server without credentials: `GET /` is open on eKuiper (and NeuronEX serves its page there). */
  send: RawSend;
}

/** eKuiper's `GET /` (open even when authentication is on). */
interface EkuiperInfo {
  version?: unknown;
  os?: unknown;
  arch?: unknown;
  upTimeSeconds?: unknown;
}

/** How much of a server's answer a message quotes. */
const QUOTE_CHARS = 300;
/** A check request may take the server's timeout for its headers plus this for its (small) body. */
const BODY_GRACE_MS = 2_000;

/** A failed step: the problem, its words, and whether the server answered at all. */
class CheckFailure extends Error {
  constructor(
    readonly problem: ServerProblem,
    message: string,
    readonly reachable: boolean,
    readonly authOk: boolean | null,
  ) {
    super(message);
  }
}

/** "up 3 d 4 h", "up 12 min": enough to tell a server that restarted a moment ago. */
export function uptimeText(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `up ${days} d ${hours} h`;
  if (hours > 0) return `up ${hours} h ${minutes} min`;
  if (minutes > 0) return `up ${minutes} min`;
  return `up ${seconds} s`;
}

/** What the user can do about eKuiper's own 401 words, by what they say and the auth type in use. */
function authHint(serverWords: string, auth: StoredAuth): string | undefined {
  if (serverWords.includes('missing_token')) {
    return auth.type === 'none'
      ? "The server requires credentials (eKuiper's basic.authentication is on): choose eKuiper JWT with the " +
          "private key and, as issuer, the file name of the matching public key in the server's etc/mgmt"
      : 'The credentials did not reach the server: a proxy in between may drop the Authorization header';
  }
  if (serverWords.includes('token is malformed') && auth.type === 'bearer') {
    return "eKuiper expects its own JWT sent without 'Bearer': choose eKuiper JWT";
  }
  if (serverWords.includes('not found target key file')) {
    return "The issuer must be the file name of the public key in the server's etc/mgmt folder";
  }
  if (serverWords.includes('verification error')) {
    return 'The private key does not match the public key the issuer names on the server';
  }
  if (serverWords.includes('token is expired') || serverWords.includes('not valid yet')) {
    return "This computer's clock and the server's differ by minutes: set both clocks right";
  }
  return undefined;
}

/**
 * Checks one server as the user's "Test connection" does: whether it can be reached and how fast (`GET /`), what
 * it is (eKuiper's version, OS, arch and uptime; NeuronEX's own version too), and whether the credentials work on
 * an authenticated route (`GET /plugins/portables`). Never throws: every failure becomes a `ServerCheck` with
 * `problem` set and a sentence quoting the server's own words where it gave any (scrubbed of secrets).
 */
export async function checkServer(
  target: CheckTarget,
  now: () => Date = () => new Date(),
): Promise<ServerCheck> {
  const result: ServerCheck = {
    ok: false,
    reachable: false,
    authOk: null,
    version: '',
    os: '',
    arch: '',
    upTimeSeconds: null,
    latencyMs: null,
    message: '',
    checkedAt: now().toISOString(),
  };
  const { client } = target;
  const missing = target.authorizer.missing();
  if (missing !== undefined) {
    return { ...result, authOk: false, problem: 'auth', message: missing.message };
  }
  const scrub = (text: string): string =>
    target.authorizer.secretValues().reduce((out, secret) => out.split(secret).join('•••'), text);
  const quote = async (response: ServerResponse): Promise<string> => {
    const text = (await response.text().catch(() => '')).trim();
    return scrub(text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text);
  };
  let current: ServerRequest = { method: 'GET', path: '/' };
  const call = (request: ServerRequest, withCredentials: boolean): Promise<ServerResponse> => {
    current = { ...request, signal: AbortSignal.timeout(client.timeoutMs + BODY_GRACE_MS) };
    return withCredentials ? client.request(current) : target.send(current);
  };

  try {
    // Reachable, and how fast: the server's root without credentials (eKuiper leaves it open).
    const started = performance.now();
    let root = await call({ method: 'GET', path: '/', root: true }, false);
    result.latencyMs = Math.max(0, Math.round(performance.now() - started));
    result.reachable = true;

    let neuronexVersion: string | undefined;
    if (target.kind === 'neuronex') {
      if (await isEkuiperInfo(root)) {
        throw new CheckFailure(
          'not-ekuiper',
          `${client.url} is eKuiper itself, not NeuronEX (its root answers eKuiper's version): choose the kind eKuiper`,
          true,
          null,
        );
      }
      neuronexVersion = await readNeuronexVersion(
        await call({ method: 'GET', path: '/api/version', root: true }, true),
      );
      root = await call({ method: 'GET', path: '/' }, true);
    } else if (root.status === 401 || root.status === 403) {
      // A proxy in front of eKuiper may guard even the root.
      await root.dump();
      root = await call({ method: 'GET', path: '/' }, true);
    }
    await readInfo(root, target, result, quote);
    if (neuronexVersion !== undefined) result.neuronexVersion = neuronexVersion;
    await proveCredentials(call, target, result, quote);
  } catch (error) {
    const failure =
      error instanceof CheckFailure
        ? error
        : toFailure(
            error,
            client.urlOf(current.path, current.root === true),
            client.timeoutMs,
            result.reachable,
          );
    result.problem = failure.problem;
    result.message = scrub(failure.message);
    result.reachable = failure.reachable;
    result.authOk = failure.authOk;
    return result;
  }

  const role = target.authorizer.role();
  if (role !== undefined) result.role = role;
  const product =
    result.neuronexVersion !== undefined
      ? `NeuronEX ${result.neuronexVersion} with eKuiper ${result.version}`
      : `eKuiper ${result.version}`;
  const up = result.upTimeSeconds === null ? '' : `, ${uptimeText(result.upTimeSeconds)}`;
  result.ok = true;
  result.message = `${product} on ${result.os}/${result.arch}${up}; answered in ${result.latencyMs ?? 0} ms`;
  if (role === 'Viewer') {
    result.readOnly = true;
    const user = target.auth.type === 'neuronex-login' ? `${target.auth.username} ` : '';
    result.message +=
      `. The account ${user}is a NeuronEX Viewer: it may only read, so installs, updates and deletes ` +
      `will be refused`;
  }
  return result;
}

/** A thrown error as a failed check: the network's words, or the credentials' (a refused NeuronEX login). */
function toFailure(error: unknown, url: string, timeoutMs: number, reachable: boolean): CheckFailure {
  const described = describeNetworkError(error, { url, timeoutMs });
  const answered = error instanceof ServerAuthError && error.status !== undefined;
  return new CheckFailure(
    described.problem,
    described.message,
    reachable || answered,
    described.problem === 'auth' ? false : null,
  );
}

/** Whether an answer is eKuiper's `GET /` info (consumes the body). */
async function isEkuiperInfo(response: ServerResponse): Promise<boolean> {
  if (response.status !== 200) {
    await response.dump();
    return false;
  }
  const info = await response.json<EkuiperInfo | null>().catch((): null => null);
  return typeof info?.version === 'string' && typeof info.os === 'string';
}

/** NeuronEX's own `GET /api/version`; an older NeuronEX without it is no failure. */
async function readNeuronexVersion(response: ServerResponse): Promise<string | undefined> {
  if (response.status === 401) {
    await response.dump();
    throw new CheckFailure(
      'auth',
      'NeuronEX requires a login: choose NeuronEX login and give its user name and password',
      true,
      false,
    );
  }
  if (response.status !== 200) {
    await response.dump();
    return undefined;
  }
  const answer = await response.json<{ version?: unknown }>().catch((): { version?: unknown } => ({}));
  return typeof answer.version === 'string' ? answer.version : undefined;
}

/** eKuiper's `GET /` answer into the check; anything else means the address is not eKuiper's API. */
async function readInfo(
  response: ServerResponse,
  target: CheckTarget,
  result: ServerCheck,
  quote: (response: ServerResponse) => Promise<string>,
): Promise<void> {
  const where = target.client.urlOf('/');
  if (response.status === 401 || response.status === 403) {
    const words = await quote(response);
    throw new CheckFailure(
      'auth',
      `the server refused the credentials (${response.status} on GET ${where})${words === '' ? '' : `: "${words}"`}`,
      true,
      false,
    );
  }
  const type = String(response.headers['content-type'] ?? '');
  const text = (await response.text().catch(() => '')).trim();
  const kindHint =
    target.kind === 'ekuiper'
      ? " (eKuiper's REST API usually listens on port 9081; for NeuronEX choose the kind NeuronEX)"
      : ' (NeuronEX usually listens on port 8085)';
  if (response.status === 404) {
    throw new CheckFailure(
      'not-ekuiper',
      `${where} answered 404 where eKuiper tells its version: this address is not eKuiper's REST API${kindHint}`,
      true,
      null,
    );
  }
  if (response.status !== 200) {
    throw new CheckFailure(
      'http',
      `${where} answered ${response.status}${text === '' ? '' : `: "${text.slice(0, QUOTE_CHARS)}"`}`,
      true,
      null,
    );
  }
  let info: EkuiperInfo | undefined;
  try {
    info = JSON.parse(text) as EkuiperInfo;
  } catch {
    info = undefined;
  }
  if (info === undefined || info === null || typeof info.version !== 'string') {
    const what =
      type.includes('html') || text.startsWith('<') ? 'a web page' : 'something other than eKuiper’s info';
    throw new CheckFailure(
      'not-ekuiper',
      `${where} answered with ${what}, not eKuiper's version information: this address is not eKuiper's REST API${kindHint}`,
      true,
      null,
    );
  }
  result.version = info.version;
  result.os = typeof info.os === 'string' ? info.os : '';
  result.arch = typeof info.arch === 'string' ? info.arch : '';
  result.upTimeSeconds = typeof info.upTimeSeconds === 'number' ? info.upTimeSeconds : null;
}

/**
 * An authenticated route proves the credentials: eKuiper checks them only on routes it knows (an unknown path
 * answers 404 without looking), so the plugin list is asked, and the rule list where a build has no portables.
 */
async function proveCredentials(
  call: (request: ServerRequest, withCredentials: boolean) => Promise<ServerResponse>,
  target: CheckTarget,
  result: ServerCheck,
  quote: (response: ServerResponse) => Promise<string>,
): Promise<void> {
  let path = '/plugins/portables';
  let response = await call({ method: 'GET', path }, true);
  if (response.status === 404) {
    await response.dump();
    path = '/rules';
    response = await call({ method: 'GET', path }, true);
  }
  const where = `GET ${target.client.urlOf(path)}`;
  if (response.status === 200) {
    await response.dump();
    result.authOk = true;
    return;
  }
  const words = await quote(response);
  const quoted = words === '' ? '' : `: "${words}"`;
  if (response.status === 401) {
    const hint =
      target.kind === 'neuronex'
        ? target.auth.type === 'none'
          ? 'NeuronEX requires a login: choose NeuronEX login and give its user name and password'
          : 'NeuronEX refused the login token even after logging in again'
        : authHint(words, target.auth);
    throw new CheckFailure(
      'auth',
      `the server refused the credentials (401 on ${where})${quoted}${hint === undefined ? '' : `. ${hint}`}`,
      true,
      false,
    );
  }
  if (response.status === 403) {
    throw new CheckFailure('auth', `the server refused access (403 on ${where})${quoted}`, true, false);
  }
  if (response.status === 404) {
    throw new CheckFailure(
      'not-ekuiper',
      `the server tells its version but has neither a plugin nor a rule API (404 on ${where})`,
      true,
      null,
    );
  }
  throw new CheckFailure('http', `the server answered ${response.status} on ${where}${quoted}`, true, null);
}

/** The host itself as a check: healthy by construction, with its own info. */
export function localCheck(
  info: { version: string; os: string; arch: string; upTimeSeconds: number },
  now: () => Date = () => new Date(),
): ServerCheck {
  return {
    ok: true,
    reachable: true,
    authOk: true,
    version: info.version,
    os: info.os,
    arch: info.arch,
    upTimeSeconds: info.upTimeSeconds,
    latencyMs: 0,
    message: `This computer: the app's own host, eKuiper ${info.version} API on ${info.os}/${info.arch}`,
    checkedAt: now().toISOString(),
  };
}
