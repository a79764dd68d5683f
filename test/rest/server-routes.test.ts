import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileSecretStore } from '../../main/servers/secret-store.js';
import { localizeHostMessage } from '../../shared/host-messages.js';
import type { ServerCheck, ServerInfo } from '../../shared/server-dto.js';
import { rsaKeyPair } from '../support/ekuiper-jwt-stand-in.js';
import { startTestHost, type TestHost, type TestResponse } from '../support/host-harness.js';
import { expectError, expectErrorStarting, expectText } from './rest-helpers.js';

// `/manager/servers` over real HTTP: the list with `local` first, adding, reading, editing and removing servers,
// their status codes and bodies, secrets that never come back, and the list kept across a restart.

const TOKEN = 'bearer-secret-7f3a9c';
const PASSWORD = 'neuronex-secret-c41d';
const KEY = rsaKeyPair();
/** A line from the middle of the private key: present in any copy of it. */
const KEY_LINE = KEY.privateKey.split('\n')[5]!;
const SECRETS = [TOKEN, PASSWORD, KEY_LINE];

let t: TestHost;
/** Plays the user-data folder: servers.json and server-secrets.json. */
let userData: string;
let serversFile: string;
let secretsFile: string;
const logs: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  userData = await mkdtemp(join(tmpdir(), 'ekm-servers-'));
  serversFile = join(userData, 'servers.json');
  secretsFile = join(userData, 'server-secrets.json');
  // The list on disk and every log line captured.
  t = await startTestHost(
    {},
    {
      log: (line) => logs.push(line),
      servers: {
        file: serversFile,
        secrets: fileSecretStore(secretsFile, { log: (line) => logs.push(line) }),
        healthIntervalMs: 0,
      },
    },
  );
});
afterAll(async () => {
  await t.close();
  await rm(userData, { recursive: true, force: true });
});

/** A request whose answer is kept, so the last test can search every answer for the secrets. */
async function call(method: string, path: string, body?: unknown): Promise<TestResponse> {
  const response = await t.request(method, path, body);
  answers.push(response.text);
  return response;
}

const servers = async (): Promise<ServerInfo[]> =>
  (await call('GET', '/manager/servers')).json<ServerInfo[]>();

describe('the server list', () => {
  test('starts with the built-in local server, healthy by construction', async () => {
    const response = await call('GET', '/manager/servers');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const [local, ...rest] = response.json<ServerInfo[]>();
    expect(rest).toEqual([]);
    expect(local).toMatchObject({
      id: 'local',
      name: 'This computer',
      kind: 'ekuiper',
      url: t.url,
      auth: { type: 'none' },
      builtIn: true,
      health: { ok: true, reachable: true, authOk: true, version: t.settings.ekuiperVersion },
    });
    expect((await call('GET', '/manager/servers/local')).json()).toMatchObject({
      id: 'local',
      builtIn: true,
    });
  });

  test('adds a server of each auth type: 201 with the stored server and its id, secrets as flags only', async () => {
    const bearer = await call('POST', '/manager/servers', {
      name: 'Line 3 gateway',
      kind: 'ekuiper',
      url: 'http://10.0.0.3:9081/',
      auth: { type: 'bearer', token: TOKEN },
      timeoutMs: 5000,
    });
    expect(bearer.status).toBe(201);
    expect(bearer.json()).toEqual({
      id: 'line-3-gateway',
      name: 'Line 3 gateway',
      kind: 'ekuiper',
      url: 'http://10.0.0.3:9081',
      auth: { type: 'bearer', tokenSet: true },
      tls: { insecureSkipVerify: false, caCert: '' },
      timeoutMs: 5000,
      builtIn: false,
    });
    const jwt = await call('POST', '/manager/servers', {
      name: 'Édge box',
      kind: 'ekuiper',
      url: 'https://edge.example:9081',
      auth: { type: 'ekuiper-jwt', issuer: 'ekuiper-jwt.pub', privateKey: KEY.privateKey },
      tls: { insecureSkipVerify: true },
    });
    expect(jwt.status).toBe(201);
    expect(jwt.json()).toMatchObject({
      id: 'edge-box',
      auth: { type: 'ekuiper-jwt', issuer: 'ekuiper-jwt.pub', privateKeySet: true },
      tls: { insecureSkipVerify: true, caCert: '' },
      timeoutMs: 10000,
    });
    const neuronex = await call('POST', '/manager/servers', {
      name: 'Plant NeuronEX',
      kind: 'neuronex',
      url: 'http://10.0.0.8:8085',
      auth: { type: 'neuronex-login', username: 'admin', password: PASSWORD },
    });
    expect(neuronex.json()).toMatchObject({
      id: 'plant-neuronex',
      auth: { type: 'neuronex-login', username: 'admin', passwordSet: true },
    });
    const open = await call('POST', '/manager/servers', {
      name: 'Lab',
      kind: 'ekuiper',
      url: 'http://lab:9081',
      auth: { type: 'none' },
    });
    expect(open.json()).toMatchObject({ id: 'lab', auth: { type: 'none' } });
    expect((await servers()).map((server) => server.id)).toEqual([
      'local',
      'line-3-gateway',
      'edge-box',
      'plant-neuronex',
      'lab',
    ]);
  });

  test('ids are unique slugs: a name whose slug is taken gets -2, and no server is ever called local', async () => {
    const second = await call('POST', '/manager/servers', {
      name: 'LAB!',
      kind: 'ekuiper',
      url: 'http://lab2:9081',
    });
    expect(second.json()).toMatchObject({ id: 'lab-2', name: 'LAB!' });
    const local = await call('POST', '/manager/servers', {
      name: 'Local',
      kind: 'ekuiper',
      url: 'http://x:9081',
    });
    expect(local.json()).toMatchObject({ id: 'local-2' });
    const chinese = await call('POST', '/manager/servers', {
      name: '边缘网关',
      kind: 'ekuiper',
      url: 'http://y:9081',
    });
    expect(chinese.json()).toMatchObject({ id: 'server', name: '边缘网关' });
  });

  test('bad input answers 400 with every problem, each prefixed by its field, and stores nothing', async () => {
    const before = await readFile(serversFile, 'utf8');
    expectError(
      await call('POST', '/manager/servers', {
        name: ' ',
        kind: 'neuronex',
        url: 'ftp://x',
        auth: { type: 'neuronex-login', username: 'admin' },
      }),
      400,
      'invalid server: name: give the server a name; url: the address must start with http:// or https://, ' +
        'such as http://192.168.1.10:8085; auth.password: give the password',
    );
    expectError(
      await call('POST', '/manager/servers', 'not json'),
      400,
      'invalid server: the body is not JSON',
    );
    // The parser's words are not repeated: they quote the body, which may hold a password.
    const broken = `{"name":"x","auth":{"password":"${PASSWORD}" "x"}}`;
    expectError(
      await call('POST', '/manager/servers', broken),
      400,
      `invalid server: the body is not JSON (an error at character ${broken.indexOf(' "x"') + 1})`,
    );
    expectError(
      await call('POST', '/manager/servers', ''),
      400,
      'invalid server: the body is empty; send the server as JSON',
    );
    expectError(
      await call('POST', '/manager/servers', { name: 'lab', kind: 'ekuiper', url: 'http://z:9081' }),
      400,
      'invalid server: name: a server named Lab already exists',
    );
    expect(await readFile(serversFile, 'utf8')).toBe(before);
  });

  test("a name is one line of text of its own, not the built-in server's", async () => {
    const before = await readFile(serversFile, 'utf8');
    const logged = logs.length;
    // A line break would forge a line in the host's log ("servers: removed …"), an escape recolour a terminal.
    for (const name of ['Edge\nservers: removed Lab (lab)', 'Edge\u001b[31m', 'Edge\u2028x', 'Tab\there']) {
      expectError(
        await call('POST', '/manager/servers', { name, kind: 'ekuiper', url: 'http://q:9081' }),
        400,
        'invalid server: name: a name is one line of text, without control characters',
      );
    }
    expectError(
      await call('POST', '/manager/servers', { name: 7, kind: 'ekuiper', url: 'http://q:9081' }),
      400,
      'invalid server: name: the name must be text',
    );
    expectError(
      await call('POST', '/manager/servers', ['Lab']),
      400,
      'invalid server: name: the body must be a JSON object such as {"name","kind","url"}',
    );
    for (const name of ['This computer', ' this COMPUTER ']) {
      expectError(
        await call('POST', '/manager/servers', { name, kind: 'ekuiper', url: 'http://q:9081' }),
        400,
        'invalid server: name: This computer is the name of the built-in server local; give this one its own',
      );
    }
    expectError(
      await call('PUT', '/manager/servers/lab', {
        name: 'This computer',
        kind: 'ekuiper',
        url: 'http://q:9081',
      }),
      400,
      'invalid server: name: This computer is the name of the built-in server local; give this one its own',
    );
    expect(await readFile(serversFile, 'utf8')).toBe(before);
    expect(logs.slice(logged)).toEqual([]);
    // The window shows each field's problem in its language.
    expect(localizeHostMessage('a name is one line of text, without control characters', 'zh-CN')).toBe(
      '名称必须是单行文本，不能包含控制字符',
    );
    expect(
      localizeHostMessage(
        'This computer is the name of the built-in server local; give this one its own',
        'zh-CN',
      ),
    ).toBe('This computer 是内置服务器 local 的名称；请为这台服务器另取一个名称');
  });

  test('the address is stored as every HTTP client reaches it; a path stays as the API base', async () => {
    const cases: Array<[string, string]> = [
      ['HTTP://Proxy.Example:80/', 'http://proxy.example'],
      ['https://proxy.example:443/tools/../ekuiper//', 'https://proxy.example/ekuiper'],
      ['http://proxy.example:9081\\ekuiper', 'http://proxy.example:9081/ekuiper'],
      ['http://[::1]:9081', 'http://[::1]:9081'],
    ];
    for (const [index, [typed, stored]] of cases.entries()) {
      const added = await call('POST', '/manager/servers', {
        name: `Proxied ${index}`,
        kind: 'ekuiper',
        url: typed,
      });
      expect(added.status, typed).toBe(201);
      const info = added.json<ServerInfo>();
      expect(info.url, typed).toBe(stored);
      expect((await call('DELETE', `/manager/servers/${info.id}`)).status).toBe(200);
    }
  });

  test('a private key that cannot sign RS256 tokens is refused at save time, saying why', async () => {
    const add = (privateKey: string) =>
      call('POST', '/manager/servers', {
        name: 'Keyed',
        kind: 'ekuiper',
        url: 'http://k:9081',
        auth: { type: 'ekuiper-jwt', issuer: 'k.pub', privateKey },
      });
    expectErrorStarting(
      await add('-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----'),
      400,
      'invalid server: auth.privateKey: the private key cannot be read as an RSA private key in PEM form',
      'openssl genrsa',
    );
    expectErrorStarting(
      await add(rsaKeyPair(1024).privateKey),
      400,
      'invalid server: auth.privateKey: the RSA key has 1024 bits; RS256 tokens need a key of at least 2048 bits',
    );
    const locked = rsaKeyPair(2048, 'pw').privateKey;
    expectError(
      await add(locked),
      400,
      'invalid server: auth.privateKey: the private key is protected by a passphrase; give it without one ' +
        '(openssl rsa -in ekuiper-jwt.key -out ekuiper-jwt-plain.key)',
    );
    expectErrorStarting(
      await add(KEY.publicKey),
      400,
      'invalid server: auth.privateKey: the private key must be an RSA key in PEM form',
    );
  });

  test('a bearer token that cannot travel in an HTTP header is refused at save time', async () => {
    for (const token of ['abc\r\nX-Injected: 1', 'tab\there', '令牌-abc']) {
      expectError(
        await call('POST', '/manager/servers', {
          name: 'Header token',
          kind: 'ekuiper',
          url: 'http://token.example:9081',
          auth: { type: 'bearer', token },
        }),
        400,
        'invalid server: auth.token: the token goes into an HTTP header: it can hold only printable ASCII ' +
          'characters, on one line',
      );
    }
    expect((await servers()).some((info) => info.name === 'Header token')).toBe(false);
    expect(
      localizeHostMessage(
        'the token goes into an HTTP header: it can hold only printable ASCII characters, on one line',
        'zh-CN',
      ),
    ).toBe('令牌会放进 HTTP 头部：只能包含可打印的 ASCII 字符，且必须在一行内');
  });

  test('a CA certificate whose PEM text is damaged is refused at save time and when tested', async () => {
    const damaged = '-----BEGIN CERTIFICATE-----\nnot-base64!!\n-----END CERTIFICATE-----';
    const server = { name: 'Damaged CA', kind: 'ekuiper', url: 'https://ca.example:9443' };
    const message =
      'invalid server: tls.caCert: the CA certificate cannot be read: its PEM text is damaged (copy the whole ' +
      'file, such as ca.pem, again)';
    expectError(
      await call('POST', '/manager/servers', { ...server, tls: { caCert: damaged } }),
      400,
      message,
    );
    expectError(
      await call('POST', '/manager/servers/check', { ...server, tls: { caCert: damaged } }),
      400,
      message,
    );
    expect((await servers()).some((info) => info.name === 'Damaged CA')).toBe(false);
  });

  test('GET one server; unknown ids answer 404/1002', async () => {
    expect((await call('GET', '/manager/servers/edge-box')).json()).toMatchObject({
      id: 'edge-box',
      name: 'Édge box',
    });
    expectError(await call('GET', '/manager/servers/nope'), 404, 'server nope not found');
    expectError(
      await call('PUT', '/manager/servers/nope', { name: 'x', kind: 'ekuiper', url: 'http://x:1' }),
      404,
      'server nope not found',
    );
    expectError(await call('DELETE', '/manager/servers/nope'), 404, 'server nope not found');
    expectError(await call('POST', '/manager/servers/nope/check'), 404, 'server nope not found');
  });

  test('PUT keeps the id and the secrets left out; changing the auth type drops the old secrets', async () => {
    const renamed = await call('PUT', '/manager/servers/line-3-gateway', {
      name: 'Line 3 gateway (new)',
      kind: 'ekuiper',
      url: 'http://10.0.0.33:9081',
      auth: { type: 'bearer' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({
      id: 'line-3-gateway',
      name: 'Line 3 gateway (new)',
      url: 'http://10.0.0.33:9081',
      auth: { type: 'bearer', tokenSet: true },
    });
    const secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as { servers: Record<string, unknown> };
    expect(secrets.servers['line-3-gateway']).toEqual({ token: { plain: TOKEN } });

    const switched = await call('PUT', '/manager/servers/line-3-gateway', {
      name: 'Line 3 gateway (new)',
      kind: 'neuronex',
      url: 'http://10.0.0.33:8085',
      auth: { type: 'neuronex-login', username: 'viewer', password: 'viewer-pass' },
    });
    expect(switched.json()).toMatchObject({
      auth: { type: 'neuronex-login', username: 'viewer', passwordSet: true },
    });
    const after = JSON.parse(await readFile(secretsFile, 'utf8')) as { servers: Record<string, unknown> };
    expect(after.servers['line-3-gateway']).toEqual({ password: { plain: 'viewer-pass' } });

    // A type that needs a secret the server does not have yet must give it.
    expectError(
      await call('PUT', '/manager/servers/line-3-gateway', {
        name: 'Line 3 gateway (new)',
        kind: 'ekuiper',
        url: 'http://10.0.0.33:9081',
        auth: { type: 'bearer' },
      }),
      400,
      'invalid server: auth.token: give the token',
    );
  });

  test('the built-in local server cannot be changed or removed', async () => {
    const message =
      "the built-in server local (This computer) is this app's own host: it cannot be changed or removed";
    expectError(
      await call('PUT', '/manager/servers/local', { name: 'x', kind: 'ekuiper', url: 'http://x:1' }),
      400,
      message,
    );
    expectError(await call('DELETE', '/manager/servers/local'), 400, message);
    expect((await servers())[0]).toMatchObject({ id: 'local', builtIn: true });
  });

  test('DELETE answers in plain text and removes the server and its secrets', async () => {
    expectText(await call('DELETE', '/manager/servers/lab-2'), 200, 'server LAB! is deleted');
    expectError(await call('GET', '/manager/servers/lab-2'), 404, 'server lab-2 not found');
    expectText(
      await call('DELETE', '/manager/servers/plant-neuronex'),
      200,
      'server Plant NeuronEX is deleted',
    );
    const secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as { servers: Record<string, unknown> };
    expect(Object.keys(secrets.servers).sort()).toEqual(['edge-box', 'line-3-gateway']);
  });

  test('other methods answer 405 as eKuiper does', async () => {
    expect((await call('DELETE', '/manager/servers')).status).toBe(405);
    expect((await call('PATCH', '/manager/servers/edge-box')).status).toBe(405);
    expect((await call('POST', '/manager/servers/edge-box')).status).toBe(405);
    expect((await call('GET', '/manager/servers/edge-box/check')).status).toBe(405);
  });

  test('servers.json holds the list without secrets; the secrets file is readable only by the user', async () => {
    const stored = JSON.parse(await readFile(serversFile, 'utf8')) as {
      version: number;
      servers: ServerInfo[];
    };
    expect(stored.version).toBe(1);
    expect(stored.servers.map((server) => server.id)).toEqual([
      'line-3-gateway',
      'edge-box',
      'lab',
      'local-2',
      'server',
    ]);
    expect(stored.servers[1]).toEqual({
      id: 'edge-box',
      name: 'Édge box',
      kind: 'ekuiper',
      url: 'https://edge.example:9081',
      auth: { type: 'ekuiper-jwt', issuer: 'ekuiper-jwt.pub' },
      tls: { insecureSkipVerify: true, caCert: '' },
      timeoutMs: 10000,
    });
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    // Atomic writes leave no temp file behind.
    expect((await readdir(userData)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('the list, its ids and its secrets survive a restart', async () => {
    const before = await servers();
    await t.restart();
    const after = await servers();
    expect(
      after.map(({ health: _health, url, ...rest }) => ({ ...rest, url: rest.builtIn ? '' : url })),
    ).toEqual(before.map(({ health: _health, url, ...rest }) => ({ ...rest, url: rest.builtIn ? '' : url })));
    expect(after.find((server) => server.id === 'edge-box')?.auth).toEqual({
      type: 'ekuiper-jwt',
      issuer: 'ekuiper-jwt.pub',
      privateKeySet: true,
    });
  });

  test('no answer, servers.json or log line ever contains a secret', async () => {
    const stored = await readFile(serversFile, 'utf8');
    const everything = [...answers, stored, ...logs].join('\n');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(logs.some((line) => line.includes('added Édge box (edge-box'))).toBe(true);
  });
});

describe('a broken servers.json', () => {
  test('does not stop the host: it starts with no servers, keeps the file aside and says why', async () => {
    const lines: string[] = [];
    const folder = await mkdtemp(join(tmpdir(), 'ekm-servers-'));
    const file = join(folder, 'servers.json');
    await writeFile(file, '{"servers": [ {"id": "a", ');
    const host = await startTestHost(
      {},
      { log: (line) => lines.push(line), servers: { file, healthIntervalMs: 0 } },
    );
    try {
      const list = (await host.request('GET', '/manager/servers')).json<ServerInfo[]>();
      expect(list.map((server) => server.id)).toEqual(['local']);
      const aside = (await readdir(folder)).filter((name) => name.startsWith('servers.json.bad-'));
      expect(aside).toHaveLength(1);
      expect(await readFile(join(folder, aside[0]!), 'utf8')).toBe('{"servers": [ {"id": "a", ');
      expect(lines.find((line) => line.startsWith('servers:'))).toMatch(
        /^servers: .*servers\.json was not used because it is not valid JSON .*; kept as .*servers\.json\.bad-.*; starting with no servers$/,
      );
      // Adding works again and writes a fresh file.
      const added = await host.request('POST', '/manager/servers', {
        name: 'A',
        kind: 'ekuiper',
        url: 'http://a:9081',
      });
      expect(added.status).toBe(201);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ servers: [{ id: 'a' }] });
    } finally {
      await host.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('leaves out entries that break the rules and keeps the rest', async () => {
    const lines: string[] = [];
    const folder = await mkdtemp(join(tmpdir(), 'ekm-servers-'));
    const file = join(folder, 'servers.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        servers: [
          { id: 'good', name: 'Good', kind: 'ekuiper', url: 'http://good:9081', auth: { type: 'none' } },
          { id: 'local', name: 'Mine', kind: 'ekuiper', url: 'http://m:9081', auth: { type: 'none' } },
          { id: 'bad', name: 'Bad', kind: 'kuiper', url: 'http://bad:9081', auth: { type: 'none' } },
          {
            id: 'jwt',
            name: 'J',
            kind: 'ekuiper',
            url: 'http://j:9081',
            auth: { type: 'ekuiper-jwt', issuer: 'k.pub' },
          },
        ],
      }),
    );
    const host = await startTestHost(
      {},
      { log: (line) => lines.push(line), servers: { file, healthIntervalMs: 0 } },
    );
    try {
      const list = (await host.request('GET', '/manager/servers')).json<ServerInfo[]>();
      expect(list.map((server) => server.id)).toEqual(['local', 'good', 'jwt']);
      // Its secret is not stored: the server says so instead of failing later without a reason.
      expect(list[2]!.auth).toEqual({ type: 'ekuiper-jwt', issuer: 'k.pub', privateKeySet: false });
      const check = (await host.request('POST', '/manager/servers/jwt/check')).json<ServerCheck>();
      expect(check).toMatchObject({ ok: false, problem: 'auth' });
      expect(check.message).toContain('no private key is stored for this server');
      expect(lines.join('\n')).toContain("the id local is the host's own");
      expect(lines.join('\n')).toContain('server bad: kind: kind must be one of ekuiper, neuronex');
      // The entries left out are kept aside; the file now holds what the host uses.
      expect((await readdir(folder)).some((name) => name.startsWith('servers.json.bad-'))).toBe(true);
      const kept = JSON.parse(await readFile(file, 'utf8')) as { servers: Array<{ id: string }> };
      expect(kept.servers.map((server) => server.id)).toEqual(['good', 'jwt']);
    } finally {
      await host.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
