import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServerAuthError } from '../../main/servers/auth/auth-types.js';
import { ekuiperJwtAuthorizer, rsaPrivateKeyProblem } from '../../main/servers/auth/ekuiper-jwt.js';
import { neuronexLoginAuthorizer } from '../../main/servers/auth/neuronex-login.js';
import { createAuthorizer } from '../../main/servers/auth/server-authorizer.js';
import { describeNetworkError } from '../../main/servers/network-errors.js';
import { ServerClient, type RawSend } from '../../main/servers/server-client.js';
import { connectServer } from '../../main/servers/server-connection.js';
import type { StoredServer } from '../../main/servers/server-file.js';
import { rsaKeyPair } from '../support/ekuiper-jwt-stand-in.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import { startNeuronexStandIn, type NeuronexStandIn } from '../support/neuronex-stand-in.js';

// One authorizer per auth type. Tokens are read back with jose; NeuronEX logins go to the stand-in over HTTP.

const KEY = rsaKeyPair();
const noSend: RawSend = () => Promise.reject(new Error('no request expected'));

describe("eKuiper's JWT", () => {
  test('is RS256 with iss = the issuer, aud = eKuiper, exp five minutes on, sent raw', async () => {
    const authorizer = ekuiperJwtAuthorizer('ekuiper-jwt.pub', KEY.privateKey);
    const token = (await authorizer.authorization())!;
    expect(token).not.toMatch(/^Bearer /);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, createPublicKey(KEY.publicKey), {
      issuer: 'ekuiper-jwt.pub',
      audience: 'eKuiper',
      algorithms: ['RS256'],
    });
    expect(payload.aud).toEqual(['eKuiper']);
    const now = Date.now() / 1000;
    expect(payload.exp! - now).toBeGreaterThan(290);
    expect(payload.exp! - now).toBeLessThanOrEqual(300);
    // Issued a minute back, so a server whose clock is a little behind does not refuse it.
    expect(payload.exp! - payload.iat!).toBe(360);
  });

  test('is cached, shared by concurrent requests, and minted anew shortly before it expires', async () => {
    let now = Date.now();
    const authorizer = ekuiperJwtAuthorizer('k.pub', KEY.privateKey, () => now);
    const first = await Promise.all([1, 2, 3, 4].map(() => authorizer.authorization()));
    expect(new Set(first).size).toBe(1);
    now += 200_000;
    expect(await authorizer.authorization()).toBe(first[0]);
    now += 45_000;
    const renewed = await authorizer.authorization();
    expect(renewed).not.toBe(first[0]);
    expect(authorizer.secretValues()).toEqual([renewed]);
  });

  test('signs with a PKCS#1 key (BEGIN RSA PRIVATE KEY) as well as PKCS#8', async () => {
    const pkcs1 = createPrivateKey(KEY.privateKey).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    expect(await rsaPrivateKeyProblem(pkcs1)).toBeUndefined();
    const token = (await ekuiperJwtAuthorizer('k.pub', pkcs1).authorization())!;
    await expect(jwtVerify(token, createPublicKey(KEY.publicKey))).resolves.toBeTruthy();
  });

  test('a key that cannot sign RS256 is refused with what to do instead', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    expect(await rsaPrivateKeyProblem(ec.toString())).toBe(
      'the private key is an EC key; eKuiper verifies tokens with RSA keys only (make one with openssl genrsa -out ' +
        'ekuiper-jwt.key 2048)',
    );
    const locked = rsaKeyPair(2048, 'pw').privateKey;
    expect(await rsaPrivateKeyProblem(locked)).toMatch(
      /^the private key is protected by a passphrase; give it without one/,
    );
    expect(await rsaPrivateKeyProblem(rsaKeyPair(1024).privateKey)).toMatch(/^the RSA key has 1024 bits/);
    expect(
      await rsaPrivateKeyProblem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'),
    ).toMatch(/^the private key cannot be read as an RSA private key in PEM form/);
  });

  test('without a stored key, says so instead of sending nothing', async () => {
    const authorizer = ekuiperJwtAuthorizer('k.pub', undefined);
    expect(authorizer.missing()?.message).toMatch(/^no private key is stored for this server/);
    await expect(authorizer.authorization()).rejects.toBeInstanceOf(ServerAuthError);
  });
});

describe('a bearer token', () => {
  test('goes out as Bearer <token>, once prefixed even when pasted with its prefix', async () => {
    expect(await createAuthorizer({ type: 'bearer' }, { token: 'abc' }, noSend).authorization()).toBe(
      'Bearer abc',
    );
    expect(await createAuthorizer({ type: 'bearer' }, { token: 'Bearer abc' }, noSend).authorization()).toBe(
      'Bearer abc',
    );
    expect(await createAuthorizer({ type: 'none' }, {}, noSend).authorization()).toBeUndefined();
  });
});

describe('the NeuronEX login', () => {
  let host: TestHost;
  let neuronex: NeuronexStandIn;
  let legacy: NeuronexStandIn;
  let expiring: NeuronexStandIn;
  const clients: ServerClient[] = [];

  beforeAll(async () => {
    host = await startTestHost();
    neuronex = await startNeuronexStandIn({ upstream: host.url });
    legacy = await startNeuronexStandIn({ upstream: host.url, oldLoginBody: true });
    expiring = await startNeuronexStandIn({ upstream: host.url, tokenLifetimeS: 120 });
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    for (const standIn of [expiring, legacy, neuronex]) await standIn.close();
    await host.close();
  });

  function server(url: string, password = '0000'): { client: ServerClient; role: () => string | undefined } {
    const stored: StoredServer = {
      id: 'nx',
      name: 'NX',
      kind: 'neuronex',
      url,
      auth: { type: 'neuronex-login', username: 'admin' },
      tls: { insecureSkipVerify: false, caCert: '' },
      timeoutMs: 5000,
    };
    const connection = connectServer(stored, { password });
    clients.push(connection.client);
    return { client: connection.client, role: () => connection.authorizer.role() };
  }

  test('concurrent requests share one login, and the role is remembered', async () => {
    const { client, role } = server(neuronex.url);
    const before = neuronex.logins;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.request({ method: 'GET', path: '/plugins/sources' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    await Promise.all(answers.map((answer) => answer.dump()));
    expect(neuronex.logins - before).toBe(1);
    expect(role()).toBe('Administrator');
  });

  test('logs in again once after a 401 (tokens die when NeuronEX restarts), replaying the request', async () => {
    const { client } = server(neuronex.url);
    await (await client.request({ method: 'GET', path: '/plugins/sources' })).dump();
    const before = neuronex.logins;
    neuronex.revokeAll();
    const answer = await client.request({
      method: 'POST',
      path: '/plugins/sources',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', file: 'http://127.0.0.1:1/x.zip' }),
    });
    // The host behind answered the replayed request (it could not fetch the zip): the login was renewed.
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('x.zip');
    expect(neuronex.logins - before).toBe(1);
  });

  test('falls back to {"name","pass"} once and remembers it for the next login', async () => {
    const { client } = server(legacy.url);
    const attempts = legacy.loginAttempts;
    await (await client.request({ method: 'GET', path: '/plugins/sources' })).dump();
    expect(legacy.loginAttempts - attempts).toBe(2);
    legacy.revokeAll();
    await (await client.request({ method: 'GET', path: '/plugins/sources' })).dump();
    expect(legacy.loginAttempts - attempts).toBe(3);
  });

  test('a wrong password fails the request with a ServerAuthError the network wording recognises', async () => {
    const { client } = server(neuronex.url, 'wrong');
    const failure = await client
      .request({ method: 'GET', path: '/plugins/sources' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerAuthError);
    expect((failure as ServerAuthError).status).toBe(401);
    expect(describeNetworkError(failure, { url: neuronex.url })).toEqual({
      problem: 'auth',
      message:
        'NeuronEX refused the user name or password of admin (401 on /api/login); check them (a new NeuronEX ' +
        'has admin with password 0000)',
    });
  });

  test('a token about to expire is renewed before it is used', async () => {
    let now = Date.now();
    let send: RawSend | undefined;
    const client = new ServerClient({
      id: 'exp',
      kind: 'neuronex',
      url: expiring.url,
      tls: { insecureSkipVerify: false, caCert: '' },
      timeoutMs: 5000,
      authorizer: (raw) => {
        send = raw;
        return neuronexLoginAuthorizer('admin', '0000', raw, () => now);
      },
    });
    clients.push(client);
    expect(send).toBeDefined();
    const before = expiring.logins;
    await (await client.request({ method: 'GET', path: '/plugins/sources' })).dump();
    now += 30_000;
    await (await client.request({ method: 'GET', path: '/plugins/sources' })).dump();
    expect(expiring.logins - before).toBe(1);
    now += 45_000;
    await (await client.request({ method: 'GET', path: '/plugins/sources' })).dump();
    expect(expiring.logins - before).toBe(2);
  });
});
