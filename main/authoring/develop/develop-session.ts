import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DEVELOP_HISTORY,
  isMetadataPath,
  type DevelopBuild,
  type DevelopEvent,
  type DevelopSession as DevelopSessionDto,
  type DevelopState,
  type DevelopStopReason,
} from '../../../shared/develop-dto.js';
import { hostMessage } from '../../../shared/host-messages.js';
import { errorText } from '../../plugins/plugin-error.js';
import type { PluginManager } from '../../plugins/plugin-manager.js';
import type { FolderBuild, FolderBuilder } from './folder-build.js';
import { FolderWatcher, type IgnoredPath } from './folder-watcher.js';

export interface DevelopSessionOptions {
  id: string;
  /** The watched folder, absolute and resolved. */
  folder: string;
  plugin: string;
  manager: PluginManager;
  build: FolderBuilder;
  ignored: IgnoredPath;
  debounceMs: number;
  /** Where in the data folder the session keeps the zip it installs from (one file, replaced each build). */
  zipPath: string;
}

/**
 * One plugin folder in develop mode: every burst of saves is packed and, when it differs from what runs,
 * installed or updated in place through the plugin manager. The manager's update is all or nothing, so a save
 * that breaks the plugin is refused and the last good version keeps running; the session says why. Builds run
 * one at a time; saves made during a build are built right after it.
 */
export class DevelopSession {
  readonly startedAt = Date.now();
  private state: DevelopState = 'building';
  private lastBuild: DevelopBuild | undefined;
  private builds = 0;
  private readonly history: DevelopEvent[] = [];
  private readonly listeners = new Set<(event: DevelopEvent) => void>();
  private watcher: FolderWatcher | undefined;
  private queued: string[] | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: DevelopSessionOptions) {}

  get id(): string {
    return this.options.id;
  }
  get folder(): string {
    return this.options.folder;
  }
  get plugin(): string {
    return this.options.plugin;
  }

  /**
   * Watches the folder, then installs `first` (the packing that named the plugin). The watcher starts first, so
   * a save made while the first install runs is built after it.
   */
  async start(first: FolderBuild): Promise<void> {
    this.watcher = await FolderWatcher.start(this.folder, {
      ignored: this.options.ignored,
      debounceMs: this.options.debounceMs,
      onChanges: (paths) => this.enqueue(paths),
    });
    this.running = this.buildOnce([], first).finally(() => this.afterBuilds());
    await this.running;
  }

  /** What the routes answer. */
  toJSON(): DevelopSessionDto {
    const running = this.installedSha();
    return {
      id: this.id,
      folder: this.folder,
      plugin: this.plugin,
      kind: 'portables',
      state: this.state,
      startedAt: this.startedAt,
      ...(running === undefined ? {} : { runningSha256: running }),
      ...(this.lastBuild === undefined ? {} : { lastBuild: this.lastBuild }),
      builds: this.builds,
    };
  }

  /** The events so far (the last `DEVELOP_HISTORY`), then every new one until `unsubscribe`. */
  subscribe(listener: (event: DevelopEvent) => void): () => void {
    for (const event of this.history) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Stops watching and waits for a build under way, so nothing is installed after this resolves. */
  async stop(reason: DevelopStopReason): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.queued = undefined;
    await this.watcher?.close();
    await this.running;
    this.state = 'stopped';
    this.emit({ type: 'stopped', at: Date.now(), reason });
    this.listeners.clear();
  }

  private enqueue(paths: string[]): void {
    if (this.stopped) return;
    this.queued = [...new Set([...(this.queued ?? []), ...paths])].sort();
    if (this.running === undefined) this.running = this.drain().finally(() => this.afterBuilds());
  }

  /** Builds what was saved, burst after burst, until nothing waits. */
  private async drain(): Promise<void> {
    while (this.queued !== undefined && !this.stopped) {
      const changed = this.queued;
      this.queued = undefined;
      await this.buildOnce(changed);
    }
  }

  /** Saves made during the first build wait for it; they are built now. */
  private afterBuilds(): void {
    this.running = undefined;
    if (this.queued !== undefined && !this.stopped) this.enqueue([]);
  }

  /** The SHA-256 of the plugin's installed zip, or undefined when it is not installed (deleted meanwhile). */
  private installedSha(): string | undefined {
    try {
      return this.options.manager.details('portables', this.plugin).record?.zipSha256;
    } catch {
      return undefined;
    }
  }

  private async buildOnce(changed: string[], packed?: FolderBuild): Promise<void> {
    const at = Date.now();
    this.state = 'building';
    this.emit({ type: 'building', at, changed });
    const metadataChanged = changed.some(isMetadataPath);
    const base = { at, changed, metadataChanged };
    const finish = (build: Omit<DevelopBuild, 'at' | 'ms' | 'changed' | 'metadataChanged' | 'problem'>) => {
      const running = this.installedSha();
      const problems = build.problems;
      const done: DevelopBuild = {
        ...base,
        ...build,
        ...(problems === undefined ? {} : { problem: problems.map((p) => p.message).join('\n') }),
        ms: Date.now() - at,
        ...(running === undefined ? {} : { runningSha256: running }),
      };
      this.lastBuild = done;
      this.builds++;
      this.state = done.result === 'refused' ? 'refused' : 'running';
      if (done.result === 'refused') {
        const problems = done.problems ?? [];
        this.emit({ type: 'refused', ...done, problems, problem: problems.map((p) => p.message).join('\n') });
      } else if (done.result === 'unchanged')
        this.emit({ type: 'unchanged', ...done, sha256: done.sha256 ?? '' });
      else this.emit({ type: 'updated', ...done, sha256: done.sha256 ?? '' });
    };
    let built: FolderBuild;
    try {
      built = packed ?? (await this.options.build(this.folder));
    } catch (error) {
      finish({ result: 'refused', problems: [{ message: errorText(error) }] });
      return;
    }
    const facts = {
      ...(built.sha256 === undefined ? {} : { sha256: built.sha256 }),
      ...(built.version === undefined ? {} : { version: built.version }),
    };
    if (built.plugin !== undefined && built.plugin !== this.plugin) {
      const message = hostMessage('developRenamed', { now: built.plugin, plugin: this.plugin });
      finish({ ...facts, result: 'refused', problems: [{ message }] });
      return;
    }
    if (built.problems.length > 0 || built.zip === undefined || built.sha256 === undefined) {
      const problems =
        built.problems.length > 0 ? built.problems : [{ message: 'the folder could not be packed' }];
      finish({ ...facts, result: 'refused', problems });
      return;
    }
    const installed = this.installedSha();
    if (installed === built.sha256) {
      finish({ ...facts, result: 'unchanged' });
      return;
    }
    try {
      await this.install(built.zip, installed !== undefined);
    } catch (error) {
      finish({ ...facts, result: 'refused', problems: [{ message: errorText(error) }] });
      return;
    }
    finish({ ...facts, result: installed === undefined ? 'installed' : 'updated' });
  }

  /** Writes the zip into the data folder (whole, then renamed into place) and installs or updates from it. */
  private async install(zip: Uint8Array, update: boolean): Promise<void> {
    const { zipPath, manager } = this.options;
    await mkdir(dirname(zipPath), { recursive: true });
    const partial = `${zipPath}.partial`;
    await writeFile(partial, zip);
    await rename(partial, zipPath);
    const request = { name: this.plugin, file: pathToFileURL(zipPath).href, shellParas: [] };
    if (update) await manager.updatePortable(this.plugin, request);
    else await manager.createPortable(request);
  }

  private emit(event: DevelopEvent): void {
    this.history.push(event);
    if (this.history.length > DEVELOP_HISTORY) this.history.splice(0, this.history.length - DEVELOP_HISTORY);
    for (const listener of [...this.listeners]) listener(event);
  }
}
