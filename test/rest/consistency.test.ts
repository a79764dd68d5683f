import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { nodePluginScript } from '../support/node-plugin-bundle.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';
import { snapshotTree } from '../support/data-snapshot.js';
import {
  FIXTURES,
  fileUrl,
  startTestHost,
  TEST_ZIPS,
  type TestHost,
  type TestResponse,
} from '../support/host-harness.js';
import { buildZip, type TestZipEntry } from '../support/zip-writer.js';

let t: TestHost;
let zipCount = 0;
const defaultScriptTimeout = { value: 0 };

beforeAll(async () => {
  t = await startTestHost();
  defaultScriptTimeout.value = t.settings.installScriptTimeoutMs;
  await mkdir(join(t.tempDir, 'zips'));
});
afterAll(async () => t.close());
afterEach(() => {
  t.settings.installScriptTimeoutMs = defaultScriptTimeout.value;
});

/** Writes a zip into the test's temp folder and returns its file:// URL. */
async function zipFile(entries: TestZipEntry[]): Promise<string> {
  const path = join(t.tempDir, 'zips', `${++zipCount}.zip`);
  await writeFile(path, buildZip(entries));
  return fileUrl(path);
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A native source zip: `Name@vX.so` (or `Name.so`), `name.yaml`, optionally an install.sh. */
function sourceZip(name: string, options: { version?: string; config?: string; installSh?: string } = {}) {
  const library =
    options.version === undefined ? `${upperFirst(name)}.so` : `${upperFirst(name)}@v${options.version}.so`;
  const entries: TestZipEntry[] = [
    { name: library, data: `library of ${name} ${options.version ?? ''}` },
    { name: `${name}.yaml`, data: options.config ?? `default:\n  version: "${options.version ?? ''}"\n` },
  ];
  if (options.installSh !== undefined) entries.push({ name: 'install.sh', data: options.installSh });
  return zipFile(entries);
}

/** A portable zip whose executable is the Node test plugin, serving the symbols its manifest declares. */
async function portableZip(name: string, options: { version: string; installSh?: string }) {
  const manifest = {
    name,
    version: options.version,
    language: 'go',
    executable: name,
    sources: [`${name}Src`],
    sinks: [],
    functions: [`${name}Fn`],
  };
  const entries: TestZipEntry[] = [
    { name: `${name}.json`, data: JSON.stringify(manifest) },
    { name, data: `${await nodePluginScript()}\n// ${options.version}\n`, mode: 0o755 },
    { name: `sources/${name}Src.yaml`, data: `default:\n  v: "${options.version}"\n` },
    { name: `functions/${name}Fn.json`, data: `{"about":"${options.version}"}` },
  ];
  if (options.installSh !== undefined) entries.push({ name: 'install.sh', data: options.installSh });
  return zipFile(entries);
}

const create = (kind: string, body: Record<string, unknown>) => t.request('POST', `/plugins/${kind}`, body);

function errorMessage(response: TestResponse): string {
  return (JSON.parse(response.text) as { message: string }).message;
}

async function list(kind: string): Promise<string[]> {
  return (await t.request('GET', `/plugins/${kind}`)).json<string[]>();
}

async function files(relative: string): Promise<string[]> {
  try {
    return (await readdir(join(t.dataDir, relative))).sort();
  } catch {
    return [];
  }
}

async function exists(relative: string): Promise<boolean> {
  return stat(join(t.dataDir, relative)).then(
    () => true,
    () => false,
  );
}

/** Everything on disk that belongs to a native source plugin, by eKuiper's layout. */
async function sourceFiles(name: string): Promise<string[]> {
  const found: string[] = [];
  const pattern = new RegExp(`^(${name}|${upperFirst(name)})(@[^/]*)?\\.so$`);
  for (const file of await files('plugins/sources'))
    if (pattern.test(file)) found.push(`plugins/sources/${file}`);
  for (const path of [
    `etc/sources/${name}.yaml`,
    `data/sources/${name}.yaml`,
    `plugins/.meta/sources/${name}.json`,
  ]) {
    if (await exists(path)) found.push(path);
  }
  return found;
}

/** A plugin is either wholly there (library, both configs, record) or not at all. */
async function expectWholeOrAbsent(name: string): Promise<boolean> {
  const listed = (await list('sources')).includes(name);
  const onDisk = await sourceFiles(name);
  if (listed) {
    expect(
      onDisk.filter((path) => path.endsWith('.so')),
      name,
    ).toHaveLength(1);
    expect(onDisk.filter((path) => !path.endsWith('.so')).sort(), name).toEqual(
      [`data/sources/${name}.yaml`, `etc/sources/${name}.yaml`, `plugins/.meta/sources/${name}.json`].sort(),
    );
    expect((await t.request('GET', `/plugins/sources/${name}`)).status).toBe(200);
  } else {
    expect(onDisk, name).toEqual([]);
    expect((await t.request('GET', `/plugins/sources/${name}`)).status).toBe(404);
  }
  return listed;
}

async function expectNoStagingLeftovers(): Promise<void> {
  expect(await files('plugins/.staging')).toEqual([]);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie nobody reaped (PID 1 in a container may not) has stopped running all the same.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('concurrent requests on one name', () => {
  test('10 concurrent creates of one name: exactly one 201, nine duplicates, installed once', async () => {
    const file = await sourceZip('dup', { version: '1.0.0' });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => create('sources', { name: 'dup', file })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(400)]);
    for (const response of responses.filter((r) => r.status === 400)) {
      expect(errorMessage(response)).toBe(
        'sources plugins create command error: invalid name dup: duplicate',
      );
    }
    expect((await list('sources')).filter((name) => name === 'dup')).toEqual(['dup']);
    expect(await expectWholeOrAbsent('dup')).toBe(true);
    expect(await files('plugins/sources')).toEqual(['Dup@v1.0.0.so']);
    await expectNoStagingLeftovers();
  });

  test('good and bad zips racing for one name: one wins, its files are the ones installed', async () => {
    const bodies = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        if (i % 3 === 1) return { name: 'mixed', file: fileUrl(`${TEST_ZIPS}/sources/invalidZip.zip`) };
        if (i % 3 === 2)
          return { name: 'mixed', file: await zipFile([{ name: 'Mixed.so', data: 'no config' }]) };
        return { name: 'mixed', file: await sourceZip('mixed', { version: `1.0.${i}` }) };
      }),
    );
    const responses = await Promise.all(bodies.map((body) => create('sources', body)));
    const winners = responses.flatMap((response, i) => (response.status === 201 ? [i] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    expect(winner % 3).toBe(0);
    for (const [i, response] of responses.entries()) {
      if (i === winner) continue;
      expect(response.status).toBe(400);
      expect(errorMessage(response)).toMatch(/invalid name mixed: duplicate|fail to install plugin/);
    }
    expect(await expectWholeOrAbsent('mixed')).toBe(true);
    expect((await t.request('GET', '/plugins/sources/mixed')).json()).toEqual({
      name: 'mixed',
      version: `1.0.${winner}`,
    });
    expect((await files('plugins/sources')).filter((file) => file.startsWith('Mixed'))).toEqual([
      `Mixed@v1.0.${winner}.so`,
    ]);
    expect(await readFile(join(t.dataDir, 'etc/sources/mixed.yaml'), 'utf8')).toContain(`1.0.${winner}`);
    await expectNoStagingLeftovers();
  });

  test('concurrent creates of different names all succeed', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `many${i}`);
    const files = await Promise.all(names.map((name) => sourceZip(name, { version: '2.0.0' })));
    const responses = await Promise.all(names.map((name, i) => create('sources', { name, file: files[i] })));
    expect(responses.map((response) => response.status)).toEqual(names.map(() => 201));
    const listed = await list('sources');
    for (const name of names) {
      expect(listed).toContain(name);
      expect(await expectWholeOrAbsent(name)).toBe(true);
    }
    await expectNoStagingLeftovers();
  });

  test('create, delete and describe racing on one name never fail the server and end consistent', async () => {
    const file = await sourceZip('churn', { version: '3.0.0' });
    const seen = new Set<number>();
    for (let round = 0; round < 4; round++) {
      const requests = Array.from({ length: 24 }, (_, i) => {
        switch ((i * 7 + round) % 4) {
          case 0:
          case 1:
            return create('sources', { name: 'churn', file });
          case 2:
            return t.request('DELETE', '/plugins/sources/churn');
          default:
            return t.request('GET', '/plugins/sources/churn');
        }
      });
      for (const response of await Promise.all(requests)) {
        seen.add(response.status);
        expect([200, 201, 400, 404], response.text).toContain(response.status);
        if (response.status === 400) {
          expect(errorMessage(response)).toBe(
            'sources plugins create command error: invalid name churn: duplicate',
          );
        }
      }
      const listed = await expectWholeOrAbsent('churn');
      await expectNoStagingLeftovers();
      // What the host believes is what is on disk: a restart finds the same.
      await t.restart();
      expect(await expectWholeOrAbsent('churn')).toBe(listed);
    }
    // The race really happened: creates, deletes and both kinds of refusal were all answered.
    expect([...seen].sort()).toEqual([200, 201, 400, 404]);
  });

  test('two function plugins exporting the same function, created at once: exactly one wins', async () => {
    for (let round = 0; round < 4; round++) {
      const fn = `shared${round}`;
      const bodies = await Promise.all(
        ['fa', 'fb', 'fc'].map(async (prefix) => {
          const name = `${prefix}${round}`;
          return {
            name,
            file: await zipFile([{ name: `${upperFirst(name)}.so`, data: name }]),
            functions: [fn, name],
          };
        }),
      );
      const responses = await Promise.all(bodies.map((body) => create('functions', body)));
      const winners = responses.flatMap((response, i) => (response.status === 201 ? [bodies[i]!.name] : []));
      expect(winners, `round ${round}`).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 201)) {
        expect(response.status).toBe(400);
        expect(errorMessage(response)).toContain(`function name ${fn} already exists`);
        expect(errorMessage(response)).toContain(`the function plugin '${winners[0]}'`);
      }
      expect((await t.request('GET', `/plugins/udfs/${fn}`)).json()).toEqual({
        name: fn,
        plugin: winners[0],
      });
      const udfs = (await t.request('GET', '/plugins/udfs')).json<string[]>();
      expect(udfs.filter((name) => name === fn)).toEqual([fn]);
      const libraries = (await files('plugins/functions')).filter((file) => file.endsWith(`${round}.so`));
      expect(libraries).toEqual([`${upperFirst(winners[0]!)}.so`]);
    }
    await expectNoStagingLeftovers();
  });

  test('names that differ only in the first letter’s case: the capitalised one is refused, whatever the order', async () => {
    // eKuiper finds plugin `case1` in Case1.so and names it by lower-casing the first letter, so `Case1`
    // and `case1` would be one plugin on disk, and `Case1` would come back as `case1` after a restart.
    for (const order of [
      ['case1', 'Case1'],
      ['Case2', 'case2'],
    ]) {
      const bodies = await Promise.all(order.map(async (name) => ({ name, file: await sourceZip(name) })));
      const responses = await Promise.all(bodies.map((body) => create('sources', body)));
      expect(responses.map((r) => r.status).sort(), order.join()).toEqual([201, 400]);
      const loser = responses[order.findIndex((name) => /^[A-Z]/.test(name))]!;
      expect(loser.status).toBe(400);
      expect(errorMessage(loser)).toMatch(/start with a lower-case letter.*use 'case\d'/);
    }
    // And deleting the other spelling cannot remove the installed plugin.
    const before = await snapshotTree(t.dataDir);
    expect((await t.request('DELETE', '/plugins/sources/Case1')).status).toBe(404);
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    await expectNoStagingLeftovers();
  });
});

describe('install.sh', () => {
  test('a script that fails: 400 carrying its stdout and stderr, and nothing changed', async () => {
    const file = await sourceZip('failing', {
      installSh: 'echo "preparing the driver"\necho "libfoo.so.3: not found" >&2\nexit 1\n',
    });
    const before = await snapshotTree(t.dataDir);
    const response = await create('sources', { name: 'failing', file });
    expect(response.status).toBe(400);
    const message = errorMessage(response);
    expect(message).toMatch(
      /^sources plugins create command error: fail to install plugin: install.sh exited with status 1/,
    );
    expect(message).toContain('preparing the driver');
    expect(message).toContain('libfoo.so.3: not found');
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expect(await list('sources')).not.toContain('failing');
  });

  test('a script past installScriptTimeoutMs is stopped with its whole process group', async () => {
    t.settings.installScriptTimeoutMs = 500;
    const pidFile = join(t.tempDir, 'sleeper.pid');
    const file = await sourceZip('sleepy', {
      installSh: 'echo "waiting for the network"\nsleep 60 &\necho $! > "$1"\nwait\n',
    });
    const before = await snapshotTree(t.dataDir);
    const started = Date.now();
    const response = await create('sources', { name: 'sleepy', file, shellParas: [pidFile] });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(400);
    const message = errorMessage(response);
    expect(message).toContain('install.sh did not finish within 500 ms and was stopped');
    expect(message).toContain('was stopped');
    expect(message).toContain('installScriptTimeoutMs');
    expect(message).toContain('waiting for the network');
    expect(elapsed).toBeGreaterThanOrEqual(500);
    // Stopped at the limit, not when the script's 60 s sleep would have ended.
    expect(elapsed).toBeLessThan(30_000);
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(0);
    // The script's child went down with it: no orphan keeps running after the install failed.
    const deadline = Date.now() + 10_000;
    while (isRunning(pid) && Date.now() < deadline) await sleep(20);
    expect(isRunning(pid)).toBe(false);
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expect(await list('sources')).not.toContain('sleepy');
  });
});

describe('updates that fail keep the old version', () => {
  test('native PUT whose install.sh fails: the old version stays, byte for byte', async () => {
    expect(
      (await create('sources', { name: 'upd', file: await sourceZip('upd', { version: '1.0.0' }) })).status,
    ).toBe(201);
    const before = await snapshotTree(t.dataDir);
    const file = await sourceZip('upd', { version: '2.0.0', installSh: 'echo "cannot build" >&2\nexit 3\n' });
    const response = await t.request('PUT', '/plugins/sources/upd', { name: 'upd', file });
    expect(response.status).toBe(400);
    expect(errorMessage(response)).toContain('cannot build');
    expect((await t.request('GET', '/plugins/sources/upd')).json()).toEqual({
      name: 'upd',
      version: '1.0.0',
    });
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    // And a good update still goes through afterwards, replacing every file of the old version.
    const good = await t.request('PUT', '/plugins/sources/upd', {
      name: 'upd',
      file: await sourceZip('upd', { version: '2.0.0' }),
    });
    expect(good.status).toBe(200);
    expect((await t.request('GET', '/plugins/sources/upd')).json()).toEqual({
      name: 'upd',
      version: '2.0.0',
    });
    expect((await files('plugins/sources')).filter((f) => f.startsWith('Upd'))).toEqual(['Upd@v2.0.0.so']);
    await expectNoStagingLeftovers();
  });

  test('portable PUT with a broken zip or a failing install.sh: the old plugin stays', async () => {
    const v1 = await portableZip('pcons', { version: '1.0.0' });
    expect((await create('portables', { name: 'pcons', file: v1 })).status).toBe(201);
    const described = (await t.request('GET', '/plugins/portables/pcons')).text;
    const before = await snapshotTree(t.dataDir);
    const broken = [
      fileUrl(`${TEST_ZIPS}/sources/invalidZip.zip`),
      await zipFile([{ name: 'pcons.json', data: '{"name":"pcons","language":"go"' }]),
      await portableZip('pcons', { version: '2.0.0', installSh: 'echo "pip failed"\nexit 1\n' }),
    ];
    for (const file of broken) {
      const response = await t.request('PUT', '/plugins/portables/pcons', { name: 'pcons', file });
      expect(response.status, file).toBe(400);
      expect(errorMessage(response)).toMatch(/^portable plugin update command error: /);
      expect((await t.request('GET', '/plugins/portables/pcons')).text).toBe(described);
      expect(await snapshotTree(t.dataDir)).toEqual(before);
    }
    await expectNoStagingLeftovers();
  });
});

describe('lifecycle', () => {
  test('native delete then recreate works, with no file of the old version left', async () => {
    expect(
      (await create('sources', { name: 'again', file: await sourceZip('again', { version: '1.0.0' }) }))
        .status,
    ).toBe(201);
    const empty = await snapshotTree(t.dataDir);
    delete empty['plugins/sources/Again@v1.0.0.so'];
    expect((await t.request('DELETE', '/plugins/sources/again')).status).toBe(200);
    expect(await expectWholeOrAbsent('again')).toBe(false);
    const recreated = await create('sources', {
      name: 'again',
      file: await sourceZip('again', { version: '1.1.0' }),
    });
    expect(recreated.status).toBe(201);
    expect((await t.request('GET', '/plugins/sources/again')).json()).toEqual({
      name: 'again',
      version: '1.1.0',
    });
    expect((await files('plugins/sources')).filter((f) => f.startsWith('Again'))).toEqual([
      'Again@v1.1.0.so',
    ]);
    expect(await expectWholeOrAbsent('again')).toBe(true);
  });

  test(
    'everything installed is listed and described identically after a restart',
    async () => {
      // eKuiper's mirror dials fixed socket names: files that run it take turns.
      const release = await acquireTestLock('mirror');
      const r = await startTestHost();
      try {
        const installs: Array<[string, Record<string, unknown>]> = [
          ['sources', { name: 'random3', file: fileUrl(`${TEST_ZIPS}/sources/random3.zip`) }],
          ['sources', { name: 'random2', file: fileUrl(`${TEST_ZIPS}/sources/random2.zip`) }],
          ['sinks', { name: 'file2', file: fileUrl(`${TEST_ZIPS}/sinks/file2.zip`) }],
          ['functions', { name: 'comp', file: fileUrl(`${TEST_ZIPS}/functions/comp.zip`) }],
          [
            'functions',
            {
              name: 'echo2',
              file: fileUrl(`${TEST_ZIPS}/functions/echo2.zip`),
              functions: ['echo2', 'echoTwo'],
            },
          ],
          ['functions', { name: 'misc', file: fileUrl(`${TEST_ZIPS}/functions/misc.zip`) }],
          ['portables', { name: 'mirror', file: fileUrl(join(FIXTURES, 'portable/mirror.zip')) }],
        ];
        for (const [kind, body] of installs) {
          const response = await r.request('POST', `/plugins/${kind}`, body);
          expect(response.status, response.text).toBe(201);
        }
        const registered = await r.request('POST', '/plugins/functions/misc/register', {
          functions: ['cast', 'round'],
        });
        expect(registered.status).toBe(200);

        const paths = [
          '/manager/plugins',
          '/plugins/sources',
          '/plugins/sinks',
          '/plugins/functions',
          '/plugins/portables',
          '/plugins/udfs',
          '/plugins/sources/random3',
          '/plugins/sources/random2',
          '/plugins/sinks/file2',
          '/plugins/functions/comp',
          '/plugins/functions/echo2',
          '/plugins/functions/misc',
          '/plugins/portables/mirror',
          '/plugins/udfs/round',
          '/plugins/udfs/echoTwo',
          '/manager/plugins/sources/random3',
          '/manager/plugins/functions/misc',
          '/manager/plugins/portables/mirror',
        ];
        const read = async () =>
          Promise.all(
            paths.map(
              async (path) =>
                `${path} ${(await r.request('GET', path)).status} ${(await r.request('GET', path)).text}`,
            ),
          );
        const before = await read();
        expect(before.every((line) => / 200 /.test(line))).toBe(true);
        expect((await r.request('GET', '/plugins/functions/misc')).json()).toEqual({
          name: 'misc',
          version: '',
          functions: ['cast', 'round'],
        });
        const overview = (await r.request('GET', '/manager/plugins')).json<
          Array<{ name: string; record: unknown }>
        >();
        expect(overview.map((row) => row.name)).toEqual([
          'random2',
          'random3',
          'file2',
          'comp',
          'echo2',
          'misc',
          'mirror',
        ]);
        expect(overview.every((row) => row.record !== null)).toBe(true);

        await r.restart();
        expect(await read()).toEqual(before);
      } finally {
        await r.close();
        await release();
      }
    },
    LOCK_WAIT_MS,
  );
});
