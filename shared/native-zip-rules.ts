import type { NativeKind } from './plugin-kinds.js';
import { kindSingular } from './plugin-kinds.js';
import { upperFirst } from './plugin-names.js';
import type { ZipEntryInfo } from './zip-layout.js';
import { hostMessage } from './host-messages.js';
import {
  commonTopFolder,
  fileEntries,
  listNames,
  longFileNameProblem,
  topFolderProblem,
} from './zip-layout.js';

/** Where one zip entry of a native plugin goes, as paths relative to the data folder or the workspace. */
export interface NativeEntryPlacement {
  entry: string;
  role: 'library' | 'default-config' | 'ui-metadata' | 'runtime-file' | 'workspace';
  /** Relative to the data folder (eKuiper's layout, reference §4.2); empty for workspace files. */
  targets: string[];
  /** Relative to the install workspace where `install.sh` runs; only for workspace files. */
  workspacePath?: string;
}

export interface NativeZipPlan {
  libraryEntry: string;
  /** Version from `Name@v1.0.0.so`, one leading `v` removed, as eKuiper's describe reports it. */
  version: string;
  hasInstallScript: boolean;
  placements: NativeEntryPlacement[];
}

export type PlanResult<T> = { ok: true; plan: T } | { ok: false; problem: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `random.so`, `Random.so`, `Random@v1.0.0.so` — never a path, so `name@a/b.so` cannot create folders. */
export function libraryPattern(name: string): RegExp {
  return new RegExp(`^(${escapeRegExp(name)}|${escapeRegExp(upperFirst(name))})(@[^/]*)?\\.so$`);
}

/** eKuiper's `parseName`: the version is what follows `@`, reported without one leading `v`. */
export function versionFromLibrary(fileName: string): string {
  const base = fileName.slice(0, -'.so'.length);
  const at = base.indexOf('@');
  if (at < 0) return '';
  const raw = base.slice(at + 1);
  return raw.startsWith('v') ? raw.slice(1) : raw;
}

/**
 * Applies eKuiper's native zip rules (reference §3.3) and explains every rejection in words that say how to
 * fix the zip. The texts follow eKuiper's `invalid zip file: ` so scripts that match on it keep working.
 */
export function planNativeZip(
  kind: NativeKind,
  name: string,
  entries: readonly ZipEntryInfo[],
): PlanResult<NativeZipPlan> {
  const pattern = libraryPattern(name);
  const files = fileEntries(entries);
  const libraries = files.filter((file) => pattern.test(file.name));
  const expectedLibrary = `${name}.so or ${upperFirst(name)}.so`;
  const fail = (problem: string): PlanResult<NativeZipPlan> => ({
    ok: false,
    problem: `invalid zip file: ${problem}`,
  });

  if (libraries.length === 0) {
    const folder = commonTopFolder(entries);
    if (folder !== undefined) return fail(topFolderProblem(folder, expectedLibrary));
    const otherLibraries = files.filter((file) => file.name.endsWith('.so')).map((file) => file.name);
    if (otherLibraries.length > 0) {
      return fail(
        hostMessage('nativeWrongLibrary', {
          found: listNames(otherLibraries),
          kind: kindSingular(kind),
          name,
          expected: expectedLibrary,
          example: `${upperFirst(name)}@v1.0.0.so`,
        }),
      );
    }
    return fail(
      hostMessage('nativeNoLibrary', {
        kind: kindSingular(kind),
        expected: expectedLibrary,
        found: listNames(files.map((file) => file.name)),
      }),
    );
  }
  if (libraries.length > 1) {
    return fail(
      hostMessage('nativeManyLibraries', {
        count: libraries.length,
        name,
        found: listNames(libraries.map((l) => l.name)),
      }),
    );
  }
  const library = libraries[0]!;
  const configName = `${name}.yaml`;
  if (kind === 'sources' && !files.some((file) => file.name === configName)) {
    return fail(
      hostMessage('sourceNeedsConfig', {
        config: configName,
        library: library.name,
        found: listNames(files.map((file) => file.name)),
      }),
    );
  }

  const placements: NativeEntryPlacement[] = files.map((file): NativeEntryPlacement => {
    if (file === library) {
      return { entry: file.name, role: 'library', targets: [`plugins/${kind}/${file.name}`] };
    }
    if (kind === 'sources' && file.name === configName) {
      return {
        entry: file.name,
        role: 'default-config',
        targets: [`etc/sources/${configName}`, `data/sources/${configName}`],
      };
    }
    if (file.name === `${name}.json`) {
      return {
        entry: file.name,
        role: 'ui-metadata',
        targets: [`etc/${kind}/${name}.json`, `data/${kind}/${name}.json`],
      };
    }
    if (file.name.startsWith('etc/')) {
      const rest = file.name.slice('etc/'.length);
      return {
        entry: file.name,
        role: 'runtime-file',
        targets: [`etc/${kind}/${name}/${rest}`, `data/${kind}/${name}/${rest}`],
      };
    }
    return { entry: file.name, role: 'workspace', targets: [], workspacePath: file.name };
  });
  const tooLong = longFileNameProblem(
    placements.flatMap((placement) => [...placement.targets, placement.workspacePath ?? '']),
  );
  if (tooLong !== undefined) return fail(tooLong);

  return {
    ok: true,
    plan: {
      libraryEntry: library.name,
      version: versionFromLibrary(library.name),
      hasInstallScript: files.some((file) => file.name === 'install.sh'),
      placements,
    },
  };
}
