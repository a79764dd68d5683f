import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { trackChild } from './cleanup.js';

/** The project root (bench/lib/../..). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
/** The built headless host, as users run it. */
export const SERVE_JS = join(PROJECT_ROOT, 'out/main/serve.js');

/** A running `node out/main/serve.js` child. */
export interface HostProcess {
  url: string;
  port: number;
  /** The host's own process id (node is spawned directly, not through a shell or npx). */
  pid: number;
  child: ChildProcess;
  /** Everything the host printed, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnHostOptions {
  dataDir: string;
  /** Used as XDG_CONFIG_HOME, so the host never reads or writes the real user's settings. */
  configHome: string;
  /** Fixed port (start-up timing polls it before the host prints anything); 0 picks a free one. */
  port?: number;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** A free TCP port on 127.0.0.1 (bound then released; the window for a clash is tiny). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The environment for a host child: the caller's, with a private XDG_CONFIG_HOME and no token. */
export function hostEnv(configHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: configHome };
  delete env.EKUIPER_MANAGER_TOKEN;
  return env;
}

/** Spawns the built host without waiting for it (for start-up timing). */
export async function spawnHostRaw(options: SpawnHostOptions): Promise<ChildProcess> {
  await mkdir(options.configHome, { recursive: true });
  const args = [
    ...(options.nodeArgs ?? []),
    SERVE_JS,
    '--port',
    String(options.port ?? 0),
    '--data-dir',
    options.dataDir,
  ];
  return trackChild(
    spawn(process.execPath, args, {
      cwd: PROJECT_ROOT,
      env: hostEnv(options.configHome),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

const LISTENING = /listening on (http:\/\/[^\s]+)/;

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns the built host and resolves once it prints the URL it listens on. */
export async function spawnHost(options: SpawnHostOptions): Promise<HostProcess> {
  const child = await spawnHostRaw(options);
  let output = '';
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host did not start within ${options.timeoutMs ?? 20_000} ms:\n${output}`)),
      options.timeoutMs ?? 20_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = LISTENING.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolvePromise(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    child,
    output: () => output,
    stop: (graceMs) => stopChild(child, graceMs),
  };
}
