/**
 * A portable plugin written in Node for the tests, speaking eKuiper's plugin protocol with the project's own
 * SP sockets the way eKuiper's SDKs do: control REQ with a keep-alive `handshake`, a REQ per function, PUSH
 * for source data, PULL for sink data and PUSH for acks. It reads what to be from `plugin-config.json` beside
 * it (name, symbols, dialect, start-up misbehaviour), so one bundle serves every test under unique names.
 * Bundled into one file at test time (node-plugin-bundle.ts) and zipped as an executable `language: go` plugin.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PullSocket, PushSocket, ReqSocket, SpError } from '../../../main/sp/index.js';

interface PluginConfig {
  name: string;
  /**
   * symbol → behaviour: echo (first argument), reverse (a string), error (always state false), sum, exit (the
   * process writes `stderr` lines and exits with `code`, both from the argument `{code, stderr}`).
   */
  functions?: Record<string, 'echo' | 'reverse' | 'error' | 'sum' | 'exit'>;
  sources?: string[];
  sinks?: string[];
  keepAliveMs?: number;
  /** `base64`: read `arg` as the 2021 Go SDK does, complaining about anything else. */
  dialect?: 'plain' | 'base64';
  startup?: { exitCode?: number; stderr?: string; silent?: boolean };
}

interface Control {
  symbolName: string;
  meta: { ruleId: string; opId: string; instanceId: number };
  pluginType: string;
  dataSource?: string;
  config?: Record<string, unknown>;
}

/**
 * `plugin-config.json` beside the script, or else the plugin's manifest (`{name}.json` in the script's folder
 * or one above): every function echoes, every source and sink works.
 */
function readConfig(): PluginConfig {
  const here = dirname(process.argv[1] ?? '.');
  const own = join(here, 'plugin-config.json');
  if (existsSync(own)) return JSON.parse(readFileSync(own, 'utf8')) as PluginConfig;
  for (const folder of [here, dirname(here), dirname(dirname(here))]) {
    for (const file of readdirSync(folder).filter((entry) => entry.endsWith('.json'))) {
      const manifest = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
      if (typeof manifest.executable !== 'string') continue;
      const list = (key: string) => (Array.isArray(manifest[key]) ? (manifest[key] as string[]) : []);
      return {
        name: file.slice(0, -'.json'.length),
        functions: Object.fromEntries(list('functions').map((fn) => [fn, 'echo' as const])),
        sources: list('sources'),
        sinks: list('sinks'),
      };
    }
  }
  throw new Error(`no plugin-config.json or manifest near ${here}`);
}

const config = readConfig();
const argv = JSON.parse(process.argv[2] ?? '{}') as { sendTimeout?: number; keepAliveMs?: number };
const keepAliveMs = argv.keepAliveMs ?? config.keepAliveMs ?? 5000;

const isTimeout = (error: unknown) => error instanceof SpError && error.code === 'ETIMEDOUT';

/** The SDK's REQ loop: ask, wait up to the keep-alive for the host's word, re-greet when it does not come. */
async function serve(url: string, handle: (request: string) => Promise<string>): Promise<void> {
  const req = await ReqSocket.dial(url, { retries: 50, retryDelayMs: 100 });
  let next = 'handshake';
  for (;;) {
    await req.send(next, 1000).catch(() => {});
    let request: Buffer;
    try {
      request = await req.recv(keepAliveMs);
    } catch (error) {
      if (isTimeout(error)) {
        next = 'handshake';
        continue;
      }
      throw error;
    }
    next = await handle(request.toString('utf8'));
  }
}

const running = new Map<string, () => Promise<void>>();
const functionsStarted = new Set<string>();

function key(control: Control): string {
  return `${control.meta.ruleId}_${control.meta.opId}_${control.meta.instanceId}_${control.symbolName}`;
}

function dataUrl(control: Control, suffix = ''): string {
  const { ruleId, opId, instanceId } = control.meta;
  return `ipc:///tmp/${ruleId}_${opId}_${instanceId}${suffix}.ipc`;
}

function callFunction(kind: string, func: string, args: unknown[]): { state: boolean; result: unknown } {
  if (func === 'IsAggregate') return { state: true, result: false };
  const values = func === 'Exec' ? args.slice(0, -1) : args;
  if (func === 'Validate') {
    if (kind === 'sum') return { state: true, result: '' };
    return values.length === 1
      ? { state: true, result: '' }
      : { state: false, result: 'expect one argument' };
  }
  if (func !== 'Exec') return { state: false, result: `unknown function call ${func}` };
  const meta = JSON.parse(String(args.at(-1))) as { ruleId?: string; opId?: string };
  if (!meta.ruleId || !meta.opId) return { state: false, result: 'invalid function meta' };
  switch (kind) {
    case 'echo':
      return { state: true, result: values[0] };
    case 'reverse':
      return typeof values[0] === 'string'
        ? { state: true, result: [...values[0]].reverse().join('') }
        : { state: false, result: 'reverse needs a string' };
    case 'sum':
      return { state: true, result: values.reduce((total: number, value) => total + Number(value), 0) };
    case 'exit': {
      const { code, stderr } = values[0] as { code: number; stderr?: string[] };
      for (const line of stderr ?? []) process.stderr.write(`${line}\n`);
      setTimeout(() => process.exit(code), 20);
      return { state: true, result: 'exiting' };
    }
    default:
      return { state: false, result: `function failed on purpose with ${JSON.stringify(values)}` };
  }
}

function startFunction(symbol: string, kind: string): void {
  if (functionsStarted.has(symbol)) return;
  functionsStarted.add(symbol);
  void serve(`ipc:///tmp/func_${symbol}.ipc`, (text) => {
    if (text.startsWith('h')) return Promise.resolve('handshake');
    const call = JSON.parse(text) as { func: string; arg: unknown[] | null };
    return Promise.resolve(JSON.stringify(callFunction(kind, call.func, call.arg ?? [])));
  }).catch((error: unknown) => console.error(`function ${symbol} stopped: ${String(error)}`));
}

async function startSource(control: Control): Promise<() => Promise<void>> {
  const cfg = control.config ?? {};
  if (typeof cfg.fail === 'string') throw new Error(cfg.fail);
  const interval = typeof cfg.interval === 'number' ? cfg.interval : 50;
  const push = await PushSocket.dial(dataUrl(control), { sendTimeoutMs: 1000 });
  let n = 0;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      n++;
      const payload =
        cfg.errorEvery !== undefined && n % Number(cfg.errorEvery) === 0
          ? { error: `error number ${n}` }
          : {
              message: {
                symbol: control.symbolName,
                n,
                dataSource: control.dataSource ?? '',
                pid: process.pid,
              },
              meta: { n },
            };
      await push.send(JSON.stringify(payload), 1000).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  };
  void loop();
  return async () => {
    stopped = true;
    await push.close();
  };
}

async function startSink(control: Control): Promise<() => Promise<void>> {
  const cfg = control.config ?? {};
  const pull = await PullSocket.listen(dataUrl(control));
  const ack =
    cfg.requireAck === true
      ? await PushSocket.dial(dataUrl(control, '_ack'), { sendTimeoutMs: 1000 })
      : undefined;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      let data: Buffer;
      try {
        data = await pull.recv(500);
      } catch (error) {
        if (isTimeout(error)) continue;
        return;
      }
      const text = data.toString('utf8');
      console.log(`sink ${control.symbolName} got ${text}`);
      let row: unknown;
      try {
        row = JSON.parse(text);
      } catch {
        row = undefined;
      }
      const bad = typeof row === 'object' && row !== null && (row as Record<string, unknown>).bad === true;
      await ack?.send(JSON.stringify(bad ? { error: 'bad row refused' } : {}), 1000).catch(() => {});
    }
  };
  void loop();
  return async () => {
    stopped = true;
    await pull.close();
    await ack?.close();
  };
}

async function command(text: string): Promise<string> {
  if (text.startsWith('h')) return 'handshake';
  const { cmd, arg } = JSON.parse(text) as { cmd: string; arg: string };
  let json = arg;
  if (config.dialect === 'base64') {
    if (!/^[A-Za-z0-9+/]+=*$/.test(arg)) return 'illegal base64 data at input byte 0';
    json = Buffer.from(arg, 'base64').toString('utf8');
  }
  const control = JSON.parse(json) as Control;
  const symbol = control.symbolName;
  try {
    if (cmd === 'start') {
      if (control.pluginType === 'func') {
        const kind = config.functions?.[symbol];
        if (kind === undefined) return `symbol ${symbol} not found`;
        startFunction(symbol, kind);
        return 'ok';
      }
      if (control.pluginType === 'source') {
        if (!config.sources?.includes(symbol)) return `symbol ${symbol} not found`;
        running.set(key(control), await startSource(control));
        return 'ok';
      }
      if (control.pluginType === 'sink') {
        if (!config.sinks?.includes(symbol)) return `symbol ${symbol} not found`;
        running.set(key(control), await startSink(control));
        return 'ok';
      }
      return `invalid plugin type ${control.pluginType}`;
    }
    if (cmd === 'stop') {
      const stop = running.get(key(control));
      running.delete(key(control));
      await stop?.();
      return 'ok';
    }
    return `invalid command ${cmd}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

if (config.startup?.stderr !== undefined) console.error(config.startup.stderr);
if (config.startup?.exitCode !== undefined) process.exit(config.startup.exitCode);
if (config.startup?.silent === true) {
  setInterval(() => {}, 60_000);
} else {
  console.log(`plugin ${config.name} starting, keep-alive ${keepAliveMs} ms`);
  serve(`ipc:///tmp/plugin_${config.name}.ipc`, command).catch((error: unknown) => {
    console.error(`control channel failed: ${String(error)}`);
    process.exit(1);
  });
}
