import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { TempRoot } from '../lib/cleanup.js';
import { startBareProxy } from '../lib/bare.js';
import { run } from '../lib/command.js';
import { populate } from '../lib/data-folder.js';
import { spawnHost, type HostProcess } from '../lib/host-process.js';
import { expectStatus, sleep } from '../lib/http.js';
import { runLoad, summariseLoad, type LoadResult } from '../lib/load.js';
import { readCpuMs, readMemory, RssSampler } from '../lib/proc.js';
import type { ResultRow } from '../lib/report.js';
import { MIB, median, msSince, round } from '../lib/stats.js';
import { makeLargeZip, makePluginZip, type ZipFixture } from '../lib/zip-fixtures.js';
import type { FleetPluginAnswer, ServerInfo } from '../../shared/server-dto.js';
import { TREE } from './install.js';

/** Fleet benchmark settings. */
export interface FleetBenchOptions {
  /** Forwarding: sinks on the server, load connections, warm-up and measured time, goals. */
  plugins: number;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  goalThroughputRatio: number;
  goalAddedP99Ms: number;
  /** Fleet install: timed runs, hosts, goal (fleet to all ÷ one install). */
  runs: number;
  hosts: number;
  goalInstallRatio: number;
  /** Memory: the zip's size, RSS sampling, goal. */
  memoryZipBytes: number;
  sampleEveryMs: number;
  goalGrowthMiB: number;
}

/**
 * A built host that knows `servers`: started with a settings folder of its own (its servers.json), the servers
 * added through `POST /manager/servers` and each checked once, so the background check is not part of a run.
 */
async function spawnFleetHost(
  dataDir: string,
  configHome: string,
  servers: Array<{ name: string; url: string }>,
): Promise<{ host: HostProcess; ids: string[] }> {
  const host = await spawnHost({ dataDir, configHome });
  const ids: string[] = [];
  try {
    for (const server of servers) {
      const added = await expectStatus(201, 'POST', `${host.url}/manager/servers`, {
        name: server.name,
        kind: 'ekuiper',
        url: server.url,
        auth: { type: 'none' },
      });
      const id = (JSON.parse(added.text()) as ServerInfo).id;
      await expectStatus(200, 'POST', `${host.url}/manager/servers/${id}/check`);
      ids.push(id);
    }
  } catch (error) {
    await host.stop();
    throw error;
  }
  return { host, ids };
}

async function fleetInstall(front: HostProcess, zip: ZipFixture, servers: string[]): Promise<number> {
  await run('sync', []);
  const start = process.hrtime.bigint();
  const answer = await expectStatus(200, 'POST', `${front.url}/manager/fleet/plugins`, {
    action: 'install',
    kind: 'sinks',
    name: 'big',
    file: `file://${zip.path}`,
    servers,
    concurrency: servers.length,
  });
  const ms = msSince(start);
  const failed = (JSON.parse(answer.text()) as FleetPluginAnswer).results.filter((result) => !result.ok);
  if (failed.length > 0) throw new Error(`fleet install failed: ${JSON.stringify(failed)}`);
  return ms;
}

/**
 * The same zip installed on every host at once by each host's own `POST /plugins/sinks` (a `file://` path, no
 * upload, no front host): what installing on that many hosts costs this machine by itself.
 */
async function directInstallEverywhere(hosts: HostProcess[], zip: ZipFixture): Promise<number> {
  await run('sync', []);
  const start = process.hrtime.bigint();
  await Promise.all(
    hosts.map((host) =>
      expectStatus(201, 'POST', `${host.url}/plugins/sinks`, { name: 'big', file: `file://${zip.path}` }),
    ),
  );
  return msSince(start);
}

async function deleteEverywhere(hosts: HostProcess[]): Promise<void> {
  await Promise.all(hosts.map((host) => expectStatus(200, 'DELETE', `${host.url}/plugins/sinks/big`)));
}

/**
 * Benchmark: the servers and fleet routes. (1) `GET /plugins/sinks` (1,000 sinks) through
 * `/manager/servers/{id}/api/…` of a front host against the same built host asked directly: throughput under the
 * list benchmark's load and p99 one request at a time, in rounds that alternate the two; (2) a 50 MB, 2,000-file
 * sink installed by `POST /manager/fleet/plugins` on 5 built hosts at once against the same fleet install on one,
 * alternating; (3) the front host's RSS while a 200 MB zip goes to 5 hosts.
 */
export async function fleetBench(
  temp: TempRoot,
  configHome: string,
  options: FleetBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const frontData = await temp.folder('fleet-front');
  // The front host's own settings folder: its servers.json is not the other hosts'.
  const frontConfig = await temp.folder('fleet-front-config');

  // 1. Forwarding.
  const serverData = await temp.folder('fleet-server');
  await populate(serverData, { sinks: options.plugins });
  const server = await spawnHost({ dataDir: serverData, configHome });
  try {
    const { host: front, ids: forwardIds } = await spawnFleetHost(frontData, frontConfig, [
      { name: 'edge', url: server.url },
    ]);
    // The least any Node process can do to forward the same request: what a hop costs on this machine.
    const bareProxy = await startBareProxy(server.url);
    try {
      const direct = await expectStatus(200, 'GET', `${server.url}/plugins/sinks`);
      const through = await expectStatus(
        200,
        'GET',
        `${front.url}/manager/servers/${forwardIds[0]!}/api/plugins/sinks`,
      );
      if (!direct.body.equals(through.body))
        throw new Error('the forwarded list differs from the direct one');
      const load = (url: string, concurrency: number) =>
        runLoad({
          url,
          concurrency,
          warmupMs: options.warmupMs,
          durationMs: options.durationMs,
          expectStatus: 200,
          expectBytes: direct.body.length,
        });
      const directUrl = `${server.url}/plugins/sinks`;
      const throughUrl = `${front.url}/manager/servers/${forwardIds[0]!}/api/plugins/sinks`;
      // Rounds alternate direct and forwarded so both see the same machine; the ratio of each round is kept.
      const rounds: Array<{
        direct: LoadResult;
        through: LoadResult;
        bare: LoadResult;
        directOne: LoadResult;
        throughOne: LoadResult;
      }> = [];
      let frontCpuMs = 0;
      let frontRequests = 0;
      for (let round = 0; round < options.runs; round++) {
        const directResult = await load(directUrl, options.concurrency);
        const cpu = readCpuMs(front.pid);
        const throughResult = await load(throughUrl, options.concurrency);
        frontCpuMs += readCpuMs(front.pid) - cpu;
        frontRequests += throughResult.totalRequests;
        const bareResult = await load(`${bareProxy.url}/plugins/sinks`, options.concurrency);
        // Latency one request at a time: what the hop adds, without the queueing of a saturated machine.
        const directOne = await load(directUrl, 1);
        const throughOne = await load(throughUrl, 1);
        const labelled = [
          ['direct', directResult],
          ['forwarded', throughResult],
          ['bare proxy', bareResult],
          ['direct, 1 connection', directOne],
          ['forwarded, 1 connection', throughOne],
        ] as const;
        for (const [label, result] of labelled) {
          if (result.errors > 0 || result.requests === 0) {
            throw new Error(
              `${label}: ${result.errors} failed requests (${result.firstError ?? 'no answers'}); ` +
                `server: ${server.output().slice(-500)} front: ${front.output().slice(-500)}`,
            );
          }
        }
        rounds.push({
          direct: directResult,
          through: throughResult,
          bare: bareResult,
          directOne,
          throughOne,
        });
      }
      const frontCpuUs = (frontCpuMs * 1000) / Math.max(1, frontRequests);
      const ratio = median(rounds.map((r) => r.through.requestsPerSecond / r.direct.requestsPerSecond));
      const bareRatio = median(rounds.map((r) => r.bare.requestsPerSecond / r.direct.requestsPerSecond));
      const added = median(rounds.map((r) => r.throughOne.latencyMs.p99 - r.directOne.latencyMs.p99));
      const directP99 = median(rounds.map((r) => r.directOne.latencyMs.p99));
      rows.push(
        {
          name: `forward list ${options.plugins} sinks: throughput`,
          measured: { value: median(rounds.map((r) => r.through.requestsPerSecond)), unit: 'req/s' },
          baseline: {
            value: median(rounds.map((r) => r.direct.requestsPerSecond)),
            unit: 'req/s',
            label: 'same host directly',
          },
          ratio,
          goal: `≥ ${options.goalThroughputRatio}× direct`,
          pass: ratio >= options.goalThroughputRatio,
        },
        {
          name: 'forward list: bare Node proxy (reference)',
          measured: { value: median(rounds.map((r) => r.bare.requestsPerSecond)), unit: 'req/s' },
          baseline: {
            value: median(rounds.map((r) => r.direct.requestsPerSecond)),
            unit: 'req/s',
            label: 'same host directly',
          },
          ratio: bareRatio,
          goal: '—',
          pass: null,
        },
        {
          name: 'forward list: forwarding route vs bare Node proxy',
          measured: { value: median(rounds.map((r) => r.through.requestsPerSecond)), unit: 'req/s' },
          baseline: {
            value: median(rounds.map((r) => r.bare.requestsPerSecond)),
            unit: 'req/s',
            label: 'bare node:http + undici',
          },
          ratio: median(rounds.map((r) => r.through.requestsPerSecond / r.bare.requestsPerSecond)),
          goal: '—',
          pass: null,
        },
        {
          name: `forward list ${options.plugins} sinks: added p99 (1 connection)`,
          measured: { value: added, unit: 'ms' },
          baseline: { value: directP99, unit: 'ms', label: 'direct p99' },
          ratio: (directP99 + added) / directP99,
          goal: `< ${options.goalAddedP99Ms} ms`,
          pass: added < options.goalAddedP99Ms,
        },
        {
          name: 'forward list: front host CPU per request',
          measured: { value: frontCpuUs, unit: 'µs' },
          goal: '—',
          pass: null,
        },
      );
      details.forward = {
        responseBytes: direct.body.length,
        concurrency: options.concurrency,
        rounds: rounds.map((r) => ({
          direct: summariseLoad(r.direct),
          forwarded: summariseLoad(r.through),
          bareProxy: summariseLoad(r.bare),
          directOneConnection: summariseLoad(r.directOne),
          forwardedOneConnection: summariseLoad(r.throughOne),
        })),
        frontCpuUsPerRequest: round(frontCpuUs),
      };
    } finally {
      await bareProxy.stop();
      await front.stop();
    }
  } finally {
    await server.stop();
    await rm(serverData, { recursive: true, force: true });
  }

  // 2 and 3: fleet installs to several built hosts.
  const hosts: HostProcess[] = [];
  const work = await temp.folder('fleet-zips');
  try {
    for (let i = 0; i < options.hosts; i++) {
      hosts.push(await spawnHost({ dataDir: await temp.folder(`fleet-host-${i}`), configHome }));
    }
    const { host: front, ids } = await spawnFleetHost(
      frontData,
      frontConfig,
      hosts.map((host, index) => ({ name: `h${index + 1}`, url: host.url })),
    );
    try {
      const zip = await makePluginZip(work, join(work, 'big.zip'), {
        ...TREE,
        seed: 'fleet-sink',
        libraryName: 'big.so',
      });
      // Warm-up, untimed.
      await fleetInstall(front, zip, [ids[0]!]);
      await deleteEverywhere([hosts[0]!]);
      const one: number[] = [];
      const all: number[] = [];
      const direct: number[] = [];
      const directOne: number[] = [];
      let frontCpuAll = 0;
      for (let runIndex = 0; runIndex < options.runs; runIndex++) {
        one.push(await fleetInstall(front, zip, [ids[0]!]));
        await deleteEverywhere([hosts[0]!]);
        const cpu = readCpuMs(front.pid);
        all.push(await fleetInstall(front, zip, ids));
        frontCpuAll += readCpuMs(front.pid) - cpu;
        await deleteEverywhere(hosts);
        direct.push(await directInstallEverywhere(hosts, zip));
        await deleteEverywhere(hosts);
        directOne.push(await directInstallEverywhere([hosts[0]!], zip));
        await deleteEverywhere([hosts[0]!]);
      }
      const ratio = median(all.map((ms, index) => ms / one[index]!));
      rows.push(
        {
          name: `fleet install 50 MB sink to ${options.hosts} hosts`,
          measured: { value: median(all), unit: 'ms' },
          baseline: { value: median(one), unit: 'ms', label: 'to one host' },
          ratio,
          goal: `≤ ${options.goalInstallRatio}× one`,
          pass: ratio <= options.goalInstallRatio,
        },
        {
          name: `${options.hosts} hosts installing at once, no fleet (reference)`,
          measured: { value: median(direct), unit: 'ms' },
          baseline: { value: median(directOne), unit: 'ms', label: 'one host, no fleet' },
          ratio: median(direct.map((ms, index) => ms / directOne[index]!)),
          goal: '—',
          pass: null,
        },
        {
          name: `fleet install to ${options.hosts} hosts vs the hosts installing at once by themselves`,
          measured: { value: median(all), unit: 'ms' },
          baseline: { value: median(direct), unit: 'ms', label: 'no fleet' },
          ratio: median(all.map((ms, index) => ms / direct[index]!)),
          goal: '—',
          pass: null,
        },
        {
          name: `fleet install to ${options.hosts} hosts: front host CPU`,
          measured: { value: frontCpuAll / options.runs, unit: 'ms' },
          goal: '—',
          pass: null,
        },
      );
      details.install = {
        zip: { bytes: zip.bytes, sha256: zip.sha256, entries: zip.entries, inflatedBytes: zip.inflatedBytes },
        oneMs: one.map((ms) => round(ms)),
        allMs: all.map((ms) => round(ms)),
        ratio: round(ratio, 3),
        frontCpuMsPerFleetInstall: round(frontCpuAll / options.runs),
      };
      await rm(zip.path, { force: true });

      const large = await makeLargeZip(
        work,
        join(work, 'big-200.zip'),
        options.memoryZipBytes,
        'fleet',
        'big.so',
      );
      await sleep(500);
      const before = readMemory(front.pid);
      const sampler = new RssSampler(front.pid, options.sampleEveryMs);
      sampler.start();
      let ms: number;
      let sampled;
      try {
        ms = await fleetInstall(front, large, ids);
      } finally {
        sampled = sampler.stop();
      }
      await deleteEverywhere(hosts);
      const growth = (sampled.peakRss - before.rss) / MIB;
      rows.push({
        name: `fleet ${Math.round(options.memoryZipBytes / MIB)} MB zip to ${options.hosts} hosts: RSS growth`,
        measured: { value: growth, unit: 'MiB' },
        baseline: { value: before.rss / MIB, unit: 'MiB', label: 'idle front host RSS' },
        ratio: sampled.peakRss / before.rss,
        goal: `< ${options.goalGrowthMiB} MiB`,
        pass: growth < options.goalGrowthMiB,
      });
      details.memory = {
        zipBytes: large.bytes,
        zipSha256: large.sha256,
        elapsedMs: round(ms),
        sentMiBps: round((large.bytes * options.hosts) / MIB / (ms / 1000)),
        idleRssMiB: round(before.rss / MIB),
        peakRssMiB: round(sampled.peakRss / MIB),
        growthMiB: round(growth),
        samples: sampled.samples,
        maxSampleGapMs: round(sampled.maxGapMs),
      };
    } finally {
      await front.stop();
    }
  } finally {
    for (const host of hosts) await host.stop();
    await rm(work, { recursive: true, force: true });
    await rm(frontData, { recursive: true, force: true });
  }
  return { rows, details };
}
