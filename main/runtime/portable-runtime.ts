import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HostSettings } from '../../shared/host-settings.js';
import type { PortableManifest } from '../../shared/portable-manifest.js';
import { PidRecords } from './pid-records.js';
import { PluginLog } from './plugin-log.js';
import { PortableInstance, type PortableStatus } from './plugin-instance.js';

/**
 * Starts the instance; `signal` aborting meanwhile stops it (a plugin waiting out its init timeout is killed at
 * once) and the start rejects, even if the process had just called in.
 */
async function startUnlessAborted(
  instance: PortableInstance,
  signal: AbortSignal | undefined,
): Promise<void> {
  signal?.throwIfAborted();
  const abandon = (): void => void instance.stop();
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    await instance.start();
    signal?.throwIfAborted();
  } finally {
    signal?.removeEventListener('abort', abandon);
  }
}

/** How many plugins the host starts at once when it opens a data folder full of them. */
const START_CONCURRENCY = 4;

/**
 * Every portable plugin's process, as eKuiper v2 keeps them: started at install and at the host's start,
 * killed on delete and when the host closes, replaced on update. Runtime state (process ids, logs) lives in
 * `plugins/.runtime/` of the data folder.
 */
export class PortableRuntime {
  private readonly instances = new Map<string, PortableInstance>();
  private readonly logs = new Map<string, PluginLog>();
  private readonly pids: PidRecords;
  private closed = false;

  constructor(
    private readonly runtimeDir: string,
    private readonly settings: () => HostSettings,
  ) {
    this.pids = new PidRecords(join(runtimeDir, 'pids'));
  }

  /** Ends plugin processes a crashed host left running; answers how many. Call before starting any plugin. */
  endOrphans(): number {
    return this.pids.endOrphans();
  }

  /** The instance of an installed plugin, or undefined. */
  get(name: string): PortableInstance | undefined {
    return this.instances.get(name);
  }

  /** The plugin's log, which outlives failed installs so the user can read why. */
  log(name: string): PluginLog {
    let log = this.logs.get(name);
    if (log === undefined) {
      log = new PluginLog(join(this.runtimeDir, 'logs', `${name}.log`));
      this.logs.set(name, log);
    }
    return log;
  }

  status(name: string): PortableStatus {
    return this.instances.get(name)?.status() ?? { refCount: {}, status: 'stop', errMsg: '', pid: 0 };
  }

  /**
   * Creates the instance and starts it; a failure leaves no instance behind and rethrows. `signal` abandons
   * the start (the install's client went away): the process is stopped at once and nothing is left.
   */
  async install(
    name: string,
    manifest: PortableManifest,
    executable: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const instance = this.create(name, manifest, executable);
    try {
      await startUnlessAborted(instance, signal);
    } catch (error) {
      // A failed install leaves nothing, its log included: the error already carries the plugin's output.
      await this.remove(name);
      throw error;
    }
  }

  /** Registers an installed plugin and starts it without waiting (host start); failures show in its status. */
  register(name: string, manifest: PortableManifest, executable: string): PortableInstance {
    return this.create(name, manifest, executable);
  }

  /** Starts every registered plugin, a few at a time; resolves when all have succeeded or failed. */
  async startAll(): Promise<void> {
    const queue = [...this.instances.values()];
    const worker = async (): Promise<void> => {
      for (let instance = queue.shift(); instance !== undefined; instance = queue.shift()) {
        if (this.closed) return;
        await instance.start().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, worker));
  }

  /**
   * Stops the plugin's process before its files are replaced or removed, and holds off on-demand starts until
   * `restart`, `remove` or `release` (a failed delete) says the files are settled.
   */
  async stop(name: string): Promise<void> {
    const instance = this.instances.get(name);
    instance?.hold();
    await instance?.stop();
  }

  /** Lets on-demand starts of a plugin `stop` held run again, its files unchanged (a delete that failed). */
  release(name: string): void {
    this.instances.get(name)?.release();
  }

  /**
   * Starts a stopped plugin again from its (possibly new) files and replays its running symbols; `signal`
   * abandons the start as in `install`.
   */
  async restart(
    name: string,
    manifest: PortableManifest,
    executable: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const instance = this.instances.get(name);
    if (instance === undefined) return this.install(name, manifest, executable, signal);
    instance.replaceFiles(manifest, executable);
    // Started before the held calls go on, so they join this start of the new files rather than race it.
    const started = startUnlessAborted(instance, signal);
    instance.release();
    try {
      await started;
    } catch (error) {
      if (signal?.aborted === true) await instance.stop();
      throw error;
    }
  }

  /** Delete: kills the process and forgets the plugin; its log file goes with it. */
  async remove(name: string): Promise<void> {
    const instance = this.instances.get(name);
    this.instances.delete(name);
    await instance?.close();
    // Calls held by the delete's `stop` now learn the plugin is gone.
    instance?.release();
    this.logs.get(name)?.close();
    this.logs.delete(name);
    rmSync(join(this.runtimeDir, 'logs', `${name}.log`), { force: true });
  }

  /** Host close: every plugin process ends. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(all.map((instance) => instance.close().catch(() => {})));
    for (const log of this.logs.values()) log.close();
  }

  /**
   * A program dialled the control channel of `dialled`, which is not its name. It can only be a plugin being
   * started, so when exactly one is awaiting its handshake, that one is told (and fails at once). When several
   * start together (the host's start), none can be singled out: each waits out its init timeout as before.
   */
  private findStrayCaller(dialled: string): void {
    const starting = [...this.instances.values()].filter(
      (instance) => instance.name !== dialled && instance.awaitingHandshake,
    );
    if (starting.length === 1) starting[0]!.dialledAnotherPlugin(dialled);
  }

  private create(name: string, manifest: PortableManifest, executable: string): PortableInstance {
    const settings = this.settings;
    const instance = new PortableInstance(name, manifest, executable, {
      pythonBin: () => settings().pythonBin,
      initTimeoutMs: () => settings().portableInitTimeoutMs,
      callTimeoutMs: () => settings().portableCallTimeoutMs,
      log: this.log(name),
      pids: this.pids,
      onStrayCaller: (dialled) => this.findStrayCaller(dialled),
    });
    this.instances.set(name, instance);
    return instance;
  }
}
