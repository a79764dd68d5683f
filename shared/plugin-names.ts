import { hostMessage } from './host-messages.js';
import type { PluginKind } from './plugin-kinds.js';

/**
 * eKuiper's `validate.ValidateID`, with its exact texts: scripts and UIs show these to users, and a name
 * that passes here is always a safe single path segment on every OS.
 * Returns the problem, or undefined when the id is valid.
 */
export function validateId(id: string): string | undefined {
  if (id === '') return 'id cannot be empty';
  if (id !== id.trim()) return `id '${id}' contains leading or trailing whitespace`;
  if (!/^[a-zA-Z0-9_-]+$/.test(id)) {
    return `id '${id}' contains invalid characters: only alphanumeric, hyphens and underscores are allowed`;
  }
  return undefined;
}

/** eKuiper exports symbol `Random` for plugin `random`; its `.so` may be named either way. */
export function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** eKuiper derives the plugin name from a `.so` file name by lower-casing the first letter. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * eKuiper finds a native plugin by its `.so` file and lower-cases the file name's first letter, so a plugin
 * created as `Foo` comes back as `foo` after a restart, its config orphaned. Such names are refused up front.
 */
export function nativeNameProblem(name: string): string | undefined {
  if (!/^[A-Z]/.test(name)) return undefined;
  return hostMessage('nativeNameUpperFirst', { name, upper: upperFirst(name), lower: lowerFirst(name) });
}

/** Longest file name, in bytes, on the file systems eKuiper runs on: ext4, XFS, APFS and NTFS all stop at 255. */
export const FILE_NAME_MAX_BYTES = 255;

/**
 * The longest ending an install adds to a plugin's name in a file name it writes: a source's `{name}.yaml`
 * (`.json` for UI metadata and the host's own record is as long). A native library's `@version` comes from
 * the zip, and is checked against `FILE_NAME_MAX_BYTES` with the zip's other file names.
 */
const NAME_FILE_SUFFIX = '.yaml';

/**
 * eKuiper's SDKs reach a portable plugin through `/tmp/plugin_{name}.ipc`, and a unix socket path holds at
 * most 103 bytes on macOS (107 on Linux). The stricter limit applies everywhere, so a data folder (and a
 * plugin zip) works on every host it is moved to.
 */
const SOCKET_PATH_MAX_BYTES = 103;
const controlSocket = (name: string): string => `/tmp/plugin_${name}.ipc`;

/** The longest name a plugin of this kind can be installed under (names are ASCII, so characters are bytes). */
export function maxNameLength(kind: PluginKind): number {
  return kind === 'portables'
    ? SOCKET_PATH_MAX_BYTES - controlSocket('').length
    : FILE_NAME_MAX_BYTES - NAME_FILE_SUFFIX.length;
}

/** Function names become file names of portable symbols (`{name}.json`): the native plugin limit. */
export const MAX_FUNCTION_NAME_LENGTH = FILE_NAME_MAX_BYTES - NAME_FILE_SUFFIX.length;

/** A long name shortened for a message: the whole of a 250-character name says nothing more than its start. */
export function abbreviateName(name: string, max = 40): string {
  return name.length <= max ? name : `${name.slice(0, max)}…`;
}

/**
 * Refuses a name the install could not write to disk or reach over its socket, with the limit and why. The
 * host checks it before anything is downloaded, the window before anything is uploaded.
 */
export function nameLengthProblem(kind: PluginKind, name: string): string | undefined {
  const limit = maxNameLength(kind);
  if (name.length <= limit) return undefined;
  const shown = abbreviateName(name);
  if (kind === 'portables') {
    return hostMessage('nameTooLongForSocket', {
      name: shown,
      length: name.length,
      limit,
      socket: controlSocket('<name>'),
    });
  }
  const example = kind === 'sources' ? `${shown}.yaml` : `${upperFirst(shown)}.so`;
  return hostMessage('nameTooLongForFiles', { name: shown, length: name.length, limit, example });
}

/** A registered function name longer than any symbol file the host could write for it. */
export function functionNameLengthProblem(name: string): string | undefined {
  if (name.length <= MAX_FUNCTION_NAME_LENGTH) return undefined;
  return hostMessage('functionNameTooLong', {
    name: abbreviateName(name),
    length: name.length,
    limit: MAX_FUNCTION_NAME_LENGTH,
  });
}

/** Which of the naming rules a name breaks, so the window can say it in its own words. */
export type NameRule = 'empty' | 'whitespace' | 'characters' | 'upper-first' | 'too-long';

export interface NameProblem {
  rule: NameRule;
  /** The host's own text for it, as the install would answer (eKuiper's for the first three rules). */
  message: string;
  /** The longest name allowed for this kind. */
  limit: number;
}

/**
 * Every rule a plugin name must follow before an install can start, in the host's order: eKuiper's
 * `ValidateID`, the lower-case first letter of native plugins, and the length the files and sockets allow.
 */
export function pluginNameProblem(kind: PluginKind, name: string): NameProblem | undefined {
  const limit = maxNameLength(kind);
  const idProblem = validateId(name);
  if (idProblem !== undefined) {
    const rule: NameRule = name === '' ? 'empty' : name !== name.trim() ? 'whitespace' : 'characters';
    return { rule, message: idProblem, limit };
  }
  if (kind !== 'portables') {
    const upper = nativeNameProblem(name);
    if (upper !== undefined) return { rule: 'upper-first', message: upper, limit };
  }
  const long = nameLengthProblem(kind, name);
  if (long !== undefined) return { rule: 'too-long', message: long, limit };
  return undefined;
}
