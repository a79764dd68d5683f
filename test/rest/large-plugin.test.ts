import { nodePluginScript } from '../support/node-plugin-bundle.js';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { PluginDetails, PluginKind, PluginOverview, PluginRecord } from '../../shared/plugin-dto.js';
import { snapshotTree } from '../support/data-snapshot.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import type { TestZipEntry } from '../support/zip-writer.js';
import { expectText, writeZip, zipFolder } from './rest-helpers.js';

// A plugin of realistic size: 2,000 files, 50 MB, incompressible.

const FILES = 2000;
const FILE_BYTES = 25 * 1024;

let t: TestHost;
let zips: string;
beforeAll(async () => {
  t = await startTestHost();
  zips = await zipFolder();
});
afterAll(async () => {
  await t.close();
  await rm(zips, { recursive: true, force: true });
});

/** A plugin's whole install record, from its details; the list's lean row must agree with it. */
async function record(kind: PluginKind, name: string): Promise<PluginRecord> {
  const details = (await t.request('GET', `/manager/plugins/${kind}/${name}`)).json<PluginDetails>();
  expect(details.record).toBeTruthy();
  const rows = (await t.request('GET', '/manager/plugins')).json<PluginOverview[]>();
  const row = rows.find((candidate) => candidate.kind === kind && candidate.name === name);
  expect(row?.record).toMatchObject({
    source: details.record!.source,
    zipBytes: details.record!.zipBytes,
    installedBytes: details.record!.installedBytes,
  });
  return details.record!;
}

test('a 50 MB portable plugin of 2,000 files installs, with size, sha256 and installed bytes recorded', async () => {
  const manifest = JSON.stringify({ version: 'v9', language: 'go', executable: 'big', functions: ['bigfn'] });
  // The executable runs at install: the Node test plugin, which serves the manifest's function.
  const executable = Buffer.from(await nodePluginScript());
  const entries: TestZipEntry[] = [
    { name: 'big.json', data: manifest },
    { name: 'big', data: executable, method: 'store', mode: 0o755 },
    { name: 'lib/' },
  ];
  for (let i = 0; i < FILES - 2; i++) {
    entries.push({
      name: `lib/part-${String(i).padStart(4, '0')}.bin`,
      data: randomBytes(FILE_BYTES),
      method: 'store',
    });
  }
  const zip = await writeZip(zips, 'big.zip', entries);
  const zipBytes = await readFile(zip);
  expect(zipBytes.length).toBeGreaterThan(50 * 1000 * 1000);
  const before = await snapshotTree(t.dataDir);

  const started = Date.now();
  const response = await t.request('POST', '/plugins/portables', { name: 'big', file: fileUrl(zip) });
  const took = Date.now() - started;
  expectText(response, 201, 'portable plugin big is created');
  expect(took).toBeLessThan(20_000);

  const lib = await readdir(join(t.dataDir, 'plugins/portable/big/lib'));
  expect(lib.length).toBe(FILES - 2);
  const sample = await readFile(join(t.dataDir, 'plugins/portable/big/lib/part-1234.bin'));
  expect(sample.equals(entries.find((entry) => entry.name === 'lib/part-1234.bin')!.data as Buffer)).toBe(
    true,
  );
  expect((await stat(join(t.dataDir, 'plugins/portable/big/big'))).mode & 0o111).not.toBe(0);

  expect(await record('portables', 'big')).toMatchObject({
    kind: 'portables',
    name: 'big',
    source: fileUrl(zip),
    zipBytes: zipBytes.length,
    zipSha256: createHash('sha256').update(zipBytes).digest('hex'),
    installedBytes: Buffer.byteLength(manifest) + executable.length + (FILES - 2) * FILE_BYTES,
  });

  expect((await t.request('DELETE', '/plugins/portables/big')).status).toBe(200);
  expect(await snapshotTree(t.dataDir)).toEqual(before);
});

test('installedBytes counts what stays installed, copies included, not the install.sh workspace', async () => {
  const zip = await writeZip(zips, 'ws.zip', [
    { name: 'ws.so', data: Buffer.alloc(10, 1) },
    { name: 'etc/conf.txt', data: Buffer.alloc(5, 2) },
    { name: 'lib/helper.bin', data: Buffer.alloc(1000, 3) },
    { name: 'install.sh', data: 'exit 0\n' },
  ]);
  expectText(
    await t.request('POST', '/plugins/sinks', { name: 'ws', file: fileUrl(zip) }),
    201,
    'sinks plugin ws is created',
  );
  // ws.so once, etc/conf.txt to etc/sinks/ws/ and data/sinks/ws/.
  expect((await record('sinks', 'ws')).installedBytes).toBe(10 + 2 * 5);

  const comp = join(TEST_ZIPS, 'functions/comp.zip');
  expect((await t.request('POST', '/plugins/functions', { name: 'comp', file: fileUrl(comp) })).status).toBe(
    201,
  );
  const compRecord = await record('functions', 'comp');
  expect(compRecord.installedBytes).toBe((await stat(join(t.dataDir, 'plugins/functions/Comp.so'))).size);
  expect(compRecord.zipBytes).toBe((await stat(comp)).size);
});
