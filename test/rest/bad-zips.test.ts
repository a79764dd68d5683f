import { randomBytes } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodePluginScript } from '../support/node-plugin-bundle.js';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { GIB } from '../../main/settings/host-settings.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { deflatedZeros, type TestZipEntry } from '../support/zip-writer.js';
import {
  expectErrorStarting,
  expectJson,
  failsWithoutChange,
  testZip,
  writeZip,
  zipFolder,
} from './rest-helpers.js';

// Hostile and broken zips through the REST API. Every one must be refused with 400 and a message that says
// what is wrong, leave the data folder exactly as it was (no staging leftovers), and write nothing outside it.

const TOKEN = randomBytes(6).toString('hex');
const EVIL = `evil-${TOKEN}.sh`;

let t: TestHost;
let zips: string;
let counter = 0;
beforeAll(async () => {
  t = await startTestHost();
  zips = await zipFolder();
});
afterAll(async () => {
  await t.close();
  await rm(zips, { recursive: true, force: true });
});
beforeEach(() => {
  t.settings.maxZipEntries = 20_000;
});

/** Nothing named after this run's token anywhere near the data folder, and nothing beside it. */
async function expectNothingOutside(): Promise<void> {
  expect(await readdir(t.tempDir)).toEqual(['data']);
  const strays = (await readdir(tmpdir())).filter((name) => name.includes(TOKEN));
  expect(strays).toEqual([]);
  const home = process.env.HOME;
  if (home !== undefined) expect((await readdir(home)).filter((name) => name.includes(TOKEN))).toEqual([]);
}

async function refuse(
  path: string,
  name: string,
  entries: TestZipEntry[],
  prefix: string,
  ...parts: string[]
): Promise<string> {
  const zip = await writeZip(zips, `bad-${++counter}.zip`, entries);
  let status = 0;
  const response = await failsWithoutChange(t, async () => {
    const answer = await t.request('POST', path, { name, file: fileUrl(zip) });
    status = answer.status;
    // Keep one wrongly accepted zip from failing every later test with 'duplicate'.
    if (status < 400) await t.request('DELETE', `${path}/${name}`);
    return answer;
  }).finally(() => expect(status).toBe(400));
  const message = expectErrorStarting(response, 400, prefix, ...parts);
  await expectNothingOutside();
  return message;
}

const NATIVE = 'sinks plugins create command error: fail to install plugin: ';
const PORTABLE = 'portable plugin create command error: fail to install plugin: ';
const so = (name: string): TestZipEntry => ({ name, data: 'not a real Go plugin' });
const manifest = (name: string, fields: Record<string, unknown>): TestZipEntry => ({
  name: `${name}.json`,
  data: JSON.stringify(fields),
});
const GOOD_MANIFEST = { version: '1', language: 'go', executable: 'run', functions: ['fn'] };

describe('entries that would land outside the plugin', () => {
  test.each([
    `../${EVIL}`,
    `../../../../../../../../../../tmp/${EVIL}`,
    `etc/../../${EVIL}`,
    `..\\${EVIL}`,
    `./../${EVIL}`,
  ])('%s: climbs out (native)', async (entry) => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('mine.so'), { name: entry, data: 'rm -rf ~' }],
      `${NATIVE}the zip entry '${entry}' climbs out of the plugin folder`,
    );
  });

  test('../x climbs out (portable, where eKuiper extracts every entry)', async () => {
    await refuse(
      '/plugins/portables',
      'pp',
      [manifest('pp', GOOD_MANIFEST), so('run'), { name: `../${EVIL}`, data: 'x' }],
      `${PORTABLE}the zip entry '../${EVIL}' climbs out of the plugin folder`,
    );
  });

  test.each([`/tmp/${EVIL}`, `/etc/x-${TOKEN}`, `C:\\${EVIL}`, `C:/${EVIL}`, `\\\\server\\share\\${EVIL}`])(
    '%s: absolute path',
    async (entry) => {
      await refuse(
        '/plugins/sinks',
        'mine',
        [so('mine.so'), { name: entry, data: 'x' }],
        `${NATIVE}the zip entry '${entry}' has an absolute path`,
      );
    },
  );

  test('a symbolic link, even to a harmless target', async () => {
    for (const target of ['/etc/passwd', '../../..', 'mine.so']) {
      await refuse(
        '/plugins/sinks',
        'mine',
        [so('mine.so'), { name: `lib-${TOKEN}`, symlinkTarget: target }],
        `${NATIVE}the zip entry 'lib-${TOKEN}' is a symbolic link`,
      );
    }
    await refuse(
      '/plugins/portables',
      'pp',
      [manifest('pp', GOOD_MANIFEST), { name: 'run', symlinkTarget: '/bin/sh' }],
      `${PORTABLE}the zip entry 'run' is a symbolic link`,
    );
  });
});

describe('zips that cannot or must not be unpacked', () => {
  test('an encrypted entry', async () => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('mine.so'), { name: 'secret.txt', data: 'xx', encrypted: true }],
      `${NATIVE}the zip entry 'secret.txt' is password-protected`,
    );
  });

  test('more entries than maxZipEntries', async () => {
    t.settings.maxZipEntries = 10;
    const entries = [
      so('mine.so'),
      ...Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.txt`, data: 'x' })),
    ];
    await refuse(
      '/plugins/sinks',
      'mine',
      entries,
      `${NATIVE}the zip lists 13 entries, more than the 10 allowed by the setting maxZipEntries`,
    );
    t.settings.maxZipEntries = 13;
    const zip = await writeZip(zips, 'exactly-13.zip', entries);
    expect((await t.request('POST', '/plugins/sinks', { name: 'mine', file: fileUrl(zip) })).status).toBe(
      201,
    );
    expect((await t.request('DELETE', '/plugins/sinks/mine')).status).toBe(200);
  });

  test('an honest zip bomb: 3 GB of zeros, declared as such, refused from the directory alone', async () => {
    const zeros = deflatedZeros(3 * GIB);
    const started = Date.now();
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('mine.so'), { name: 'zeros.bin', precompressed: zeros }],
      `${NATIVE}the zip unpacks to 3072 MB, more than the 2048 MB allowed by the setting maxZipInflatedBytes`,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('a bomb spread over many honest entries adds up', async () => {
    const zeros = deflatedZeros(512 * 1024 * 1024);
    const entries = [
      so('mine.so'),
      ...Array.from({ length: 5 }, (_, i) => ({ name: `z${i}.bin`, precompressed: zeros })),
    ];
    await refuse(
      '/plugins/sinks',
      'mine',
      entries,
      `${NATIVE}the zip unpacks to 2560 MB, more than the 2048 MB allowed`,
    );
  });

  // The damaged entries sit under etc/, which every install unpacks (files only install.sh would use may be
  // left packed when there is no install.sh).
  test('a lying bomb: declares 1000 bytes, inflates to 64 MB; stopped while inflating', async () => {
    const zeros = deflatedZeros(64 * 1024 * 1024);
    for (const [path, name, prefix, first] of [
      ['/plugins/sinks', 'mine', NATIVE, so('mine.so')],
      ['/plugins/portables', 'pp', PORTABLE, manifest('pp', GOOD_MANIFEST)],
    ] as const) {
      const extra = path === '/plugins/portables' ? [so('run')] : [];
      await refuse(
        path,
        name,
        [first, ...extra, { name: 'etc/zeros.bin', precompressed: zeros, declaredSize: 1000 }],
        `${prefix}the zip entry 'etc/zeros.bin' is damaged: it inflates to more than the 1000 bytes its header declares`,
      );
    }
  });

  test('a CRC that does not match the data', async () => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('mine.so'), { name: 'etc/data.txt', data: 'hello', crc32: 1234 }],
      `${NATIVE}the zip entry 'etc/data.txt' is damaged: its checksum (CRC-32) does not match its data`,
    );
  });

  test('the same path twice', async () => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('mine.so'), { name: 'a.txt', data: '1' }, { name: './a.txt', data: '2' }],
      `${NATIVE}the zip holds './a.txt' more than once`,
    );
  });

  test('not a zip at all, or cut short', async () => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [],
      `${NATIVE}invalid zip file: no compiled plugin: a sink plugin zip needs mine.so or Mine.so at its root (found nothing)`,
    );
    const good = await readFile(join(TEST_ZIPS, 'sinks/file2.zip'));
    const cut = join(zips, 'cut.zip');
    await writeFile(cut, good.subarray(0, good.length - 30));
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'file2', file: fileUrl(cut) }),
    );
    expectErrorStarting(response, 400, `${NATIVE}zip: not a valid zip file`);
  });
});

describe('native layout mistakes', () => {
  test('everything under one top folder: the message names the folder and how to zip', async () => {
    const message = await refuse(
      '/plugins/sources',
      'random3',
      [
        { name: 'random3/' },
        { name: 'random3/Random3.so', data: 'x' },
        { name: 'random3/random3.yaml', data: 'a: 1' },
      ],
      'sources plugins create command error: fail to install plugin: invalid zip file: ',
      "the folder 'random3/'",
      'zip -r',
    );
    expect(message).toContain('cd random3 && zip -r ../random3.zip .');
  });

  test('a .so named unlike the plugin', async () => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('Other.so')],
      `${NATIVE}invalid zip file: found Other.so, but a sink plugin named 'mine' needs mine.so or Mine.so`,
    );
  });

  test('two .so files for one plugin', async () => {
    await refuse(
      '/plugins/sinks',
      'mine',
      [so('mine.so'), so('Mine@v2.so')],
      `${NATIVE}invalid zip file: found 2 compiled plugins for 'mine' (mine.so, Mine@v2.so); keep exactly one .so in the zip`,
    );
  });

  test('a .so with a path in its version cannot create folders (eKuiper bug 7)', async () => {
    await refuse('/plugins/sinks', 'mine', [so('mine@a/b.so')], `${NATIVE}invalid zip file: `);
  });

  test('a source without its yaml', async () => {
    await refuse(
      '/plugins/sources',
      'mine',
      [so('Mine.so')],
      'sources plugins create command error: fail to install plugin: invalid zip file: a source plugin needs its default configuration mine.yaml',
    );
  });
});

describe('portable manifest mistakes', () => {
  const exe = so('run');
  const cases: Array<[string, TestZipEntry[], string]> = [
    [
      'name mismatch',
      [manifest('a', { ...GOOD_MANIFEST, name: 'b' }), exe],
      "invalid plugin, expect name 'a' but got 'b'",
    ],
    [
      'missing language',
      [manifest('a', { ...GOOD_MANIFEST, language: undefined }), exe],
      'invalid plugin, missing language',
    ],
    [
      'missing executable',
      [manifest('a', { ...GOOD_MANIFEST, executable: '' }), exe],
      'invalid plugin, missing executable',
    ],
    [
      'no symbols',
      [manifest('a', { version: '1', language: 'go', executable: 'run', sources: [], sinks: null }), exe],
      'invalid plugin, must define at lease one source, sink or function',
    ],
    [
      'language java',
      [manifest('a', { ...GOOD_MANIFEST, language: 'java' }), exe],
      "invalid plugin, language 'java' is not supported",
    ],
    [
      'a declared source without its yaml',
      [manifest('a', { ...GOOD_MANIFEST, sources: ['x'] }), exe, { name: 'sources/x.json', data: '{}' }],
      'missing sources/x.yaml',
    ],
    [
      'a file for a symbol the manifest does not declare',
      [
        manifest('a', { ...GOOD_MANIFEST, sources: ['x'] }),
        exe,
        { name: 'sources/x.yaml', data: 'a: 1' },
        { name: 'sources/y.yaml', data: 'b: 2' },
      ],
      'sources/y.yaml does not belong to a source this plugin declares',
    ],
    [
      'a file for another kind of symbol',
      [manifest('a', GOOD_MANIFEST), exe, { name: 'sinks/fn.json', data: '{}' }],
      'sinks/fn.json does not belong to a sink this plugin declares',
    ],
    [
      'the executable missing',
      [manifest('a', { ...GOOD_MANIFEST, executable: 'bin/run' }), exe],
      'missing bin/run',
    ],
    [
      'the executable outside the plugin',
      [manifest('a', { ...GOOD_MANIFEST, executable: '../run' }), exe],
      "invalid plugin, executable '../run' must be a path inside the plugin",
    ],
    [
      'a manifest that is not JSON',
      [{ name: 'a.json', data: '{"version":' }, exe],
      'invalid json file a.json: ',
    ],
    [
      'a manifest that is a list',
      [{ name: 'a.json', data: '[]' }, exe],
      'invalid json file a.json: the manifest must be a JSON object',
    ],
    [
      'symbols that are not names',
      [manifest('a', { ...GOOD_MANIFEST, functions: ['../x'] }), exe],
      'invalid json file a.json: "functions" holds \'../x\', which is not a plain symbol name',
    ],
    ['no manifest', [exe], 'missing or invalid json file a.json, found 1 files in total'],
  ];
  test.each(cases)('%s', async (_label, entries, expected) => {
    await refuse('/plugins/portables', 'a', entries, `${PORTABLE}${expected}`);
  });

  test('everything under one top folder: the message names the folder and how to zip', async () => {
    await refuse(
      '/plugins/portables',
      'pp',
      [
        { name: 'pp/pp.json', data: JSON.stringify(GOOD_MANIFEST) },
        { name: 'pp/run', data: 'x' },
      ],
      `${PORTABLE}missing or invalid json file pp.json, found 2 files in total: `,
      "the folder 'pp/'",
      'zip -r',
    );
  });
});

describe("zips that would overwrite another plugin's files", () => {
  test('a portable source named like an installed native source (its etc/sources/{name}.yaml)', async () => {
    expect(
      (await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') }))
        .status,
    ).toBe(201);
    try {
      await refuse(
        '/plugins/portables',
        'pp',
        [
          manifest('pp', { ...GOOD_MANIFEST, sources: ['random3'] }),
          so('run'),
          { name: 'sources/random3.yaml', data: 'taken: over' },
        ],
        'portable plugin create command error: source name random3 already exists',
      );
    } finally {
      await t.request('DELETE', '/plugins/sources/random3');
    }
  });

  test('a native source named like an installed portable source', async () => {
    const zip = await writeZip(zips, 'pp-random3.zip', [
      manifest('pp', { ...GOOD_MANIFEST, sources: ['random3'] }),
      // Installed for real: the executable must run (the Node test plugin serves its manifest's symbols).
      { name: 'run', data: await nodePluginScript(), mode: 0o755 },
      { name: 'sources/random3.yaml', data: 'mine: 1' },
    ]);
    expect((await t.request('POST', '/plugins/portables', { name: 'pp', file: fileUrl(zip) })).status).toBe(
      201,
    );
    try {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') }),
      );
      expectErrorStarting(
        response,
        400,
        'sources plugins create command error: source name random3 already exists',
      );
    } finally {
      await t.request('DELETE', '/plugins/portables/pp');
    }
  });

  test('after all of this the host holds no plugin', async () => {
    expectJson(await t.request('GET', '/plugins/sinks'), '[]');
    expectJson(await t.request('GET', '/plugins/sources'), '[]');
    expectJson(await t.request('GET', '/plugins/portables'), '[]');
    await expectNothingOutside();
  });
});
