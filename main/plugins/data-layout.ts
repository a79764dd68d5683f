import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NativeKind } from '../../shared/plugin-kinds.js';

/**
 * eKuiper's folder layout (reference §4) under one data folder, so the host can manage an eKuiper
 * installation in place. Our own bookkeeping lives in dot-folders under plugins/, which eKuiper ignores.
 */
export class DataLayout {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Absolute path of a path relative to the data folder, written with forward slashes. */
  path(relative: string): string {
    return join(this.root, ...relative.split('/'));
  }

  nativeDir(kind: NativeKind): string {
    return this.path(`plugins/${kind}`);
  }

  get portableDir(): string {
    return this.path('plugins/portable');
  }

  get uploadsDir(): string {
    return this.path('data/uploads');
  }

  /** The JavaScript functions of `/udf/javascript`, one `{id}.json` each (eKuiper keeps them in its database). */
  get scriptsDir(): string {
    return this.path('data/scripts');
  }

  /** Install transactions in progress; same file system as their targets, so commits are renames. */
  get stagingDir(): string {
    return this.path('plugins/.staging');
  }

  /** Relative path of a plugin's metadata record (origin, time, size, sha256, registered functions). */
  recordPath(kind: NativeKind | 'portables', name: string): string {
    return `plugins/.meta/${kind}/${name}.json`;
  }

  /** Creates what eKuiper creates at start (reference §4.1), so an empty folder becomes a valid installation. */
  async ensure(): Promise<void> {
    const folders = [
      'plugins/sources',
      'plugins/sinks',
      'plugins/functions',
      'plugins/portable',
      'plugins/.staging',
      'etc/.staging',
      'data/.staging',
      'plugins/.meta/sources',
      'plugins/.meta/sinks',
      'plugins/.meta/functions',
      'plugins/.meta/portables',
      'plugins/.runtime/pids',
      'plugins/.runtime/logs',
      'etc/sources',
      'etc/sinks',
      'etc/functions',
      'data/uploads',
      'data/sources',
      'data/sinks',
      'data/functions',
      'data/services/schemas',
      'data/connections',
    ];
    await Promise.all(folders.map((folder) => mkdir(this.path(folder), { recursive: true })));
  }
}
