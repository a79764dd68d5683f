/** What the layout rules need to know about a zip entry; the host and the renderer both produce it. */
export interface ZipEntryInfo {
  /** Root-relative, forward slashes, no leading `./`. */
  name: string;
  isDirectory: boolean;
  /** Inflated size in bytes. */
  size: number;
}

/** Files only, since zips made by different tools disagree on whether they list directories. */
export function fileEntries(entries: readonly ZipEntryInfo[]): ZipEntryInfo[] {
  return entries.filter((entry) => !entry.isDirectory);
}

/**
 * The single top-level folder that holds every file, if the zip was made by zipping a folder rather than
 * its contents — the most common packaging mistake, and one we can explain and repack.
 */
export function commonTopFolder(entries: readonly ZipEntryInfo[]): string | undefined {
  const files = fileEntries(entries);
  if (files.length === 0) return undefined;
  let folder: string | undefined;
  for (const file of files) {
    const slash = file.name.indexOf('/');
    if (slash <= 0) return undefined;
    const first = file.name.slice(0, slash);
    if (folder === undefined) folder = first;
    else if (folder !== first) return undefined;
  }
  return folder;
}

/** The teaching text for a zip whose files sit under one folder; `expected` names what eKuiper looks for. */
export function topFolderProblem(folder: string, expected: string): string {
  return (
    `the files sit under the folder '${folder}/', but eKuiper looks for ${expected} at the root of the zip. ` +
    `Zip the folder's contents rather than the folder (for example: cd ${folder} && zip -r ../${folder}.zip .)`
  );
}

/** Lists up to a few names, so a message stays readable for zips of thousands of files. */
export function listNames(names: readonly string[], max = 5): string {
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
