/**
 * The servers the window manages: this app's own host (`local`) and remote eKuiper and NeuronEX servers. Shapes
 * of `/manager/servers…` and `/manager/fleet…`, and the rules a server's settings must follow, shared by the host
 * (which checks and stores them) and the window (which checks a form before sending it).
 */

import { hostMessage } from './host-messages.js';

/** The host itself, listed first as "This computer", never removable. */
export const LOCAL_SERVER_ID = 'local';

export const SERVER_KINDS = ['ekuiper', 'neuronex'] as const;
/** `ekuiper`: eKuiper's REST API at `url` (port 9081). `neuronex`: NeuronEX at `url` (port 8085), eKuiper behind `/api/ekuiper`. */
export type ServerKind = (typeof SERVER_KINDS)[number];

export const AUTH_TYPES = ['none', 'bearer', 'ekuiper-jwt', 'neuronex-login'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/**
 * Authentication as sent to the host. Secrets (`token`, `privateKey`, `password`) are write-only: on an update,
 * leaving one out keeps the stored one; no answer ever contains them.
 */
export type ServerAuthInput =
  | { type: 'none' }
  /** A fixed token sent as `Authorization: Bearer <token>`. */
  | { type: 'bearer'; token?: string }
  /**
   * eKuiper's own JWT auth: the host signs short-lived RS256 tokens with `privateKey` (PEM), `iss` = `issuer` (the
   * public key's file name in the server's `etc/mgmt`), `aud` = `eKuiper`, sent raw in `Authorization`.
   */
  | { type: 'ekuiper-jwt'; issuer: string; privateKey?: string }
  /** NeuronEX's login (`POST /api/login`), then `Authorization: Bearer <token>`; logs in again once on a 401. */
  | { type: 'neuronex-login'; username: string; password?: string };

/** Authentication as the host answers it: whether each secret is set, never the secret. */
export type ServerAuthPublic =
  | { type: 'none' }
  | { type: 'bearer'; tokenSet: boolean }
  | { type: 'ekuiper-jwt'; issuer: string; privateKeySet: boolean }
  | { type: 'neuronex-login'; username: string; passwordSet: boolean };

export interface ServerTls {
  /** Accept any certificate (self-signed, expired, wrong name). */
  insecureSkipVerify: boolean;
  /** A CA certificate in PEM that the server's certificate must chain to, besides the system's; `''` for none. */
  caCert: string;
}

/** `POST /manager/servers` and `PUT /manager/servers/{id}`. */
export interface ServerInput {
  name: string;
  kind: ServerKind;
  /** `http(s)://host:port`, without the `/api/ekuiper` of NeuronEX (the host adds it). */
  url: string;
  auth: ServerAuthInput;
  tls?: Partial<ServerTls>;
  /** How long a request may wait for the server to start answering (installs get longer). */
  timeoutMs?: number;
}

/** What the last connection check found: `GET /manager/servers` carries it as `health`. */
export interface ServerCheck {
  /** Reachable, the credentials work and the server speaks eKuiper's API. */
  ok: boolean;
  reachable: boolean;
  /** Whether an authenticated route answered; `null` when the server could not be reached at all. */
  authOk: boolean | null;
  version: string;
  os: string;
  arch: string;
  upTimeSeconds: number | null;
  latencyMs: number | null;
  /** One sentence for the user: what is wrong and what to do, or what the server is. */
  message: string;
  /** What kind of failure, for the window's wording and icon; absent when `ok`. */
  problem?: ServerProblem;
  /** NeuronEX's own version (`GET /api/version`), beside eKuiper's in `version`; absent for eKuiper servers. */
  neuronexVersion?: string;
  /** NeuronEX's role for the account (`Administrator`, `Viewer`); a Viewer may only read. */
  role?: string;
  /** The credentials work but may only read (a NeuronEX Viewer): installs and deletes will be refused. */
  readOnly?: boolean;
  /** When the check ran (ISO 8601). */
  checkedAt: string;
}

export type ServerProblem =
  'dns' | 'refused' | 'timeout' | 'tls' | 'network' | 'auth' | 'not-ekuiper' | 'http';

/** One server as `GET /manager/servers` answers it. */
export interface ServerInfo {
  id: string;
  name: string;
  kind: ServerKind;
  url: string;
  auth: ServerAuthPublic;
  tls: ServerTls;
  timeoutMs: number;
  /** The built-in `local` server: the host itself. */
  builtIn: boolean;
  /** The last background or requested check; absent until the first has finished. */
  health?: ServerCheck;
}

export const DEFAULT_SERVER_TIMEOUT_MS = 10_000;
export const MIN_SERVER_TIMEOUT_MS = 1_000;
export const MAX_SERVER_TIMEOUT_MS = 10 * 60_000;
export const MAX_SERVER_NAME_LENGTH = 100;

/** The URL the host sends eKuiper API calls to: NeuronEX proxies eKuiper's API under `/api/ekuiper`. */
export function ekuiperApiBase(kind: ServerKind, url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return kind === 'neuronex' ? `${trimmed}/api/ekuiper` : trimmed;
}

/**
 * Ids the host gives itself or uses in its routes, so no stored server takes them: `local` is the host and
 * `POST /manager/servers/check` tests settings before saving them.
 */
export const RESERVED_SERVER_IDS: readonly string[] = [LOCAL_SERVER_ID, 'check'];

/** A field of the server form and what is wrong with it, so the window can mark the field. */
export interface ServerInputProblem {
  field:
    | 'name'
    | 'kind'
    | 'url'
    | 'auth'
    | 'auth.token'
    | 'auth.issuer'
    | 'auth.privateKey'
    | 'auth.username'
    | 'auth.password'
    | 'tls.caCert'
    | 'timeoutMs';
  message: string;
}

/** Every problem in one line, each prefixed by its field: the message of the host's 400 answers. */
export function serverProblemsText(problems: readonly ServerInputProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a server's settings as sent to `POST`/`PUT /manager/servers`. `existing` is the stored server on an
 * update: a secret left out is then kept, where a new server must have it. Answers the cleaned input or every
 * problem, each tied to its field.
 */
export function validateServerInput(
  value: unknown,
  existing?: { auth: ServerAuthPublic },
): { ok: true; input: ServerInput } | { ok: false; problems: ServerInputProblem[] } {
  const problems: ServerInputProblem[] = [];
  if (!isRecord(value)) {
    return {
      ok: false,
      problems: [{ field: 'name', message: 'the body must be a JSON object such as {"name","kind","url"}' }],
    };
  }
  const name = typeof value.name === 'string' ? value.name.trim() : '';
  if (value.name !== undefined && typeof value.name !== 'string') {
    problems.push({ field: 'name', message: hostMessage('serverNameNotText') });
  } else if (name === '') problems.push({ field: 'name', message: 'give the server a name' });
  else if (name.length > MAX_SERVER_NAME_LENGTH) {
    problems.push({ field: 'name', message: `a name has at most ${MAX_SERVER_NAME_LENGTH} characters` });
  } else if (CONTROL_CHARACTER.test(name)) {
    // A line break in a name would forge lines in the host's log, and an escape sequence recolour a terminal.
    problems.push({ field: 'name', message: hostMessage('serverNameOneLine') });
  }
  const kind = value.kind;
  if (!SERVER_KINDS.includes(kind as ServerKind)) {
    problems.push({ field: 'kind', message: `kind must be one of ${SERVER_KINDS.join(', ')}` });
  }
  const typed = typeof value.url === 'string' ? value.url.trim().replace(/\/+$/, '') : '';
  const urlProblem = serverUrlProblem(typed, kind === 'neuronex' ? 'neuronex' : 'ekuiper');
  if (urlProblem !== undefined) problems.push({ field: 'url', message: urlProblem });
  const url = urlProblem === undefined ? canonicalServerUrl(typed) : typed;

  const auth = checkAuth(value.auth, existing?.auth, problems);

  const tlsValue = value.tls === undefined ? {} : value.tls;
  let tls: Partial<ServerTls> = {};
  if (!isRecord(tlsValue)) {
    problems.push({ field: 'tls.caCert', message: 'tls must be an object' });
  } else {
    if (tlsValue.insecureSkipVerify !== undefined && typeof tlsValue.insecureSkipVerify !== 'boolean') {
      problems.push({ field: 'tls.caCert', message: 'tls.insecureSkipVerify must be true or false' });
    }
    const caCert = tlsValue.caCert ?? '';
    if (typeof caCert !== 'string') {
      problems.push({ field: 'tls.caCert', message: 'tls.caCert must be a PEM text' });
    } else if (
      caCert.trim() !== '' &&
      !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(caCert)
    ) {
      problems.push({
        field: 'tls.caCert',
        message:
          'the CA certificate must be in PEM form (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
      });
    }
    tls = {
      insecureSkipVerify: tlsValue.insecureSkipVerify === true,
      caCert: typeof caCert === 'string' ? caCert.trim() : '',
    };
  }

  let timeoutMs: number | undefined;
  if (value.timeoutMs !== undefined) {
    const t = value.timeoutMs;
    if (
      typeof t !== 'number' ||
      !Number.isInteger(t) ||
      t < MIN_SERVER_TIMEOUT_MS ||
      t > MAX_SERVER_TIMEOUT_MS
    ) {
      problems.push({
        field: 'timeoutMs',
        message: `the timeout is a whole number of milliseconds from ${MIN_SERVER_TIMEOUT_MS} to ${MAX_SERVER_TIMEOUT_MS}`,
      });
    } else timeoutMs = t;
  }

  if (problems.length > 0 || auth === undefined) return { ok: false, problems };
  return {
    ok: true,
    input: {
      name,
      kind: kind as ServerKind,
      url,
      auth,
      tls,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    },
  };
}

/**
 * A server address as it is stored and used: scheme and host in lower case, the default port dropped, and a path
 * (an eKuiper behind a reverse proxy at `/ekuiper`) resolved (`/a/../b`, `\`) without a trailing slash — the
 * address every HTTP client would reach, so the list shows that and not what happened to be typed.
 */
export function canonicalServerUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}

/** What is wrong with a server URL, in words that say what to type instead; undefined when it is fine. */
export function serverUrlProblem(url: string, kind: ServerKind): string | undefined {
  const example = kind === 'neuronex' ? 'http://192.168.1.10:8085' : 'http://192.168.1.10:9081';
  if (url === '') return `give the server's address, such as ${example}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${url}' is not an address; write it as ${example}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `the address must start with http:// or https://, such as ${example}`;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'put credentials under Authentication, not in the address';
  }
  if (parsed.search !== '' || parsed.hash !== '') return 'the address takes no ?query or #fragment';
  if (kind === 'neuronex' && /\/api\/ekuiper$/.test(parsed.pathname)) {
    return `give NeuronEX's own address (${example}); the app adds /api/ekuiper itself`;
  }
  return undefined;
}

function checkAuth(
  value: unknown,
  existing: ServerAuthPublic | undefined,
  problems: ServerInputProblem[],
): ServerAuthInput | undefined {
  if (value === undefined) return { type: 'none' };
  if (!isRecord(value) || !AUTH_TYPES.includes(value.type as AuthType)) {
    problems.push({ field: 'auth', message: `auth.type must be one of ${AUTH_TYPES.join(', ')}` });
    return undefined;
  }
  const kept = existing?.type === value.type ? existing : undefined;
  const secret = (key: string, field: ServerInputProblem['field'], isSet: boolean, what: string) => {
    const given = value[key];
    if (given === undefined || given === '') {
      if (!isSet) problems.push({ field, message: `give the ${what}` });
      return undefined;
    }
    if (typeof given !== 'string') {
      problems.push({ field, message: `the ${what} must be text` });
      return undefined;
    }
    return given;
  };
  switch (value.type as AuthType) {
    case 'none':
      return { type: 'none' };
    case 'bearer': {
      const token = secret('token', 'auth.token', kept?.type === 'bearer' && kept.tokenSet, 'token');
      if (token !== undefined && !/^[\x20-\x7e]+$/.test(token.trim())) {
        // It goes into the Authorization header, where a line break or a non-ASCII letter cannot travel.
        problems.push({ field: 'auth.token', message: hostMessage('serverTokenNotHeader') });
      }
      return token === undefined ? { type: 'bearer' } : { type: 'bearer', token: token.trim() };
    }
    case 'ekuiper-jwt': {
      const issuer = typeof value.issuer === 'string' ? value.issuer.trim() : '';
      if (issuer === '') {
        problems.push({
          field: 'auth.issuer',
          message: "give the issuer: the file name of the public key in the server's etc/mgmt folder",
        });
      } else if (/[/\\]/.test(issuer)) {
        problems.push({
          field: 'auth.issuer',
          message: 'the issuer is a file name only (such as ekuiper-jwt.pub), without a folder',
        });
      }
      const privateKey = secret(
        'privateKey',
        'auth.privateKey',
        kept?.type === 'ekuiper-jwt' && kept.privateKeySet,
        'RSA private key (PEM)',
      );
      if (
        privateKey !== undefined &&
        /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(privateKey)
      ) {
        problems.push({
          field: 'auth.privateKey',
          message:
            'the private key is protected by a passphrase; give it without one (openssl rsa -in ekuiper-jwt.key -out ekuiper-jwt-plain.key)',
        });
      } else if (privateKey !== undefined && !/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
        problems.push({
          field: 'auth.privateKey',
          message:
            'the private key must be an RSA key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----), such as one made by openssl genrsa',
        });
      }
      return privateKey === undefined
        ? { type: 'ekuiper-jwt', issuer }
        : { type: 'ekuiper-jwt', issuer, privateKey: privateKey.trim() };
    }
    case 'neuronex-login': {
      const username = typeof value.username === 'string' ? value.username.trim() : '';
      if (username === '') problems.push({ field: 'auth.username', message: 'give the user name' });
      const password = secret(
        'password',
        'auth.password',
        kept?.type === 'neuronex-login' && kept.passwordSet,
        'password',
      );
      return password === undefined
        ? { type: 'neuronex-login', username }
        : { type: 'neuronex-login', username, password };
    }
  }
}

/** A fleet action on plugins: `POST /manager/fleet/plugins`. */
export type FleetAction = 'install' | 'update' | 'delete';

export interface FleetPluginRequest {
  action: FleetAction;
  /** eKuiper's plugin kind path segment: `sources`, `sinks`, `functions` or `portables`. */
  kind: string;
  name: string;
  /** install/update: an http(s) URL, a `file://` path on the desktop, or `prebuilt` (each server's own prebuilt list). */
  file?: string;
  /** Function plugins: the functions to register. */
  functions?: string[];
  servers: string[];
  /** How many servers run at once; the host's default when absent. */
  concurrency?: number;
  /** Only say what would happen on each server; change nothing. */
  dryRun?: boolean;
}

/** What happened (or, with `dryRun`, would happen) on one server. */
export interface FleetServerResult {
  server: string;
  ok: boolean;
  /** The server's HTTP status, or 0 when it was never reached. */
  status: number;
  /** The server's own message (its answer text), or ours when it was never reached. */
  message: string;
  ms: number;
  /** With `dryRun`: what will happen (`create`, `update`, `delete`, `skip`), and why when skipped. */
  plan?: 'create' | 'update' | 'delete' | 'skip';
}

export interface FleetPluginAnswer {
  results: FleetServerResult[];
}

/** Progress of one server during a fleet action, sent as Server-Sent Events to the window. */
export type FleetProgressEvent =
  | { type: 'queued'; server: string }
  | { type: 'phase'; server: string; phase: 'upload' | 'install' | 'delete' | 'cleanup' }
  | { type: 'upload'; server: string; bytes: number; totalBytes: number }
  | { type: 'result'; result: FleetServerResult }
  | { type: 'done'; results: FleetServerResult[] };

/** One plugin as the fleet view shows it on one server. */
export interface FleetPlugin {
  kind: string;
  name: string;
  version: string;
  /** Portable plugins: eKuiper's process status (`running`, `error`, …) when the server reports one. */
  status?: string;
  errMsg?: string;
}

/** One server's plugins, or why they could not be listed: `GET /manager/fleet/plugins`. */
export interface FleetServerPlugins {
  server: string;
  ok: boolean;
  message: string;
  plugins: FleetPlugin[];
}

export interface FleetPluginsAnswer {
  servers: FleetServerPlugins[];
}
