import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerCheck, ServerInfo, ServerInput } from '../../shared/server-dto.js';
import {
  UNRESOLVABLE_URL,
  downServerUrl,
  startForeignWebServer,
  startSilentServer,
} from '../support/broken-servers.js';
import {
  rsaKeyPair,
  startEkuiperJwtStandIn,
  type EkuiperJwtStandIn,
} from '../support/ekuiper-jwt-stand-in.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import { NEURONEX_VIEWER, startNeuronexStandIn, type NeuronexStandIn } from '../support/neuronex-stand-in.js';
import { closeServer, listenOnLoopback, type StandIn } from '../support/stand-in-server.js';
import { startTlsStandIn, type TlsStandIn } from '../support/tls-stand-in.js';

// "Test connection" over real HTTP on loopback: every auth type right and wrong through
// `POST /manager/servers/{id}/check`, every way of failing to reach a server in plain words, TLS with a test CA,
// and `POST /manager/servers/check` before saving. Our own hosts play eKuiper behind the stand-ins.

const BEARER = 'fleet-token-91b2e7';
const OTHER_KEY = rsaKeyPair();

let manager: TestHost;
let target: TestHost;
let tokenHost: TestHost;
let jwt: EkuiperJwtStandIn;
let neuronex: NeuronexStandIn;
let legacy: NeuronexStandIn;
let tls: TlsStandIn;
let wrongName: TlsStandIn;
let expired: TlsStandIn;
let silent: StandIn;
let page: StandIn;
let notFound: StandIn;
const logs: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  manager = await startTestHost({}, { log: (line) => logs.push(line), servers: { healthIntervalMs: 0 } });
  target = await startTestHost();
  tokenHost = await startTestHost({ token: BEARER });
  jwt = await startEkuiperJwtStandIn({ upstream: target.url });
  neuronex = await startNeuronexStandIn({ upstream: target.url });
  legacy = await startNeuronexStandIn({ upstream: target.url, oldLoginBody: true, version: '3.2.1' });
  tls = await startTlsStandIn(target.url, 'valid');
  wrongName = await startTlsStandIn(target.url, 'wrongName');
  expired = await startTlsStandIn(target.url, 'expired');
  silent = await startSilentServer();
  page = await startForeignWebServer('page');
  notFound = await startForeignWebServer('not-found');
});
afterAll(async () => {
  for (const standIn of [notFound, page, silent, expired, wrongName, tls, legacy, neuronex, jwt]) {
    await standIn.close();
  }
  for (const host of [tokenHost, target, manager]) await host.close();
});

let counter = 0;

/** Adds a server as the window does, then checks it as the Test button on its card does. */
async function addAndCheck(server: Omit<ServerInput, 'name'>): Promise<ServerCheck> {
  const added = await manager.request('POST', '/manager/servers', { name: `server ${++counter}`, ...server });
  answers.push(added.text);
  expect(added.status, added.text).toBe(201);
  const { id } = added.json<ServerInfo>();
  const checked = await manager.request('POST', `/manager/servers/${id}/check`);
  answers.push(checked.text);
  expect(checked.status).toBe(200);
  expect(checked.headers.get('content-type')).toBe('application/json');
  const check = checked.json<ServerCheck>();
  // The check is kept as the server's health, which the list answers without asking the server again.
  const listed = (await manager.request('GET', `/manager/servers/${id}`)).json<ServerInfo>();
  expect(listed.health).toEqual(check);
  return check;
}

function expectHealthy(check: ServerCheck): void {
  expect(check).toMatchObject({
    ok: true,
    reachable: true,
    authOk: true,
    version: target.settings.ekuiperVersion,
    os: process.platform,
  });
  expect(check.problem).toBeUndefined();
  expect(check.latencyMs).toBeGreaterThanOrEqual(0);
  expect(check.upTimeSeconds).toBeGreaterThanOrEqual(0);
  expect(check.message).toMatch(
    new RegExp(
      `^eKuiper ${target.settings.ekuiperVersion.replace(/\./g, '\\.')} on ${process.platform}/\\w+, up \\d+ s; answered in \\d+ ms$`,
    ),
  );
}

describe('every auth type, right and wrong', () => {
  test('none: an open eKuiper answers its version, OS, arch and uptime', async () => {
    expectHealthy(await addAndCheck({ kind: 'ekuiper', url: target.url, auth: { type: 'none' } }));
  });

  test('none against an eKuiper with authentication quotes missing_token and says what to choose', async () => {
    const check = await addAndCheck({ kind: 'ekuiper', url: jwt.url, auth: { type: 'none' } });
    expect(check).toMatchObject({ ok: false, reachable: true, authOk: false, problem: 'auth' });
    // eKuiper's `/` is open, so what the server is shows even when the credentials fail.
    expect(check.version).toBe(target.settings.ekuiperVersion);
    expect(check.message).toBe(
      `the server refused the credentials (401 on GET ${jwt.url}/plugins/portables): "missing_token". The server ` +
        "requires credentials (eKuiper's basic.authentication is on): choose eKuiper JWT with the private key and, " +
        "as issuer, the file name of the matching public key in the server's etc/mgmt",
    );
  });

  test('bearer: the right token works, a wrong one is refused in the server words', async () => {
    expectHealthy(
      await addAndCheck({ kind: 'ekuiper', url: tokenHost.url, auth: { type: 'bearer', token: BEARER } }),
    );
    const wrong = await addAndCheck({
      kind: 'ekuiper',
      url: tokenHost.url,
      auth: { type: 'bearer', token: 'nope' },
    });
    expect(wrong).toMatchObject({ ok: false, reachable: true, authOk: false, problem: 'auth' });
    expect(wrong.message).toBe(
      `the server refused the credentials (401 on GET ${tokenHost.url}/plugins/portables): ` +
        '"validate token error: the token does not match"',
    );
  });

  test("bearer against eKuiper's own JWT auth explains that eKuiper wants its JWT raw", async () => {
    const check = await addAndCheck({
      kind: 'ekuiper',
      url: jwt.url,
      auth: { type: 'bearer', token: BEARER },
    });
    expect(check.problem).toBe('auth');
    expect(check.message).toContain(
      '"validate token error: token is malformed: token contains an invalid number of segments". ' +
        "eKuiper expects its own JWT sent without 'Bearer': choose eKuiper JWT",
    );
  });

  test('ekuiper-jwt: a key the server knows, by the issuer it is filed under', async () => {
    expectHealthy(
      await addAndCheck({
        kind: 'ekuiper',
        url: jwt.url,
        auth: { type: 'ekuiper-jwt', issuer: jwt.issuer, privateKey: jwt.privateKey },
      }),
    );
  });

  test('ekuiper-jwt: a wrong key or a wrong issuer is refused with eKuiper words and what they mean', async () => {
    const wrongKey = await addAndCheck({
      kind: 'ekuiper',
      url: jwt.url,
      auth: { type: 'ekuiper-jwt', issuer: jwt.issuer, privateKey: OTHER_KEY.privateKey },
    });
    expect(wrongKey).toMatchObject({ ok: false, reachable: true, authOk: false, problem: 'auth' });
    expect(wrongKey.message).toContain(
      '"validate token error: token signature is invalid: crypto/rsa: verification error". The private key does ' +
        'not match the public key the issuer names on the server',
    );
    const wrongIssuer = await addAndCheck({
      kind: 'ekuiper',
      url: jwt.url,
      auth: { type: 'ekuiper-jwt', issuer: 'missing.pub', privateKey: jwt.privateKey },
    });
    expect(wrongIssuer.message).toContain(
      'not found target key file missing.pub in /etc/mgmt". The issuer must be the file name of the public key ' +
        "in the server's etc/mgmt folder",
    );
  });

  test('neuronex-login: admin logs in, NeuronEX and eKuiper versions both shown', async () => {
    const check = await addAndCheck({
      kind: 'neuronex',
      url: neuronex.url,
      auth: { type: 'neuronex-login', username: 'admin', password: '0000' },
    });
    expect(check).toMatchObject({
      ok: true,
      authOk: true,
      version: target.settings.ekuiperVersion,
      neuronexVersion: '3.6.0',
      role: 'Administrator',
    });
    expect(check.readOnly).toBeUndefined();
    expect(check.message).toMatch(
      /^NeuronEX 3\.6\.0 with eKuiper [\d.]+ on \w+\/\w+, up \d+ s; answered in \d+ ms$/,
    );
  });

  test('neuronex-login: a wrong password is refused by the login, in plain words', async () => {
    const check = await addAndCheck({
      kind: 'neuronex',
      url: neuronex.url,
      auth: { type: 'neuronex-login', username: 'admin', password: 'wrong' },
    });
    expect(check).toMatchObject({ ok: false, reachable: true, authOk: false, problem: 'auth' });
    expect(check.message).toBe(
      'NeuronEX refused the user name or password of admin (401 on /api/login); check them (a new NeuronEX has ' +
        'admin with password 0000)',
    );
  });

  test('neuronex-login: a Viewer works but is read-only, and the check says installs will be refused', async () => {
    const check = await addAndCheck({
      kind: 'neuronex',
      url: neuronex.url,
      auth: { type: 'neuronex-login', username: 'viewer', password: NEURONEX_VIEWER.password },
    });
    expect(check).toMatchObject({ ok: true, authOk: true, role: 'Viewer', readOnly: true });
    expect(check.message).toContain(
      'The account viewer is a NeuronEX Viewer: it may only read, so installs, updates and deletes will be refused',
    );
  });

  test('neuronex-login: a NeuronEX before 3.3 takes the older {"name","pass"} login', async () => {
    const check = await addAndCheck({
      kind: 'neuronex',
      url: legacy.url,
      auth: { type: 'neuronex-login', username: 'admin', password: '0000' },
    });
    expect(check).toMatchObject({ ok: true, neuronexVersion: '3.2.1', role: 'Administrator' });
  });

  test('none against NeuronEX says it needs a login', async () => {
    const check = await addAndCheck({ kind: 'neuronex', url: neuronex.url, auth: { type: 'none' } });
    expect(check).toMatchObject({ ok: false, reachable: true, authOk: false, problem: 'auth' });
    expect(check.message).toBe(
      'NeuronEX requires a login: choose NeuronEX login and give its user name and password',
    );
  });
});

describe('servers that cannot be reached, in plain words', () => {
  test("a NeuronEX password is not masked inside the check's own words (NeuronEX's default 0000, port 30000)", async () => {
    // A password that is also a word of the message: masking it everywhere would say '••• listens on port'.
    const url = await downServerUrl();
    const check = await addAndCheck({
      kind: 'neuronex',
      url,
      auth: { type: 'neuronex-login', username: 'admin', password: 'nothing' },
    });
    expect(check.problem).toBe('refused');
    expect(check.message).toContain(`refused the connection: nothing listens on port ${new URL(url).port}`);
  });

  test('nothing listening: refused', async () => {
    const url = await downServerUrl();
    const check = await addAndCheck({ kind: 'ekuiper', url, auth: { type: 'none' } });
    const port = new URL(url).port;
    expect(check).toMatchObject({
      ok: false,
      reachable: false,
      authOk: null,
      problem: 'refused',
      latencyMs: null,
    });
    expect(check.message).toBe(
      `127.0.0.1:${port} refused the connection: nothing listens on port ${port} there. Is the server running, ` +
        "and is the port right (eKuiper's REST API uses 9081, NeuronEX 8085)?",
    );
  });

  test('a server that accepts and never answers times out within its own timeout', async () => {
    const check = await addAndCheck({
      kind: 'ekuiper',
      url: silent.url,
      auth: { type: 'none' },
      timeoutMs: 1000,
    });
    expect(check).toMatchObject({ ok: false, reachable: false, problem: 'timeout' });
    expect(check.message).toBe(
      `127.0.0.1:${new URL(silent.url).port} accepted the connection but did not answer within 1 s: the server ` +
        "may be overloaded or not an HTTP server; a longer timeout in the server's settings may help",
    );
  });

  test('a name that cannot be resolved', async () => {
    const check = await addAndCheck({ kind: 'ekuiper', url: UNRESOLVABLE_URL, auth: { type: 'none' } });
    expect(check).toMatchObject({ ok: false, reachable: false, problem: 'dns' });
    expect(check.message).toMatch(/^the name nonexistent\.invalid cannot be found/);
  });

  test('an HTTP server that is not eKuiper: a web page, another JSON API, or 404 at /', async () => {
    const html = await addAndCheck({ kind: 'ekuiper', url: page.url, auth: { type: 'none' } });
    expect(html).toMatchObject({ ok: false, reachable: true, problem: 'not-ekuiper' });
    expect(html.message).toBe(
      `${page.url}/ answered with a web page, not eKuiper's version information: this address is not eKuiper's ` +
        "REST API (eKuiper's REST API usually listens on port 9081; for NeuronEX choose the kind NeuronEX)",
    );
    const json = await startForeignWebServer('json');
    try {
      const other = await addAndCheck({ kind: 'ekuiper', url: json.url, auth: { type: 'none' } });
      expect(other).toMatchObject({ ok: false, reachable: true, problem: 'not-ekuiper' });
      expect(other.message).toBe(
        `${json.url}/ answered with something that is not eKuiper's version information: this address is not ` +
          "eKuiper's REST API (eKuiper's REST API usually listens on port 9081; for NeuronEX choose the kind NeuronEX)",
      );
    } finally {
      await json.close();
    }
    const missing = await addAndCheck({ kind: 'ekuiper', url: notFound.url, auth: { type: 'none' } });
    expect(missing).toMatchObject({ ok: false, reachable: true, problem: 'not-ekuiper' });
    expect(missing.message).toMatch(/answered 404 where eKuiper tells its version/);
  });

  test('a redirect at / says where it points, since the app does not follow it', async () => {
    const redirecting = createServer((request, response) => {
      request.resume();
      response.writeHead(301, { location: 'https://gateway.example:9443/' });
      response.end();
    });
    const port = await listenOnLoopback(redirecting);
    try {
      const url = `http://127.0.0.1:${port}`;
      const check = await addAndCheck({ kind: 'ekuiper', url, auth: { type: 'none' } });
      expect(check).toMatchObject({ ok: false, reachable: true, problem: 'http' });
      expect(check.message).toBe(
        `${url}/ answered 301, sending clients to https://gateway.example:9443/: the app does not follow ` +
          'redirects, so if the server is there, give that address (https:// when it moved to TLS)',
      );
    } finally {
      await closeServer(redirecting);
    }
  });

  test('eKuiper chosen as NeuronEX says it is eKuiper itself', async () => {
    const check = await addAndCheck({ kind: 'neuronex', url: target.url, auth: { type: 'none' } });
    expect(check).toMatchObject({ ok: false, reachable: true, problem: 'not-ekuiper' });
    expect(check.message).toBe(
      `${target.url} is eKuiper itself, not NeuronEX (its root answers eKuiper's version): choose the kind eKuiper`,
    );
  });

  test('NeuronEX chosen as eKuiper: its page at / is not eKuiper, with the hint to choose NeuronEX', async () => {
    const check = await addAndCheck({ kind: 'ekuiper', url: neuronex.url, auth: { type: 'none' } });
    expect(check.problem).toBe('not-ekuiper');
    expect(check.message).toContain('for NeuronEX choose the kind NeuronEX');
  });
});

describe('TLS with a self-signed CA', () => {
  test('refused without the CA, saying a CA certificate or skip-verify fixes it', async () => {
    const check = await addAndCheck({ kind: 'ekuiper', url: tls.url, auth: { type: 'none' } });
    expect(check).toMatchObject({ ok: false, reachable: false, problem: 'tls' });
    expect(check.message).toBe(
      "the server's certificate is signed by a CA this computer does not know: add the server's CA certificate " +
        "(PEM) in the server's TLS settings, or turn on skip verification",
    );
  });

  test('accepted with the CA certificate, and with skip-verify', async () => {
    expectHealthy(
      await addAndCheck({
        kind: 'ekuiper',
        url: tls.url,
        auth: { type: 'none' },
        tls: { caCert: tls.caCert },
      }),
    );
    expectHealthy(
      await addAndCheck({
        kind: 'ekuiper',
        url: tls.url,
        auth: { type: 'none' },
        tls: { insecureSkipVerify: true },
      }),
    );
  });

  test('a certificate for another name, and an expired one, each say so', async () => {
    const name = await addAndCheck({
      kind: 'ekuiper',
      url: wrongName.url,
      auth: { type: 'none' },
      tls: { caCert: tls.caCert },
    });
    expect(name).toMatchObject({ ok: false, problem: 'tls' });
    expect(name.message).toBe(
      "the server's certificate is not valid for the name 127.0.0.1 (it names DNS:wrong.example): use a name the " +
        "certificate was issued for, or turn on skip verification in the server's TLS settings",
    );
    const old = await addAndCheck({
      kind: 'ekuiper',
      url: expired.url,
      auth: { type: 'none' },
      tls: { caCert: tls.caCert },
    });
    expect(old).toMatchObject({ ok: false, problem: 'tls' });
    expect(old.message).toMatch(/^the server's certificate has expired/);
  });

  test('https to a plain HTTP server says it does not speak TLS', async () => {
    const check = await addAndCheck({
      kind: 'ekuiper',
      url: target.url.replace('http:', 'https:'),
      auth: { type: 'none' },
    });
    expect(check).toMatchObject({ ok: false, problem: 'tls' });
    expect(check.message).toMatch(
      /does not speak TLS: if the server uses plain HTTP, write its address with http:\/\/$/,
    );
  });
});

describe('testing settings before saving them', () => {
  test('POST /manager/servers/check answers the check and stores nothing', async () => {
    const remote = async () =>
      (await manager.request('GET', '/manager/servers'))
        .json<ServerInfo[]>()
        .filter((server) => !server.builtIn);
    const before = await remote();
    const response = await manager.request('POST', '/manager/servers/check', {
      name: 'draft',
      kind: 'ekuiper',
      url: jwt.url,
      auth: { type: 'ekuiper-jwt', issuer: jwt.issuer, privateKey: jwt.privateKey },
    });
    answers.push(response.text);
    expect(response.status).toBe(200);
    expect(response.json<ServerCheck>()).toMatchObject({ ok: true, authOk: true });
    expect(await remote()).toEqual(before);
  });

  test('with "id", the stored secrets fill in those left out (the edit dialog\'s Test button)', async () => {
    const added = await manager.request('POST', '/manager/servers', {
      name: 'Kept key',
      kind: 'ekuiper',
      url: jwt.url,
      auth: { type: 'ekuiper-jwt', issuer: jwt.issuer, privateKey: jwt.privateKey },
    });
    const { id } = added.json<ServerInfo>();
    const draft = {
      id,
      name: 'Kept key',
      kind: 'ekuiper',
      url: jwt.url,
      auth: { type: 'ekuiper-jwt', issuer: jwt.issuer },
    };
    const check = (await manager.request('POST', '/manager/servers/check', draft)).json<ServerCheck>();
    expect(check).toMatchObject({ ok: true, authOk: true });
    // A new issuer is tested with the stored key, and is refused by the server.
    const other = (
      await manager.request('POST', '/manager/servers/check', {
        ...draft,
        auth: { type: 'ekuiper-jwt', issuer: 'x.pub' },
      })
    ).json<ServerCheck>();
    expect(other).toMatchObject({ ok: false, problem: 'auth' });
    // Without the id there is no key to test with: the form must give one.
    const response = await manager.request('POST', '/manager/servers/check', { ...draft, id: undefined });
    expect(response.status).toBe(400);
    expect(response.text).toContain('auth.privateKey: give the RSA private key (PEM)');
    expect((await manager.request('POST', '/manager/servers/check', { ...draft, id: 'nope' })).status).toBe(
      404,
    );
  });
});

test('no answer and no log line ever carries a secret', () => {
  const everything = [...answers, ...logs].join('\n');
  for (const secret of [
    BEARER,
    NEURONEX_VIEWER.password,
    jwt.privateKey.split('\n')[3]!,
    OTHER_KEY.privateKey.split('\n')[3]!,
  ]) {
    expect(everything).not.toContain(secret);
  }
  expect(logs.some((line) => line.includes('is not usable'))).toBe(true);
});
