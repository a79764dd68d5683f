import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packFolder } from '../../main/authoring/pack/pack-folder.js';
import { uniqueName } from '../../test/support/node-plugin-bundle.js';
import {
  writeSdkFunctionFolder,
  type SdkFunctionFolder,
} from '../../test/support/python-sdk-plugin-folder.js';
import type { TempRoot } from '../lib/cleanup.js';
import { spawnHost, type HostProcess } from '../lib/host-process.js';
import { expectStatus, request, sleep } from '../lib/http.js';
import type { ResultRow } from '../lib/report.js';
import { median, percentileOfSorted, round } from '../lib/stats.js';

export interface DevelopBenchOptions {
  /** Timed saves (and as many baseline updates), after one untimed warm-up of each. */
  saves: number;
  /** How often Try it is called while waiting for the new answer. */
  pollMs: number;
  goalMs: number;
}

/** A Try it answer that gives up: a save that never reaches the plugin must fail the benchmark, not hang it. */
const GIVE_UP_MS = 30_000;

/**
 * Calls the function through Try it until it answers `expected`; resolves with the milliseconds since `since`.
 * While the plugin restarts, calls fail or answer the old result: both mean "not yet".
 */
async function untilAnswer(
  host: HostProcess,
  dev: SdkFunctionFolder,
  expected: string,
  since: number,
  pollMs: number,
): Promise<number> {
  const url = `${host.url}/manager/portables/${dev.plugin}/functions/${dev.function}/call`;
  for (;;) {
    const response = await request('POST', url, { args: ['x'] });
    if (
      response.status === 200 &&
      (JSON.parse(response.text()) as { result?: unknown }).result === expected
    ) {
      return performance.now() - since;
    }
    if (performance.now() - since > GIVE_UP_MS) {
      throw new Error(
        `${dev.plugin} did not answer ${JSON.stringify(expected)} within ${GIVE_UP_MS} ms ` +
          `(last answer ${response.status} ${response.text()})`,
      );
    }
    await sleep(pollMs);
  }
}

/**
 * Waits until the develop session has finished one more build than `before` (polling the session, not the
 * plugin: Try it calls made while an update restarts the plugin can make that update fail, see the report), and
 * throws when that build was refused.
 */
async function untilBuilt(host: HostProcess, id: string, before: number, pollMs: number): Promise<number> {
  const since = performance.now();
  for (;;) {
    const session = JSON.parse((await request('GET', `${host.url}/manager/develop/${id}`)).text()) as {
      builds: number;
      lastBuild?: { result: string; problem?: string };
    };
    if (session.builds > before) {
      if (session.lastBuild?.result === 'refused') {
        throw new Error(`the develop build was refused: ${session.lastBuild.problem ?? ''}`);
      }
      return session.builds;
    }
    if (performance.now() - since > GIVE_UP_MS) throw new Error(`no develop build within ${GIVE_UP_MS} ms`);
    await sleep(pollMs);
  }
}

/** Percentiles of a run, for the report. */
function summary(values: number[]): { p50: number; p95: number; all: number[] } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: median(sorted),
    p95: percentileOfSorted(sorted, 95),
    all: values.map((value) => round(value)),
  };
}

/**
 * Develop mode's promise: a save of a Python plugin reaches Try it in under 2 s. Measured on the built host with a
 * folder on eKuiper's Python SDK (and the tests' pynng stand-in) in develop mode: from writing a changed
 * `answer.py` to Try it answering the new result (watch, debounce, pack, update, the plugin's start, the
 * first call). The baseline, in alternating rounds of the same run, is the plain update a script makes: a
 * zip packed beforehand (untimed) sent with `PUT /plugins/portables/{name}`, to Try it answering.
 */
export async function developBench(
  temp: TempRoot,
  configHome: string,
  options: DevelopBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const dataDir = await temp.folder('develop-data');
  const folders = await temp.folder('develop-folders');
  const host = await spawnHost({ dataDir, configHome });
  try {
    const watched = await writeSdkFunctionFolder(join(folders, uniqueName('dev')), uniqueName('answer'));
    const plain = await writeSdkFunctionFolder(join(folders, uniqueName('plain')), uniqueName('answer'));
    const started = await expectStatus(201, 'POST', `${host.url}/manager/develop`, {
      folder: watched.folder,
    });
    const session = JSON.parse(started.text()) as { id: string; builds: number };
    let builds = session.builds;
    const zips = await temp.folder('develop-zips');
    const plainUpdate = async (prefix: string): Promise<number> => {
      await plain.saveAnswer(prefix);
      const zip = await packedZip(plain, zips, prefix.trim());
      const since = performance.now();
      const response = await request('PUT', `${host.url}/plugins/portables/${plain.plugin}`, {
        name: plain.plugin,
        file: pathToFileURL(zip).href,
      });
      if (response.status !== 200) throw new Error(`updating ${plain.plugin}: ${response.text()}`);
      return untilAnswer(host, plain, `${prefix}x`, since, options.pollMs);
    };
    await expectStatus(201, 'POST', `${host.url}/plugins/portables`, {
      name: plain.plugin,
      file: pathToFileURL(await packedZip(plain, zips, 'first')).href,
    });
    const developSave = async (prefix: string): Promise<number> => {
      const since = performance.now();
      await watched.saveAnswer(prefix);
      builds = await untilBuilt(host, session.id, builds, options.pollMs);
      return untilAnswer(host, watched, `${prefix}x`, since, options.pollMs);
    };

    await developSave('warm ');
    await plainUpdate('warm ');
    const develop: number[] = [];
    const baseline: number[] = [];
    for (let save = 1; save <= options.saves; save++) {
      develop.push(await developSave(`s${save} `));
      baseline.push(await plainUpdate(`p${save} `));
    }
    await expectStatus(200, 'DELETE', `${host.url}/manager/develop/${session.id}`);

    const saved = summary(develop);
    const plainRun = summary(baseline);
    const percentiles = ['p50', 'p95'] as const;
    const rows: ResultRow[] = [
      ...percentiles.map((p): ResultRow => ({
        name: `develop: save → Try it (${p})`,
        measured: { value: round(saved[p]), unit: 'ms' },
        baseline: { value: round(plainRun[p]), unit: 'ms', label: `PUT update → Try it, ${p}` },
        ratio: round(saved[p] / plainRun[p], 2),
        goal: `< ${options.goalMs / 1000} s`,
        pass: saved[p] < options.goalMs,
      })),
      {
        name: 'develop: added by watch + debounce + pack (p50)',
        measured: { value: round(saved.p50 - plainRun.p50), unit: 'ms' },
        goal: 'info',
        pass: null,
      },
    ];
    return {
      rows,
      details: {
        saves: options.saves,
        pollMs: options.pollMs,
        developMs: saved.all,
        baselineMs: plainRun.all,
      },
    };
  } finally {
    await host.stop();
  }
}

/** The folder packed as it is now (with the Package part's `packFolder`), written beside the other zips. */
async function packedZip(dev: SdkFunctionFolder, zips: string, label: string): Promise<string> {
  const packed = await packFolder(dev.folder);
  if (packed.zip === undefined) throw new Error(`packing ${dev.folder}: ${JSON.stringify(packed.problems)}`);
  const zip = join(zips, `${dev.plugin}-${label}.zip`);
  await writeFile(zip, packed.zip);
  return zip;
}
