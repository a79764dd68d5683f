import { hostMessage } from '../../shared/host-messages.js';
import type { PortableManifest } from '../../shared/portable-manifest.js';
import { SpError } from '../sp/index.js';
import { ControlChannel, type ArgDialect, type Control } from './control-channel.js';
import { FunctionChannel, type FunctionReply } from './function-channel.js';
import { controlUrl, functionUrl } from './ipc-urls.js';
import { launchPlan, prepareExecutable } from './launch-plan.js';
import type { PidRecords } from './pid-records.js';
import type { PluginLog } from './plugin-log.js';
import { explainingLines } from './explaining-lines.js';
import { describeEnd, endNote, PluginProcess, type ProcessEnd } from './plugin-process.js';
import { checkPython, missingModuleHint } from './python-preflight.js';

export type PortableState = 'initializing' | 'running' | 'error' | 'stop';

/** How the plugin's process ended by itself (not when the host stopped it), for the window to say it. */
export interface ProcessEndReport {
  /** The exit status, or null when a signal ended it. */
  code: number | null;
  signal: string | null;
  /** The stderr lines that explain the end (a traceback, a panic, error-level logging); '' when none do. */
  output: string;
}

/**
 * `GET /plugins/portables/{name}/status`: eKuiper's fields, plus the process id (0 when none runs) and, after
 * the process ended by itself, how (`stop` when it exited with status 0, `error` otherwise).
 */
export interface PortableStatus {
  refCount: Record<string, number>;
  status: PortableState;
  errMsg: string;
  pid: number;
  ended?: ProcessEndReport;
}

/** The plugin could not be started; the message carries the reason and the plugin's own stderr. */
export class PluginStartError extends Error {
  override name = 'PluginStartError';
}

/** What an instance reads from the host each time it starts the plugin (settings may change meanwhile). */
export interface InstanceContext {
  pythonBin(): string;
  initTimeoutMs(): number;
  callTimeoutMs(): number;
  log: PluginLog;
  pids: PidRecords;
  /**
   * Another plugin's control channel refused a caller: a program that dials a name other than the one it was
   * installed under. The host tells the plugin that is starting (see `dialledAnotherPlugin`).
   */
  onStrayCaller(dialled: string): void;
}

/** Back-off before restarting a plugin that keeps failing: 0.5 s, 1 s, 2 s … up to 30 s. */
export function restartDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(30_000, 500 * 2 ** (failures - 1));
}
/** A plugin that ran this long before failing counts as healthy again: the back-off starts over. */
const HEALTHY_RUN_MS = 60_000;

const ZERO_META = { ruleId: '', opId: '', instanceId: 0 };

/** The plugin's error output in a message: long enough to show a panic, short enough to read. */
function clip(text: string, max = 1500): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** What to do about a program that dials another plugin's control channel: it calls itself `dialled`. */
function otherNameHint(dialled: string): string {
  // `plugin_{name}` is said literally: the template's {name} is filled with the text "{name}".
  return hostMessage('pluginDialsOtherName', { dialled, name: '{name}' });
}

/** Replay key: type, symbol and meta (eKuiper keys by meta only, so its function starts overwrite each other). */
function commandKey(control: Control): string {
  const { ruleId, opId, instanceId } = control.meta;
  return `${control.pluginType}/${control.symbolName}/${ruleId}/${opId}/${instanceId}`;
}

function addressInUse(url: string, plugin: string): PluginStartError {
  return new PluginStartError(
    hostMessage('pluginSocketInUse', { socket: url.slice('ipc://'.length), name: plugin }),
  );
}

/**
 * One portable plugin as eKuiper v2 runs it: the process, its control channel, its function channels, the
 * symbols started on it (replayed after a restart), and the state `GET …/status` reports.
 */
export class PortableInstance {
  private state: PortableState = 'stop';
  private errMsg = '';
  private process: PluginProcess | undefined;
  private control: ControlChannel | undefined;
  private readonly functions = new Map<string, FunctionChannel>();
  private readonly commands = new Map<string, Control>();
  private readonly refs = new Map<string, number>();
  private starting: Promise<void> | undefined;
  private failures = 0;
  private lastFailureAt = 0;
  private dialect: ArgDialect = 'plain';
  private closed = false;
  /** Bumped by `stop`: a start that sees it change gives up instead of spawning a process nobody wants. */
  private generation = 0;
  private ended: ProcessEndReport | undefined;
  /** Set while the process is awaited on its control channel: fails the start with the name it dialled. */
  private dialledElsewhere: ((dialled: string) => void) | undefined;
  /** Set while an update or delete changes the plugin's files: on-demand starts wait for it to end. */
  private held: { until: Promise<void>; release: () => void } | undefined;

  constructor(
    readonly name: string,
    private manifest: PortableManifest,
    private executable: string,
    private readonly context: InstanceContext,
  ) {}

  get log(): PluginLog {
    return this.context.log;
  }

  get language(): string {
    return this.manifest.language;
  }

  get symbols(): Pick<PortableManifest, 'sources' | 'sinks' | 'functions'> {
    return this.manifest;
  }

  status(): PortableStatus {
    return {
      refCount: Object.fromEntries(this.refs),
      status: this.state,
      errMsg: this.errMsg,
      pid: this.process?.alive === true ? this.process.pid : 0,
      ...(this.ended === undefined ? {} : { ended: this.ended }),
    };
  }

  /** True while the process has been started and has not called its control channel yet. */
  get awaitingHandshake(): boolean {
    return this.dialledElsewhere !== undefined;
  }

  /**
   * The control channel of the plugin `dialled` refused a caller while this plugin was starting: this
   * plugin's program calls itself `dialled`. Fails the start at once, with the name to install it under,
   * instead of letting it wait out the init timeout. False when this plugin was not awaiting its handshake.
   */
  dialledAnotherPlugin(dialled: string): boolean {
    const fail = this.dialledElsewhere;
    if (fail === undefined) return false;
    this.dialledElsewhere = undefined;
    fail(dialled);
    return true;
  }

  /**
   * Starts the process and waits for its handshake (the install and the host's start call this). Rejects, with
   * the process killed and the status `error`, if it exits or stays silent past the init timeout.
   */
  start(): Promise<void> {
    this.starting ??= this.launch().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /**
   * eKuiper's `GetOrStartProcess`: a running plugin is used as is; a dead one is started again, after the
   * back-off its recent failures earned, and gets its running symbols back.
   */
  async ensureRunning(): Promise<void> {
    while (this.held !== undefined) await this.held.until;
    if (this.closed) throw new PluginStartError(`portable plugin ${this.name} is not installed`);
    if (this.starting !== undefined) return this.starting;
    if (this.state === 'running' && this.process?.alive === true) return;
    const wait = this.lastFailureAt + restartDelayMs(this.failures) - Date.now();
    if (wait > 0) {
      this.log.note(hostMessage('noteRestarting', { ms: wait, failures: this.failures }));
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.starting !== undefined) return this.starting;
      if (this.state === 'running' && this.process?.alive === true) return;
    }
    return this.start();
  }

  /**
   * Keeps on-demand starts (Try it, a rule's source) waiting until `release`: while an update or a delete
   * has stopped the process and is swapping its files, such a start would run half-replaced files, or the old
   * program just before the update's own start, which then fails on the sockets the intruder holds.
   */
  hold(): void {
    if (this.held !== undefined) return;
    let release = (): void => {};
    const until = new Promise<void>((resolve) => (release = resolve));
    this.held = { until, release };
  }

  /** Ends `hold`: the waiting starts go on (and join a start already under way). */
  release(): void {
    const held = this.held;
    this.held = undefined;
    held?.release();
  }

  /** Stops the process and every channel; the plugin keeps its recorded symbols for a later start. */
  async stop(): Promise<void> {
    // A start in progress is abandoned, not awaited: quitting must not wait out a silent plugin's init timeout.
    this.generation++;
    const starting = this.starting;
    await this.shutdown();
    await starting?.catch(() => {});
    await this.shutdown();
    this.state = 'stop';
    this.errMsg = '';
    this.ended = undefined;
  }

  /** For delete and host close: stops for good. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
    this.commands.clear();
  }

  /** Update: the next start runs the new files; the dialect is learnt again from the new program. */
  replaceFiles(manifest: PortableManifest, executable: string): void {
    this.manifest = manifest;
    this.executable = executable;
    this.dialect = 'plain';
    this.failures = 0;
    this.lastFailureAt = 0;
    for (const [key, control] of this.commands) {
      const folder =
        control.pluginType === 'func' ? 'functions' : control.pluginType === 'source' ? 'sources' : 'sinks';
      if (!manifest[folder].includes(control.symbolName)) this.commands.delete(key);
    }
  }

  /** Sends `start` for a source or sink of a rule (or a try-it session) and records it for replay. */
  async startSymbol(control: Control): Promise<void> {
    await this.ensureRunning();
    this.commands.set(commandKey(control), control);
    this.refs.set(control.meta.ruleId, (this.refs.get(control.meta.ruleId) ?? 0) + 1);
    try {
      await this.control!.command('start', control, this.context.callTimeoutMs());
    } catch (error) {
      this.forget(control);
      throw error;
    }
  }

  /** Sends `stop` if the plugin runs; the symbol is no longer replayed either way. */
  async stopSymbol(control: Control): Promise<void> {
    const known = this.commands.has(commandKey(control));
    this.forget(control);
    if (!known || this.state !== 'running' || this.control === undefined) return;
    await this.control.command('stop', control, this.context.callTimeoutMs());
  }

  /** One function call, starting the plugin and the function's channel first when needed. */
  async callFunction(symbol: string, func: string, arg: unknown, timeoutMs: number): Promise<FunctionReply> {
    await this.ensureRunning();
    const channel = this.functions.get(symbol) ?? (await this.startFunction(symbol));
    return channel.call(func, arg, timeoutMs);
  }

  private forget(control: Control): void {
    if (!this.commands.delete(commandKey(control))) return;
    const count = (this.refs.get(control.meta.ruleId) ?? 1) - 1;
    if (count <= 0) this.refs.delete(control.meta.ruleId);
    else this.refs.set(control.meta.ruleId, count);
  }

  private async startFunction(symbol: string): Promise<FunctionChannel> {
    const control: Control = { symbolName: symbol, meta: ZERO_META, pluginType: 'func' };
    const channel = await this.openFunctionChannel(symbol);
    try {
      await this.control!.command('start', control, this.context.callTimeoutMs());
    } catch (error) {
      this.functions.delete(symbol);
      await channel.close();
      throw error;
    }
    this.commands.set(commandKey(control), control);
    return channel;
  }

  private async openFunctionChannel(symbol: string): Promise<FunctionChannel> {
    let channel: FunctionChannel;
    try {
      channel = await FunctionChannel.open(symbol);
    } catch (error) {
      if (error instanceof SpError && error.code === 'EADDRINUSE')
        throw addressInUse(functionUrl(symbol), this.name);
      throw error;
    }
    this.functions.set(symbol, channel);
    return channel;
  }

  private async launch(): Promise<void> {
    await this.shutdown();
    this.state = 'initializing';
    this.errMsg = '';
    this.ended = undefined;
    const since = Date.now();
    try {
      await this.spawnAndHandshake(since);
    } catch (error) {
      await this.shutdown();
      this.state = 'error';
      this.errMsg = (error as Error).message;
      this.failures++;
      this.lastFailureAt = Date.now();
      this.log.note(hostMessage('noteStartFailed', { reason: this.errMsg }));
      throw error instanceof PluginStartError ? error : new PluginStartError(this.errMsg);
    }
    this.state = 'running';
    await this.replay();
  }

  private checkNotStopped(generation: number): void {
    if (generation !== this.generation)
      throw new PluginStartError(hostMessage('pluginStoppedWhileStarting', { name: this.name }));
  }

  private async spawnAndHandshake(since: number): Promise<void> {
    const generation = this.generation;
    const pythonBin = this.context.pythonBin();
    let missingModules: string[] = [];
    if (this.manifest.language === 'python' && this.manifest.virtualEnvType !== 'conda') {
      const python = await checkPython(pythonBin);
      if (!python.ok) throw new PluginStartError(python.problem);
      missingModules = python.missingModules;
    }
    let plan;
    try {
      plan = launchPlan(this.manifest, this.executable, pythonBin);
      if (this.manifest.language !== 'python') await prepareExecutable(this.executable);
    } catch (error) {
      throw new PluginStartError((error as Error).message);
    }
    this.checkNotStopped(generation);
    let control: ControlChannel;
    try {
      control = await ControlChannel.open(this.name, this.dialect, () => this.strayCaller());
    } catch (error) {
      if (error instanceof SpError && error.code === 'EADDRINUSE')
        throw addressInUse(controlUrl(this.name), this.name);
      throw error;
    }
    if (generation !== this.generation) {
      await control.close();
      this.checkNotStopped(generation);
    }
    this.control = control;
    this.log.note(hostMessage('noteStarting', { command: plan.display }));
    const child = PluginProcess.spawn(plan, this.log);
    this.process = child;
    void child.ended.then((end) => this.onExit(child, end));
    if (child.pid > 0) this.context.pids.record(this.name, child.pid, plan.command);
    const timeoutMs = this.context.initTimeoutMs();
    const exited = child.ended.then((end) => {
      throw this.earlyExitError(end, since, pythonBin, missingModules);
    });
    const dialledElsewhere = new Promise<never>((_resolve, reject) => {
      this.dialledElsewhere = (dialled) => reject(this.wrongChannelError(dialled));
    });
    try {
      await Promise.race([control.handshake(timeoutMs), exited, dialledElsewhere]);
    } catch (error) {
      if (error instanceof SpError && error.code === 'ETIMEDOUT') {
        const stderr = this.log.stderrSince(since);
        throw new PluginStartError(
          hostMessage('pluginNoHandshake', {
            name: this.name,
            socket: controlUrl(this.name).slice('ipc://'.length),
            ms: timeoutMs,
            stderr: stderr === '' ? '' : hostMessage('pluginErrorOutput', { stderr }),
          }),
        );
      }
      throw error;
    } finally {
      this.dialledElsewhere = undefined;
      exited.catch(() => {});
      dialledElsewhere.catch(() => {});
    }
    this.log.note(hostMessage('noteRunning', { pid: child.pid }));
  }

  /** Someone other than this plugin's process called its control channel: the runtime finds out who. */
  private strayCaller(): void {
    this.log.note(hostMessage('pluginStrayCaller', { socket: controlUrl(this.name).slice('ipc://'.length) }));
    this.context.onStrayCaller(this.name);
  }

  private wrongChannelError(dialled: string): PluginStartError {
    return new PluginStartError(
      hostMessage('pluginWrongChannel', { name: this.name, dialled, hint: otherNameHint(dialled) }),
    );
  }

  private earlyExitError(
    end: ProcessEnd,
    since: number,
    pythonBin: string,
    missing: string[],
  ): PluginStartError {
    this.log.flush();
    const stderr = this.log.stderrSince(since);
    const command = this.manifest.language === 'python' ? pythonBin : this.manifest.executable;
    if (end.spawnError?.code === 'ENOENT') {
      return new PluginStartError(
        this.manifest.virtualEnvType === 'conda'
          ? hostMessage('pluginCondaMissing', { env: this.manifest.env ?? '' })
          : hostMessage('pluginCommandNotFound', { command }),
      );
    }
    if (end.spawnError?.code === 'EACCES') {
      return new PluginStartError(hostMessage('pluginCommandNotExecutable', { command }));
    }
    const dialled = this.dialledName(since);
    const hint =
      dialled !== undefined
        ? otherNameHint(dialled)
        : this.manifest.language === 'python'
          ? missingModuleHint(pythonBin, stderr, missing)
          : undefined;
    const how = describeEnd(end);
    if (hint === undefined) {
      const output = stderr === '' ? '' : hostMessage('pluginErrorOutput', { stderr: clip(stderr) });
      return new PluginStartError(
        hostMessage('pluginEndedBeforeHandshake', { name: this.name, how, stderr: output }),
      );
    }
    return new PluginStartError(
      stderr === ''
        ? hostMessage('pluginEndedBeforeHandshakeHint', { name: this.name, how, hint })
        : hostMessage('pluginEndedBeforeHandshakeHintOutput', {
            name: this.name,
            how,
            hint,
            stderr: clip(stderr),
          }),
    );
  }

  /**
   * The other plugin name the process says it dialled (the Go SDK panics "can't dial on req socket" naming
   * the address on stderr; the Python SDK logs it on stdout and exits with status 0), if any.
   */
  private dialledName(since: number): string | undefined {
    for (const line of this.log.linesSince(since, ['stderr', 'stdout']).reverse()) {
      const dialled = /plugin_([A-Za-z0-9_-]+)\.ipc/.exec(line)?.[1];
      if (dialled !== undefined && dialled !== this.name) return dialled;
    }
    return undefined;
  }

  private onExit(child: PluginProcess, end: ProcessEnd): void {
    this.log.flush();
    this.log.note(endNote(child.pid, end));
    if (child.pid > 0) this.context.pids.forget(this.name);
    if (this.process !== child) return;
    if (this.state === 'running') {
      // Exiting with status 0 is the program's own decision: it stopped, it did not fail.
      this.state = end.code === 0 ? 'stop' : 'error';
      const output = explainingLines(this.log.linesSince(child.startedAt, ['stderr'])).join('\n');
      this.ended = { code: end.code, signal: end.signal, output };
      const how = describeEnd(end);
      this.errMsg =
        output === ''
          ? hostMessage('pluginProcessEnded', { how })
          : hostMessage('pluginProcessEndedOutput', { how, output });
      if (Date.now() - child.startedAt >= HEALTHY_RUN_MS) this.failures = 0;
      this.failures++;
      this.lastFailureAt = Date.now();
    }
  }

  /** Puts back the symbols the previous process was running (eKuiper's replay after `GetOrStartProcess`). */
  private async replay(): Promise<void> {
    const commands = [...this.commands.values()];
    if (commands.length === 0) return;
    this.log.note(hostMessage('noteReplaying', { count: commands.length }));
    for (const control of commands) {
      try {
        if (control.pluginType === 'func') await this.openFunctionChannel(control.symbolName);
        await this.control!.command('start', control, this.context.callTimeoutMs());
      } catch (error) {
        this.log.note(
          hostMessage('noteReplayFailed', {
            type: control.pluginType,
            symbol: control.symbolName,
            reason: (error as Error).message,
          }),
        );
        if (control.pluginType === 'func') {
          await this.functions.get(control.symbolName)?.close();
          this.functions.delete(control.symbolName);
          this.commands.delete(commandKey(control));
        }
      }
    }
  }

  /** Kills the process and closes the channels (a new process gets fresh ones: no stale requests). */
  private async shutdown(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (child !== undefined) await child.kill();
    const closing = [...this.functions.values()].map((channel) => channel.close().catch(() => {}));
    this.functions.clear();
    if (this.control !== undefined) {
      this.dialect = this.control.dialect;
      closing.push(this.control.close().catch(() => {}));
    }
    this.control = undefined;
    await Promise.all(closing);
  }
}
