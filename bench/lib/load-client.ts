/**
 * Entry point of the load-generator child process (`node --import tsx bench/lib/load-client.ts '<json>'`):
 * keeps `concurrency` keep-alive connections busy with GET (or POST) requests, discards a warm-up, measures for a fixed
 * duration and prints one JSON line (LoadResult). It runs in its own process so that the load and the server
 * under test never share an event loop.
 */
import http from 'node:http';
import type { LoadOptions, LoadResult } from './load.js';
import { percentileOfSorted } from './stats.js';

function requestOnce(
  agent: http.Agent,
  url: URL,
  options: LoadOptions,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolvePromise, reject) => {
    const body = options.method === 'POST' ? Buffer.from(options.body ?? '') : undefined;
    const request = http.request(
      {
        agent,
        method: options.method ?? 'GET',
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers:
          body === undefined
            ? undefined
            : { 'content-type': 'application/json', 'content-length': String(body.length) },
      },
      (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, bytes }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function main(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  let errors = 0;
  let completed = 0;
  let firstError: string | undefined;
  const begin = performance.now();
  const measureFrom = begin + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const sockets = new Set<unknown>();
  agent.on('free', (socket) => sockets.add(socket));

  const lane = async (): Promise<void> => {
    for (;;) {
      const start = performance.now();
      if (start >= measureUntil) return;
      let ok = false;
      try {
        const { status, bytes } = await requestOnce(agent, url, options);
        ok =
          status === options.expectStatus &&
          (options.expectBytes === undefined || bytes === options.expectBytes);
        if (!ok) firstError ??= `status ${status}, ${bytes} bytes`;
      } catch (error) {
        firstError ??= (error as Error).message;
      }
      const end = performance.now();
      completed++;
      if (start >= measureFrom && end <= measureUntil) {
        if (ok) latencies.push(end - start);
        else errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const seconds = options.durationMs / 1000;
  return {
    requests: latencies.length,
    totalRequests: completed,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    requestsPerSecond: latencies.length / seconds,
    latencyMs:
      sorted.length === 0
        ? { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN }
        : {
            p50: percentileOfSorted(sorted, 50),
            p90: percentileOfSorted(sorted, 90),
            p99: percentileOfSorted(sorted, 99),
            max: sorted[sorted.length - 1]!,
            mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
          },
    connections: sockets.size,
  };
}

main(JSON.parse(process.argv[2] ?? '{}') as LoadOptions).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
