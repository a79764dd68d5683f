import { rm } from 'node:fs/promises';
import { copyableHeaders, startBareServer } from '../lib/bare.js';
import type { TempRoot } from '../lib/cleanup.js';
import { spawnHost, type HostProcess } from '../lib/host-process.js';
import { expectStatus, request } from '../lib/http.js';
import { runLoad, summariseLoad, type LoadOptions, type LoadResult } from '../lib/load.js';
import type { ResultRow } from '../lib/report.js';
import { round } from '../lib/stats.js';

/** How the JavaScript function benchmark loads the host and what it expects. */
export interface JavascriptBenchOptions {
  /** Functions created before the list is loaded. */
  functions: number;
  /** Creates in flight at once while filling the host. */
  createConcurrency: number;
  callConcurrency: number;
  listConcurrency: number;
  warmupMs: number;
  durationMs: number;
  goalCallsPerSecond: number;
  goalListP99Ms: number;
}

const MULTIPLY = { id: 'mul', description: 'a times b', script: 'function mul(a, b) { return a * b; }' };
const CALL_BODY = JSON.stringify({ args: [6, 7] });

/** The measured load on the host and on the bare server that answers the host's bytes. */
interface Pair {
  host: LoadResult;
  bare: LoadResult;
  bytes: number;
}

function assertClean(who: string, result: LoadResult): void {
  if (result.errors > 0 || result.requests === 0) {
    throw new Error(
      `${who}: ${result.errors} failed requests under load (${result.firstError ?? 'no answers'})`,
    );
  }
}

/**
 * Loads `path` on the host, then a bare node:http server (its own process) that answers the same bytes and
 * headers: the host's numbers next to what Node itself allows on this machine in the same run.
 */
async function measureBesideBare(
  temp: TempRoot,
  host: HostProcess,
  load: Omit<LoadOptions, 'url' | 'expectStatus' | 'expectBytes'>,
  path: string,
): Promise<Pair> {
  const sample = await request(
    load.method ?? 'GET',
    `${host.url}${path}`,
    load.body && JSON.parse(load.body),
  );
  if (sample.status !== 200)
    throw new Error(`${path} answered ${sample.status}: ${sample.text().slice(0, 300)}`);
  const hostResult = await runLoad({ ...load, url: `${host.url}${path}`, expectStatus: 200 });
  assertClean(`host ${path}`, hostResult);
  const work = await temp.folder('bare-javascript');
  const bare = await startBareServer(work, sample.body, 200, copyableHeaders(sample.headers));
  try {
    const bareResult = await runLoad({
      ...load,
      url: `${bare.url}${path}`,
      expectStatus: 200,
      expectBytes: sample.body.length,
    });
    assertClean(`bare server ${path}`, bareResult);
    return { host: hostResult, bare: bareResult, bytes: sample.body.length };
  } finally {
    await bare.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** Creates `count` functions through `POST /udf/javascript`, `concurrency` at a time; returns the milliseconds. */
async function createFunctions(host: HostProcess, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const begin = performance.now();
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const id = `f${String(index).padStart(4, '0')}`;
      await expectStatus(201, 'POST', `${host.url}/udf/javascript`, {
        id,
        description: `function number ${index}`,
        script: `function ${id}(a, b) { return a + b + ${index}; }`,
        isAgg: false,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return performance.now() - begin;
}

/**
 * Custom JavaScript functions on the host: `Try it` calls of `a*b` (each in a fresh QuickJS runtime on the
 * sandbox's worker, as each eKuiper function instance has its own engine), then `count` functions created and
 * `GET /udf/javascript` under load. Each load is measured beside a bare node:http server answering the same bytes.
 */
export async function javascriptBench(
  temp: TempRoot,
  configHome: string,
  options: JavascriptBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const dataDir = await temp.folder('javascript-data');
  const host = await spawnHost({ dataDir, configHome });
  let call: Pair;
  let list: Pair;
  let createMs: number;
  try {
    await expectStatus(201, 'POST', `${host.url}/udf/javascript`, { ...MULTIPLY, isAgg: false });
    const answer = await expectStatus(200, 'POST', `${host.url}/manager/udf/javascript/mul/call`, {
      args: [6, 7],
    });
    const { result } = JSON.parse(answer.text()) as { result: unknown };
    if (result !== 42) throw new Error(`mul(6, 7) answered ${JSON.stringify(result)}, expected 42`);
    call = await measureBesideBare(
      temp,
      host,
      {
        method: 'POST',
        body: CALL_BODY,
        concurrency: options.callConcurrency,
        warmupMs: options.warmupMs,
        durationMs: options.durationMs,
      },
      '/manager/udf/javascript/mul/call',
    );
    await expectStatus(200, 'DELETE', `${host.url}/udf/javascript/mul`);
    createMs = await createFunctions(host, options.functions, options.createConcurrency);
    const listed = JSON.parse(
      (await expectStatus(200, 'GET', `${host.url}/udf/javascript`)).text(),
    ) as string[];
    if (listed.length !== options.functions) {
      throw new Error(`the host lists ${listed.length} functions, expected ${options.functions}`);
    }
    list = await measureBesideBare(
      temp,
      host,
      {
        concurrency: options.listConcurrency,
        warmupMs: options.warmupMs,
        durationMs: options.durationMs,
      },
      '/udf/javascript',
    );
  } finally {
    await host.stop();
    await rm(dataDir, { recursive: true, force: true });
  }

  const callsPerSecond = call.host.requestsPerSecond;
  const rows: ResultRow[] = [
    {
      name: 'JavaScript a*b through Try it: calls',
      measured: { value: callsPerSecond, unit: 'calls/s' },
      baseline: { value: call.bare.requestsPerSecond, unit: 'req/s', label: 'bare node:http, same answer' },
      ratio: callsPerSecond / call.bare.requestsPerSecond,
      goal: `≥ ${options.goalCallsPerSecond} calls/s`,
      pass: callsPerSecond >= options.goalCallsPerSecond,
    },
    {
      name: 'JavaScript a*b through Try it: p99 latency',
      measured: { value: call.host.latencyMs.p99, unit: 'ms' },
      baseline: { value: call.bare.latencyMs.p99, unit: 'ms', label: 'bare node:http, same answer' },
      ratio: call.host.latencyMs.p99 / call.bare.latencyMs.p99,
      goal: '—',
      pass: null,
    },
    {
      name: `create ${options.functions} JavaScript functions: per function`,
      measured: { value: createMs / options.functions, unit: 'ms' },
      baseline: { value: call.host.latencyMs.p50, unit: 'ms', label: 'one Try it call (p50)' },
      ratio: createMs / options.functions / call.host.latencyMs.p50,
      goal: '—',
      pass: null,
    },
    {
      name: `list ${options.functions} JavaScript functions: p99 latency`,
      measured: { value: list.host.latencyMs.p99, unit: 'ms' },
      baseline: { value: list.bare.latencyMs.p99, unit: 'ms', label: 'bare node:http' },
      ratio: list.host.latencyMs.p99 / list.bare.latencyMs.p99,
      goal: `< ${options.goalListP99Ms} ms`,
      pass: list.host.latencyMs.p99 < options.goalListP99Ms,
    },
    {
      name: `list ${options.functions} JavaScript functions: throughput`,
      measured: { value: list.host.requestsPerSecond, unit: 'req/s' },
      baseline: { value: list.bare.requestsPerSecond, unit: 'req/s', label: 'bare node:http' },
      ratio: list.host.requestsPerSecond / list.bare.requestsPerSecond,
      goal: '—',
      pass: null,
    },
  ];
  return {
    rows,
    details: {
      call: { host: summariseLoad(call.host), bare: summariseLoad(call.bare), responseBytes: call.bytes },
      create: { functions: options.functions, concurrency: options.createConcurrency, ms: round(createMs) },
      list: { host: summariseLoad(list.host), bare: summariseLoad(list.bare), responseBytes: list.bytes },
    },
  };
}
