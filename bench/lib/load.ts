import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { trackChild } from './cleanup.js';
import { PROJECT_ROOT } from './host-process.js';
import { round } from './stats.js';

/** What the load generator does. */
export interface LoadOptions {
  url: string;
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency: number;
  /** Load applied first and not counted (JIT, connection set-up, caches). */
  warmupMs: number;
  /** The measured window; requests that start and end inside it are counted. */
  durationMs: number;
  expectStatus: number;
  /** A response of any other length counts as an error. */
  expectBytes?: number;
  /** `GET` unless given; a POST sends `body` as JSON on every request. */
  method?: 'GET' | 'POST';
  body?: string;
}

/** What the load generator measured. */
export interface LoadResult {
  /** Requests answered inside the measured window. */
  requests: number;
  /** Every request answered, warm-up included (to divide the server's CPU time by). */
  totalRequests: number;
  errors: number;
  firstError?: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Distinct connections used; equal to `concurrency` when keep-alive works. */
  connections: number;
}

/**
 * Runs the load generator (load-client.ts) in a child process against `options.url` and returns its
 * measurements; the child gets its own core's worth of event loop, apart from the bench and the server.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const child = trackChild(
    spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'bench/lib/load-client.ts'), JSON.stringify(options)],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the load generator failed (exit ${code}): ${stderr.trim()}`);
  return JSON.parse(stdout.trim()) as LoadResult;
}

/** A load result for the JSON report: counts, throughput and latencies rounded. */
export function summariseLoad(result: LoadResult): Record<string, unknown> {
  return {
    requests: result.requests,
    errors: result.errors,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
    connections: result.connections,
    requestsPerSecond: round(result.requestsPerSecond),
    latencyMs: Object.fromEntries(
      Object.entries(result.latencyMs).map(([key, value]) => [key, round(value, 2)]),
    ),
  };
}
