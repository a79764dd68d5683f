import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NEURONEX_LOGIN_PATH } from '../../main/servers/auth/neuronex-login.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { addServer } from '../support/server-stand-ins.js';
import { closeServer, listenOnLoopback, type StandIn } from '../support/stand-in-server.js';

// A server (or a proxy in front of it) that repeats the request's credentials in its refusals, as some auth
// proxies and debug builds do: whatever route quotes the server's words — its plugins, the fleet inventory, fleet
// results, the connection check, the NeuronEX login — must answer and log them masked, never the secret.

const TOKEN = 'echoed-token-5b1e9d';
/** NeuronEX's default: masking it in every quote would turn `10000` into `1•••`. */
const PASSWORD = '0000';
const LOGIN_TOKEN = 'echoed-login-token-c0ffee';

/**
 * eKuiper's open `GET /` and, for every other route, 401 quoting the `Authorization` it received: as plain text,
 * and as eKuiper's JSON error (where a JSON-escaped secret only shows once parsed). NeuronEX's login answers a
 * token and refuses with the password it was sent.
 */
async function startEchoingServer(): Promise<StandIn> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = request.url ?? '/';
      const sent = request.headers.authorization ?? '';
      if (path === '/' || path === '/api/ekuiper/') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ version: '2.4.0', os: 'linux', arch: 'arm64', upTimeSeconds: 9 }));
      } else if (path === NEURONEX_LOGIN_PATH) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ token: LOGIN_TOKEN }));
      } else if (path.startsWith('/plugins/sinks') || path.startsWith('/api/ekuiper/plugins/sinks')) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: 1000, message: `token ${sent} refused (body ${body}); retry in 10000 ms` }),
        );
      } else {
        response.writeHead(401, { 'content-type': 'text/plain' });
        response.end(`validate token error: token ${sent} is expired; retry in 10000 ms`);
      }
    });
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

let host: TestHost;
let echoing: StandIn;
const logs: string[] = [];

beforeAll(async () => {
  echoing = await startEchoingServer();
  host = await startTestHost({}, { log: (line) => logs.push(line), servers: { healthIntervalMs: 0 } });
  await addServer(host, 'Echo bearer', echoing.url, { auth: { type: 'bearer', token: TOKEN } });
  await addServer(host, 'Echo login', echoing.url, {
    kind: 'neuronex',
    auth: { type: 'neuronex-login', username: 'admin', password: PASSWORD },
  });
});
afterAll(async () => {
  await host?.close();
  await echoing?.close();
});

/** The password never reaches these routes (only the login, which masks it itself), so only tokens are sought. */
function expectNoSecret(text: string): void {
  for (const secret of [TOKEN, LOGIN_TOKEN]) expect(text).not.toContain(secret);
}

describe('a server that echoes the credentials it was sent', () => {
  test.each(['echo-bearer', 'echo-login'])(
    '%s: its refusals are quoted with the secret masked',
    async (id) => {
      const plugins = await host.request('GET', `/manager/servers/${id}/plugins`);
      expect(plugins.status).toBe(401);
      expect(plugins.text).toContain('•••');
      expect(plugins.text).toContain('retry in 10000 ms');

      const inventory = await host.request('GET', `/manager/fleet/plugins?servers=${id}`);
      expect(inventory.status).toBe(200);
      expect(inventory.text).toContain('•••');

      const file = fileUrl(join(TEST_ZIPS, 'sinks/file2.zip'));
      const action = { action: 'install', kind: 'sinks', name: 'file2', file, servers: [id] };
      const preview = await host.request('POST', '/manager/fleet/plugins', { ...action, dryRun: true });
      const install = await host.request('POST', '/manager/fleet/plugins', action);
      const remove = await host.request('POST', '/manager/fleet/plugins', {
        action: 'delete',
        kind: 'sinks',
        name: 'file2',
        servers: [id],
      });
      for (const answer of [preview, install, remove]) {
        expect(answer.status).toBe(200);
        const [result] = answer.json<{ results: { ok: boolean; status: number; message: string }[] }>()
          .results;
        expect(result).toMatchObject({ ok: false, status: 401 });
        expect(result!.message).toContain('•••');
      }

      const check = await host.request('POST', `/manager/servers/${id}/check`);
      expect(check.json<{ ok: boolean }>().ok).toBe(false);

      for (const answer of [plugins, inventory, preview, install, remove, check]) expectNoSecret(answer.text);
    },
  );

  test('no log line holds a secret', () => {
    expect(logs.length).toBeGreaterThan(0);
    expectNoSecret(logs.join('\n'));
  });
});
