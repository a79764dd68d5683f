import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { PortableRuntime } from '../../main/runtime/portable-runtime.js';
import { defaultSettings } from '../../main/settings/host-settings.js';
import { nodePluginScript } from '../../test/support/node-plugin-bundle.js';
import { trackChild, type TempRoot } from '../lib/cleanup.js';
import type { ResultRow } from '../lib/report.js';
import { median, round } from '../lib/stats.js';

export interface PortableBenchOptions {
  warmupMs: number;
  durationMs: number;
  goalRatio: number;
}

/** What one side measured: sequential calls, each waiting for its answer. */
interface CallRun {
  calls: number;
  callsPerSecond: number;
  medianUs: number;
}

/** The argument every call carries: a small JSON row, as a rule's function call would. */
const ARGUMENT = { deviceId: 'sensor-0042', temperature: 21.5, humidity: 40, tags: ['a', 'b'] };

/**
 * The baseline: a plain `node:net` server on a unix socket in its own process, answering each
 * length-prefixed request with a reply of the size the plugin's function answers — request/response echo with
 * nothing of SP, eKuiper's command loop or JSON in between.
 */
const ECHO_SERVER = `
const net = require('node:net');
const [path, replyBytes] = [process.argv[1], Number(process.argv[2])];
const reply = Buffer.alloc(8 + replyBytes, 0x61);
reply.writeBigUInt64BE(BigInt(replyBytes));
net.createServer((socket) => {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 8) {
      const size = Number(buffer.readBigUInt64BE(0));
      if (buffer.length < 8 + size) break;
      buffer = buffer.subarray(8 + size);
      socket.write(reply);
    }
  });
}).listen(path, () => console.log('ready'));
`;

/** How many alternating rounds of plugin calls and baseline calls a run makes. */
const ROUNDS = 10;

/** Sequential calls for a while after a warm-up; collects each latency (ms) and answers the seconds spent. */
async function timed(
  call: () => Promise<void>,
  warmupMs: number,
  durationMs: number,
  latencies: number[],
): Promise<number> {
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) await call();
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    const before = performance.now();
    await call();
    latencies.push(performance.now() - before);
  }
  return (performance.now() - start) / 1000;
}

/** One request/response over the baseline socket: frame out, wait for the whole reply frame. */
function echoClient(socket: Socket): (request: Buffer) => Promise<void> {
  let buffer = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (buffer.length >= 8 && buffer.length >= 8 + Number(buffer.readBigUInt64BE(0))) {
      buffer = buffer.subarray(8 + Number(buffer.readBigUInt64BE(0)));
      waiting?.();
    }
  });
  return (request) =>
    new Promise<void>((resolve) => {
      waiting = resolve;
      const header = Buffer.alloc(8);
      header.writeBigUInt64BE(BigInt(request.length));
      socket.write(Buffer.concat([header, request]));
    });
}

/**
 * Function calls through the portable runtime (the host's REP, eKuiper's command loop, the Node test plugin's
 * REQ in its own process) against the bare unix-socket echo, same message sizes, same run.
 */
export async function portableBench(
  temp: TempRoot,
  options: PortableBenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const folder = await temp.folder('portable');
  const name = `bench${process.pid}`;
  const symbol = `benchfn${process.pid}`;
  const pluginDir = join(folder, 'plugins/portable', name);
  await import('node:fs/promises').then((fs) => fs.mkdir(pluginDir, { recursive: true }));
  const executable = join(pluginDir, 'run');
  await writeFile(executable, await nodePluginScript(), { mode: 0o755 });
  await writeFile(
    join(pluginDir, 'plugin-config.json'),
    JSON.stringify({ name, functions: { [symbol]: 'echo' } }),
  );
  const manifest = {
    name,
    version: '1',
    language: 'go',
    executable: 'run',
    sources: [],
    sinks: [],
    functions: [symbol],
  };
  const settings = { ...defaultSettings(folder), portableInitTimeoutMs: 30_000 };
  const runtime = new PortableRuntime(join(folder, 'runtime'), () => settings);
  const meta = JSON.stringify({ ruleId: 'bench', opId: 'op', instanceId: 0, funcId: 0 });
  const requestBytes = Buffer.byteLength(JSON.stringify({ func: 'Exec', arg: [ARGUMENT, meta] }));
  const replyBytes = Buffer.byteLength(JSON.stringify({ state: true, result: ARGUMENT }));

  const socketPath = join(folder, 'echo.sock');
  const server = trackChild(
    spawn(process.execPath, ['-e', ECHO_SERVER, socketPath, String(replyBytes)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const pluginLatencies: number[] = [];
  const bareLatencies: number[] = [];
  let pluginSeconds = 0;
  let bareSeconds = 0;
  try {
    await runtime.install(name, manifest, executable);
    const instance = runtime.get(name)!;
    const callPlugin = async () => {
      const reply = await instance.callFunction(symbol, 'Exec', [ARGUMENT, meta], 5000);
      if (!reply.state) throw new Error(`the function failed: ${JSON.stringify(reply.result)}`);
    };
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', () => reject(new Error('the echo server exited')));
    });
    const socket = connect(socketPath);
    await new Promise((resolve) => socket.once('connect', resolve));
    const echo = echoClient(socket);
    const request = Buffer.alloc(requestBytes, 0x62);
    const callBare = () => echo(request);
    // Short alternating rounds: on a shared machine both sides then see the same competition for the CPUs.
    await timed(callPlugin, options.warmupMs, 0, []);
    await timed(callBare, options.warmupMs, 0, []);
    const roundMs = options.durationMs / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      pluginSeconds += await timed(callPlugin, 0, roundMs, pluginLatencies);
      bareSeconds += await timed(callBare, 0, roundMs, bareLatencies);
    }
    socket.destroy();
  } finally {
    server.kill();
    await runtime.close();
  }
  const summary = (latencies: number[], seconds: number): CallRun => ({
    calls: latencies.length,
    callsPerSecond: latencies.length / seconds,
    medianUs: median(latencies) * 1000,
  });
  const plugin = summary(pluginLatencies, pluginSeconds);
  const bare = summary(bareLatencies, bareSeconds);

  const ratio = plugin.callsPerSecond / bare.callsPerSecond;
  return {
    rows: [
      {
        name: 'portable: function calls per second over IPC',
        measured: { value: round(plugin.callsPerSecond), unit: 'calls/s' },
        baseline: { value: round(bare.callsPerSecond), unit: 'calls/s', label: 'bare unix-socket echo' },
        ratio: round(ratio, 2),
        goal: `≥ ${options.goalRatio}× bare`,
        pass: ratio >= options.goalRatio,
      },
      {
        name: 'portable: median function round trip',
        measured: { value: round(plugin.medianUs), unit: 'µs' },
        baseline: { value: round(bare.medianUs), unit: 'µs', label: 'bare unix-socket echo' },
        ratio: round(plugin.medianUs / bare.medianUs, 2),
        goal: '—',
        pass: null,
      },
    ],
    details: { requestBytes, replyBytes, plugin, bare },
  };
}
