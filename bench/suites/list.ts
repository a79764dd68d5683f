import { rm } from 'node:fs/promises';
import { copyableHeaders, startBareServer } from '../lib/bare.js';
import type { TempRoot } from '../lib/cleanup.js';
import { populate } from '../lib/data-folder.js';
import { spawnHost } from '../lib/host-process.js';
import { expectStatus } from '../lib/http.js';
import { runLoad, summariseLoad, type LoadOptions, type LoadResult } from '../lib/load.js';
import { readCpuMs } from '../lib/proc.js';
import type { ResultRow } from '../lib/report.js';
import { round } from '../lib/stats.js';

/** How the list benchmark loads the servers and what it expects of the host. */
export interface ListBenchOptions {
  plugins: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  goalRatio: number;
  goalP99Ms: number;
}

/** A load run plus the server's CPU time per answered request (warm-up included), in microseconds. */
type Measured = LoadResult & { cpuUsPerRequest: number };

function summarise(result: Measured): Record<string, unknown> {
  return { cpuUsPerRequest: round(result.cpuUsPerRequest), ...summariseLoad(result) };
}

/**
 * Benchmark 2: `GET /plugins/sinks` on a host with `plugins` sinks installed, under keep-alive load from a
 * separate process, against a bare `node:http` server (its own process) answering the same bytes and headers.
 */
export async function listBench(
  temp: TempRoot,
  configHome: string,
  options: ListBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const dataDir = await temp.folder('list-data');
  await populate(dataDir, { sinks: options.plugins });
  const load = async (url: string, expectBytes: number, serverPid: number): Promise<Measured> => {
    const loadOptions: LoadOptions = {
      url,
      concurrency: options.concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      expectStatus: 200,
      expectBytes,
    };
    const cpuBefore = readCpuMs(serverPid);
    const result = await runLoad(loadOptions);
    const cpuMs = readCpuMs(serverPid) - cpuBefore;
    return { ...result, cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, result.totalRequests) };
  };

  const host = await spawnHost({ dataDir, configHome });
  let hostResult: Measured;
  let body: Buffer;
  let headers: Record<string, string>;
  try {
    const answer = await expectStatus(200, 'GET', `${host.url}/plugins/sinks`);
    const names = JSON.parse(answer.text()) as string[];
    if (names.length !== options.plugins) {
      throw new Error(`the host lists ${names.length} sinks, expected ${options.plugins}`);
    }
    body = answer.body;
    headers = copyableHeaders(answer.headers);
    hostResult = await load(`${host.url}/plugins/sinks`, body.length, host.pid);
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const work = await temp.folder('bare');
  const bare = await startBareServer(work, body, 200, headers);
  let bareResult: Measured;
  try {
    bareResult = await load(`${bare.url}/plugins/sinks`, body.length, bare.child.pid!);
  } finally {
    await bare.stop();
    await rm(work, { recursive: true, force: true });
  }

  for (const [who, result] of [
    ['host', hostResult],
    ['bare server', bareResult],
  ] as const) {
    if (result.errors > 0 || result.requests === 0) {
      throw new Error(
        `${who}: ${result.errors} failed requests under load (${result.firstError ?? 'no answers'})`,
      );
    }
  }
  const ratio = hostResult.requestsPerSecond / bareResult.requestsPerSecond;
  const rows: ResultRow[] = [
    {
      name: `list ${options.plugins} sinks: throughput`,
      measured: { value: hostResult.requestsPerSecond, unit: 'req/s' },
      baseline: { value: bareResult.requestsPerSecond, unit: 'req/s', label: 'bare node:http' },
      ratio,
      goal: `≥ ${options.goalRatio}× bare`,
      pass: ratio >= options.goalRatio,
    },
    {
      name: `list ${options.plugins} sinks: server CPU per request`,
      measured: { value: hostResult.cpuUsPerRequest, unit: 'µs' },
      baseline: { value: bareResult.cpuUsPerRequest, unit: 'µs', label: 'bare node:http' },
      ratio: hostResult.cpuUsPerRequest / bareResult.cpuUsPerRequest,
      goal: '—',
      pass: null,
    },
    {
      name: `list ${options.plugins} sinks: p50 latency`,
      measured: { value: hostResult.latencyMs.p50, unit: 'ms' },
      baseline: { value: bareResult.latencyMs.p50, unit: 'ms', label: 'bare node:http' },
      ratio: hostResult.latencyMs.p50 / bareResult.latencyMs.p50,
      goal: '—',
      pass: null,
    },
    {
      name: `list ${options.plugins} sinks: p99 latency`,
      measured: { value: hostResult.latencyMs.p99, unit: 'ms' },
      baseline: { value: bareResult.latencyMs.p99, unit: 'ms', label: 'bare node:http' },
      ratio: hostResult.latencyMs.p99 / bareResult.latencyMs.p99,
      goal: `< ${options.goalP99Ms} ms`,
      pass: hostResult.latencyMs.p99 < options.goalP99Ms,
    },
  ];
  return {
    rows,
    details: {
      responseBytes: body.length,
      responseHeaders: headers,
      concurrency: options.concurrency,
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      host: summarise(hostResult),
      bare: summarise(bareResult),
      ratio: round(ratio, 3),
    },
  };
}
