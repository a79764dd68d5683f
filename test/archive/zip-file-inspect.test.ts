import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { inspectZipFile } from '../../main/archive/zip-file-inspect.js';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import { inspectZip } from '../../shared/zip-inspect.js';
import { FIXTURES, TEST_ZIPS } from '../support/host-harness.js';
import { buildZip } from '../support/zip-writer.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ekm-zip-file-inspect-'));
  // A portable whose manifest sits in a top folder, one with a manifest too large to read, and an encrypted one.
  await writeFile(
    join(folder, 'nested.zip'),
    buildZip([
      { name: 'nested/' },
      { name: 'nested/nested.json', data: '{"language":"go","executable":"run","functions":["f"]}' },
      { name: 'nested/run', data: '#!/bin/sh\n', mode: 0o755 },
    ]),
  );
  await writeFile(
    join(folder, 'huge.zip'),
    buildZip([{ name: 'huge.json', data: `{"x":"${'a'.repeat(1024 * 1024 + 10)}"}` }]),
  );
  await writeFile(
    join(folder, 'locked.zip'),
    buildZip([{ name: 'locked.json', data: '{}', encrypted: true }]),
  );
});
afterAll(async () => rm(folder, { recursive: true, force: true }));

const cases: Array<[string, PluginKind, string | undefined]> = [
  [join(TEST_ZIPS, 'sources/random2.zip'), 'sources', 'random2'],
  [join(TEST_ZIPS, 'sources/random3.zip'), 'sources', undefined],
  [join(TEST_ZIPS, 'sources/zipMissConf.zip'), 'sources', 'zipMissConf'],
  [join(TEST_ZIPS, 'sources/invalidZip.zip'), 'sinks', 'x'],
  [join(TEST_ZIPS, 'sinks/zipWrongName.zip'), 'sinks', 'zipWrongName'],
  [join(TEST_ZIPS, 'functions/comp.zip'), 'functions', 'comp'],
  [join(TEST_ZIPS, 'portables/mirror.zip'), 'portables', 'mirror2'],
  [join(TEST_ZIPS, 'portables/wrong.zip'), 'portables', 'wrong'],
  [join(FIXTURES, 'portable/mirror.zip'), 'portables', undefined],
  ['nested.zip', 'portables', undefined],
  ['huge.zip', 'portables', 'huge'],
  ['locked.zip', 'portables', 'locked'],
];

test.each(cases)(
  '%s as %s: the same inspection as the window makes from its bytes',
  async (file, kind, name) => {
    const path = file.includes('/') ? file : join(folder, file);
    const fromBytes = inspectZip(new Uint8Array(await readFile(path)), kind, name, {
      fileName: basename(path),
    });
    expect(await inspectZipFile(path, kind, name)).toEqual(fromBytes);
  },
);
