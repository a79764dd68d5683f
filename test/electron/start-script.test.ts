/**
 * `npm start` where Electron's binary is missing: it fetches the binary with Electron's own installer from
 * `ELECTRON_MIRROR` — here a loopback server holding a stand-in of Electron's release zip, whose `electron` is a
 * script that records how it was launched — and opens the window; offline it falls back to the headless host
 * within two seconds, saying why. Each run uses a copy of the project's `electron` package and a temp cache, so
 * the project's own node_modules and the user's cache are never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt } from '../../scripts/build-if-stale.mjs';
import { nodeSupport, skipsDownload } from '../../scripts/electron-download.mjs';
import { buildZip } from '../support/zip-writer.js';

const PROJECT = resolve(import.meta.dirname, '../..');
const ELECTRON_DIR = join(PROJECT, 'node_modules/electron');
const VERSION = (JSON.parse(readFileSync(join(ELECTRON_DIR, 'package.json'), 'utf8')) as { version: string })
  .version;
const ARTIFACT = `electron-v${VERSION}-${process.platform}-${process.arch}.zip`;
/** Where Electron's zip keeps the executable (install.js's `getPlatformPath`). */
const EXECUTABLE = process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
const TIMEOUT = 60_000;

/** The stand-in release zip: the executable records its arguments; a few MB of padding show progress. */
const STAND_IN = buildZip([
  {
    name: EXECUTABLE,
    data: '#!/bin/sh\nprintf "%s\\n" "$@" > "$STAND_IN_RECORD"\n',
    mode: 0o755,
  },
  { name: 'version', data: `v${VERSION}` },
  { name: 'LICENSE', data: 'stand-in for the tests' },
  { name: 'resources.pak', data: Buffer.alloc(3 * 1024 * 1024, 7), method: 'store' },
]);
const SHA256 = createHash('sha256').update(STAND_IN).digest('hex');

let mirror: Server;
let mirrorUrl: string;
let checksum = SHA256;
const requests: string[] = [];
const temps: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The headless fallback runs the built host.
  if (ensureBuilt(PROJECT, { log: () => {} }).status !== 0) throw new Error('electron-vite build failed');
  mirror = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.url === `/v${VERSION}/${ARTIFACT}`) {
      response.writeHead(200, { 'content-length': STAND_IN.length, 'content-type': 'application/zip' });
      // In pieces, as a real download arrives, so progress has steps to show.
      let at = 0;
      const next = (): void => {
        if (at >= STAND_IN.length) return void response.end();
        const piece = STAND_IN.subarray(at, at + 256 * 1024);
        at += piece.length;
        response.write(piece, next);
      };
      return next();
    }
    if (request.url === `/v${VERSION}/SHASUMS256.txt`) {
      return void response.writeHead(200).end(`${checksum} *${ARTIFACT}\n`);
    }
    response.writeHead(request.url === '/' ? 200 : 404).end();
  });
  await new Promise<void>((done) => mirror.listen(0, '127.0.0.1', done));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
}, TIMEOUT);

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  requests.length = 0;
  checksum = SHA256;
});

afterAll(async () => {
  mirror.closeAllConnections();
  await new Promise((done) => mirror.close(done));
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A project folder with the scripts, a fresh copy of the `electron` package (no binary) and the built `out/`. */
async function project(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ekm-start-'));
  temps.push(root);
  cpSync(join(PROJECT, 'scripts'), join(root, 'scripts'), { recursive: true });
  cpSync(join(PROJECT, 'package.json'), join(root, 'package.json'));
  mkdirSync(join(root, 'node_modules'));
  cpSync(ELECTRON_DIR, join(root, 'node_modules/electron'), {
    recursive: true,
    filter: (source) => !/[\\/](dist|path\.txt)$/.test(source),
  });
  // The installer's own dependencies, as the project has them.
  for (const scope of ['@electron', '@electron-internal']) {
    symlinkSync(join(PROJECT, 'node_modules', scope), join(root, 'node_modules', scope));
  }
  symlinkSync(join(PROJECT, 'out'), join(root, 'out'));
  mkdirSync(join(root, 'cache'));
  return root;
}

/** The environment of a fresh shell: none of Electron's or npm's download settings from the test run. */
function cleanEnv(root: string, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(ELECTRON_|electron_|npm_config_electron|npm_package_config)/.test(key))
      continue;
    env[key] = value;
  }
  return {
    ...env,
    electron_config_cache: join(root, 'cache'),
    STAND_IN_RECORD: join(root, 'launched.txt'),
    EKUIPER_MANAGER_USER_DATA: join(root, 'user-data'),
    ...extra,
  };
}

interface Run {
  lines: Array<{ text: string; at: number }>;
  /** Resolves with the first line matching, or rejects when the script ends without it. */
  line(pattern: RegExp): Promise<{ text: string; at: number }>;
  exited: Promise<number | null>;
  output(): string;
}

function start(root: string, env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Array<{ text: string; at: number }> = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  const take = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split(/\r?\n|\r/);
    buffered = parts.pop() ?? '';
    for (const text of parts) lines.push({ text, at: Date.now() });
    waiters.splice(0).forEach((wake) => wake());
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
    waiters.splice(0).forEach((wake) => wake());
  });
  const output = () => lines.map((line) => line.text).join('\n');
  return {
    lines,
    exited,
    output,
    async line(pattern) {
      for (;;) {
        const found = lines.find((line) => pattern.test(line.text));
        if (found !== undefined) return found;
        if (ended) throw new Error(`no line matched ${pattern}; the script said:\n${output()}`);
        await new Promise<void>((wake) => waiters.push(wake));
      }
    },
  };
}

const FETCHING = /^Electron's binary is not installed here: fetching it with Electron's installer/;
const FALLBACK =
  /^Electron's binary is not installed here, so the app window cannot open: starting the headless host/;

describe.skipIf(process.platform === 'win32')('npm start where Electron can be fetched', () => {
  test(
    'downloads the binary from the mirror with Electron’s installer, with progress, and launches the window',
    async () => {
      const root = await project();
      const env = cleanEnv(root, { ELECTRON_MIRROR: mirrorUrl, electron_use_remote_checksums: '1' });
      const run = start(root, env, ['--inspect-window']);
      expect(await run.exited).toBe(0);
      const output = run.output();
      expect(output).toMatch(FETCHING);
      expect(output).toContain(`from 127.0.0.1:${new URL(mirrorUrl).port}.`);
      // Progress on its own lines when not on a terminal: tenths, ending at 100%.
      const progress = run.lines
        .map((line) => line.text)
        .filter((text) =>
          text.startsWith(`Downloading Electron ${VERSION} for ${process.platform}-${process.arch}: `),
        );
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)).toMatch(/: 100% \(3\.0 of 3\.0 MB\)$/);
      expect(output).toContain(`Unpacking Electron ${VERSION} with its installer`);
      // The stand-in ran with the app's folder, as the real binary would be.
      expect((await readFile(join(root, 'launched.txt'), 'utf8')).split('\n')).toEqual([
        root,
        '--inspect-window',
        '',
      ]);
      expect(requests).toEqual(
        expect.arrayContaining([`GET /v${VERSION}/${ARTIFACT}`, `GET /v${VERSION}/SHASUMS256.txt`]),
      );
      expect(readFileSync(join(root, 'node_modules/electron/path.txt'), 'utf8')).toBe(EXECUTABLE);
      // Installed: the next start launches at once, asking the mirror nothing.
      requests.length = 0;
      const again = start(root, env);
      expect(await again.exited).toBe(0);
      expect(again.output()).toBe('');
      expect(requests).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'offline with the zip in Electron’s cache (checked against the package’s own checksums): the window opens',
    async () => {
      // A mirror of its own, taken down after the first download.
      const own = createServer((request, response) => {
        if (request.url === `/v${VERSION}/${ARTIFACT}`) return void response.writeHead(200).end(STAND_IN);
        response.writeHead(request.url === '/' ? 200 : 404).end();
      });
      await new Promise<void>((done) => own.listen(0, '127.0.0.1', done));
      const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/`;
      const cache = await mkdtemp(join(tmpdir(), 'ekm-electron-cache-'));
      temps.push(cache);
      const first = await project();
      // The bundled checksums (no remote SHASUMS256.txt) name the stand-in, as they name the real zips.
      writeFileSync(
        join(first, 'node_modules/electron/checksums.json'),
        JSON.stringify({ [ARTIFACT]: SHA256 }),
      );
      const env = (root: string) => cleanEnv(root, { ELECTRON_MIRROR: url, electron_config_cache: cache });
      expect(await start(first, env(first)).exited).toBe(0);
      own.closeAllConnections();
      await new Promise((done) => own.close(done));

      const second = await project();
      cpSync(
        join(first, 'node_modules/electron/checksums.json'),
        join(second, 'node_modules/electron/checksums.json'),
      );
      const run = start(second, env(second), ['--offline']);
      expect(await run.exited).toBe(0);
      expect(run.output()).not.toContain('Could not fetch');
      expect(run.output()).not.toMatch(/^Downloading Electron/m);
      expect((await readFile(join(second, 'launched.txt'), 'utf8')).split('\n')).toEqual([
        second,
        '--offline',
        '',
      ]);
    },
    TIMEOUT,
  );

  test(
    'a zip that does not match Electron’s checksum is refused: the headless host starts instead',
    async () => {
      checksum = '0'.repeat(64);
      const root = await project();
      const env = cleanEnv(root, { ELECTRON_MIRROR: mirrorUrl, electron_use_remote_checksums: '1' });
      const run = start(root, env, ['--port', '0']);
      const why = await run.line(/^Could not fetch Electron's binary: /);
      expect(why.text).toContain("the download does not match Electron's published checksum");
      await run.line(FALLBACK);
      await run.line(/host listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(existsSync(join(root, 'launched.txt'))).toBe(false);
      expect(existsSync(join(root, 'node_modules/electron/path.txt'))).toBe(false);
    },
    TIMEOUT,
  );

  test(
    'ELECTRON_SKIP_BINARY_DOWNLOAD=1: no download is tried, the headless host starts with today’s message',
    async () => {
      const root = await project();
      const env = cleanEnv(root, { ELECTRON_MIRROR: mirrorUrl, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
      const run = start(root, env, ['--port', '0']);
      const fallback = await run.line(FALLBACK);
      expect(fallback.text).toContain('run npm start without ELECTRON_SKIP_BINARY_DOWNLOAD');
      await run.line(/host listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(run.output()).not.toMatch(FETCHING);
      expect(requests).toEqual([]);
    },
    TIMEOUT,
  );

  describe('offline: the headless host within two seconds, and why', () => {
    let silent: ReturnType<typeof createTcpServer>;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts connections and never answers: a network that drops everything looks the same from here.
      silent = createTcpServer((socket) => void sockets.push(socket));
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    });
    afterAll(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((done) => silent.close(done));
    });

    async function closedPort(): Promise<number> {
      const server = createTcpServer();
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as AddressInfo;
      await new Promise((done) => server.close(done));
      return port;
    }

    test.each([
      [
        'a mirror that refuses connections',
        async () => `http://127.0.0.1:${await closedPort()}/`,
        /refused the connection \(ECONNREFUSED\)/,
      ],
      [
        'a mirror that never answers',
        () => Promise.resolve(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`),
        /did not answer within 1\.5 s: this machine seems to be offline/,
      ],
      [
        'a mirror whose name does not resolve',
        () => Promise.resolve('http://electron-mirror.example.invalid/'),
        /cannot be resolved \(DNS, (ENOTFOUND|EAI_AGAIN)\): this machine seems to be offline/,
      ],
    ])(
      '%s',
      async (_name, mirrorOf, reason) => {
        const root = await project();
        const env = cleanEnv(root, { ELECTRON_MIRROR: await mirrorOf() });
        const run = start(root, env, ['--port', '0']);
        const fetching = await run.line(FETCHING);
        const why = await run.line(/^Could not fetch Electron's binary: /);
        expect(why.text).toMatch(reason);
        expect(why.at - fetching.at).toBeLessThan(2000);
        const fallback = await run.line(FALLBACK);
        expect(fallback.text).toContain('(or set ELECTRON_MIRROR to a mirror you can reach)');
        await run.line(/host listening on http:\/\/127\.0\.0\.1:\d+/);
      },
      TIMEOUT,
    );
  });
});

describe('which Node.js can run Electron’s installer', () => {
  test('the installer’s engines decide; Node.js 20.19+ loads it though older', () => {
    expect(nodeSupport('22.12.0', '>= 22.12.0', true)).toBe('supported');
    expect(nodeSupport('24.1.0', '>= 22.12.0', true)).toBe('supported');
    expect(nodeSupport('20.20.2', '>= 22.12.0', true)).toBe('untested');
    expect(nodeSupport('22.11.0', '>= 22.12.0', false)).toBe('unsupported');
    expect(nodeSupport('18.20.0', '>= 22.12.0', false)).toBe('unsupported');
    expect(nodeSupport('20.20.2', undefined, true)).toBe('supported');
  });

  test('ELECTRON_SKIP_BINARY_DOWNLOAD as Electron reads it', () => {
    expect(skipsDownload({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toBe(true);
    expect(skipsDownload({ ELECTRON_SKIP_BINARY_DOWNLOAD: 'true' })).toBe(true);
    expect(skipsDownload({ ELECTRON_SKIP_BINARY_DOWNLOAD: '0' })).toBe(false);
    expect(skipsDownload({ ELECTRON_SKIP_BINARY_DOWNLOAD: '' })).toBe(false);
    expect(skipsDownload({})).toBe(false);
  });
});
