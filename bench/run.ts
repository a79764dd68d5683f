/**
 * `npm run bench` (through scripts/bench.mjs, which builds the host first when needed): runs every benchmark
 * against the built host in child processes, prints a table and writes bench-results/*.json.
 * Flags: `--only install,list,startup,upload,page,portable,fleet,javascript,develop` to run some; `--quick` for fewer, shorter runs while developing.
 * The exit code is 0 even when a goal fails (the run is a report); it is 1 only when a benchmark cannot run.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { installCleanupHandlers, TempRoot } from './lib/cleanup.js';
import { BusyWatch, type BusyReport } from './lib/machine.js';
import { PROJECT_ROOT } from './lib/host-process.js';
import { formatTable, writeReport, type ResultRow } from './lib/report.js';
import { MIB, round } from './lib/stats.js';
import { developBench } from './suites/develop.js';
import { fleetBench } from './suites/fleet.js';
import { installBench } from './suites/install.js';
import { javascriptBench } from './suites/javascript.js';
import { listBench } from './suites/list.js';
import { pageBench } from './suites/page.js';
import { portableBench } from './suites/portable.js';
import { startupBench } from './suites/startup.js';
import { uploadBench } from './suites/upload.js';

type Suite =
  'install' | 'list' | 'startup' | 'upload' | 'page' | 'portable' | 'fleet' | 'javascript' | 'develop';
const SUITES: Suite[] = [
  'install',
  'list',
  'startup',
  'upload',
  'page',
  'portable',
  'fleet',
  'javascript',
  'develop',
];

function gitState(): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const only = values.only === undefined ? SUITES : (values.only.split(',') as Suite[]);
  const unknown = only.filter((name) => !SUITES.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  const quick = values.quick;
  const runs = quick ? 2 : 5;

  installCleanupHandlers();
  const temp = TempRoot.create();
  const configHome = await temp.folder('xdg-config');
  const startedAt = new Date();
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const failures: string[] = [];
  const busy: Record<string, BusyReport> = {};
  const time = async (
    suite: Suite,
    body: () => Promise<{ rows: ResultRow[]; details: Record<string, unknown> }>,
  ) => {
    if (!only.includes(suite)) return;
    process.stdout.write(`• ${suite} … `);
    const begin = performance.now();
    const watch = new BusyWatch();
    try {
      const result = await body();
      busy[suite] = watch.stop();
      rows.push(...result.rows);
      details[suite] = { ...result.details, seconds: round((performance.now() - begin) / 1000) };
      process.stdout.write(`${((performance.now() - begin) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      watch.stop();
      process.stdout.write('ERROR\n');
      console.error(error);
      failures.push(`${suite}: ${(error as Error).message}`);
    }
  };

  console.log(
    `eKuiper Extension Manager benchmarks — node ${process.version}, ${cpus().length} CPU(s), temp ${temp.path}`,
  );
  try {
    await time('install', () => installBench(temp, configHome, { runs, goalRatio: 1.5 }));
    await time('list', () =>
      listBench(temp, configHome, {
        plugins: 1000,
        concurrency: 32,
        warmupMs: 1000,
        durationMs: quick ? 2000 : 5000,
        goalRatio: 0.5,
        goalP99Ms: 20,
      }),
    );
    await time('startup', () =>
      startupBench(temp, configHome, { runs, perKind: 250, pollMs: 5, goalMs: 1000 }),
    );
    await time('upload', () =>
      uploadBench(temp, configHome, { bytes: 200 * MIB, sampleEveryMs: 20, goalGrowthMiB: 64 }),
    );
    await time('page', () =>
      pageBench(temp, configHome, {
        plugins: 5000,
        baselinePlugins: 10,
        runs: quick ? 3 : 7,
        keystrokes: quick ? 8 : 20,
        goalLoadMs: 1500,
        goalKeystrokeMs: 100,
      }),
    );
    await time('portable', () =>
      portableBench(temp, { warmupMs: 500, durationMs: quick ? 2000 : 5000, goalRatio: 0.5 }),
    );
    await time('fleet', () =>
      fleetBench(temp, configHome, {
        plugins: 1000,
        concurrency: 32,
        warmupMs: 1000,
        durationMs: quick ? 2000 : 5000,
        goalThroughputRatio: 0.7,
        goalAddedP99Ms: 5,
        runs: quick ? 2 : 3,
        hosts: 5,
        goalInstallRatio: 2.5,
        memoryZipBytes: 200 * MIB,
        sampleEveryMs: 20,
        goalGrowthMiB: 64,
      }),
    );
    await time('javascript', () =>
      javascriptBench(temp, configHome, {
        functions: 1000,
        createConcurrency: 8,
        callConcurrency: 8,
        listConcurrency: 32,
        warmupMs: 1000,
        durationMs: quick ? 2000 : 5000,
        goalCallsPerSecond: 2000,
        goalListP99Ms: 20,
      }),
    );
    await time('develop', () =>
      developBench(temp, configHome, { saves: quick ? 5 : 10, pollMs: 10, goalMs: 2000 }),
    );
  } finally {
    await temp.remove();
  }

  const finishedAt = new Date();
  console.log(`\n${formatTable(rows)}\n`);
  const failed = rows.filter((row) => row.pass === false).map((row) => row.name);
  if (failed.length > 0) console.log(`FAIL: ${failed.length} goal(s) not met: ${failed.join('; ')}`);
  else if (rows.length > 0) console.log('All goals met.');
  for (const failure of failures) console.log(`ERROR (benchmark did not complete): ${failure}`);
  // The load average counts runnable tasks, the bench's own included (up to ~3 processes at once here).
  const crowded = Object.entries(busy).filter(([, report]) => report.maxLoad > report.cpus + 1);
  if (crowded.length > 0) {
    const list = crowded.map(([suite, report]) => `${suite} (load ${report.maxLoad.toFixed(1)})`).join(', ');
    console.log(
      `WARNING: other programs competed for the ${cpus().length} CPU(s) during ${list}: timings are noisy; ` +
        `trust the ratios (measured beside their baselines) more than absolute numbers, or run again when idle.`,
    );
  }

  const file = await writeReport(join(PROJECT_ROOT, 'bench-results'), {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    quick,
    machine: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryMiB: Math.round(totalmem() / MIB),
      loadAverage: loadavg().map((value) => round(value, 2)),
    },
    git: gitState(),
    rows,
    failedGoals: failed,
    errors: failures,
    busy: Object.fromEntries(
      Object.entries(busy).map(([suite, report]) => [
        suite,
        { cpuBusy: round(report.cpuBusy, 2), maxLoad: report.maxLoad, cpus: report.cpus },
      ]),
    ),
    details,
  });
  console.log(`Results: ${file}`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
