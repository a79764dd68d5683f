import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Runs a command to completion (output discarded), rejecting with its stderr on a non-zero exit. `input`,
 * when given, is written to its stdin; otherwise stdin is closed from the start.
 */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; input?: string } = {},
): Promise<void> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.input !== undefined) {
    // A command that exits without reading all its input fails below with its own exit code, not EPIPE.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input);
  }
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
}
