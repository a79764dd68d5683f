import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { FIXTURES } from './host-harness.js';
import { buildZip, type TestZipEntry } from './zip-writer.js';

const SUPPORT = import.meta.dirname;
/** eKuiper's real Python SDK, as `pip install ekuiper` gives it (see its README in the fixtures). */
export const PYTHON_SDK = join(FIXTURES, 'python-sdk/ekuiper');

/** The names a plugin built on the SDK registers: the plugin's, and one symbol of each kind. */
export interface SdkPluginNames {
  plugin: string;
  function: string;
  source: string;
  sink: string;
}

/** Every file under `folder` as zip entries under `prefix/`, caches left out. */
function folderEntries(folder: string, prefix: string): Array<TestZipEntry & { data: Buffer }> {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('__pycache__'))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { name: `${prefix}/${relative(folder, path).split('\\').join('/')}`, data: readFileSync(path) };
    });
}

/** How the zip presents the program: the install name and the symbols its manifest declares. */
export interface SdkPluginZipOptions {
  /** Default: the name compiled into the program (`names.plugin`). */
  installAs?: string;
  /** Symbols the manifest declares; default: the program's own. */
  declared?: Omit<SdkPluginNames, 'plugin'>;
}

/**
 * A portable plugin zip the way eKuiper builds its Python example's: manifest, the plugin's `main.py`, the SDK
 * package vendored beside it, and — since pynng cannot be installed here — the tests' stand-in `pynng` over
 * libnng with its ctypes binding. `names` are compiled into the program (`names.json`); the manifest may say
 * otherwise, as a zip whose program was built under other names does.
 */
export function pythonSdkPluginZip(names: SdkPluginNames, options: SdkPluginZipOptions = {}): Buffer {
  const declared = options.declared ?? names;
  const manifest = {
    version: 'v1.0.0',
    language: 'python',
    executable: 'main.py',
    sources: [declared.source],
    sinks: [declared.sink],
    functions: [declared.function],
  };
  return buildZip([
    { name: `${options.installAs ?? names.plugin}.json`, data: JSON.stringify(manifest) },
    { name: 'main.py', data: readFileSync(join(SUPPORT, 'python-sdk-plugin/main.py')) },
    { name: 'names.json', data: JSON.stringify(names) },
    { name: `sources/${declared.source}.yaml`, data: 'default:\n  interval: 20\n' },
    ...sdkVendorEntries(),
  ]);
}

/**
 * What a Python plugin zip carries to run on this machine: eKuiper's SDK package vendored as eKuiper's own
 * build does, and the tests' stand-in `pynng` over libnng with its ctypes binding (pynng cannot be installed).
 */
export function sdkVendorEntries(): Array<{ name: string; data: Buffer }> {
  return [
    ...folderEntries(PYTHON_SDK, 'ekuiper'),
    ...folderEntries(join(SUPPORT, 'pynng-standin/pynng'), 'pynng'),
    { name: 'nng_ctypes.py', data: readFileSync(join(SUPPORT, 'python-plugin/nng_ctypes.py')) },
  ];
}

export function writePythonSdkPluginZip(
  folder: string,
  names: SdkPluginNames,
  options: SdkPluginZipOptions = {},
): string {
  const path = resolve(folder, `${options.installAs ?? names.plugin}.zip`);
  writeFileSync(path, pythonSdkPluginZip(names, options));
  return path;
}
