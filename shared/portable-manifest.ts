import type { PlanResult } from './native-zip-rules.js';
import { SYMBOL_FOLDERS } from './plugin-kinds.js';
import type { ZipEntryInfo } from './zip-layout.js';
import { hostMessage } from './host-messages.js';
import {
  commonTopFolder,
  fileEntries,
  listNames,
  longFileNameProblem,
  topFolderProblem,
} from './zip-layout.js';

/** A portable plugin's `{name}.json`, with the fields eKuiper reads (reference §3.4). */
export interface PortableManifest {
  name: string;
  version: string;
  language: string;
  executable: string;
  virtualEnvType?: string;
  env?: string;
  sources: string[];
  sinks: string[];
  functions: string[];
}

export const PORTABLE_LANGUAGES = ['go', 'python'] as const;

type Problem = { ok: false; problem: string };
const problem = (text: string): Problem => ({ ok: false, problem: text });

function stringList(value: unknown, field: string, file: string): string[] | Problem {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    return problem(
      `invalid json file ${file}: ${hostMessage('manifestNotList', { field, example: `${field.slice(0, -1)}1` })}`,
    );
  }
  const names = value as string[];
  const bad = names.find((item) => item.trim() === '' || /[/\\]|\.\./.test(item));
  if (bad !== undefined) {
    return problem(`invalid json file ${file}: ${hostMessage('manifestBadSymbol', { field, symbol: bad })}`);
  }
  return names;
}

function optionalString(value: unknown, field: string, file: string): string | undefined | Problem {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    return problem(`invalid json file ${file}: ${hostMessage('manifestNotString', { field })}`);
  return value;
}

/**
 * Parses and validates a manifest in eKuiper's order and texts (`invalid plugin, …`), adding what to do about
 * each problem. `requestedName` is the name the plugin is being installed under.
 */
export function parsePortableManifest(requestedName: string, text: string): PlanResult<PortableManifest> {
  const file = `${requestedName}.json`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return problem(`invalid json file ${file}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return problem(`invalid json file ${file}: ${hostMessage('manifestNotObject')}`);
  }
  const fields = raw as Record<string, unknown>;
  const strings: Record<string, string | undefined> = {};
  for (const field of ['name', 'version', 'language', 'executable', 'virtualEnvType', 'env']) {
    const value = optionalString(fields[field], field, file);
    if (typeof value === 'object') return value;
    strings[field] = value;
  }
  const lists: Record<string, string[]> = {};
  for (const field of SYMBOL_FOLDERS) {
    const value = stringList(fields[field], field, file);
    if (!Array.isArray(value)) return value;
    lists[field] = value;
  }
  const declaredName = strings.name;
  if (declaredName !== undefined && declaredName !== '' && declaredName !== requestedName) {
    return problem(
      `invalid plugin, expect name '${requestedName}' but got '${declaredName}': ` +
        hostMessage('manifestDeclaresOther', { file, declared: declaredName }),
    );
  }
  const language = strings.language ?? '';
  const executable = strings.executable ?? '';
  if (language === '') {
    return problem(`invalid plugin, missing language: ${hostMessage('manifestSetLanguage', { file })}`);
  }
  if (executable === '') {
    return problem(`invalid plugin, missing executable: ${hostMessage('manifestSetExecutable', { file })}`);
  }
  const symbolCount = lists.sources!.length + lists.sinks!.length + lists.functions!.length;
  if (symbolCount === 0) {
    return problem(
      `invalid plugin, must define at lease one source, sink or function: ` +
        hostMessage('manifestListSymbols', { file }),
    );
  }
  if (!(PORTABLE_LANGUAGES as readonly string[]).includes(language)) {
    return problem(
      `invalid plugin, language '${language}' is not supported: ${hostMessage('manifestUseLanguage')}`,
    );
  }
  const manifest: PortableManifest = {
    name: requestedName,
    version: strings.version ?? '',
    language,
    executable,
    sources: lists.sources!,
    sinks: lists.sinks!,
    functions: lists.functions!,
  };
  if (strings.virtualEnvType !== undefined && strings.virtualEnvType !== '') {
    manifest.virtualEnvType = strings.virtualEnvType;
  }
  if (strings.env !== undefined && strings.env !== '') manifest.env = strings.env;
  return { ok: true, plan: manifest };
}

/** Collapses `./` and duplicate slashes so `./run` in a manifest matches the entry `run` (eKuiper bug 9). */
export function cleanRelativePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    parts.push(part);
  }
  return parts.join('/');
}

/**
 * Finds the manifest entry and explains its absence: the top-folder mistake, or a manifest named after
 * another plugin (eKuiper's own test zip `mirror.zip` holds `mirror2.json`).
 */
export function findPortableManifest(name: string, entries: readonly ZipEntryInfo[]): PlanResult<string> {
  const files = fileEntries(entries);
  const wanted = `${name}.json`;
  if (files.some((file) => file.name === wanted)) return { ok: true, plan: wanted };
  const base = `missing or invalid json file ${wanted}, found ${entries.length} files in total`;
  const folder = commonTopFolder(entries);
  if (folder !== undefined) return problem(`${base}: ${topFolderProblem(folder, wanted)}`);
  const rootJson = files.filter((file) => !file.name.includes('/') && file.name.endsWith('.json'));
  if (rootJson.length > 0) {
    const others = rootJson.map((file) => `'${file.name.slice(0, -'.json'.length)}'`);
    return problem(
      `${base}: ` +
        hostMessage('manifestNamedOtherwise', {
          files: listNames(rootJson.map((f) => f.name)),
          others: listNames(others),
          wanted,
        }),
    );
  }
  // A native plugin's zip dropped as portable (the Kind left at its default): say what it is.
  const libraries = files.filter((file) => !file.name.includes('/') && file.name.endsWith('.so'));
  if (libraries.length > 0) {
    const names = listNames(libraries.map((file) => file.name));
    return problem(`${base}: ${hostMessage('manifestMissingNative', { wanted, libraries: names })}`);
  }
  return problem(`${base}: ${hostMessage('manifestMissing', { wanted })}`);
}

export interface PortableEntryPlacement {
  entry: string;
  /** Relative to the data folder: `etc/…` + `data/…` for symbol files, `plugins/portable/{name}/…` else. */
  targets: string[];
}

export interface PortableZipPlan {
  manifestEntry: string;
  executableEntry: string;
  hasInstallScript: boolean;
  placements: PortableEntryPlacement[];
}

/**
 * Checks the files a manifest requires (reference §3.4: the executable, `sources/{s}.yaml` for each source)
 * and decides where every entry goes.
 */
export function planPortableZip(
  manifest: PortableManifest,
  entries: readonly ZipEntryInfo[],
): PlanResult<PortableZipPlan> {
  const files = fileEntries(entries);
  const names = new Set(files.map((file) => file.name));
  const executable = cleanRelativePath(manifest.executable);
  if (
    executable === '' ||
    executable.split('/').includes('..') ||
    /^([a-zA-Z]:|\/)/.test(manifest.executable)
  ) {
    return problem(
      hostMessage('manifestExecutableOutside', { executable: manifest.executable, name: manifest.name }),
    );
  }
  const rootFiles = files.filter((file) => !file.name.includes('/')).map((file) => file.name);
  if (!names.has(executable)) {
    return problem(
      `missing ${executable}: ` +
        hostMessage('manifestExecutableMissing', {
          executable: manifest.executable,
          files: listNames(rootFiles),
        }),
    );
  }
  for (const source of manifest.sources) {
    const config = `sources/${source}.yaml`;
    if (!names.has(config)) {
      return problem(`missing ${config}: ${hostMessage('manifestSourceConfigMissing', { config, source })}`);
    }
  }
  const declared: Record<string, string[]> = {
    sources: manifest.sources,
    sinks: manifest.sinks,
    functions: manifest.functions,
  };
  for (const file of files) {
    const [folder, base] = splitSymbolFile(file.name);
    if (folder === undefined) continue;
    const symbol = base.replace(/\.[^.]*$/, '');
    if (base.includes('/') || !declared[folder]!.includes(symbol)) {
      return problem(
        hostMessage('manifestForeignSymbolFile', {
          file: file.name,
          what: folder.slice(0, -1),
          declared: listNames(declared[folder]!),
          folder,
          symbol,
        }),
      );
    }
  }
  const placements = files.map((file): PortableEntryPlacement => {
    const [folder] = splitSymbolFile(file.name);
    if (folder !== undefined) {
      return { entry: file.name, targets: [`etc/${file.name}`, `data/${file.name}`] };
    }
    return { entry: file.name, targets: [`plugins/portable/${manifest.name}/${file.name}`] };
  });
  const tooLong = longFileNameProblem(placements.flatMap((placement) => placement.targets));
  if (tooLong !== undefined) return problem(tooLong);
  return {
    ok: true,
    plan: {
      manifestEntry: `${manifest.name}.json`,
      executableEntry: executable,
      hasInstallScript: names.has('install.sh'),
      placements,
    },
  };
}

/** Splits `sources/random.yaml` into its symbol folder and the rest; other entries have no folder. */
function splitSymbolFile(entry: string): [string | undefined, string] {
  const slash = entry.indexOf('/');
  const folder = entry.slice(0, slash);
  if (slash <= 0 || !(SYMBOL_FOLDERS as readonly string[]).includes(folder)) return [undefined, entry];
  return [folder, entry.slice(slash + 1)];
}
