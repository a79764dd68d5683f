import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp folder for socket files, short enough for the unix path limit. Each test gets fresh addresses, so
 * parallel test files never meet on a socket.
 */
export class SocketFolder {
  private count = 0;
  private constructor(readonly dir: string) {}

  static async create(): Promise<SocketFolder> {
    // os.tmpdir() may be long (TMPDIR in CI); /tmp keeps paths far below 107 bytes.
    const base = process.platform === 'win32' ? tmpdir() : '/tmp';
    return new SocketFolder(await mkdtemp(join(base, 'sp-')));
  }

  /** A new `ipc://` address in the folder. */
  url(name = 'sock'): string {
    return `ipc://${this.path(name)}`;
  }

  path(name = 'sock'): string {
    return join(this.dir, `${name}.ipc`);
  }

  next(): string {
    this.count++;
    return this.url(`s${this.count}`);
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** Collects what a promise settled with, so a test can assert a rejection's code without try/catch noise. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}
