import {
  DEFAULT_SERVER_TIMEOUT_MS,
  RESERVED_SERVER_IDS,
  serverProblemsText,
  validateServerInput,
  type ServerAuthInput,
  type ServerAuthPublic,
  type ServerInput,
  type ServerKind,
  type ServerTls,
} from '../../shared/server-dto.js';
import { keepAside, readJsonFile, writeJsonAtomic } from './json-file.js';

/** A server's authentication as servers.json keeps it: the type and its public fields, never a secret. */
export type StoredAuth =
  | { type: 'none' }
  | { type: 'bearer' }
  | { type: 'ekuiper-jwt'; issuer: string }
  | { type: 'neuronex-login'; username: string };

/** One remote server as servers.json keeps it. */
export interface StoredServer {
  id: string;
  name: string;
  kind: ServerKind;
  url: string;
  auth: StoredAuth;
  tls: ServerTls;
  timeoutMs: number;
}

const FILE_VERSION = 1;

/** The public part of an auth input: what servers.json may hold. */
export function storedAuthOf(auth: ServerAuthInput): StoredAuth {
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'bearer':
      return { type: 'bearer' };
    case 'ekuiper-jwt':
      return { type: 'ekuiper-jwt', issuer: auth.issuer };
    case 'neuronex-login':
      return { type: 'neuronex-login', username: auth.username };
  }
}

/** A checked input as servers.json keeps it: its public fields with defaults filled in, no secret. */
export function storedServerOf(id: string, input: ServerInput): StoredServer {
  return {
    id,
    name: input.name,
    kind: input.kind,
    url: input.url,
    auth: storedAuthOf(input.auth),
    tls: { insecureSkipVerify: input.tls?.insecureSkipVerify === true, caCert: input.tls?.caCert ?? '' },
    timeoutMs: input.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS,
  };
}

/** An id as the registry makes them: lower-case letters, digits and single hyphens. */
export const SERVER_ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The public auth of a stored entry with each secret marked as stored, so validation does not ask for it. */
function everySecretKept(auth: unknown): ServerAuthPublic {
  switch ((auth as { type?: unknown } | undefined)?.type) {
    case 'bearer':
      return { type: 'bearer', tokenSet: true };
    case 'ekuiper-jwt':
      return { type: 'ekuiper-jwt', issuer: '', privateKeySet: true };
    case 'neuronex-login':
      return { type: 'neuronex-login', username: '', passwordSet: true };
    default:
      return { type: 'none' };
  }
}

/** One entry of servers.json checked with the form's own rules, or why it cannot be used. */
function parseEntry(entry: unknown, seen: Set<string>): StoredServer | string {
  if (typeof entry !== 'object' || entry === null) return 'an entry is not an object';
  const record = entry as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'string' || !SERVER_ID_PATTERN.test(id))
    return `an entry has no valid id (${String(id)})`;
  if (RESERVED_SERVER_IDS.includes(id)) return `the id ${id} is the host's own`;
  if (seen.has(id)) return `the id ${id} appears twice`;
  // Secrets are never in the file: check it as an update that keeps every secret.
  const result = validateServerInput(record, { auth: everySecretKept(record.auth) });
  if (!result.ok) return `server ${id}: ${serverProblemsText(result.problems)}`;
  seen.add(id);
  return storedServerOf(id, result.input);
}

/**
 * Reads servers.json. Never throws: a file that cannot be read or parsed is kept aside and the host starts with
 * no servers; entries that break the rules are left out (the file is copied aside before the next write drops
 * them). Every reason goes to `log`.
 */
export async function loadServers(path: string, log: (message: string) => void): Promise<StoredServer[]> {
  const read = await readJsonFile(path);
  if (read.state === 'missing') return [];
  if (read.state === 'unreadable') {
    log(`servers: ${path} was not used because ${read.reason}; starting with no servers`);
    return [];
  }
  const list = (read.value as { servers?: unknown } | null)?.servers;
  if (!Array.isArray(list)) {
    log(
      `servers: ${path} was not used because it does not hold a "servers" list${await keepAside(path)}; ` +
        `starting with no servers`,
    );
    return [];
  }
  const servers: StoredServer[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of list) {
    const parsed = parseEntry(entry, seen);
    if (typeof parsed === 'string') problems.push(parsed);
    else servers.push(parsed);
  }
  if (problems.length > 0) {
    log(`servers: left out of ${path}: ${problems.join('; ')}${await keepAside(path)}`);
    await saveServers(path, servers).catch(() => {});
  }
  return servers;
}

/** Writes servers.json atomically: a crash leaves the old list or the new one, never half of one. */
export function saveServers(path: string, servers: readonly StoredServer[]): Promise<void> {
  return writeJsonAtomic(path, { version: FILE_VERSION, servers });
}
