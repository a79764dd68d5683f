import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** A host running in a child Node process, and what its script reported once ready. */
export interface ChildHost<Info> {
  info: Info;
  child: ChildProcess;
  script: string;
}

/** Absolute path of a module in `test/support`, for the child script's imports. */
export function supportModule(file: string): string {
  return JSON.stringify(resolve(import.meta.dirname, '../../../test/support', file));
}

/**
 * Runs a real host for component tests in a child Node: under jsdom, `Buffer` is not the window's `Uint8Array`,
 * so an in-process host would answer `{"type":"Buffer",…}` (and esbuild, which bundles test plugins, refuses to
 * load). `code` is an ES module that sets up `const t` (a test host) and `const info` (what the test needs);
 * the child prints `info` as one JSON line and closes the host when its stdin ends (`stopChildHost`).
 */
export async function startChildHost<Info>(code: string): Promise<ChildHost<Info>> {
  // A script file, not `-e`: with `--input-type=module` the plugin processes the host spawns fail to load.
  const script = join(mkdtempSync(join(tmpdir(), 'ekm-child-host-')), 'host.mjs');
  writeFileSync(
    script,
    `${code}
    process.stdout.write(JSON.stringify(info) + '\\n');
    process.stdin.resume();
    process.stdin.on('end', () => void t.close().then(() => process.exit(0)));`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', (exitCode) => reject(new Error(`the host process exited with ${exitCode}`)));
  });
  return { info: JSON.parse(first) as Info, child, script };
}

/** Closes the child's host (and its plugin processes) and removes its script. */
export async function stopChildHost(host: ChildHost<unknown> | undefined): Promise<void> {
  if (host === undefined) return;
  const { child, script } = host;
  if (child.exitCode === null) {
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    child.stdin?.end();
    await exited;
  }
  rmSync(dirname(script), { recursive: true, force: true });
}
