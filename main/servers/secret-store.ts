import { chmod, stat } from 'node:fs/promises';
import { errorText } from '../plugins/plugin-error.js';
import { keepAside, readJsonFile, writeJsonAtomic } from './json-file.js';

/** The write-only parts of a server's authentication: never in servers.json, an answer or a log line. */
export const SECRET_NAMES = ['token', 'privateKey', 'password'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
export type ServerSecrets = Partial<Record<SecretName, string>>;

/**
 * Where the host keeps servers' secrets, per server id. The headless host keeps them in a file only the user can
 * read; the desktop app seals them with the platform's keychain (`main/electron/safe-storage-secrets.ts`). The
 * host receives one by injection, as it receives its settings.
 */
export interface SecretStore {
  read(id: string): Promise<ServerSecrets>;
  /** Replaces every secret of a server (a secret left out is removed). */
  write(id: string, secrets: ServerSecrets): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Secrets kept in memory only: for hosts started without a servers file (tests, the e2e host). */
export function memorySecretStore(): SecretStore {
  const kept = new Map<string, ServerSecrets>();
  return {
    read: (id) => Promise.resolve({ ...kept.get(id) }),
    write: (id, secrets) => {
      kept.set(id, { ...secrets });
      return Promise.resolve();
    },
    delete: (id) => {
      kept.delete(id);
      return Promise.resolve();
    },
  };
}

/** One secret as the file holds it: in the clear (the file is the user's alone), or sealed by Electron's safeStorage. */
export type SealedSecret = { plain: string } | { safeStorage: string };

/** Seals secrets before they are written and opens them when read. */
export interface SecretSealer {
  /** How the secrets are kept, for the log. */
  readonly description: string;
  seal(secret: string): SealedSecret;
  /** The secret, or undefined when this process cannot open it (sealed by the desktop app's keychain). */
  open(sealed: SealedSecret): string | undefined;
}

/** Secrets in the clear, protected by the file's mode (0600); opens nothing sealed by the desktop app. */
export const plainSealer: SecretSealer = {
  description: 'unencrypted in a file only your user account can read (mode 0600)',
  seal: (secret) => ({ plain: secret }),
  open: (sealed) => ('plain' in sealed ? sealed.plain : undefined),
};

const FILE_VERSION = 1;
/** Owner read and write, nothing for group and others. */
const SECRET_FILE_MODE = 0o600;

type RawEntries = Map<string, Record<string, unknown>>;

function isSealed(value: unknown): value is SealedSecret {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.plain === 'string' || typeof record.safeStorage === 'string';
}

/**
 * Secrets in a JSON file of their own (`server-secrets.json` beside servers.json), created with mode 0600 and put
 * back to 0600 when found looser. Entries this process cannot open (sealed by the desktop app, read by the
 * headless host) are kept as they are, so one never destroys the other's secrets; such a server then reports
 * its secret as missing. A file that cannot be parsed is kept aside and the store starts empty.
 */
export function fileSecretStore(
  path: string,
  options: { log?: (message: string) => void; sealer?: SecretSealer } = {},
): SecretStore {
  const log = options.log ?? (() => {});
  const sealer = options.sealer ?? plainSealer;
  let loaded: Promise<RawEntries> | undefined;
  let writes: Promise<unknown> = Promise.resolve();
  let unopenedReported = false;

  const load = (): Promise<RawEntries> => {
    loaded ??= (async () => {
      const entries: RawEntries = new Map();
      const read = await readJsonFile(path);
      if (read.state === 'unreadable') {
        log(
          `server secrets: ${path} was not used because ${read.reason}; servers will ask for their secrets again`,
        );
      }
      if (read.state !== 'read') return entries;
      await tightenMode(path, log);
      const servers = (read.value as { servers?: unknown } | null)?.servers;
      if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
        log(
          `server secrets: ${path} was not used because it does not hold a "servers" object${await keepAside(path)}`,
        );
        return entries;
      }
      for (const [id, entry] of Object.entries(servers)) {
        if (typeof entry === 'object' && entry !== null) entries.set(id, { ...(entry as object) });
      }
      log(`server secrets are kept ${sealer.description} (${path})`);
      return entries;
    })();
    return loaded;
  };

  const persist = (entries: RawEntries): Promise<void> => {
    const next = writes.then(() =>
      writeJsonAtomic(
        path,
        { version: FILE_VERSION, servers: Object.fromEntries(entries) },
        SECRET_FILE_MODE,
      ),
    );
    writes = next.catch(() => {});
    return next;
  };

  return {
    async read(id) {
      const entry = (await load()).get(id) ?? {};
      const secrets: ServerSecrets = {};
      for (const name of SECRET_NAMES) {
        const sealed = entry[name];
        if (!isSealed(sealed)) continue;
        const secret = sealer.open(sealed);
        if (secret !== undefined) secrets[name] = secret;
        else if (!unopenedReported) {
          unopenedReported = true;
          log(
            `server secrets: some secrets in ${path} were sealed by the desktop app's keychain and cannot be ` +
              `opened here; those servers need their secrets again`,
          );
        }
      }
      return secrets;
    },
    async write(id, secrets) {
      const entries = await load();
      const sealed: Record<string, unknown> = {};
      for (const name of SECRET_NAMES) {
        const secret = secrets[name];
        if (secret !== undefined) sealed[name] = sealer.seal(secret);
      }
      if (Object.keys(sealed).length === 0) {
        // A server without secrets (auth none) leaves no trace, nor a file where there was none.
        if (entries.delete(id)) await persist(entries);
        return;
      }
      entries.set(id, sealed);
      await persist(entries);
    },
    async delete(id) {
      const entries = await load();
      if (!entries.delete(id)) return;
      await persist(entries);
    },
  };
}

/** Puts a secrets file found readable by others back to 0600 (Windows has no such modes). */
async function tightenMode(path: string, log: (message: string) => void): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const mode = (await stat(path)).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    await chmod(path, SECRET_FILE_MODE);
    log(
      `server secrets: ${path} could be read by other users (mode ${mode.toString(8)}); it is now 600, ` +
        `readable only by you`,
    );
  } catch (error) {
    log(`server secrets: cannot restrict ${path} to your user account: ${errorText(error)}`);
  }
}
