import { createHash } from 'node:crypto';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type protobuf from 'protobufjs';
import { hostMessage } from '../../shared/host-messages.js';
import type {
  ServiceCreationRequest,
  ServiceFunctionContainer,
  ServiceInfo,
  ServiceInterfaceDescriptor,
} from '../../shared/service-dto.js';
import type { FunctionOwner } from '../host/function-namespace.js';
import type { DataLayout } from '../plugins/data-layout.js';
import { FileTransaction } from '../plugins/file-transaction.js';
import { KeyedMutex } from '../plugins/keyed-mutex.js';
import { PluginError, asPluginError, errorText } from '../plugins/plugin-error.js';
import { assertId } from '../plugins/plugin-manager.js';
import { isValidFileUrl } from '../plugins/zip-source.js';
import type { SettingsSource } from '../settings/host-settings.js';
import {
  loadService,
  serviceInfo,
  type LoadedInterface,
  type LoadedService,
  type ServiceFunction,
} from './service-functions.js';
import type { HttpRule } from './service-schema.js';
import { stageService, type StagedService } from './service-staging.js';
import {
  descriptorNames,
  descriptorPath,
  diskLookup,
  readServiceRecords,
  serviceRecordPath,
  SERVICES_DIR,
  type ServiceRecord,
} from './service-store.js';

/**
 * What `Try it` needs to call a service function: where (the interface's descriptor entry), what (the rpc and,
 * for a proto interface, its parsed types) and eKuiper's function container.
 */
export interface ResolvedServiceFunction {
  container: ServiceFunctionContainer;
  /** The interface's entry in the descriptor, defaults filled in (address, protocol, options, …). */
  binding: Required<ServiceInterfaceDescriptor>;
  /** The interface's parsed proto (field names as written, `keepCase`); absent when schemaless. */
  schemaRoot?: protobuf.Root;
  /** The proto service that declares the rpc; absent when schemaless. */
  protoService?: protobuf.Service;
  /** The rpc called: the proto's name (not the SQL alias); the interface name when schemaless. */
  rpcName: string;
  /** The rpc's `google.api.http` rule, when it has one (REST interfaces use it instead of `POST /<rpc>`). */
  httpRule?: HttpRule;
}

/** An installed service: its record (absent for one found on disk without one) and what was loaded. */
interface InstalledService {
  record: ServiceRecord;
  loaded: LoadedService;
}

/** One commit at a time: the checks against other services and the file moves see one state. */
const COMMIT_KEY = '#commit';

/**
 * eKuiper's external service manager (`internal/service/manager.go`) with its texts and statuses, but all or
 * nothing: a create that fails leaves no file and no entry, an update that fails leaves the old service working
 * with its files, a delete removes every file the service brought (and none another service still uses), and a
 * function name that another service, a plugin or a JavaScript function already has is refused, naming it.
 */
export class ServiceManager {
  private readonly services = new Map<string, InstalledService>();
  private readonly functions = new Map<
    string,
    { service: string; iface: LoadedInterface; fn: ServiceFunction }
  >();
  private readonly locks = new KeyedMutex();
  private otherFunctionOwner: FunctionOwner = () => undefined;

  private constructor(
    private readonly layout: DataLayout,
    private readonly settings: SettingsSource,
  ) {}

  /**
   * Loads what is installed, as eKuiper's `InitByFiles` does at its start: every service with a record, in
   * creation order, then every other `<name>.json` eKuiper itself would load. A service that no longer parses,
   * or whose functions clash with an earlier one, is skipped with a warning rather than stopping the host.
   */
  static async open(
    layout: DataLayout,
    settings: SettingsSource,
    warn: (message: string) => void = () => {},
  ): Promise<ServiceManager> {
    const manager = new ServiceManager(layout, settings);
    await mkdir(layout.path(`${SERVICES_DIR}/schemas`), { recursive: true });
    const records = await readServiceRecords(layout, warn);
    const names = new Set(await descriptorNames(layout));
    const ordered = [...records.values()].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    let order = ordered.reduce((max, record) => Math.max(max, record.order), 0);
    for (const record of ordered) {
      if (!names.delete(record.name)) {
        warn(
          `service ${record.name} is recorded but its descriptor ${descriptorPath(record.name)} is missing; skipped`,
        );
        continue;
      }
      await manager.loadFromDisk(record, record.files, warn);
    }
    for (const name of names) {
      order++;
      const record: ServiceRecord = {
        name,
        install: { name, file: '' },
        installedAt: '',
        order,
        files: [descriptorPath(name)],
        zipBytes: 0,
        zipSha256: '',
      };
      await manager.loadFromDisk(record, undefined, warn);
    }
    return manager;
  }

  private async loadFromDisk(
    record: ServiceRecord,
    owned: string[] | undefined,
    warn: (message: string) => void,
  ): Promise<void> {
    const used = new Set<string>();
    try {
      const text = await readFile(this.layout.path(descriptorPath(record.name)), 'utf8');
      const loaded = await loadService(record.name, text, diskLookup(this.layout, owned, used));
      this.checkFunctions(loaded, undefined, false);
      if (owned === undefined) record.files.push(...used);
      this.apply(record, loaded);
    } catch (error) {
      warn(`service ${record.name} is not loaded: ${errorText(error)}`);
    }
  }

  /** Tells the manager who else owns function names (plugins, JavaScript functions); set once by the host. */
  useOtherFunctions(owner: FunctionOwner): void {
    this.otherFunctionOwner = owner;
  }

  /** The service that provides a function of this name, worded for a plugin's or a script's refusal. */
  functionNameOwner(name: string): string | undefined {
    const found = this.functions.get(name);
    return found === undefined
      ? undefined
      : hostMessage('functionIsService', { service: found.service, name });
  }

  /** `GET /services`: names in creation order (eKuiper answers its store's insertion order). */
  list(): string[] {
    return [...this.services.keys()];
  }

  /** `GET /services/{name}`: eKuiper's `serviceInfo`; a missing service is 404 `describe service <n> error: not found`. */
  describe(name: string): ServiceInfo {
    const service = this.services.get(name);
    if (service === undefined) throw PluginError.notFound(`describe service ${name} error: not found`);
    return serviceInfo(service.loaded);
  }

  /** `GET /services/functions`: every function container, by service (creation order), interface and rpc. */
  listFunctions(): ServiceFunctionContainer[] {
    return [...this.functions.values()].map((entry) => entry.fn.container);
  }

  /** `GET /services/functions/{name}`; a missing function is 404 `describe function <n> error: not found`. */
  describeFunction(name: string): ServiceFunctionContainer {
    const found = this.functions.get(name);
    if (found === undefined) throw PluginError.notFound(`describe function ${name} error: not found`);
    return found.fn.container;
  }

  /** Everything needed to call a function (Try it), or undefined when no service provides it. */
  resolveFunction(name: string): ResolvedServiceFunction | undefined {
    const found = this.functions.get(name);
    if (found === undefined) return undefined;
    const { iface, fn } = found;
    const resolved: ResolvedServiceFunction = {
      container: fn.container,
      binding: iface.binding,
      rpcName: fn.container.MethodName,
    };
    if (iface.schema !== undefined) resolved.schemaRoot = iface.schema.root;
    if (fn.rpc !== undefined) {
      resolved.protoService = fn.rpc.service;
      if (fn.rpc.http !== undefined) resolved.httpRule = fn.rpc.http;
    }
    return resolved;
  }

  /** eKuiper's `serviceInstall` store (`GetAllServices`): name → `{"name","file"}`, for export. */
  installScripts(): Record<string, string> {
    const scripts: Record<string, string> = {};
    for (const [name, service] of this.services) {
      if (service.record.install.file !== '') scripts[name] = JSON.stringify(service.record.install);
    }
    return scripts;
  }

  /** `POST /services`. */
  async create(request: ServiceCreationRequest): Promise<void> {
    const { name } = request;
    assertId(name);
    try {
      await this.locks.run([name], async () => {
        if (this.services.has(name)) throw new PluginError(`service ${name} exist`);
        this.checkNameCase(name);
        await this.install(request, undefined);
      });
    } catch (error) {
      throw asPluginError(error, 'service create command error');
    }
  }

  /** `PUT /services/{name}`: replaces the service, or keeps the old one (files and functions) if anything fails. */
  async update(request: ServiceCreationRequest): Promise<void> {
    const { name } = request;
    assertId(name);
    try {
      await this.locks.run([name], async () => {
        const old = this.services.get(name);
        if (old === undefined) throw PluginError.notFound(`${name} is not found`);
        await this.install(request, old);
      });
    } catch (error) {
      throw asPluginError(error, 'service update command error');
    }
  }

  /** `DELETE /services/{name}`: every file the service brought goes, except files another service also uses. */
  async delete(name: string): Promise<void> {
    assertId(name);
    const prefix = `delete service ${name} error`;
    await this.locks.run([name], async () => {
      const old = this.services.get(name);
      if (old === undefined) throw PluginError.notFound(`${prefix}: ${name} is not found`);
      const transaction = await FileTransaction.begin(this.layout);
      try {
        await this.locks.run([COMMIT_KEY], async () => {
          const remove = this.removablePaths(old, []);
          await transaction.commit({ replace: [], remove });
          await transaction.finish();
          this.forget(name);
          await this.pruneSchemaFolders(remove);
        });
      } catch (error) {
        await transaction.discard();
        throw asPluginError(error, prefix);
      }
    });
  }

  /**
   * `Sample` and `sample` would share `Sample.json` on the case-insensitive file systems of macOS and Windows,
   * so one would overwrite and delete the other's descriptor: such a name is refused, naming the other service.
   */
  private checkNameCase(name: string): void {
    const other = [...this.services.keys()].find((item) => item.toLowerCase() === name.toLowerCase());
    if (other !== undefined)
      throw new PluginError(`service ${name} exist: ${hostMessage('serviceNameCase', { other })}`);
  }

  /** Stages, checks and commits a service; `old` is the service an update replaces. */
  private async install(request: ServiceCreationRequest, old: InstalledService | undefined): Promise<void> {
    const { name, file } = request;
    if (!isValidFileUrl(file)) throw new PluginError(`invalid file path ${file}`);
    const transaction = await FileTransaction.begin(this.layout);
    try {
      const staged = await stageService(
        { layout: this.layout, settings: this.settings.read(), transaction },
        name,
        file,
      );
      await this.locks.run([COMMIT_KEY], async () => {
        this.checkFunctions(staged.loaded, old === undefined ? undefined : name, true);
        const replace = await this.replaceablePaths(staged, transaction, name);
        const record: ServiceRecord = {
          name,
          install: { name, file },
          installedAt: new Date().toISOString(),
          order: old?.record.order ?? this.nextOrder(),
          files: staged.files,
          zipBytes: staged.zipBytes,
          zipSha256: staged.zipSha256,
        };
        const recordPath = serviceRecordPath(name);
        const stagedRecord = transaction.stagedPath(recordPath);
        await mkdir(dirname(stagedRecord), { recursive: true });
        await writeFile(stagedRecord, JSON.stringify(record, null, 2));
        const remove = old === undefined ? [] : this.removablePaths(old, staged.files);
        await transaction.commit({ replace: [...replace, recordPath], remove });
        await transaction.finish();
        if (old !== undefined) this.forget(name);
        this.apply(record, staged.loaded);
        await this.pruneSchemaFolders(remove);
      });
    } catch (error) {
      await transaction.discard();
      throw error;
    }
  }

  /**
   * Refuses a function name another service (other than the one replaced), a plugin or a JavaScript function
   * already has. `others` is false at start-up, when the other families are not known yet.
   */
  private checkFunctions(loaded: LoadedService, replacing: string | undefined, others: boolean): void {
    for (const iface of loaded.interfaces) {
      for (const fn of iface.functions) {
        const name = fn.container.FuncName;
        const owner = this.functions.get(name);
        if (owner !== undefined && owner.service !== replacing) {
          throw new PluginError(
            `function name ${name} already exists: ${hostMessage('functionIsService', { service: owner.service, name })}`,
          );
        }
        const other = others ? this.otherFunctionOwner(name) : undefined;
        if (other !== undefined) throw new PluginError(`function name ${name} already exists: ${other}`);
      }
    }
  }

  /**
   * The staged files to move into place. A file another service also installed stays as it is when the bytes
   * are the same (both then own it) and is refused when they differ: eKuiper would overwrite it and break the
   * other service at its next start.
   */
  private async replaceablePaths(
    staged: StagedService,
    transaction: FileTransaction,
    name: string,
  ): Promise<string[]> {
    const replace: string[] = [];
    for (const path of staged.files) {
      const owner = [...this.services.values()].find(
        (service) => service.record.name !== name && service.record.files.includes(path),
      );
      if (owner === undefined) {
        replace.push(path);
        continue;
      }
      const [mine, theirs] = await Promise.all([
        sha256(transaction.stagedPath(path)),
        sha256(this.layout.path(path)).catch(() => ''),
      ]);
      if (mine !== theirs) {
        throw new PluginError(
          hostMessage('serviceFileOwned', {
            file: path.slice(SERVICES_DIR.length + 1),
            owner: owner.record.name,
          }),
        );
      }
    }
    return replace;
  }

  /** The old service's files no other service uses and the new version does not bring, plus its record. */
  private removablePaths(old: InstalledService, keep: readonly string[]): string[] {
    const name = old.record.name;
    const shared = (path: string): boolean =>
      [...this.services.values()].some(
        (service) => service.record.name !== name && service.record.files.includes(path),
      );
    return [
      ...old.record.files.filter((path) => !keep.includes(path) && !shared(path)),
      serviceRecordPath(name),
    ];
  }

  /** Folders under `schemas/` that a removal left empty (`schemas/google/api/`) go too. */
  private async pruneSchemaFolders(removed: readonly string[]): Promise<void> {
    const schemas = `${SERVICES_DIR}/schemas`;
    const folders = new Set<string>();
    for (const path of removed) {
      for (let folder = dirname(path); folder.startsWith(`${schemas}/`); folder = dirname(folder))
        folders.add(folder);
    }
    for (const folder of [...folders].sort((a, b) => b.length - a.length)) {
      await rmdir(this.layout.path(folder)).catch(() => {});
    }
  }

  private nextOrder(): number {
    return [...this.services.values()].reduce((max, service) => Math.max(max, service.record.order), 0) + 1;
  }

  /** Makes a loaded service visible, in creation order. */
  private apply(record: ServiceRecord, loaded: LoadedService): void {
    this.services.set(record.name, { record, loaded });
    const sorted = [...this.services.entries()].sort(([, a], [, b]) => a.record.order - b.record.order);
    this.services.clear();
    for (const [key, value] of sorted) this.services.set(key, value);
    this.functions.clear();
    for (const [service, installed] of this.services) {
      for (const iface of installed.loaded.interfaces) {
        for (const fn of iface.functions) this.functions.set(fn.container.FuncName, { service, iface, fn });
      }
    }
  }

  private forget(name: string): void {
    this.services.delete(name);
    for (const [fn, entry] of [...this.functions]) if (entry.service === name) this.functions.delete(fn);
  }
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
