/**
 * An eKuiper with `basic.authentication: true`, for tests and benches: an HTTP front that checks the
 * `Authorization` header exactly as eKuiper v2 does (internal/server/middleware/auth.go with golang-jwt v5.2's
 * parser, internal/pkg/jwt) and forwards what passes to one of our hosts, which answers eKuiper's API.
 *
 * What it reproduces, with eKuiper's exact 401 plain-text bodies (`http.Error`: text, newline, nosniff):
 * - `/` and `/ping` are open; everything else needs the header, read raw — no `Bearer` handling, so
 *   `Bearer <jwt>` fails as malformed, as on eKuiper;
 * - RS256/384/512 and PS256/384/512 verify with the RSA public key whose file name in the keys folder (eKuiper's
 *   etc/mgmt) equals `iss`, compared case-insensitively; HS*, ES*, EdDSA and `none` fail as golang-jwt fails them;
 * - `exp` and `nbf` are enforced when present (`iat` is not, as in golang-jwt v5's default validator);
 * - `aud` must contain exactly `eKuiper` (a string or a list).
 * Signatures are verified with jose, independently of the app's own signing code.
 */
import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify } from 'jose';
import { startTestHost, type TestHost } from './host-harness.js';
import { closeServer, forward, listenOnLoopback, sendGoError, type StandIn } from './stand-in-server.js';

/** The paths eKuiper's auth middleware leaves open (compared exactly, case-sensitive). */
const OPEN_PATHS = ['/', '/ping'];
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
/** golang-jwt's other registered methods and how each refuses an RSA public key. */
const WRONG_KEY_TYPE: Record<string, string> = {
  HS256: 'HMAC verify expects []byte',
  HS384: 'HMAC verify expects []byte',
  HS512: 'HMAC verify expects []byte',
  ES256: 'ECDSA verify expects *ecdsa.PublicKey',
  ES384: 'ECDSA verify expects *ecdsa.PublicKey',
  ES512: 'ECDSA verify expects *ecdsa.PublicKey',
  EdDSA: 'ed25519 verify expects ed25519.PublicKey',
};

const BASE64URL = /[A-Za-z0-9_-]/;

/** Go's `base64.RawURLEncoding.DecodeString`: strict alphabet, no padding, errors at the first bad byte. */
function goBase64Url(segment: string): { bytes: Buffer } | { error: string } {
  for (let index = 0; index < segment.length; index++) {
    if (!BASE64URL.test(segment[index]!)) return { error: `illegal base64 data at input byte ${index}` };
  }
  if (segment.length % 4 === 1) return { error: `illegal base64 data at input byte ${segment.length - 1}` };
  return { bytes: Buffer.from(segment, 'base64url') };
}

/** Go's `%s` of a `[]string`: `[a b]`. */
function goStrings(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

/** `aud` as golang-jwt's ClaimStrings reads it: a string, a list of strings, or nothing. */
function audienceOf(aud: unknown): string[] | 'invalid' {
  if (aud === undefined || aud === null) return [];
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((value) => typeof value === 'string')) return aud;
  return 'invalid';
}

/** The public key eKuiper would load for `issuer`: the file in `keysDir` whose name matches it ignoring case. */
async function publicKeyFor(keysDir: string, issuer: string): Promise<KeyObject | string> {
  const names = await readdir(keysDir);
  const name = names.find((candidate) => candidate.toLowerCase() === issuer.toLowerCase());
  if (name === undefined) return `not found target key file ${issuer} in /etc/mgmt`;
  try {
    const key = createPublicKey(await readFile(join(keysDir, name), 'utf8'));
    return key.asymmetricKeyType === 'rsa' ? key : 'key is not a valid RSA public key';
  } catch {
    return 'invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key';
  }
}

/**
 * What eKuiper's auth middleware answers for an `Authorization` value: undefined when it lets the request pass,
 * or its 401 text (without the newline `http.Error` adds).
 */
export async function ekuiperAuthFailure(
  header: string | undefined,
  keysDir: string,
  now: () => number = Date.now,
): Promise<string | undefined> {
  if (header === undefined || header === '') return 'missing_token';
  const fail = (jwtError: string) => `validate token error: ${jwtError}`;
  const parts = header.split('.');
  if (parts.length !== 3) return fail('token is malformed: token contains an invalid number of segments');
  const [rawHeader, rawClaims, rawSignature] = parts as [string, string, string];

  const headerBytes = goBase64Url(rawHeader);
  if ('error' in headerBytes)
    return fail(`token is malformed: could not base64 decode header: ${headerBytes.error}`);
  let jose: { alg?: unknown };
  try {
    jose = JSON.parse(headerBytes.bytes.toString('utf8')) as { alg?: unknown };
  } catch {
    return fail('token is malformed: could not JSON decode header: invalid character');
  }
  const claimBytes = goBase64Url(rawClaims);
  if ('error' in claimBytes)
    return fail(`token is malformed: could not base64 decode claim: ${claimBytes.error}`);
  let claims: { iss?: unknown; aud?: unknown; exp?: unknown; nbf?: unknown };
  try {
    claims = JSON.parse(claimBytes.bytes.toString('utf8')) as typeof claims;
  } catch {
    return fail('token is malformed: could not JSON decode claim: invalid character');
  }
  const audience = audienceOf(claims.aud);
  if (audience === 'invalid')
    return fail('token is malformed: could not JSON decode claim: invalid type for claim');
  const alg = jose.alg;
  if (typeof alg !== 'string') return fail('token is unverifiable: signing method (alg) is unspecified');
  if (!RSA_ALGORITHMS.includes(alg) && WRONG_KEY_TYPE[alg] === undefined && alg !== 'none') {
    return fail('token is unverifiable: signing method (alg) is unavailable');
  }
  const signature = goBase64Url(rawSignature);
  if ('error' in signature)
    return fail(`token is malformed: could not base64 decode signature: ${signature.error}`);

  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  if (issuer === '') {
    return fail(
      'token is unverifiable: error while executing keyfunc: issuer field not exist in jwt payload',
    );
  }
  const key = await publicKeyFor(keysDir, issuer);
  if (typeof key === 'string') return fail(`token is unverifiable: error while executing keyfunc: ${key}`);

  if (alg === 'none') {
    return fail("token signature is invalid: token is unverifiable: 'none' signature type is not allowed");
  }
  const wrongType = WRONG_KEY_TYPE[alg];
  if (wrongType !== undefined)
    return fail(`token signature is invalid: key is of invalid type: ${wrongType}`);
  try {
    await compactVerify(header, key, { algorithms: [alg] });
  } catch {
    return fail('token signature is invalid: crypto/rsa: verification error');
  }

  const seconds = now() / 1000;
  const claimProblems: string[] = [];
  if (typeof claims.exp === 'number' && !(seconds < claims.exp)) claimProblems.push('token is expired');
  if (typeof claims.nbf === 'number' && seconds < claims.nbf) claimProblems.push('token is not valid yet');
  if (claimProblems.length > 0) return fail(`token has invalid claims: ${claimProblems.join(', ')}`);

  if (!audience.includes('eKuiper')) {
    return `audience field should contain eKuiper, but got ${goStrings(audience)}`;
  }
  return undefined;
}

export interface EkuiperJwtStandIn extends StandIn {
  /** The public key's file name in the keys folder: the issuer tokens must carry. */
  issuer: string;
  /** The private key of the generated pair, PKCS#8 PEM (what `openssl genrsa` writes). */
  privateKey: string;
  /** The folder playing eKuiper's etc/mgmt; tests may add other public keys to it. */
  keysDir: string;
  /** The host answering behind the front. */
  upstream: string;
  /** How many requests reached the host (passed the check, or took an open path). */
  readonly forwarded: number;
}

export interface EkuiperJwtStandInOptions {
  /** One of our hosts to forward to; a fresh host on a temp data folder is started (and stopped) when absent. */
  upstream?: string;
  /** The public key's file name; eKuiper's etc/mgmt/README suggests `ekuiper-jwt.pub`. */
  issuer?: string;
}

/**
 * Makes an RSA key pair as `openssl genrsa 2048` and `openssl rsa -pubout` would: PKCS#8 and SPKI PEM; with a
 * passphrase the private key is encrypted (`BEGIN ENCRYPTED PRIVATE KEY`).
 */
export function rsaKeyPair(bits = 2048, passphrase?: string): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding:
      passphrase === undefined
        ? { type: 'pkcs8', format: 'pem' }
        : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
  });
}

/** Starts the stand-in: a key pair in a temp keys folder, the front on 127.0.0.1, a host behind it. */
export async function startEkuiperJwtStandIn(
  options: EkuiperJwtStandInOptions = {},
): Promise<EkuiperJwtStandIn> {
  const issuer = options.issuer ?? 'ekuiper-jwt.pub';
  const keysDir = await mkdtemp(join(tmpdir(), 'ekm-mgmt-'));
  const pair = rsaKeyPair();
  await writeFile(join(keysDir, issuer), pair.publicKey);
  let host: TestHost | undefined;
  const upstream = options.upstream ?? (host = await startTestHost()).url;
  let forwarded = 0;

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const pathname = path.split('?')[0] ?? '/';
    void (async () => {
      if (!OPEN_PATHS.includes(pathname)) {
        const failure = await ekuiperAuthFailure(request.headers.authorization, keysDir);
        if (failure !== undefined) {
          request.resume();
          sendGoError(response, 401, failure);
          return;
        }
      }
      forwarded++;
      forward(upstream, path, request, response);
    })();
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    issuer,
    privateKey: pair.privateKey,
    keysDir,
    upstream,
    get forwarded() {
      return forwarded;
    },
    async close() {
      await closeServer(server);
      await host?.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}
