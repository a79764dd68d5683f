import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TempRoot } from '../lib/cleanup.js';
import { run } from '../lib/command.js';
import { spawnHost, type HostProcess } from '../lib/host-process.js';
import { expectStatus } from '../lib/http.js';
import { readChildrenCpuMs, readCpuMs } from '../lib/proc.js';
import type { ResultRow } from '../lib/report.js';
import { median, msSince, round } from '../lib/stats.js';
import { makePluginZip, type PluginTreeOptions } from '../lib/zip-fixtures.js';
import { unzipSync } from 'fflate';
import { FIXTURES } from '../../test/support/host-harness.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../../test/support/test-lock.js';

/** Options shared by both install benchmarks. */
export interface InstallBenchOptions {
  runs: number;
  goalRatio: number;
}

/** The plugin shape both variants share: ~50 MB in 2,000 files over 20 folders, 2 of them under etc/. */
export const TREE: Omit<PluginTreeOptions, 'seed' | 'libraryName'> = {
  libraryBytes: 3 * 1024 * 1024,
  files: 2000,
  folders: 20,
  etcFolders: 2,
  minFileBytes: 16 * 1024,
  maxFileBytes: 32 * 1024,
};

interface Variant {
  label: string;
  /** Where it is installed and deleted. */
  collection: string;
  name: string;
  tree: PluginTreeOptions;
  /**
   * A portable plugin must really start (the host runs it at install): it carries the fixtures' runnable Go
   * plugin (`mirror`, built with eKuiper's Go SDK like most portable plugins) beside the big generated library.
   */
  runnable?: boolean;
  /** Files the install must leave in place, relative to the data folder, with their count. */
  expected: (etcFiles: number, fileCount: number) => Array<[string, number]>;
}

/** mirror's compiled-in names: the plugin must be called `mirror`; its function is `echo`. */
const PORTABLE_MANIFEST = JSON.stringify({
  version: 'v1',
  language: 'go',
  executable: 'mirror2',
  functions: ['echo'],
});

/** The Go executable from the fixtures' runnable `portable/mirror.zip`. */
async function mirrorExecutable(): Promise<Uint8Array> {
  const entries = unzipSync(await readFile(join(FIXTURES, 'portable/mirror.zip')), {
    filter: (entry) => entry.name === 'mirror2',
  });
  const executable = entries.mirror2;
  if (executable === undefined) throw new Error('portable/mirror.zip has no mirror2');
  return executable;
}

const VARIANTS: Variant[] = [
  {
    label: 'native sink',
    collection: 'plugins/sinks',
    name: 'big',
    tree: { ...TREE, seed: 'native-sink', libraryName: 'big.so' },
    // The library, plus etc/ files under both etc/sinks/big/ and data/sinks/big/; the rest is dropped.
    expected: (etcFiles) => [
      ['plugins/sinks', 1],
      ['etc/sinks/big', etcFiles],
      ['data/sinks/big', etcFiles],
    ],
  },
  {
    label: 'portable',
    collection: 'plugins/portables',
    name: 'mirror',
    tree: {
      ...TREE,
      seed: 'portable',
      libraryName: 'bigport.bin',
      extraRootFiles: { 'mirror.json': PORTABLE_MANIFEST },
    },
    runnable: true,
    expected: (_etc, fileCount) => [['plugins/portable/mirror', fileCount]],
  },
];

async function countFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

/** `sync` before each timed step, so dirty pages from the previous step are not flushed during this one. */
async function settleDisk(): Promise<void> {
  await run('sync', []);
}

/** Wall-clock and CPU time of one timed step, in milliseconds. */
interface Timing {
  ms: number;
  cpuMs: number;
}

async function timeRestInstall(host: HostProcess, variant: Variant, zipPath: string): Promise<Timing> {
  await settleDisk();
  const cpuBefore = readCpuMs(host.pid);
  const start = process.hrtime.bigint();
  await expectStatus(201, 'POST', `${host.url}/${variant.collection}`, {
    name: variant.name,
    file: `file://${zipPath}`,
  });
  const ms = msSince(start);
  return { ms, cpuMs: readCpuMs(host.pid) - cpuBefore };
}

async function timeUnzip(temp: TempRoot, zipPath: string): Promise<Timing> {
  const target = await temp.folder('unzip');
  await settleDisk();
  const cpuBefore = readChildrenCpuMs();
  const start = process.hrtime.bigint();
  await run('unzip', ['-q', zipPath, '-d', target]);
  const ms = msSince(start);
  const cpuMs = readChildrenCpuMs() - cpuBefore;
  await rm(target, { recursive: true, force: true });
  return { ms, cpuMs };
}

/**
 * Benchmark 1: installs a ~50 MB, 2,000-file plugin zip through REST (`file://` URL) into the built host and
 * compares the median with `unzip -q` of the same zip into a fresh folder. One untimed warm-up of each (it
 * also checks the install put every file in place), then `runs` alternating timed runs; the plugin is
 * deleted over REST between runs (not timed).
 */
export async function installBench(
  temp: TempRoot,
  configHome: string,
  options: InstallBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  for (const variant of VARIANTS) {
    const work = await temp.folder(`zip-${variant.name}`);
    const tree = variant.runnable
      ? {
          ...variant.tree,
          extraRootFiles: { ...variant.tree.extraRootFiles, mirror2: await mirrorExecutable() },
        }
      : variant.tree;
    const zip = await makePluginZip(work, join(work, `${variant.name}.zip`), tree);
    const dataDir = await temp.folder(`install-data-${variant.name}`);
    // mirror dials fixed socket names (`/tmp/plugin_mirror.ipc`): wait until no test on the machine runs it,
    // or the install fails with "in use by another program", as the tests that run it do.
    const releaseMirror = variant.runnable ? await acquireTestLock('mirror', LOCK_WAIT_MS) : undefined;
    const host = await spawnHost({ dataDir, configHome }).catch(async (error: unknown) => {
      await releaseMirror?.();
      throw error;
    });
    const rest: Timing[] = [];
    const unzip: Timing[] = [];
    try {
      const remove = () => expectStatus(200, 'DELETE', `${host.url}/${variant.collection}/${variant.name}`);
      // Warm-up, and proof that the install did the whole job.
      await timeRestInstall(host, variant, zip.path);
      for (const [folder, count] of variant.expected(zip.tree.etcFiles, zip.tree.fileCount)) {
        const found = await countFiles(join(dataDir, folder));
        if (found !== count)
          throw new Error(`${variant.label} install left ${found} files in ${folder}, expected ${count}`);
      }
      await remove();
      await timeUnzip(temp, zip.path);
      for (let i = 0; i < options.runs; i++) {
        rest.push(await timeRestInstall(host, variant, zip.path));
        await remove();
        unzip.push(await timeUnzip(temp, zip.path));
      }
    } finally {
      await host.stop();
      await releaseMirror?.();
      await rm(dataDir, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    }
    const restMedian = median(rest.map((t) => t.ms));
    const unzipMedian = median(unzip.map((t) => t.ms));
    const ratio = restMedian / unzipMedian;
    const restCpu = median(rest.map((t) => t.cpuMs));
    const unzipCpu = median(unzip.map((t) => t.cpuMs));
    rows.push({
      name: `install 50 MB ${variant.label} (REST)`,
      measured: { value: restMedian, unit: 'ms' },
      baseline: { value: unzipMedian, unit: 'ms', label: 'unzip -q' },
      ratio,
      goal: `≤ ${options.goalRatio}× unzip`,
      pass: ratio <= options.goalRatio,
    });
    rows.push({
      name: `install 50 MB ${variant.label}: CPU time`,
      measured: { value: restCpu, unit: 'ms' },
      baseline: { value: unzipCpu, unit: 'ms', label: 'unzip -q' },
      ratio: restCpu / unzipCpu,
      goal: '—',
      pass: null,
    });
    details[variant.name] = {
      zip: { bytes: zip.bytes, sha256: zip.sha256, entries: zip.entries, inflatedBytes: zip.inflatedBytes },
      tree: zip.tree,
      restMs: rest.map((t) => round(t.ms)),
      unzipMs: unzip.map((t) => round(t.ms)),
      // Host CPU includes its worker thread and the sha256 of the zip computed alongside the extraction.
      restCpuMs: rest.map((t) => t.cpuMs),
      unzipCpuMs: unzip.map((t) => t.cpuMs),
      restMedianMs: round(restMedian),
      unzipMedianMs: round(unzipMedian),
      ratio: round(ratio, 3),
    };
  }
  return { rows, details };
}
