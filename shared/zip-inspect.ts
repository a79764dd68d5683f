import { inflateSync } from 'fflate';
import { ArchiveError, damagedEntryError, unsupportedMethodError } from './archive-error.js';
import { hostMessage } from './host-messages.js';
import { planNativeZip, versionFromLibrary } from './native-zip-rules.js';
import { SYMBOL_FOLDERS, type NativeKind, type PluginKind } from './plugin-kinds.js';
import { lowerFirst, pluginNameProblem } from './plugin-names.js';
import {
  findPortableManifest,
  parsePortableManifest,
  planPortableZip,
  type PortableManifest,
} from './portable-manifest.js';
import {
  FLAG_UTF8,
  UNICODE_PATH_EXTRA_ID,
  crc32,
  dataView,
  readZipDirectoryFromBytes,
  readZipRecordsFromBytes,
  type ZipEntry,
} from './zip-directory.js';
import { commonTopFolder, entryInfos, fileEntries, type ZipEntryInfo } from './zip-layout.js';
import { safetyProblems, type ZipLimits } from './zip-safety.js';

/** The host's defaults (`maxZipEntries`, `maxZipInflatedBytes`); the window passes the host's own settings. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxInflatedBytes: 2 * 1024 * 1024 * 1024 };

/** The host reads a manifest of at most this many bytes (install-staging's MANIFEST_LIMIT). */
export const MANIFEST_LIMIT = 1024 * 1024;

export interface InspectOptions {
  /** The zip's file name, the last resort for the suggested plugin name (`mirror.zip` → `mirror`). */
  fileName?: string;
  /** The host's `maxZipEntries` and `maxZipInflatedBytes`; the defaults otherwise. */
  limits?: ZipLimits;
}

/** What the window shows of a zip before uploading it. */
export interface ZipInspection {
  kind: PluginKind;
  /** The name the rules were checked against: the caller's, else `suggestedName`. */
  name: string;
  /** The manifest's name, else the manifest's (or the `.so` file's) base name, else the zip file's. */
  suggestedName: string | undefined;
  /** Names as the host matches them (forward slashes, no `./`), inflated sizes. */
  entries: ZipEntryInfo[];
  /** Sum of the inflated sizes. */
  totalSize: number;
  /** Size of the zip itself. */
  zipSize: number;
  /** Portables: the manifest as read (found under the top folder too, for display); undefined if unreadable. */
  manifest: PortableManifest | undefined;
  /** The zip entry the manifest was read from. */
  manifestEntry: string | undefined;
  /** What the plugin provides: the manifest's symbols, or the native plugin's own name under its kind. */
  symbols: { sources: string[]; sinks: string[]; functions: string[] };
  /** Portables: the manifest's executable; natives: the `.so` file. */
  executable: string | undefined;
  /** Natives: from `Name@v1.0.0.so`; portables: the manifest's. */
  version: string | undefined;
  hasInstallScript: boolean;
  /** Set when every file sits under this one folder: `repackWithoutTopFolder` fixes the zip. */
  topFolder: string | undefined;
  /**
   * Native kinds only: the zip holds a portable plugin's manifest (a JSON file at its root naming an
   * `executable`), so it was most likely meant for the portable kind, whose rules it should be checked by.
   */
  portable: { manifestEntry: string; executable: string } | undefined;
  /**
   * Every reason the host would refuse the zip, in the order it checks, with its texts: the first is
   * exactly what the host answers after `fail to install plugin: ` (name problems come unprefixed, first).
   */
  problems: string[];
  /** The problem in `problems` that is about the name rather than the zip: the window shows it on the name. */
  nameProblem: string | undefined;
}

const baseName = (file: string): string => (file.split('/').pop() ?? file).replace(/\.[^.]*$/, '');

/** An inspection that found nothing yet: the start of `inspectZip`, and what a caller shows when it throws. */
export function emptyInspection(bytes: Uint8Array, kind: PluginKind, name?: string): ZipInspection {
  return blankInspection(bytes.length, kind, name);
}

function blankInspection(zipSize: number, kind: PluginKind, name: string | undefined): ZipInspection {
  return {
    kind,
    name: name ?? '',
    suggestedName: undefined,
    entries: [],
    totalSize: 0,
    zipSize,
    manifest: undefined,
    manifestEntry: undefined,
    symbols: { sources: [], sinks: [], functions: [] },
    executable: undefined,
    version: undefined,
    hasInstallScript: false,
    topFolder: undefined,
    portable: undefined,
    problems: [],
    nameProblem: undefined,
  };
}

/**
 * Reads a zip in memory as the host would on install, with the host's own parser and rule functions:
 * entries, manifest, symbols, executable, install.sh, and every problem it would answer.
 */
export function inspectZip(
  bytes: Uint8Array,
  kind: PluginKind,
  name?: string,
  options: InspectOptions = {},
): ZipInspection {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectoryFromBytes(bytes);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return unreadableZip(bytes.length, error, kind, name, options);
  }
  return inspectZipEntries(
    entries,
    bytes.length,
    (entry) => readEntryText(bytes, entry),
    kind,
    name,
    options,
  );
}

/** The inspection of a zip whose directory cannot be read: the one problem, and a name from the file's. */
export function unreadableZip(
  zipSize: number,
  error: ArchiveError,
  kind: PluginKind,
  name: string | undefined,
  options: InspectOptions = {},
): ZipInspection {
  const result = blankInspection(zipSize, kind, name);
  if (options.fileName !== undefined) result.suggestedName = baseName(options.fileName);
  result.name = name ?? result.suggestedName ?? '';
  result.problems.push(error.message);
  return result;
}

/** One entry's text (a manifest), or why it cannot be read. */
export type EntryTextReader = (entry: ZipEntry) => string | ArchiveError;

/**
 * `inspectZip` on a directory already read, with entry texts from `readText`: the host runs it on a zip on disk,
 * reading only the directory and the small manifests rather than the whole file.
 */
export function inspectZipEntries(
  entries: ZipEntry[],
  zipSize: number,
  readText: EntryTextReader,
  kind: PluginKind,
  name?: string,
  options: InspectOptions = {},
): ZipInspection {
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  const result = blankInspection(zipSize, kind, name);
  const infos = entryInfos(entries);
  const byName = new Map(entries.map((entry, index) => [infos[index]!.name, entry]));
  result.entries = infos;
  result.totalSize = infos.reduce((sum, info) => sum + info.size, 0);
  result.topFolder = commonTopFolder(infos);
  result.hasInstallScript = fileEntries(infos).some((info) => info.name === 'install.sh');

  const problems: string[] = [];
  const safety = safetyProblems(entries, limits).map((error) => error.message);
  if (kind === 'portables') {
    inspectPortable(readText, result, infos, byName, name, options.fileName, problems);
  } else {
    inspectNative(result, kind, infos, name, options.fileName, problems);
    result.portable = portableManifestIn(readText, result, infos, byName);
  }
  result.nameProblem = nameProblem(kind, result.name);
  result.problems = [
    ...(result.nameProblem === undefined ? [] : [result.nameProblem]),
    ...safety,
    ...problems,
  ];
  return result;
}

/** What the host checks of the name before it opens the zip (unprefixed texts, as the host answers them). */
function nameProblem(kind: PluginKind, name: string): string | undefined {
  if (kind === 'portables' && name.trim() === '') return `invalid name ${name}: should not be empty`;
  return pluginNameProblem(kind, name)?.message;
}

function inspectNative(
  result: ZipInspection,
  kind: NativeKind,
  infos: readonly ZipEntryInfo[],
  name: string | undefined,
  fileName: string | undefined,
  problems: string[],
): void {
  const files = fileEntries(infos);
  const prefix = result.topFolder === undefined ? '' : `${result.topFolder}/`;
  const library = files.find(
    (file) => file.name.startsWith(prefix) && /^[^/]+\.so$/.test(file.name.slice(prefix.length)),
  );
  if (library !== undefined) {
    const base = library.name.slice(prefix.length).replace(/(@[^/]*)?\.so$/, '');
    result.suggestedName = lowerFirst(base);
  } else if (fileName !== undefined) {
    result.suggestedName = baseName(fileName);
  }
  result.name = name ?? result.suggestedName ?? '';
  const planned = planNativeZip(kind, result.name, infos);
  if (!planned.ok) {
    problems.push(planned.problem);
    if (library !== undefined) {
      result.executable = library.name;
      result.version = versionFromLibrary(library.name.slice(prefix.length));
    }
  } else {
    result.executable = planned.plan.libraryEntry;
    result.version = planned.plan.version;
  }
  result.symbols[kind] = [result.name];
}

/** The JSON files that could be a portable manifest: at the root, else in the one top folder. */
function manifestCandidates(result: ZipInspection, infos: readonly ZipEntryInfo[]): ZipEntryInfo[] {
  const files = fileEntries(infos);
  const folderPrefix = result.topFolder === undefined ? '' : `${result.topFolder}/`;
  const jsonIn = (prefix: string) =>
    files.filter((file) => {
      const rest = file.name.slice(prefix.length);
      return file.name.startsWith(prefix) && !rest.includes('/') && rest.endsWith('.json');
    });
  const atRoot = jsonIn('');
  return atRoot.length > 0 || folderPrefix === '' ? atRoot : jsonIn(folderPrefix);
}

/** A manifest a portable plugin's zip has and a native one never does: a JSON object naming an executable. */
function portableManifestIn(
  readText: EntryTextReader,
  result: ZipInspection,
  infos: readonly ZipEntryInfo[],
  byName: ReadonlyMap<string, ZipEntry>,
): ZipInspection['portable'] {
  for (const candidate of manifestCandidates(result, infos)) {
    const text = readText(byName.get(candidate.name)!);
    if (typeof text !== 'string') continue;
    try {
      const raw = JSON.parse(text) as { executable?: unknown };
      if (typeof raw.executable === 'string' && raw.executable !== '') {
        return { manifestEntry: candidate.name, executable: raw.executable };
      }
    } catch {
      // Not JSON: not a manifest.
    }
  }
  return undefined;
}

function inspectPortable(
  readText: EntryTextReader,
  result: ZipInspection,
  infos: readonly ZipEntryInfo[],
  byName: ReadonlyMap<string, ZipEntry>,
  name: string | undefined,
  fileName: string | undefined,
  problems: string[],
): void {
  // The manifest to show and to take the suggested name from: the requested one, else a root .json (the one
  // named like the zip first), else one in the top folder.
  const candidates = manifestCandidates(result, infos);
  const wanted = fileName === undefined ? undefined : baseName(fileName);
  const shown =
    (name === undefined ? undefined : candidates.find((file) => baseName(file.name) === name)) ??
    candidates.find((file) => baseName(file.name) === wanted) ??
    candidates[0];
  let shownText: string | undefined;
  if (shown !== undefined) {
    const read = readText(byName.get(shown.name)!);
    if (typeof read === 'string') shownText = read;
    let declared: string | undefined;
    try {
      const raw = JSON.parse(shownText ?? '') as { name?: unknown };
      if (typeof raw.name === 'string' && raw.name !== '') declared = raw.name;
    } catch {
      // An unreadable manifest suggests its file name.
    }
    result.suggestedName = declared ?? baseName(shown.name);
    const display =
      shownText === undefined ? undefined : parsePortableManifest(result.suggestedName, shownText);
    if (display?.ok === true) result.manifest = display.plan;
    result.manifestEntry = shown.name;
  } else if (fileName !== undefined) {
    result.suggestedName = baseName(fileName);
  }
  result.name = name ?? result.suggestedName ?? '';
  const fillFromManifest = (manifest: PortableManifest): void => {
    for (const folder of SYMBOL_FOLDERS) result.symbols[folder] = [...manifest[folder]];
    result.executable = manifest.executable;
    result.version = manifest.version;
  };
  if (result.manifest !== undefined) fillFromManifest(result.manifest);

  // The host's checks, in its order (install-staging's stagePortable).
  const found = findPortableManifest(result.name, infos);
  if (!found.ok) {
    problems.push(found.problem);
    return;
  }
  const entry = byName.get(found.plan)!;
  if (entry.uncompressedSize > MANIFEST_LIMIT) {
    problems.push(
      `invalid json file ${found.plan}: ${hostMessage('manifestTooLarge', { bytes: entry.uncompressedSize })}`,
    );
    return;
  }
  const text = readText(entry);
  if (typeof text !== 'string') {
    problems.push(text.message);
    return;
  }
  const parsed = parsePortableManifest(result.name, text);
  if (!parsed.ok) {
    problems.push(parsed.problem);
    return;
  }
  result.manifest = parsed.plan;
  result.manifestEntry = found.plan;
  fillFromManifest(parsed.plan);
  const planned = planPortableZip(parsed.plan, infos);
  if (!planned.ok) problems.push(planned.problem);
}

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_SIZE = 30;

/** Where an entry's data starts, after checking its local header as the host's extractor does. */
function dataStart(bytes: Uint8Array, entry: ZipEntry): number {
  const offset = entry.localHeaderOffset;
  const view = dataView(bytes);
  if (offset + LOCAL_SIZE > bytes.length || view.getUint32(offset, true) !== LOCAL_SIGNATURE) {
    throw damagedEntryError(entry.rawName, hostMessage('damageLocalHeader'));
  }
  const start = offset + LOCAL_SIZE + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  if (start + entry.compressedSize > bytes.length)
    throw damagedEntryError(entry.rawName, hostMessage('damagePastEnd'));
  return start;
}

/**
 * One entry's content (stored or Deflate), checked against its size and CRC-32. fflate inflates: it runs the
 * same in browsers, jsdom and Node, and a manifest of at most 1 MiB needs no stream.
 */
export function readEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const start = dataStart(bytes, entry);
  const compressed = bytes.subarray(start, start + entry.compressedSize);
  let data: Uint8Array;
  if (entry.compressionMethod === 0) {
    data = compressed;
  } else if (entry.compressionMethod === 8) {
    try {
      data = inflateSync(compressed);
    } catch {
      throw damagedEntryError(entry.rawName, hostMessage('damageCompressed'));
    }
  } else {
    throw unsupportedMethodError(entry.rawName, entry.compressionMethod);
  }
  if (data.length !== entry.uncompressedSize) {
    throw damagedEntryError(
      entry.rawName,
      hostMessage('damageSizeMismatch', { actual: data.length, declared: entry.uncompressedSize }),
    );
  }
  if (crc32(data) !== entry.crc32) throw damagedEntryError(entry.rawName, hostMessage('damageChecksum'));
  return data;
}

/** An entry's text when it is small enough to be a manifest, or why it cannot be read. */
export function readEntryText(bytes: Uint8Array, entry: ZipEntry): string | ArchiveError {
  if (entry.isEncrypted || entry.uncompressedSize > MANIFEST_LIMIT) {
    return new ArchiveError('corrupt', hostMessage('zipEntryUnreadable', { entry: entry.rawName }));
  }
  try {
    return new TextDecoder('utf-8').decode(readEntry(bytes, entry));
  } catch (error) {
    if (error instanceof ArchiveError) return error;
    throw error;
  }
}

// ---- repack ------------------------------------------------------------------------------------------

const U32_LIMIT = 0xffffffff;

/**
 * Rewrites a zip whose files all sit under one top-level folder (zipping the folder rather than its
 * contents) with that folder stripped from every name and its own entry dropped. Entry data is copied as
 * compressed, so nothing is inflated; Unix modes (external attributes), times and methods are kept.
 * Throws an Error when the zip cannot be read or has no single top-level folder.
 */
export function repackWithoutTopFolder(bytes: Uint8Array): Uint8Array {
  const records = readZipRecordsFromBytes(bytes);
  const infos = entryInfos(records.map(({ entry }) => entry));
  const folder = commonTopFolder(infos);
  if (folder === undefined) throw new Error('the zip does not hold all its files under one top-level folder');
  const prefix = `${folder}/`;
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  records.forEach((record, index) => {
    const info = infos[index]!;
    if (!info.name.startsWith(prefix) || info.name === prefix) return;
    const newName = info.name.slice(prefix.length);
    const { entry } = record;
    const headerView = dataView(record.header);
    let flags = headerView.getUint16(8, true) & ~0x8; // sizes go in the local header, no data descriptor
    let nameBytes: Uint8Array;
    const hasUnicodePath = hasExtra(record.extra, UNICODE_PATH_EXTRA_ID);
    if (!hasUnicodePath && entry.name.startsWith(prefix) && !newName.startsWith('/')) {
      // Keep the stored bytes (and so the encoding) of the rest of the name.
      const separator = record.nameBytes.findIndex((byte) => byte === 0x2f || byte === 0x5c);
      nameBytes = record.nameBytes.subarray(separator + 1);
    } else {
      nameBytes = encoder.encode(newName);
      flags |= FLAG_UTF8;
    }
    const extra = withoutExtras(record.extra, [0x0001, UNICODE_PATH_EXTRA_ID]);
    if (entry.compressedSize >= U32_LIMIT || entry.uncompressedSize >= U32_LIMIT || offset >= U32_LIMIT) {
      throw new Error('the zip is too large to repack here (over 4 GiB)');
    }
    const start = dataStart(bytes, entry);
    const data = bytes.subarray(start, start + entry.compressedSize);

    const local = new Uint8Array(LOCAL_SIZE + nameBytes.length + extra.length);
    const lv = dataView(local);
    lv.setUint32(0, LOCAL_SIGNATURE, true);
    lv.setUint16(4, headerView.getUint16(6, true), true); // version needed
    lv.setUint16(6, flags, true);
    lv.setUint16(8, entry.compressionMethod, true);
    lv.setUint16(10, headerView.getUint16(12, true), true); // time
    lv.setUint16(12, headerView.getUint16(14, true), true); // date
    lv.setUint32(14, entry.crc32, true);
    lv.setUint32(18, entry.compressedSize, true);
    lv.setUint32(22, entry.uncompressedSize, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, extra.length, true);
    local.set(nameBytes, LOCAL_SIZE);
    local.set(extra, LOCAL_SIZE + nameBytes.length);

    const central = new Uint8Array(46 + nameBytes.length + extra.length);
    central.set(record.header, 0);
    const cv = dataView(central);
    cv.setUint16(8, flags, true);
    cv.setUint32(20, entry.compressedSize, true);
    cv.setUint32(24, entry.uncompressedSize, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint16(32, 0, true); // comment dropped
    cv.setUint16(34, 0, true); // disk number
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    central.set(extra, 46 + nameBytes.length);

    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  });
  const directorySize = centrals.reduce((sum, part) => sum + part.length, 0);
  if (centrals.length > 0xffff || offset + directorySize >= U32_LIMIT) {
    throw new Error('the zip is too large to repack here (over 4 GiB or 65,535 entries)');
  }
  const end = new Uint8Array(22);
  const ev = dataView(end);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function hasExtra(extra: Uint8Array, id: number): boolean {
  return splitExtras(extra).some((field) => field.id === id);
}

function splitExtras(extra: Uint8Array): Array<{ id: number; bytes: Uint8Array }> {
  const view = dataView(extra);
  const fields: Array<{ id: number; bytes: Uint8Array }> = [];
  let at = 0;
  while (at + 4 <= extra.length) {
    const end = at + 4 + view.getUint16(at + 2, true);
    if (end > extra.length) break;
    fields.push({ id: view.getUint16(at, true), bytes: extra.subarray(at, end) });
    at = end;
  }
  return fields;
}

function withoutExtras(extra: Uint8Array, ids: readonly number[]): Uint8Array {
  const kept = splitExtras(extra).filter((field) => !ids.includes(field.id));
  const out = new Uint8Array(kept.reduce((sum, field) => sum + field.bytes.length, 0));
  let at = 0;
  for (const field of kept) {
    out.set(field.bytes, at);
    at += field.bytes.length;
  }
  return out;
}
