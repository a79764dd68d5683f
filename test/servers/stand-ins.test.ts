import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ekuiperAuthFailure,
  rsaKeyPair,
  startEkuiperJwtStandIn,
  type EkuiperJwtStandIn,
} from '../support/ekuiper-jwt-stand-in.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import {
  NEURONEX_ADMIN,
  NEURONEX_VIEWER,
  startNeuronexStandIn,
  type NeuronexStandIn,
} from '../support/neuronex-stand-in.js';

// The stand-ins are measuring instruments for the servers tests: each is checked here against tokens and requests
// made directly with jose and fetch, independently of the app's own auth code.

let host: TestHost;
let jwt: EkuiperJwtStandIn;
let neuronex: NeuronexStandIn;
let legacy: NeuronexStandIn;

beforeAll(async () => {
  host = await startTestHost();
  jwt = await startEkuiperJwtStandIn({ upstream: host.url });
  neuronex = await startNeuronexStandIn({ upstream: host.url });
  legacy = await startNeuronexStandIn({ upstream: host.url, oldLoginBody: true });
});
afterAll(async () => {
  await legacy.close();
  await neuronex.close();
  await jwt.close();
  await host.close();
});

const now = () => Math.floor(Date.now() / 1000);

/** A token signed with jose: RS256 by the stand-in's key, issuer and audience as eKuiper expects, unless changed. */
async function token(
  claims: JWTPayload = {},
  options: { alg?: string; key?: string; omit?: Array<'iss' | 'aud' | 'exp'> } = {},
): Promise<string> {
  const payload: JWTPayload = { iss: jwt.issuer, aud: ['eKuiper'], exp: now() + 300, ...claims };
  for (const name of options.omit ?? []) delete payload[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', typ: 'JWT' })
    .sign(createPrivateKey(options.key ?? jwt.privateKey));
}

async function get(base: string, path: string, authorization?: string) {
  const response = await fetch(`${base}${path}`, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

/** eKuiper's 401 as Go's http.Error writes it. */
function expect401(answer: { status: number; text: string; type: string | null }, text: string): void {
  expect(answer).toEqual({ status: 401, text: `${text}\n`, type: 'text/plain; charset=utf-8' });
}

describe('the eKuiper-with-JWT stand-in checks tokens as eKuiper does', () => {
  test('lets a valid RS256 token through to the host, raw in Authorization', async () => {
    const answer = await get(jwt.url, '/plugins/portables', await token());
    expect(answer).toMatchObject({ status: 200, text: '[]' });
  });

  test('accepts PS256 and RS512, an audience given as a string, and a token without exp', async () => {
    for (const alg of ['PS256', 'RS512']) {
      expect((await get(jwt.url, '/plugins/sources', await token({}, { alg }))).status).toBe(200);
    }
    expect((await get(jwt.url, '/plugins/sources', await token({ aud: 'eKuiper' }))).status).toBe(200);
    expect((await get(jwt.url, '/plugins/sources', await token({}, { omit: ['exp'] }))).status).toBe(200);
  });

  test('finds the public key by issuer ignoring case, as eKuiper reads etc/mgmt', async () => {
    const answer = await get(jwt.url, '/plugins/sources', await token({ iss: jwt.issuer.toUpperCase() }));
    expect(answer.status).toBe(200);
  });

  test('leaves / and /ping open', async () => {
    expect((await get(jwt.url, '/')).status).toBe(200);
    expect((await get(jwt.url, '/ping')).status).toBe(200);
  });

  test("answers eKuiper's own 401 texts", async () => {
    expect401(await get(jwt.url, '/plugins/sources'), 'missing_token');
    expect401(
      await get(jwt.url, '/plugins/sources', `Bearer ${await token()}`),
      'validate token error: token is malformed: could not base64 decode header: illegal base64 data at input byte 6',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', 'not-a-jwt'),
      'validate token error: token is malformed: token contains an invalid number of segments',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({ exp: now() - 10 })),
      'validate token error: token has invalid claims: token is expired',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({ nbf: now() + 600 })),
      'validate token error: token has invalid claims: token is not valid yet',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({}, { omit: ['iss'] })),
      'validate token error: token is unverifiable: error while executing keyfunc: issuer field not exist in jwt payload',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({ iss: 'other.pub' })),
      'validate token error: token is unverifiable: error while executing keyfunc: not found target key file other.pub in /etc/mgmt',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({ aud: ['neuronex', 'x'] })),
      'audience field should contain eKuiper, but got [neuronex x]',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({}, { omit: ['aud'] })),
      'audience field should contain eKuiper, but got []',
    );
    expect401(
      await get(jwt.url, '/plugins/sources', await token({ aud: 'ekuiper' })),
      'audience field should contain eKuiper, but got [ekuiper]',
    );
  });

  test('refuses a token signed by another key, and HMAC or EC tokens, as golang-jwt does', async () => {
    const other = rsaKeyPair();
    expect401(
      await get(jwt.url, '/plugins/sources', await token({}, { key: other.privateKey })),
      'validate token error: token signature is invalid: crypto/rsa: verification error',
    );
    const hmac = await new SignJWT({ iss: jwt.issuer, aud: 'eKuiper' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a shared secret of 32 bytes.....'));
    expect401(
      await get(jwt.url, '/plugins/sources', hmac),
      'validate token error: token signature is invalid: key is of invalid type: HMAC verify expects []byte',
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecToken = await new SignJWT({ iss: jwt.issuer, aud: 'eKuiper' })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(ec.privateKey);
    expect401(
      await get(jwt.url, '/plugins/sources', ecToken),
      'validate token error: token signature is invalid: key is of invalid type: ECDSA verify expects *ecdsa.PublicKey',
    );
  });

  test('verifies with any RSA public key a test adds to its keys folder', async () => {
    const second = rsaKeyPair();
    await writeFile(join(jwt.keysDir, 'Second.pem'), second.publicKey);
    const signed = await token({ iss: 'second.pem' }, { key: second.privateKey });
    expect((await get(jwt.url, '/plugins/sources', signed)).status).toBe(200);
  });

  test('the check function agrees with the front', async () => {
    expect(await ekuiperAuthFailure(await token(), jwt.keysDir)).toBeUndefined();
    expect(await ekuiperAuthFailure(undefined, jwt.keysDir)).toBe('missing_token');
  });
});

async function login(base: string, body: unknown) {
  const response = await fetch(`${base}/api/login`, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { token?: string; role?: string } };
}

describe('the NeuronEX stand-in', () => {
  test('logs in admin/0000 as Administrator and the viewer as Viewer; a wrong password gets 401 {}', async () => {
    const admin = await login(neuronex.url, { name: 'admin', password: NEURONEX_ADMIN.password });
    expect(admin).toMatchObject({ status: 200, json: { role: 'Administrator' } });
    expect(admin.json.token).toMatch(/.{20,}/);
    expect(await login(neuronex.url, { name: 'viewer', password: NEURONEX_VIEWER.password })).toMatchObject({
      status: 200,
      json: { role: 'Viewer' },
    });
    expect(await login(neuronex.url, { name: 'admin', password: 'nope' })).toEqual({ status: 401, json: {} });
  });

  test('needs Bearer on its API, forwards /api/ekuiper to the host and answers its version', async () => {
    const { json } = await login(neuronex.url, { name: 'admin', password: '0000' });
    expect((await get(neuronex.url, '/api/ekuiper/plugins/sources')).status).toBe(401);
    expect((await get(neuronex.url, '/api/ekuiper/plugins/sources', json.token)).status).toBe(401);
    const listed = await get(neuronex.url, '/api/ekuiper/plugins/sources', `Bearer ${json.token}`);
    expect(listed).toMatchObject({ status: 200, text: '[]' });
    const info = await get(neuronex.url, '/api/ekuiper/', `Bearer ${json.token}`);
    expect(JSON.parse(info.text)).toMatchObject({ version: host.settings.ekuiperVersion });
    expect((await get(neuronex.url, '/api/version', `Bearer ${json.token}`)).text).toBe(
      '{"version":"3.6.0"}',
    );
    expect((await get(neuronex.url, '/')).type).toContain('text/html');
  });

  test('refuses a Viewer anything but reading', async () => {
    const { json } = await login(neuronex.url, { name: 'viewer', password: NEURONEX_VIEWER.password });
    const headers = { authorization: `Bearer ${json.token}` };
    expect((await fetch(`${neuronex.url}/api/ekuiper/plugins/sources`, { headers })).status).toBe(200);
    const post = await fetch(`${neuronex.url}/api/ekuiper/plugins/sources`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    expect(post.status).toBe(403);
  });

  test('revokeAll kills every token, as a restart does', async () => {
    const { json } = await login(neuronex.url, { name: 'admin', password: '0000' });
    expect((await get(neuronex.url, '/api/version', `Bearer ${json.token}`)).status).toBe(200);
    neuronex.revokeAll();
    expect((await get(neuronex.url, '/api/version', `Bearer ${json.token}`)).status).toBe(401);
  });

  test('before 3.3 it reads only {"name","pass"}', async () => {
    expect((await login(legacy.url, { name: 'admin', password: '0000' })).status).toBe(401);
    expect((await login(legacy.url, { name: 'admin', pass: '0000' })).status).toBe(200);
  });
});
