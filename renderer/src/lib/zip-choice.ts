import { useMemo } from 'react';
import type { TFunction } from 'i18next';
import type { PluginKind } from '../../../shared/plugin-kinds';
import {
  emptyInspection,
  inspectZip,
  repackWithoutTopFolder,
  type ZipInspection,
} from '../../../shared/zip-inspect';
import type { ZipLimits } from '../../../shared/zip-safety';
import { formatBytes } from './format';
import type { HostZipLimits } from './host-zip-limits';

/** A zip the user chose: its name and bytes, read in memory for inspection and upload. */
export interface ChosenZip {
  fileName: string;
  bytes: Uint8Array;
}

/** What a zip drop zone accepts: browsers label zips with any of these types. */
export const ZIP_ACCEPT = {
  'application/zip': ['.zip'],
  'application/x-zip-compressed': ['.zip'],
  'application/octet-stream': ['.zip'],
};

/** `http(s)://…zip` or `file:///…zip`: the addresses the host installs from directly. */
export function isZipAddress(text: string): boolean {
  try {
    const url = new URL(text.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') return false;
    return url.pathname.toLowerCase().endsWith('.zip');
  } catch {
    return false;
  }
}

/** A file name the host's upload route accepts (no folders, nothing unusual). */
export function uploadName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? 'plugin.zip';
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe.toLowerCase().endsWith('.zip') ? safe : `${safe}.zip`;
}

/** The upload's own name out of the path the host answered, for `DELETE /config/uploads/{name}`. */
export function uploadedName(storedPath: string): string {
  return storedPath.split(/[\\/]/).pop() ?? '';
}

/** Reads a dropped or browsed file into memory, where the window inspects it before uploading. */
export async function readChosenZip(file: File): Promise<ChosenZip> {
  return { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** `inspectZip` that never throws: an unreadable zip becomes an inspection whose one problem says why. */
export function safeInspect(
  bytes: Uint8Array,
  kind: PluginKind,
  name: string | undefined,
  fileName: string,
  limits: ZipLimits,
): ZipInspection {
  try {
    return inspectZip(bytes, kind, name, { fileName, limits });
  } catch (error) {
    return { ...emptyInspection(bytes, kind, name), problems: [(error as Error).message] };
  }
}

/**
 * A chosen zip checked with the host's own rules and limits, as the Create and fleet dialogs show it: the
 * inspection (its problems led by "too big" when the zip exceeds the host's download limit) and, when the only
 * trouble is a top folder around every file, the repacked bytes the host would accept.
 */
export function useZipInspection(
  zip: ChosenZip | undefined,
  kind: PluginKind,
  name: string,
  hostLimits: HostZipLimits,
  t: TFunction,
  locale: string,
): { inspection: ZipInspection | undefined; repacked: Uint8Array | undefined } {
  const { limits, maxZipBytes } = hostLimits;
  const inspection = useMemo(() => {
    if (!zip) return undefined;
    const inspected = safeInspect(zip.bytes, kind, name.trim() || undefined, zip.fileName, limits);
    if (zip.bytes.length <= maxZipBytes) return inspected;
    const tooBig = t('manage.limits.zipTooBig', {
      size: formatBytes(zip.bytes.length, locale),
      limit: formatBytes(maxZipBytes, locale),
    });
    return { ...inspected, problems: [tooBig, ...inspected.problems] };
  }, [zip, kind, name, limits, maxZipBytes, t, locale]);
  const repacked = useMemo(() => {
    if (!zip || !inspection || inspection.topFolder === undefined || inspection.problems.length === 0) {
      return undefined;
    }
    try {
      const bytes = repackWithoutTopFolder(zip.bytes);
      const again = safeInspect(bytes, kind, name.trim() || undefined, zip.fileName, limits);
      return again.problems.length === 0 && bytes.length <= maxZipBytes ? bytes : undefined;
    } catch {
      return undefined;
    }
  }, [zip, inspection, kind, name, limits, maxZipBytes]);
  return { inspection, repacked };
}

/**
 * How many entries the zip has, folders included, as the host counts them in its refusals ("found 10 files in
 * total", eKuiper's wording), with how many are files and folders when there are folders.
 */
function entriesText(t: TFunction, inspection: ZipInspection): string {
  const files = inspection.entries.filter((entry) => !entry.isDirectory).length;
  const folders = inspection.entries.length - files;
  if (folders === 0) return String(files);
  return t('dialog.zipEntries', {
    count: inspection.entries.length,
    files: t('dialog.zipFiles', { count: files }),
    folders: t('dialog.zipFolders', { count: folders }),
  });
}

/** The label/value pairs of "What the zip holds", in the window's language. */
export function zipFacts(inspection: ZipInspection, t: TFunction, locale: string): [string, string][] {
  const none = t('create.facts.none');
  const symbols = [
    ...inspection.symbols.sources,
    ...inspection.symbols.sinks,
    ...inspection.symbols.functions,
  ];
  const kindFacts: [string, string][] =
    inspection.kind === 'portables'
      ? [
          [t('create.facts.manifest'), inspection.manifestEntry ?? none],
          [t('create.facts.language'), inspection.manifest?.language || none],
          [t('create.facts.executable'), inspection.executable ?? none],
        ]
      : [[t('create.facts.library'), inspection.executable ?? none]];
  return [
    ...kindFacts,
    [t('create.facts.version'), inspection.version || none],
    [t('create.facts.symbols'), symbols.length > 0 ? symbols.join(', ') : none],
    [t('create.facts.installScript'), inspection.hasInstallScript ? t('create.yes') : t('create.no')],
    [t('create.facts.entries'), entriesText(t, inspection)],
    [
      t('create.facts.size'),
      t('create.facts.sizeValue', {
        zip: formatBytes(inspection.zipSize, locale),
        total: formatBytes(inspection.totalSize, locale),
      }),
    ],
  ];
}
