import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type {
  NativePluginInfo,
  PluginDetails,
  PluginOverview,
  PluginRecord,
  PortablePluginInfo,
} from '../../shared/plugin-dto.js';
import {
  type NativeKind,
  type PluginKind,
  SYMBOL_FOLDERS,
  type SymbolFolder,
  kindSingular,
} from '../../shared/plugin-kinds.js';
import {
  functionNameLengthProblem,
  lowerFirst,
  nameLengthProblem,
  nativeNameProblem,
  validateId,
} from '../../shared/plugin-names.js';
import { hostMessage } from '../../shared/host-messages.js';
import { libraryPattern } from '../../shared/native-zip-rules.js';
import type { SettingsSource } from '../settings/host-settings.js';
import { DataLayout } from './data-layout.js';
import { FileTransaction, recoverTransactions } from './file-transaction.js';
import { KeyedMutex } from './keyed-mutex.js';
import { lockDataFolder } from './data-folder-lock.js';
import { InstallEvents, noProgress, type Progress } from './install-progress.js';
import { PluginError, asPluginError, errorText } from './plugin-error.js';
import {
  PluginRegistry,
  portableExecutablePath,
  scanPlugins,
  type NativePlugin,
  type SymbolOwner,
} from './plugin-registry.js';
import { stageNative, stagePortable, type InstallRequest, type StagedInstall } from './install-staging.js';
import { isValidPluginUrl } from './zip-source.js';
import { overviewRow } from './plugin-overview.js';
import { PortableRuntime } from '../runtime/portable-runtime.js';
import type { PortableStatus } from '../runtime/plugin-instance.js';
import type { PortableManifest } from '../../shared/portable-manifest.js';

const COMMIT_KEY = '#commit';

export type { PortableStatus } from '../runtime/plugin-instance.js';

/** How messages name the kind of plugin that owns a symbol: `portable`, `source`, `sink`, `function`. */
function ownerKind(owner: SymbolOwner): string {
  return owner.kind === 'portables' ? 'portable' : kindSingular(owner.kind);
}

/**
 * Installs, lists, describes, updates and removes plugins with eKuiper's semantics and texts, but all or
 * nothing: every change is staged and committed as one file transaction, per-plugin locks keep concurrent
 * requests apart, and one commit at a time re-checks symbol conflicts against the final state.
 */
export class PluginManager {
  private readonly locks = new KeyedMutex();
  private changes = 0;
  /** Progress of every create, update and delete, for `GET /manager/events`. */
  readonly events = new InstallEvents();

  /** Grows with every committed change, so readers can keep answers derived from the registry until it moves. */
  get revision(): number {
    return this.changes;
  }

  /** The portable plugins' processes. */
  readonly runtime: PortableRuntime;
  /** Functions outside the plugins that share their namespace (see `useOtherFunctions`). */
  private otherFunctionOwner: (name: string) => string | undefined = () => undefined;

  private constructor(
    readonly layout: DataLayout,
    private readonly settings: SettingsSource,
    private readonly registry: PluginRegistry,
    private readonly releaseFolder: () => void,
  ) {
    this.runtime = new PortableRuntime(layout.path('plugins/.runtime'), () => settings.read());
  }

  /** Prepares the data folder, undoes what a crash left half-done, and loads what is installed. */
  static async open(
    settings: SettingsSource,
    warn: (message: string) => void = () => {},
  ): Promise<PluginManager> {
    const layout = new DataLayout(settings.read().dataDir);
    await layout.ensure();
    const release = lockDataFolder(layout);
    try {
      const recovered = await recoverTransactions(layout);
      if (recovered > 0) warn(`cleaned up ${recovered} unfinished install(s) from a previous run`);
      const manager = new PluginManager(layout, settings, await scanPlugins(layout, warn), release);
      const orphans = manager.runtime.endOrphans();
      if (orphans > 0) warn(`ended ${orphans} plugin process(es) a previous run left behind`);
      for (const [name, plugin] of manager.registry.portables) {
        manager.runtime.register(name, plugin.manifest, portableExecutablePath(layout, plugin.manifest));
      }
      return manager;
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Starts every installed portable plugin, a few at a time, as eKuiper does at its start. The host answers
   * meanwhile: a plugin's status reads `initializing` until it has called, `error` if it failed.
   */
  startPortables(): Promise<void> {
    return this.runtime.startAll();
  }

  /** Ends every plugin process, then lets another host open the data folder. */
  async close(): Promise<void> {
    try {
      await this.runtime.close();
    } finally {
      this.releaseFolder();
    }
  }

  // ---- native plugins -------------------------------------------------------------------------------

  listNative(kind: NativeKind): string[] {
    return [...this.registry.native[kind].keys()].sort();
  }

  describeNative(kind: NativeKind, name: string): NativePluginInfo {
    assertId(name);
    const plugin = this.registry.native[kind].get(name);
    if (plugin === undefined) throw PluginError.notFound(`describe ${kind} plugin ${name} error: not found`);
    // eKuiper answers a Go map, whose keys json.Marshal sorts: `functions` comes first.
    const functions = plugin.record?.functions;
    return functions === undefined
      ? { name, version: plugin.version }
      : { functions, name, version: plugin.version };
  }

  /** POST /plugins/{kind}: 201 text on success; `signal` abandons it until the files are in place. */
  async createNative(kind: NativeKind, request: InstallRequest, signal?: AbortSignal): Promise<string> {
    const progress = this.events.begin('create', kind, request.name);
    return tracked(progress, async () => {
      assertId(request.name);
      const prefix = `${kind} plugins create command error`;
      try {
        this.checkNativeName(kind, request.name);
        this.checkRequest(request);
        await this.locks.run([nativeKey(kind, request.name)], async () => {
          this.checkNativeNameFree(kind, request.name);
          this.checkNativeFunctions(kind, request);
          await this.install(
            (transaction) => stageNative(this.context(transaction, progress, signal), kind, request),
            {
              remove: [],
              check: () => this.checkNativeFunctions(kind, request),
              apply: (staged) => this.setNative(kind, request.name, staged),
            },
            progress,
            signal,
          );
        });
      } catch (error) {
        throw asPluginError(error, prefix);
      }
      return `${kind} plugin ${request.name} is created`;
    });
  }

  /**
   * PUT /plugins/{kind}/{name}: replaces the plugin, or leaves the old one in place if anything fails or
   * `signal` aborts before the new files are in place.
   */
  async updateNative(
    kind: NativeKind,
    urlName: string,
    request: InstallRequest,
    signal?: AbortSignal,
  ): Promise<string> {
    const name = request.name === '' ? urlName : request.name;
    const progress = this.events.begin('update', kind, name);
    return tracked(progress, () =>
      this.replaceNative(kind, urlName, name, { ...request, name }, progress, signal),
    );
  }

  private async replaceNative(
    kind: NativeKind,
    urlName: string,
    name: string,
    body: InstallRequest,
    progress: Progress,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    assertId(urlName);
    assertId(name);
    return this.locks.run([nativeKey(kind, urlName), nativeKey(kind, name)], async () => {
      const old = this.registry.native[kind].get(urlName);
      if (old === undefined) {
        throw PluginError.notFound(
          `update ${kind} plugin ${urlName} error, cannot delete old version: invalid name ${urlName}: not exist`,
        );
      }
      try {
        this.checkNativeName(kind, name);
        this.checkRequest(body);
        this.checkNativeNameFree(kind, name, urlName);
        this.checkNativeFunctions(kind, body, urlName);
        const remove = await this.nativeOwnedPaths(old);
        await this.install(
          (transaction) => stageNative(this.context(transaction, progress, signal), kind, body),
          {
            remove,
            check: () => this.checkNativeFunctions(kind, body, urlName),
            apply: (staged) => {
              this.registry.native[kind].delete(urlName);
              this.setNative(kind, name, staged);
            },
          },
          progress,
          signal,
        );
      } catch (error) {
        throw asPluginError(error, `${kind} plugins create command error`);
      }
      return `plugin ${name} is updated and eKuiper must restart for the change to take effect.`;
    });
  }

  /** DELETE /plugins/{kind}/{name}: removes every file the plugin installed, at once. */
  async deleteNative(kind: NativeKind, name: string, stop: boolean): Promise<string> {
    const progress = this.events.begin('delete', kind, name);
    await tracked(progress, async () => {
      assertId(name);
      await this.locks.run([nativeKey(kind, name)], async () => {
        const plugin = this.registry.native[kind].get(name);
        if (plugin === undefined) {
          throw PluginError.notFound(`delete ${kind} plugin ${name} error: invalid name ${name}: not exist`);
        }
        try {
          await this.remove(
            await this.nativeOwnedPaths(plugin),
            () => this.registry.native[kind].delete(name),
            progress,
          );
        } catch (error) {
          throw asPluginError(error, `delete ${kind} plugin ${name} error`);
        }
      });
    });
    return stop
      ? `${kind} plugin ${name} is deleted and eKuiper will be stopped`
      : `${kind} plugin ${name} is deleted and eKuiper must restart for the change to take effect.`;
  }

  /**
   * The function plugin `/register` targets, or eKuiper's 400/404 for a bad or unknown name. The route asks
   * before decoding the body (eKuiper's order); `registerFunctions` asks again under the plugin's lock.
   */
  requireFunctionPlugin(name: string): NativePlugin {
    assertId(name);
    const plugin = this.registry.native.functions.get(name);
    if (plugin === undefined)
      throw PluginError.notFound(`register functions plugin ${name} error: not found`);
    return plugin;
  }

  /** POST /plugins/functions/{name}/register: replaces the function list atomically (eKuiper's is not). */
  async registerFunctions(name: string, functions: string[]): Promise<string> {
    // eKuiper spells it "regiser"; the host's own text is spelt right (scripts match "functions error").
    const prefix = `function plugins ${name} register functions error`;
    await this.locks.run([nativeKey('functions', name)], async () => {
      const plugin = this.requireFunctionPlugin(name);
      if (functions.length === 0) throw new PluginError(`${prefix}: property 'functions' must not be empty`);
      try {
        checkFunctionNames(functions);
        const request: InstallRequest = { name, file: '', shellParas: [], functions };
        this.checkNativeFunctions('functions', request, name);
        const record: PluginRecord = { ...(plugin.record ?? this.emptyRecord('functions', name)), functions };
        await this.commitRecord(record, {
          check: () => this.checkNativeFunctions('functions', request, name),
          apply: () => (plugin.record = record),
        });
      } catch (error) {
        throw asPluginError(error, prefix);
      }
    });
    return `function plugin ${name} function list is registered`;
  }

  listUdfs(): string[] {
    return [...this.registry.udfs().keys()].sort();
  }

  describeUdf(name: string): { name: string; plugin: string } {
    assertId(name);
    const plugin = this.registry.udfs().get(name);
    if (plugin === undefined) throw PluginError.notFound(`describe function ${name} error: not found`);
    return { name, plugin };
  }

  // ---- portable plugins -----------------------------------------------------------------------------

  listPortables(): PortablePluginInfo[] {
    return this.portableNames().map((name) => this.portableInfo(name));
  }

  /** Installed portable plugins' names in eKuiper's list order (by name). */
  private portableNames(): string[] {
    return [...this.registry.portables.keys()].sort();
  }

  describePortable(name: string): PortablePluginInfo {
    if (!this.registry.portables.has(name)) {
      throw PluginError.notFound(`describe portable plugin ${name} error: not found`);
    }
    return this.portableInfo(name);
  }

  /**
   * POST /plugins/portables. `signal` abandons the install (the client went away): the plugin's process is
   * stopped, its files rolled back, nothing is left.
   */
  async createPortable(request: InstallRequest, signal?: AbortSignal): Promise<string> {
    const progress = this.events.begin('create', 'portables', request.name);
    return tracked(progress, async () => {
      try {
        await this.writePortable(request, undefined, progress, signal);
      } catch (error) {
        throw asPluginError(error, 'portable plugin create command error');
      }
      return `portable plugin ${request.name} is created`;
    });
  }

  /**
   * PUT /plugins/portables/{name}: as eKuiper, an unknown name is created; a failure, or `signal` aborting
   * before the new version runs, keeps the old version.
   */
  async updatePortable(urlName: string, request: InstallRequest, signal?: AbortSignal): Promise<string> {
    const name = request.name.trim() === '' ? urlName : request.name;
    const progress = this.events.begin('update', 'portables', name);
    return tracked(progress, async () => {
      try {
        await this.writePortable({ ...request, name }, urlName, progress, signal);
      } catch (error) {
        throw asPluginError(error, 'portable plugin update command error');
      }
      return `portable plugin ${name} is updated`;
    });
  }

  async deletePortable(name: string): Promise<string> {
    const prefix = `delete portable plugin ${name} error`;
    const progress = this.events.begin('delete', 'portables', name);
    await tracked(progress, () =>
      this.locks.run([`portables/${name}`], async () => {
        const plugin = this.registry.portables.get(name);
        if (plugin === undefined)
          throw PluginError.notFound(`${prefix}: portable plugin ${name} is not found`);
        try {
          // eKuiper kills the process first: files in use cannot be removed on Windows.
          await this.runtime.stop(name);
          await this.remove(
            this.portableOwnedPaths(name, plugin.manifest),
            () => this.registry.portables.delete(name),
            progress,
          );
          await this.runtime.remove(name);
        } catch (error) {
          // The files are still there (the removal rolled back): so may the plugin run again.
          this.runtime.release(name);
          throw asPluginError(error, prefix);
        }
      }),
    );
    return `portable plugin ${name} is deleted`;
  }

  /** eKuiper's status of a portable plugin's process, plus its process id. */
  portableStatus(name: string): PortableStatus {
    if (!this.registry.portables.has(name))
      throw PluginError.notFound(`portable plugin ${name} not found: not found`);
    return this.runtime.status(name);
  }

  /** An installed portable plugin's manifest, or eKuiper's 404. */
  portableManifest(name: string): PortableManifest {
    const plugin = this.registry.portables.get(name);
    if (plugin === undefined) throw PluginError.notFound(`portable plugin ${name} not found: not found`);
    return plugin.manifest;
  }

  // ---- UI metadata ---------------------------------------------------------------------------------

  /**
   * The UI metadata JSON eKuiper installs for a plugin (`data/` first, as eKuiper reads it, then `etc/`):
   * natives answer their `{name}.json`; portables `{"sources":{symbol:…},"sinks":{…},"functions":{…}}` for
   * every declared symbol that has one. A file that is not valid JSON answers `{"invalid": <parse error>,
   * "file": <path>}` in its place, so one broken file does not hide the others.
   */
  async metadata(kind: PluginKind, name: string): Promise<unknown> {
    assertId(name);
    const prefix = `metadata of ${kind === 'portables' ? 'portable' : kindSingular(kind)} plugin ${name} error`;
    if (kind !== 'portables') {
      if (!this.registry.native[kind].has(name)) throw PluginError.notFound(`${prefix}: not found`);
      const found = await this.readMetadata(kind, name);
      if (found === undefined) {
        throw PluginError.notFound(
          `${prefix}: the plugin has no metadata file (data/${kind}/${name}.json or etc/${kind}/${name}.json)`,
        );
      }
      return found;
    }
    const plugin = this.registry.portables.get(name);
    if (plugin === undefined) throw PluginError.notFound(`${prefix}: not found`);
    const answer: Record<SymbolFolder, Record<string, unknown>> = { sources: {}, sinks: {}, functions: {} };
    let count = 0;
    for (const folder of SYMBOL_FOLDERS) {
      for (const symbol of plugin.manifest[folder]) {
        const found = await this.readMetadata(folder, symbol);
        if (found === undefined) continue;
        answer[folder][symbol] = found;
        count++;
      }
    }
    if (count === 0) {
      throw PluginError.notFound(
        `${prefix}: none of its symbols has a metadata file (data/{sources,sinks,functions}/{symbol}.json)`,
      );
    }
    return answer;
  }

  private async readMetadata(folder: SymbolFolder, name: string): Promise<unknown> {
    for (const root of ['data', 'etc']) {
      const file = `${root}/${folder}/${name}.json`;
      let text: string;
      try {
        text = await readFile(this.layout.path(file), 'utf8');
      } catch {
        continue;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        return { invalid: errorText(error), file };
      }
    }
    return undefined;
  }

  // ---- overview for the window ----------------------------------------------------------------------

  /** Every plugin, sorted by kind then name, as the window lists it: the lean rows of `details`. */
  overview(): PluginOverview[] {
    const rows: PluginOverview[] = [];
    for (const kind of ['sources', 'sinks', 'functions'] as const) {
      for (const name of this.listNative(kind)) rows.push(overviewRow(this.nativeDetails(kind, name)!));
    }
    for (const name of this.portableNames()) rows.push(overviewRow(this.portableDetails(name)!));
    return rows;
  }

  /**
   * Everything the host knows of one plugin — its file and whole install record, install.sh's output included —
   * for the window's describe drawer, which asks for one plugin at a time instead of the list carrying it all.
   */
  details(kind: PluginKind, name: string): PluginDetails {
    assertId(name);
    const found = kind === 'portables' ? this.portableDetails(name) : this.nativeDetails(kind, name);
    if (found === undefined) {
      const what = kind === 'portables' ? 'portable' : kindSingular(kind);
      throw PluginError.notFound(
        `details of ${what} plugin ${name} error: no ${what} plugin named ${name} is installed`,
      );
    }
    return found;
  }

  private nativeDetails(kind: NativeKind, name: string): PluginDetails | undefined {
    const plugin = this.registry.native[kind].get(name);
    if (plugin === undefined) return undefined;
    return {
      kind,
      name,
      version: plugin.version,
      file: this.layout.path(`plugins/${kind}/${plugin.libraryFile}`),
      functions: kind === 'functions' ? PluginRegistry.nativeFunctions(plugin) : [],
      sources: kind === 'sources' ? [name] : [],
      sinks: kind === 'sinks' ? [name] : [],
      record: plugin.record,
    };
  }

  private portableDetails(name: string): PluginDetails | undefined {
    const plugin = this.registry.portables.get(name);
    if (plugin === undefined) return undefined;
    const info = this.portableInfo(name);
    return {
      kind: 'portables',
      name: info.name,
      version: info.version,
      file: info.executable,
      functions: info.functions,
      sources: info.sources,
      sinks: info.sinks,
      language: info.language,
      record: plugin.record,
    };
  }

  // ---- internals ------------------------------------------------------------------------------------

  private context(transaction: FileTransaction, progress: Progress = noProgress, signal?: AbortSignal) {
    return { layout: this.layout, settings: this.settings.read(), transaction, progress, signal };
  }

  /** A native name's own rules past eKuiper's ValidateID: a lower-case first letter, a length files allow. */
  private checkNativeName(kind: NativeKind, name: string): void {
    const problem = nativeNameProblem(name) ?? nameLengthProblem(kind, name);
    if (problem !== undefined) throw new PluginError(problem);
  }

  private checkRequest(request: InstallRequest): void {
    if (!isValidPluginUrl(request.file)) throw new PluginError(`invalid uri ${request.file}`);
    checkFunctionNames(request.functions ?? []);
  }

  /**
   * eKuiper's duplicate check, also across names that differ only in the first letter's case: `Foo` and
   * `foo` share `Foo.so` and eKuiper's scan names both `foo`, so two such plugins would overwrite and delete
   * each other's files. `replacing` is the plugin an update replaces, which may change that letter's case.
   */
  private checkNativeNameFree(kind: NativeKind, name: string, replacing?: string): void {
    for (const other of this.registry.native[kind].keys()) {
      if (other === replacing || lowerFirst(other) !== lowerFirst(name)) continue;
      throw new PluginError(
        other === name
          ? `invalid name ${name}: duplicate`
          : `invalid name ${name}: duplicate: ` +
              hostMessage('duplicateFirstLetterCase', { kind: kindSingular(kind), other }),
      );
    }
  }

  /**
   * Tells the manager where other functions of SQL's one namespace live (custom JavaScript functions, external
   * services' functions; see `FunctionNamespace`), so a plugin never installs a function that shadows one of
   * them. Set once by the host after every manager is open.
   */
  useOtherFunctions(owner: (name: string) => string | undefined): void {
    this.otherFunctionOwner = owner;
  }

  /** A refusal for a plugin function named like one of the other functions, if it is. */
  private otherFunctionProblem(fn: string): PluginError | undefined {
    const other = this.otherFunctionOwner(fn);
    return other === undefined ? undefined : new PluginError(`function name ${fn} already exists: ${other}`);
  }

  /**
   * The plugin that exports a function of this name, worded for a refusal: JavaScript functions share SQL's one
   * function namespace with plugins, so one must not shadow the other.
   */
  functionNameOwner(name: string): string | undefined {
    const owner = this.registry.findSymbolOwner('functions', name, { kind: 'functions', plugin: '' });
    if (owner === undefined) return undefined;
    return hostMessage('functionExportedBy', { ownerKind: ownerKind(owner), owner: owner.plugin });
  }

  /** Function names for function plugins; for sources and sinks, the plugin's name against portable ones. */
  private checkNativeFunctions(kind: NativeKind, request: InstallRequest, replacing?: string): void {
    if (kind !== 'functions') {
      const owner = this.registry.findSymbolOwner(kind, request.name, {
        kind,
        plugin: replacing ?? request.name,
      });
      if (owner === undefined) return;
      const what = kindSingular(kind);
      throw new PluginError(
        `${what} name ${request.name} already exists: ` +
          hostMessage('symbolProvidedBy', { ownerKind: ownerKind(owner), owner: owner.plugin, what }),
      );
    }
    const symbols =
      request.functions !== undefined && request.functions.length > 0 ? request.functions : [request.name];
    for (const fn of symbols) {
      const other = this.otherFunctionProblem(fn);
      if (other !== undefined) throw other;
      const owner = this.registry.findSymbolOwner('functions', fn, {
        kind: 'functions',
        plugin: replacing ?? request.name,
      });
      if (owner !== undefined) {
        throw new PluginError(
          `function name ${fn} already exists: ` +
            hostMessage('functionExportedBy', { ownerKind: ownerKind(owner), owner: owner.plugin }),
        );
      }
    }
  }

  private checkPortableSymbols(manifest: PortablePluginInfo, replacing: string | undefined): void {
    for (const folder of SYMBOL_FOLDERS) {
      for (const symbol of manifest[folder]) {
        const other = folder === 'functions' ? this.otherFunctionProblem(symbol) : undefined;
        if (other !== undefined) throw other;
        const owner = this.registry.findSymbolOwner(folder, symbol, {
          kind: 'portables',
          plugin: replacing ?? manifest.name,
        });
        if (owner !== undefined) {
          const what = folder.slice(0, -1);
          throw new PluginError(
            `${what} name ${symbol} already exists: ` +
              hostMessage('symbolProvidedBy', { ownerKind: ownerKind(owner), owner: owner.plugin, what }),
          );
        }
      }
    }
  }

  private async writePortable(
    request: InstallRequest,
    replacing: string | undefined,
    progress: Progress,
    signal?: AbortSignal,
  ): Promise<void> {
    if (request.name.trim() === '')
      throw new PluginError(`invalid name ${request.name}: should not be empty`);
    assertId(request.name);
    const tooLong = nameLengthProblem('portables', request.name);
    if (tooLong !== undefined) throw new PluginError(tooLong);
    const keys = [
      `portables/${request.name}`,
      ...(replacing === undefined ? [] : [`portables/${replacing}`]),
    ];
    await this.locks.run(keys, async () => {
      this.checkRequest(request);
      const old = replacing === undefined ? undefined : this.registry.portables.get(replacing);
      const isSame = old !== undefined && replacing === request.name;
      if (!isSame && this.registry.portables.has(request.name)) {
        throw new PluginError(`invalid name ${request.name}: duplicate`);
      }
      const remove = old === undefined ? [] : this.portableOwnedPaths(replacing!, old.manifest);
      const except = old === undefined ? undefined : replacing;
      let manifest: PortablePluginInfo | undefined;
      await this.install(
        async (transaction) => {
          const staged = await stagePortable(this.context(transaction, progress, signal), request);
          manifest = staged.manifest;
          this.checkPortableSymbols(staged.manifest, except);
          return staged;
        },
        {
          remove,
          check: () => this.checkPortableSymbols(manifest!, except),
          beforeCommit: async () => {
            // The old process holds the plugin's sockets and, on Windows, its files: it goes first.
            if (old !== undefined) await this.runtime.stop(replacing!);
          },
          afterCommit: async (staged) => {
            const executable = portableExecutablePath(this.layout, staged.manifest);
            if (old === undefined || !isSame) {
              await this.runtime.install(request.name, staged.manifest, executable, signal);
              return;
            }
            try {
              await this.runtime.restart(request.name, staged.manifest, executable, signal);
            } catch (error) {
              // The old files come back next: calls wait for them rather than start the refused program.
              await this.runtime.stop(request.name);
              throw error;
            }
          },
          afterRollback: async () => {
            // The old files are back: so is the old process, with its running symbols.
            if (old === undefined) return;
            const executable = portableExecutablePath(this.layout, old.manifest);
            await this.runtime.restart(replacing!, old.manifest, executable).catch(() => {});
          },
          apply: (staged) => {
            if (replacing !== undefined && replacing !== request.name) void this.runtime.remove(replacing);
            if (replacing !== undefined) this.registry.portables.delete(replacing);
            this.registry.portables.set(request.name, { manifest: staged.manifest, record: staged.record });
          },
        },
        progress,
        signal,
      );
    });
  }

  /**
   * The common tail of every install: stage in a fresh transaction, then — one commit at a time — re-check
   * conflicts, commit, update the registry and finish. Any failure leaves the data folder as it was; so does
   * `signal` aborting before the change is final (the client went away), which answers a cancellation.
   */
  private async install<S extends StagedInstall>(
    stage: (transaction: FileTransaction) => Promise<S>,
    commit: {
      remove: string[];
      check: () => void;
      apply: (staged: S) => void;
      /** Runs once the checks pass, before any file moves (stops the process an update replaces). */
      beforeCommit?: () => Promise<void>;
      /** Runs with the new files in place; a throw rolls the files back (a plugin that does not start). */
      afterCommit?: (staged: S) => Promise<void>;
      /** Runs after such a rollback, with the old files back in place. */
      afterRollback?: () => Promise<void>;
    },
    progress: Progress = noProgress,
    signal?: AbortSignal,
  ): Promise<void> {
    const transaction = await FileTransaction.begin(this.layout);
    try {
      const staged = await stage(transaction);
      signal?.throwIfAborted();
      progress({ phase: 'commit' });
      await this.locks.run([COMMIT_KEY], async () => {
        signal?.throwIfAborted();
        commit.check();
        await commit.beforeCommit?.();
        try {
          await transaction.commit({ replace: staged.replace, remove: commit.remove });
        } catch (error) {
          await commit.afterRollback?.();
          throw error;
        }
        try {
          await commit.afterCommit?.(staged);
          await transaction.finish();
        } catch (error) {
          await transaction.rollback();
          await commit.afterRollback?.();
          throw error;
        }
        commit.apply(staged);
        this.changes++;
      });
    } catch (error) {
      await transaction.discard();
      if (signal?.aborted === true) throw cancelled(commit.remove.length > 0);
      throw error;
    }
  }

  private async remove(paths: string[], apply: () => void, progress: Progress = noProgress): Promise<void> {
    const transaction = await FileTransaction.begin(this.layout);
    progress({ phase: 'commit' });
    try {
      await this.locks.run([COMMIT_KEY], async () => {
        await transaction.commit({ replace: [], remove: paths });
        await transaction.finish();
        apply();
        this.changes++;
      });
    } catch (error) {
      await transaction.discard();
      throw error;
    }
  }

  /** Replaces a plugin's record on disk; the registry learns it only once the file is committed. */
  private async commitRecord(
    record: PluginRecord,
    commit: { check: () => void; apply: () => void },
  ): Promise<void> {
    const path = this.layout.recordPath(record.kind, record.name);
    const transaction = await FileTransaction.begin(this.layout);
    try {
      const staged = transaction.stagedPath(path);
      await mkdir(dirname(staged), { recursive: true });
      await writeFile(staged, JSON.stringify(record, null, 2));
      await this.locks.run([COMMIT_KEY], async () => {
        commit.check();
        await transaction.commit({ replace: [path], remove: [] });
        await transaction.finish();
        commit.apply();
        this.changes++;
      });
    } catch (error) {
      await transaction.discard();
      throw error;
    }
  }

  private emptyRecord(kind: NativeKind, name: string): PluginRecord {
    return {
      kind,
      name,
      source: null,
      shellParas: [],
      installedAt: '',
      zipBytes: 0,
      zipSha256: '',
      installedBytes: 0,
    };
  }

  private setNative(
    kind: NativeKind,
    name: string,
    staged: StagedInstall & { version: string; libraryFile: string },
  ): void {
    this.registry.native[kind].set(name, {
      kind,
      name,
      version: staged.version,
      libraryFile: staged.libraryFile,
      record: staged.record,
    });
  }

  /** Everything a native plugin owns (reference §4.6), including `data/{kind}/{name}/` that eKuiper forgets. */
  private async nativeOwnedPaths(plugin: NativePlugin): Promise<string[]> {
    const { kind, name } = plugin;
    const pattern = libraryPattern(name);
    const libraries = (await readdir(this.layout.nativeDir(kind))).filter((file) => pattern.test(file));
    const paths = [...new Set([plugin.libraryFile, ...libraries]).values()].map(
      (file) => `plugins/${kind}/${file}`,
    );
    paths.push(
      `etc/${kind}/${name}.json`,
      `data/${kind}/${name}.json`,
      `etc/${kind}/${name}`,
      `data/${kind}/${name}`,
    );
    if (kind === 'sources') paths.push(`etc/sources/${name}.yaml`, `data/sources/${name}.yaml`);
    paths.push(this.layout.recordPath(kind, name));
    return paths;
  }

  private portableOwnedPaths(name: string, manifest: PortablePluginInfo): string[] {
    const paths = [`plugins/portable/${name}`, this.layout.recordPath('portables', name)];
    for (const folder of SYMBOL_FOLDERS) {
      for (const symbol of manifest[folder]) {
        for (const root of ['etc', 'data']) {
          paths.push(`${root}/${folder}/${symbol}.yaml`, `${root}/${folder}/${symbol}.json`);
        }
      }
    }
    return paths;
  }

  private portableInfo(name: string): PortablePluginInfo {
    const { manifest } = this.registry.portables.get(name)!;
    // Key order is eKuiper's struct order: clients comparing bytes see the same answer.
    return {
      name: manifest.name,
      version: manifest.version,
      language: manifest.language,
      executable: portableExecutablePath(this.layout, manifest),
      ...(manifest.virtualEnvType === undefined ? {} : { virtualEnvType: manifest.virtualEnvType }),
      ...(manifest.env === undefined ? {} : { env: manifest.env }),
      sources: manifest.sources,
      sinks: manifest.sinks,
      functions: manifest.functions,
    };
  }
}

/** Runs an operation and reports how it ended: `done`, or `failed` with the message the REST answer carries. */
async function tracked<T>(progress: Progress, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    progress({ phase: 'done' });
    return result;
  } catch (error) {
    progress({ phase: 'failed', message: errorText(error) });
    throw error;
  }
}

/** What an install abandoned because its client went away answers (nobody may read it but the install events). */
function cancelled(replacing: boolean): PluginError {
  return new PluginError(hostMessage(replacing ? 'installCancelledKept' : 'installCancelledNothing'));
}

/** The lock key of a native plugin: its on-disk identity, so `Foo` and `foo` are serialised (see checkNativeNameFree). */
function nativeKey(kind: NativeKind, name: string): string {
  return `${kind}/${lowerFirst(name)}`;
}

/** Function names become SQL identifiers in rules: they follow the plugin-name rules. */
function checkFunctionNames(functions: readonly string[]): void {
  for (const fn of functions) {
    const problem = validateId(fn);
    if (problem !== undefined) throw new PluginError(`invalid function name: ${problem}`);
    const tooLong = functionNameLengthProblem(fn);
    if (tooLong !== undefined) throw new PluginError(tooLong);
  }
}

/** Native routes validate every name with eKuiper's ValidateID, answering its text with no prefix. */
export function assertId(name: string): void {
  const problem = validateId(name);
  if (problem !== undefined) throw new PluginError(problem);
}
