import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorText } from '../plugins/plugin-error.js';

/**
 * Writes `value` as JSON so that a crash or a full disk never leaves a half-written file: a temp file beside the
 * target (same file system), flushed, then renamed over it. `mode` applies from the first byte, so a secrets file
 * is never readable by others, not even for a moment.
 */
export async function writeJsonAtomic(path: string, value: unknown, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** What a JSON file held: nothing yet, a parsed value, or why it could not be read (it was then kept aside). */
export type JsonFileRead =
  { state: 'missing' } | { state: 'read'; value: unknown } | { state: 'unreadable'; reason: string };

/**
 * Reads a JSON file the host keeps. A file that cannot be parsed is moved aside to `<file>.bad-<time>` (so the
 * user can still recover it and the next write does not destroy it) and reported, never thrown: a broken
 * settings file must not stop the host.
 */
export async function readJsonFile(path: string): Promise<JsonFileRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'unreadable', reason: `it cannot be read (${errorText(error)})` };
  }
  try {
    return { state: 'read', value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      state: 'unreadable',
      reason: `it is not valid JSON${jsonErrorPlace(error)}${await keepAside(path)}`,
    };
  }
}

/**
 * Where `JSON.parse` stopped, as ` (an error at character N)`, or nothing. Never the parser's own message: V8
 * quotes the text around the error (`Unexpected token 'S', ..."plain":SUPERSECRE"...`), which in a secrets
 * file or a request body may be a password.
 */
export function jsonErrorPlace(error: unknown): string {
  const position = /at position (\d+)/.exec(errorText(error))?.[1];
  return position === undefined ? '' : ` (an error at character ${position})`;
}

/**
 * Moves a file the host cannot use to `<file>.bad-<time>`; answers the words to add to the log line (where it
 * went, or that it could not be moved).
 */
export async function keepAside(path: string): Promise<string> {
  const aside = `${path}.bad-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(path, aside);
    return `; kept as ${aside}`;
  } catch (error) {
    return `; it could not be moved aside (${errorText(error)})`;
  }
}
