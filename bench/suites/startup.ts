import { rm } from 'node:fs/promises';
import type { TempRoot } from '../lib/cleanup.js';
import { populate, type KindCounts } from '../lib/data-folder.js';
import { freePort, spawnHost, spawnHostRaw, stopChild } from '../lib/host-process.js';
import { expectStatus, probe, sleep } from '../lib/http.js';
import { readCpuMs } from '../lib/proc.js';
import type { ResultRow } from '../lib/report.js';
import { median, msSince, round } from '../lib/stats.js';

/** Start-up benchmark settings. */
export interface StartupBenchOptions {
  runs: number;
  /** Plugins per kind in the full data folder. */
  perKind: number;
  pollMs: number;
  goalMs: number;
}

/** Wall-clock and CPU time until the host answered, in milliseconds. */
interface Startup {
  ms: number;
  /** The host's own CPU time when it first answered: steadier than wall time on a busy machine. */
  cpuMs: number;
}

/** Time from spawning the host to its first 200 on /ping, polling every `pollMs` on new connections. */
async function timeStartup(dataDir: string, configHome: string, pollMs: number): Promise<Startup> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/ping`;
  const start = process.hrtime.bigint();
  const child = await spawnHostRaw({ dataDir, configHome, port });
  try {
    for (;;) {
      const attempt = performance.now();
      if ((await probe(url)) === 200) return { ms: msSince(start), cpuMs: readCpuMs(child.pid!) };
      if (child.exitCode !== null) throw new Error(`the host exited with ${child.exitCode} during start-up`);
      if (msSince(start) > 30_000) throw new Error('the host did not answer /ping within 30 s');
      await sleep(Math.max(0, pollMs - (performance.now() - attempt)));
    }
  } finally {
    await stopChild(child);
  }
}

/** Checks that the host found every pre-populated plugin. */
async function checkCounts(dataDir: string, configHome: string, counts: KindCounts): Promise<void> {
  const host = await spawnHost({ dataDir, configHome });
  try {
    for (const [path, expected] of [
      ['/plugins/sources', counts.sources],
      ['/plugins/sinks', counts.sinks],
      ['/plugins/functions', counts.functions],
      ['/plugins/portables', counts.portables],
    ] as const) {
      const found = (JSON.parse((await expectStatus(200, 'GET', `${host.url}${path}`)).text()) as unknown[])
        .length;
      if (found !== expected) throw new Error(`the host lists ${found} at ${path}, expected ${expected}`);
    }
  } finally {
    await host.stop();
  }
}

/**
 * Benchmark 3: start-up over a data folder holding `4 × perKind` plugins (sources, sinks, functions,
 * portables), against start-up over an empty data folder. One untimed start of each first (it also checks
 * the host found every plugin, and lets the empty folder get its layout), then `runs` alternating starts.
 */
export async function startupBench(
  temp: TempRoot,
  configHome: string,
  options: StartupBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const fullDir = await temp.folder('startup-full');
  const emptyDir = await temp.folder('startup-empty');
  const n = options.perKind;
  const counts = await populate(fullDir, { sources: n, sinks: n, functions: n, portables: n });
  const full: Startup[] = [];
  const empty: Startup[] = [];
  try {
    await checkCounts(fullDir, configHome, counts);
    await timeStartup(emptyDir, configHome, options.pollMs);
    for (let i = 0; i < options.runs; i++) {
      full.push(await timeStartup(fullDir, configHome, options.pollMs));
      empty.push(await timeStartup(emptyDir, configHome, options.pollMs));
    }
  } finally {
    await rm(fullDir, { recursive: true, force: true });
    await rm(emptyDir, { recursive: true, force: true });
  }
  const fullMedian = median(full.map((s) => s.ms));
  const emptyMedian = median(empty.map((s) => s.ms));
  const fullCpu = median(full.map((s) => s.cpuMs));
  const emptyCpu = median(empty.map((s) => s.cpuMs));
  const total = 4 * n;
  return {
    rows: [
      {
        name: `start-up with ${total} plugins`,
        measured: { value: fullMedian, unit: 'ms' },
        baseline: { value: emptyMedian, unit: 'ms', label: 'empty data folder' },
        ratio: fullMedian / emptyMedian,
        goal: `< ${options.goalMs} ms`,
        pass: fullMedian < options.goalMs,
      },
      {
        name: `start-up with ${total} plugins: CPU time`,
        measured: { value: fullCpu, unit: 'ms' },
        baseline: { value: emptyCpu, unit: 'ms', label: 'empty data folder' },
        ratio: fullCpu / emptyCpu,
        goal: '—',
        pass: null,
      },
    ],
    details: {
      plugins: counts,
      pollMs: options.pollMs,
      fullMs: full.map((s) => round(s.ms)),
      emptyMs: empty.map((s) => round(s.ms)),
      fullCpuMs: full.map((s) => s.cpuMs),
      emptyCpuMs: empty.map((s) => s.cpuMs),
      fullMedianMs: round(fullMedian),
      emptyMedianMs: round(emptyMedian),
    },
  };
}
