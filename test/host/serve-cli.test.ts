import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { fileUrl, TEST_ZIPS } from '../support/host-harness.js';

const PROJECT = resolve(import.meta.dirname, '../..');
/** Each test starts node with tsx (about a second of CPU); on a loaded machine that can take much longer. */
const SPAWN_TIMEOUT = 90_000;
const SERVE = join(PROJECT, 'main/host/serve.ts');

interface Served {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

let tempDir: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'ekm-serve-'));
});
afterAll(async () => {
  // Tests run concurrently, so leftovers (a failed test's host) are stopped only once all are done.
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(tempDir, { recursive: true, force: true });
});

/** Runs the headless host as a user would; its settings live in a temp XDG_CONFIG_HOME, never the user's. */
function serve(args: string[], env: Record<string, string> = {}): Served {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, ...args], {
    cwd: PROJECT,
    env: { ...process.env, XDG_CONFIG_HOME: join(tempDir, 'config'), EKUIPER_MANAGER_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, at: Date.now() })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits for the `… listening on http://HOST:PORT …` line and returns the URL. */
async function listeningUrl(served: Served, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(served.stdout());
    if (match !== null) return match[1]!;
    if (served.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the host did not start:\n${served.stdout()}\n${served.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The exit, or 'still running' (and the process killed) when it does not come within `ms`. */
async function exitWithin(served: Served, ms: number): Promise<number | null | 'still running'> {
  const timer = new Promise<'still running'>((done) => setTimeout(() => done('still running'), ms));
  const outcome = await Promise.race([served.exited.then((exit) => exit.code), timer]);
  if (outcome === 'still running') served.child.kill('SIGKILL');
  return outcome;
}

function dataDir(name: string): string {
  return join(tempDir, name);
}

// Every test runs its own processes on its own port and folder: they run side by side.
describe.concurrent('flags', () => {
  test(
    '--help prints the usage and exits 0',
    async ({ expect }) => {
      const served = serve(['--help']);
      const { code } = await served.exited;
      expect(code).toBe(0);
      expect(served.stdout()).toContain('Usage: npm run serve -- [--port 9081]');
      for (const option of ['--host', '--data-dir', '--token', 'EKUIPER_MANAGER_TOKEN']) {
        expect(served.stdout()).toContain(option);
      }
    },
    SPAWN_TIMEOUT,
  );

  // '' matters: Number('') is 0, which would start the host on any free port instead.
  test(
    'a bad --port exits 2 with a message and the usage',
    async ({ expect }) => {
      const cases = ['abc', ''];
      const results = await Promise.all(
        cases.map(async (port) => {
          const served = serve(['--port', port, '--data-dir', dataDir('bad-port')]);
          return { port, served, code: await exitWithin(served, 75_000) };
        }),
      );
      for (const { port, served, code } of results) {
        expect(code, `--port '${port}': ${served.stdout()}`).toBe(2);
        expect(served.stderr()).toContain(`--port ${port} is not a port number`);
        expect(served.stderr()).toContain('Usage:');
        expect(served.stdout()).not.toContain('listening');
      }
    },
    SPAWN_TIMEOUT,
  );

  test(
    'an unknown flag exits 2 with the usage',
    async ({ expect }) => {
      const served = serve(['--prot', '9081']);
      expect((await served.exited).code).toBe(2);
      expect(served.stderr()).toMatch(/Unknown option '--prot'/);
      expect(served.stderr()).toContain('Usage:');
    },
    SPAWN_TIMEOUT,
  );
});

describe.concurrent('running', () => {
  test(
    'starts, prints its URL and data folder, answers /ping, and stops cleanly on SIGTERM',
    async ({ expect }) => {
      const dir = dataDir('sigterm');
      const served = serve(['--port', '0', '--data-dir', dir]);
      const url = await listeningUrl(served);
      expect(served.stdout()).toContain(
        `eKuiper Extension Manager host listening on ${url} (data folder ${dir})`,
      );
      const ping = await fetch(`${url}/ping`);
      expect(ping.status).toBe(200);
      // The data folder is a valid eKuiper layout from the first start.
      expect(await readdir(join(dir, 'plugins'))).toEqual(
        expect.arrayContaining(['sources', 'sinks', 'functions', 'portable']),
      );
      served.child.kill('SIGTERM');
      const exit = await served.exited;
      expect(exit).toMatchObject({ code: 0, signal: null });
      // The port is released.
      await expect(fetch(`${url}/ping`)).rejects.toThrow();
    },
    SPAWN_TIMEOUT,
  );

  test(
    'stops cleanly on SIGINT; a token from EKUIPER_MANAGER_TOKEN is enforced',
    async ({ expect }) => {
      const served = serve(['--port', '0', '--data-dir', dataDir('sigint')], {
        EKUIPER_MANAGER_TOKEN: 'env-token',
      });
      const url = await listeningUrl(served);
      expect((await fetch(`${url}/ping`)).status).toBe(200);
      expect((await fetch(`${url}/plugins/sources`)).status).toBe(401);
      expect(
        (await fetch(`${url}/plugins/sources`, { headers: { Authorization: 'env-token' } })).status,
      ).toBe(200);
      served.child.kill('SIGINT');
      expect(await served.exited).toMatchObject({ code: 0, signal: null });
    },
    SPAWN_TIMEOUT,
  );

  test(
    'DELETE …?stop=1 answers, then the process exits with status 100 about a second later',
    async ({ expect }) => {
      const dir = dataDir('stop');
      const served = serve(['--port', '0', '--data-dir', dir]);
      const url = await listeningUrl(served);
      const created = await fetch(`${url}/plugins/sources`, {
        method: 'POST',
        body: JSON.stringify({ name: 'random3', file: fileUrl(`${TEST_ZIPS}/sources/random3.zip`) }),
      });
      expect(created.status).toBe(201);
      const deleted = await fetch(`${url}/plugins/sources/random3?stop=1`, { method: 'DELETE' });
      const answeredAt = Date.now();
      expect(deleted.status).toBe(200);
      expect(await deleted.text()).toBe('sources plugin random3 is deleted and eKuiper will be stopped');
      // Still serving during that second, as eKuiper does.
      expect((await fetch(`${url}/ping`)).status).toBe(200);
      const exit = await served.exited;
      expect(exit).toMatchObject({ code: 100, signal: null });
      expect(exit.at - answeredAt).toBeGreaterThanOrEqual(800);
      expect(exit.at - answeredAt).toBeLessThan(10_000);
      expect(await readdir(join(dir, 'plugins/sources'))).toEqual([]);
    },
    SPAWN_TIMEOUT,
  );

  test(
    'a port already in use: exit 1 with a message naming eKuiper/NeuronEX and --port',
    async ({ expect }) => {
      const blocker = createServer();
      await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
      const port = (blocker.address() as { port: number }).port;
      try {
        const served = serve(['--port', String(port), '--data-dir', dataDir('taken')]);
        expect((await served.exited).code).toBe(1);
        expect(served.stderr()).toContain(`port ${port} on 127.0.0.1 is already in use`);
        expect(served.stderr()).toMatch(/eKuiper or NeuronEX/);
        expect(served.stderr()).toContain('--port');
      } finally {
        await new Promise((done) => blocker.close(done));
      }
    },
    SPAWN_TIMEOUT,
  );
});
