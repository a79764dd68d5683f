import {
  DEFAULT_SERVER_TIMEOUT_MS,
  LOCAL_SERVER_ID,
  serverProblemsText,
  validateServerInput,
  type ServerAuthPublic,
  type ServerCheck,
  type ServerInfo,
  type ServerInput,
  type ServerInputProblem,
} from '../../shared/server-dto.js';
import { hostMessage } from '../../shared/host-messages.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { rsaPrivateKeyProblem } from './auth/ekuiper-jwt.js';
import { caCertificateProblem } from './ca-certificate.js';
import { HEALTH_CONCURRENCY, HEALTH_INTERVAL_MS, HealthMonitor } from './health-monitor.js';
import { SECRET_NAMES, memorySecretStore, type SecretStore, type ServerSecrets } from './secret-store.js';
import type { ServerClient } from './server-client.js';
import { checkServer, localCheck } from './server-check.js';
import { connectServer, type ServerConnection } from './server-connection.js';
import type { ServerDirectory } from './server-directory.js';
import { loadServers, saveServers, storedServerOf, type StoredServer } from './server-file.js';
import { uniqueServerId } from './server-ids.js';

/** The host's own facts, which the built-in `local` server answers as its health. */
export interface LocalServerInfo {
  version: string;
  os: string;
  arch: string;
  upTimeSeconds: number;
}

export interface ServerRegistryOptions {
  /** servers.json; without it the list lives in memory only (tests, the e2e host). */
  file?: string;
  /** Where tokens, private keys and passwords go; in memory when absent. */
  secrets?: SecretStore;
  log?: (message: string) => void;
  /** The host's version, OS, arch and uptime, for `local`. */
  localInfo: () => LocalServerInfo;
  /** Between background health rounds; 0 checks only when asked or when a server is added or edited. */
  healthIntervalMs?: number;
  healthConcurrency?: number;
}

/** The name `local` carries in answers; the window shows its own translation for the built-in server. */
export const LOCAL_SERVER_NAME = 'This computer';

interface Entry {
  server: StoredServer;
  /** Which secrets are stored, for `tokenSet` and the like; the values stay in the store and the authorizer. */
  secretsSet: ReadonlySet<string>;
  connection: ServerConnection;
  /** Changes with every edit, so a check that ran on old settings is not stored as the new settings' health. */
  revision: number;
  health?: ServerCheck;
}

/** The secrets an input gives (a secret left out is not in the answer). */
function secretsGiven(input: ServerInput): ServerSecrets {
  const auth = input.auth;
  switch (auth.type) {
    case 'bearer':
      return auth.token === undefined ? {} : { token: auth.token };
    case 'ekuiper-jwt':
      return auth.privateKey === undefined ? {} : { privateKey: auth.privateKey };
    case 'neuronex-login':
      return auth.password === undefined ? {} : { password: auth.password };
    default:
      return {};
  }
}

function publicAuth(server: StoredServer, secretsSet: ReadonlySet<string>): ServerAuthPublic {
  const auth = server.auth;
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'bearer':
      return { type: 'bearer', tokenSet: secretsSet.has('token') };
    case 'ekuiper-jwt':
      return { type: 'ekuiper-jwt', issuer: auth.issuer, privateKeySet: secretsSet.has('privateKey') };
    case 'neuronex-login':
      return { type: 'neuronex-login', username: auth.username, passwordSet: secretsSet.has('password') };
  }
}

function setOf(secrets: ServerSecrets): ReadonlySet<string> {
  return new Set(SECRET_NAMES.filter((name) => secrets[name] !== undefined && secrets[name] !== ''));
}

function builtInRefused(): PluginError {
  return new PluginError(
    `the built-in server ${LOCAL_SERVER_ID} (${LOCAL_SERVER_NAME}) is this app's own host: it cannot be changed or removed`,
  );
}

/**
 * The servers the host manages: the built-in `local` (the host itself) first, then the user's eKuiper and
 * NeuronEX servers from servers.json, each with one open client. Adding, editing and removing persist the list
 * atomically, keep secrets in the secret store only, replace or close the server's client, and check the server
 * at once; a background monitor keeps every server's health fresh so listing never waits for the network.
 */
export class ServerRegistry implements ServerDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly secrets: SecretStore;
  private readonly log: (message: string) => void;
  private readonly monitor: HealthMonitor;
  /** Changes to the list run one at a time, so ids stay unique and writes never interleave. */
  private changes: Promise<unknown> = Promise.resolve();
  private revisions = 0;
  private localUrl = '';
  private closed = false;

  private constructor(private readonly options: ServerRegistryOptions) {
    this.secrets = options.secrets ?? memorySecretStore();
    this.log = options.log ?? (() => {});
    this.monitor = new HealthMonitor({
      servers: () =>
        [...this.entries.values()].map((entry) => ({ id: entry.server.id, revision: entry.revision })),
      check: (id) => {
        const entry = this.entries.get(id);
        return entry === undefined
          ? Promise.reject(PluginError.notFound(`server ${id} not found`))
          : checkServer(entry.connection);
      },
      store: (id, revision, check) => this.storeHealth(id, revision, check),
      intervalMs: options.healthIntervalMs ?? HEALTH_INTERVAL_MS,
      concurrency: options.healthConcurrency ?? HEALTH_CONCURRENCY,
    });
  }

  /**
   * Reads servers.json and the servers' secrets and opens a client per server. Never fails over a broken file:
   * the host starts with what it could read and says why in the log.
   */
  static async open(options: ServerRegistryOptions): Promise<ServerRegistry> {
    const registry = new ServerRegistry(options);
    const stored = options.file === undefined ? [] : await loadServers(options.file, registry.log);
    for (const server of stored) {
      let secrets: ServerSecrets = {};
      try {
        secrets = await registry.secrets.read(server.id);
      } catch (error) {
        registry.log(`servers: the secrets of ${server.id} cannot be read: ${errorText(error)}`);
      }
      registry.entries.set(server.id, registry.entryOf(server, secrets));
    }
    if (stored.length > 0) registry.log(`servers: ${stored.length} read from ${options.file}`);
    registry.monitor.start();
    return registry;
  }

  /** The host's URL, known once it listens: `local` answers it. */
  setLocalUrl(url: string): void {
    this.localUrl = url;
  }

  list(): ServerInfo[] {
    return [this.localServer(), ...[...this.entries.values()].map((entry) => this.infoOf(entry))];
  }

  get(id: string): ServerInfo | undefined {
    if (id === LOCAL_SERVER_ID) return this.localServer();
    const entry = this.entries.get(id);
    return entry === undefined ? undefined : this.infoOf(entry);
  }

  client(id: string): ServerClient | undefined {
    return this.entries.get(id)?.connection.client;
  }

  /** `POST /manager/servers`: checks the settings, stores the server and its secrets, and checks it at once. */
  add(body: unknown): Promise<ServerInfo> {
    return this.change(async () => {
      const input = await this.validate(body, undefined);
      const id = uniqueServerId(input.name, (candidate) => this.entries.has(candidate));
      const server = storedServerOf(id, input);
      const secrets = secretsGiven(input);
      await this.secrets.write(id, secrets);
      try {
        await this.save([...this.storedList(), server]);
      } catch (error) {
        await this.secrets.delete(id).catch(() => {});
        throw error;
      }
      const entry = this.entryOf(server, secrets);
      this.entries.set(id, entry);
      this.log(`servers: added ${describe(server)}`);
      this.checkInBackground(entry);
      return this.infoOf(entry);
    });
  }

  /**
   * `PUT /manager/servers/{id}`: new settings for a server, keeping its id. A secret left out is kept while the
   * auth type stays; changing the type drops the old type's secrets. The old client is closed.
   */
  update(id: string, body: unknown): Promise<ServerInfo> {
    return this.change(async () => {
      const entry = this.remoteEntry(id);
      const input = await this.validate(body, entry);
      const server = storedServerOf(id, input);
      const before = await this.secrets.read(id);
      const kept = server.auth.type === entry.server.auth.type ? before : {};
      const secrets = { ...kept, ...secretsGiven(input) };
      await this.secrets.write(id, secrets);
      try {
        await this.save(this.storedList().map((other) => (other.id === id ? server : other)));
      } catch (error) {
        await this.secrets.write(id, before).catch(() => {});
        throw error;
      }
      const old = entry.connection.client;
      const updated = this.entryOf(server, secrets);
      this.entries.set(id, updated);
      void old.close().catch(() => {});
      this.log(`servers: changed ${describe(server)}`);
      this.checkInBackground(updated);
      return this.infoOf(updated);
    });
  }

  /** `DELETE /manager/servers/{id}`: forgets the server and its secrets and closes its client. */
  remove(id: string): Promise<ServerInfo> {
    return this.change(async () => {
      const entry = this.remoteEntry(id);
      await this.save(this.storedList().filter((other) => other.id !== id));
      this.entries.delete(id);
      await this.secrets.delete(id).catch((error: unknown) => {
        this.log(`servers: the secrets of ${id} could not be removed: ${errorText(error)}`);
      });
      void entry.connection.client.close().catch(() => {});
      this.log(`servers: removed ${describe(entry.server)}`);
      return this.infoOf(entry);
    });
  }

  /** `POST /manager/servers/{id}/check`: checks now (joining a check already running) and keeps it as health. */
  async check(id: string): Promise<ServerCheck> {
    if (id === LOCAL_SERVER_ID) return this.localHealth();
    const entry = this.entries.get(id);
    if (entry === undefined) throw PluginError.notFound(`server ${id} not found`);
    return this.monitor.checkNow(id, entry.revision);
  }

  /**
   * `POST /manager/servers/check`: tests settings before they are saved (the add and edit dialogs' Test button).
   * With `"id"`, the stored server's secrets fill in those left out. Stores nothing.
   */
  async checkSettings(body: unknown): Promise<ServerCheck> {
    const id = (body as { id?: unknown } | null)?.id;
    let entry: Entry | undefined;
    if (id !== undefined) {
      if (typeof id !== 'string') throw new PluginError('invalid server: id: the id must be text');
      if (id === LOCAL_SERVER_ID) throw builtInRefused();
      entry = this.remoteEntry(id);
    }
    const input = await this.validate(body, entry);
    const server = storedServerOf(entry?.server.id ?? 'check', input);
    const kept =
      entry !== undefined && server.auth.type === entry.server.auth.type
        ? await this.secrets.read(entry.server.id)
        : {};
    const connection = connectServer(server, { ...kept, ...secretsGiven(input) });
    try {
      return await checkServer(connection);
    } finally {
      void connection.client.close().catch(() => {});
    }
  }

  /** Stops the health rounds and closes every server's connections (the host is stopping). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.monitor.close();
    await Promise.all(
      [...this.entries.values()].map((entry) => entry.connection.client.destroy().catch(() => {})),
    );
  }

  private change<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new PluginError('the host is stopping'));
    const next = this.changes.then(work);
    this.changes = next.catch(() => {});
    return next;
  }

  private remoteEntry(id: string): Entry {
    if (id === LOCAL_SERVER_ID) throw builtInRefused();
    const entry = this.entries.get(id);
    if (entry === undefined) throw PluginError.notFound(`server ${id} not found`);
    return entry;
  }

  /**
   * The form's rules (shared with the window), then what only the host can check: a name no other server has,
   * a private key that really signs RS256 tokens, and a CA certificate that really parses. Every problem in one
   * message, each with its field.
   */
  private async validate(body: unknown, existing: Entry | undefined): Promise<ServerInput> {
    const checked = validateServerInput(
      body,
      existing === undefined ? undefined : { auth: publicAuth(existing.server, existing.secretsSet) },
    );
    const problems: ServerInputProblem[] = checked.ok ? [] : [...checked.problems];
    const given = (body as { name?: unknown } | null)?.name;
    const name = checked.ok ? checked.input.name : typeof given === 'string' ? given.trim() : '';
    const sameName = [...this.entries.values()].find(
      (entry) => entry !== existing && entry.server.name.toLowerCase() === name.toLowerCase(),
    );
    if (name !== '' && sameName !== undefined) {
      problems.push({ field: 'name', message: `a server named ${sameName.server.name} already exists` });
    } else if (name.toLowerCase() === LOCAL_SERVER_NAME.toLowerCase()) {
      // Two "This computer" entries in the switcher could not be told apart, and one would not be this computer.
      problems.push({
        field: 'name',
        message: hostMessage('serverNameBuiltIn', { name: LOCAL_SERVER_NAME, id: LOCAL_SERVER_ID }),
      });
    }
    if (
      checked.ok &&
      checked.input.auth.type === 'ekuiper-jwt' &&
      checked.input.auth.privateKey !== undefined
    ) {
      const problem = await rsaPrivateKeyProblem(checked.input.auth.privateKey);
      if (problem !== undefined) problems.push({ field: 'auth.privateKey', message: problem });
    }
    const caCert = checked.ok ? checked.input.tls?.caCert : undefined;
    const caProblem = caCert === undefined || caCert === '' ? undefined : caCertificateProblem(caCert);
    if (caProblem !== undefined) problems.push({ field: 'tls.caCert', message: caProblem });
    if (!checked.ok || problems.length > 0) {
      throw new PluginError(`invalid server: ${serverProblemsText(problems)}`);
    }
    return checked.input;
  }

  /** A server with its open client, at a new revision (its settings or secrets just changed or were read). */
  private entryOf(server: StoredServer, secrets: ServerSecrets): Entry {
    return {
      server,
      secretsSet: setOf(secrets),
      connection: connectServer(server, secrets),
      revision: ++this.revisions,
    };
  }

  private storedList(): StoredServer[] {
    return [...this.entries.values()].map((entry) => entry.server);
  }

  private async save(servers: StoredServer[]): Promise<void> {
    if (this.options.file === undefined) return;
    try {
      await saveServers(this.options.file, servers);
    } catch (error) {
      throw new PluginError(`the server list cannot be saved to ${this.options.file}: ${errorText(error)}`);
    }
  }

  private checkInBackground(entry: Entry): void {
    this.monitor.checkNow(entry.server.id, entry.revision).catch(() => {});
  }

  private storeHealth(id: string, revision: number, check: ServerCheck): void {
    const entry = this.entries.get(id);
    if (entry === undefined || entry.revision !== revision) return;
    const before = entry.health;
    entry.health = check;
    if (before === undefined ? !check.ok : before.ok !== check.ok) {
      this.log(
        check.ok
          ? `servers: ${entry.server.name} (${id}) answers again: ${check.message}`
          : `servers: ${entry.server.name} (${id}) is not usable: ${check.message}`,
      );
    }
  }

  private infoOf(entry: Entry): ServerInfo {
    const { server } = entry;
    return {
      id: server.id,
      name: server.name,
      kind: server.kind,
      url: server.url,
      auth: publicAuth(server, entry.secretsSet),
      tls: { ...server.tls },
      timeoutMs: server.timeoutMs,
      builtIn: false,
      ...(entry.health === undefined ? {} : { health: entry.health }),
    };
  }

  private localHealth(): ServerCheck {
    return localCheck(this.options.localInfo());
  }

  private localServer(): ServerInfo {
    return {
      id: LOCAL_SERVER_ID,
      name: LOCAL_SERVER_NAME,
      kind: 'ekuiper',
      url: this.localUrl,
      auth: { type: 'none' },
      tls: { insecureSkipVerify: false, caCert: '' },
      timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
      builtIn: true,
      health: this.localHealth(),
    };
  }
}

/** A server for the log: name, id, kind, address and auth type; never a secret. */
function describe(server: StoredServer): string {
  return `${server.name} (${server.id}, ${server.kind} at ${server.url}, auth ${server.auth.type})`;
}
