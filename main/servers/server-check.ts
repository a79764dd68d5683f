import { performance } from 'node:perf_hooks';
import { hostMessage } from '../../shared/host-messages.js';
import type { ServerCheck, ServerKind, ServerProblem } from '../../shared/server-dto.js';
import { ServerAuthError, type ServerAuthorizer } from './auth/auth-types.js';
import { describeNetworkError } from './network-errors.js';
import { scrubSecrets } from './scrub-secrets.js';
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
  if (days > 0) return hostMessage('uptimeDays', { days, hours });
  if (hours > 0) return hostMessage('uptimeHours', { hours, minutes });
  if (minutes > 0) return hostMessage('uptimeMinutes', { minutes });
  return hostMessage('uptimeSeconds', { seconds });
}

/** What the user can do about eKuiper's own 401 words, by what they say and the auth type in use. */
function authHint(serverWords: string, auth: StoredAuth): string | undefined {
  if (serverWords.includes('missing_token')) {
    return hostMessage(auth.type === 'none' ? 'authHintNoCredentials' : 'authHintDropped');
  }
  if (serverWords.includes('token is malformed') && auth.type === 'bearer') {
    return hostMessage('authHintNoBearer');
  }
  if (serverWords.includes('not found target key file')) return hostMessage('authHintIssuer');
  if (serverWords.includes('verification error')) return hostMessage('authHintKeyMismatch');
  if (serverWords.includes('token is expired') || serverWords.includes('not valid yet')) {
    return hostMessage('authHintClock');
  }
  return undefined;
}

/** The server's own words after a refusal, quoted (`: "missing_token"`), or nothing when it said nothing. */
function quoted(words: string): string {
  return words === '' ? '' : hostMessage('checkQuote', { words });
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
  const scrub = (text: string): string => scrubSecrets(text, target.authorizer.secretValues());
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
        throw new CheckFailure('not-ekuiper', hostMessage('checkIsEkuiper', { url: client.url }), true, null);
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
  result.ok = true;
  result.message = checkSummary(result);
  if (role === 'Viewer') {
    result.readOnly = true;
    result.message =
      target.auth.type === 'neuronex-login'
        ? hostMessage('checkViewerUser', { summary: result.message, user: target.auth.username })
        : hostMessage('checkViewer', { summary: result.message });
  }
  return result;
}

/** "eKuiper 2.1.0 on linux/amd64, up 3 min; answered in 12 ms", with NeuronEX's version first when there is one. */
function checkSummary(result: ServerCheck): string {
  const common = { version: result.version, os: result.os, arch: result.arch, ms: result.latencyMs ?? 0 };
  const neuronex = result.neuronexVersion;
  if (result.upTimeSeconds === null) {
    return neuronex === undefined
      ? hostMessage('checkOkEkuiper', common)
      : hostMessage('checkOkNeuronex', { ...common, neuronex });
  }
  const uptime = uptimeText(result.upTimeSeconds);
  return neuronex === undefined
    ? hostMessage('checkOkEkuiperUp', { ...common, uptime })
    : hostMessage('checkOkNeuronexUp', { ...common, neuronex, uptime });
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
    throw new CheckFailure('auth', hostMessage('checkNeuronexNeedsLogin'), true, false);
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
      hostMessage('checkRefusedCredentials', { status: response.status, where, quoted: quoted(words) }),
      true,
      false,
    );
  }
  const type = String(response.headers['content-type'] ?? '');
  const text = (await response.text().catch(() => '')).trim();
  const kindHint = hostMessage(target.kind === 'ekuiper' ? 'checkKindHintEkuiper' : 'checkKindHintNeuronex');
  if (response.status === 404) {
    throw new CheckFailure('not-ekuiper', hostMessage('checkNot404', { where, kindHint }), true, null);
  }
  const location = response.headers.location;
  if (response.status >= 300 && response.status < 400 && typeof location === 'string' && location !== '') {
    // A proxy sending http to https, or a page moved: the host does not follow, so say where it points.
    const to = response.scrub(new URL(location, where).href);
    throw new CheckFailure(
      'http',
      hostMessage('checkRedirected', { where, status: response.status, to }),
      true,
      null,
    );
  }
  if (response.status !== 200) {
    throw new CheckFailure(
      'http',
      text === ''
        ? hostMessage('checkAnswered', { where, status: response.status })
        : hostMessage('checkAnsweredWords', {
            where,
            status: response.status,
            words: response.scrub(text).slice(0, QUOTE_CHARS),
          }),
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
    const webPage = type.includes('html') || text.startsWith('<');
    throw new CheckFailure(
      'not-ekuiper',
      hostMessage(webPage ? 'checkNotWebPage' : 'checkNotInfo', { where, kindHint }),
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
  const said = quoted(words);
  if (response.status === 401) {
    const hint =
      target.kind === 'neuronex'
        ? hostMessage(target.auth.type === 'none' ? 'checkNeuronexNeedsLogin' : 'checkNeuronexTokenRefused')
        : authHint(words, target.auth);
    throw new CheckFailure(
      'auth',
      hint === undefined
        ? hostMessage('checkRefused401', { where, quoted: said })
        : hostMessage('checkRefused401Hint', { where, quoted: said, hint }),
      true,
      false,
    );
  }
  if (response.status === 403) {
    throw new CheckFailure('auth', hostMessage('checkRefused403', { where, quoted: said }), true, false);
  }
  if (response.status === 404) {
    throw new CheckFailure('not-ekuiper', hostMessage('checkNoPluginApi', { where }), true, null);
  }
  throw new CheckFailure(
    'http',
    words === ''
      ? hostMessage('checkAnsweredOn', { status: response.status, where })
      : hostMessage('checkAnsweredOnWords', { status: response.status, where, words }),
    true,
    null,
  );
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
    message: hostMessage('checkLocal', { version: info.version, os: info.os, arch: info.arch }),
    checkedAt: now().toISOString(),
  };
}
