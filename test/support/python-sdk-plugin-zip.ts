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
function folderEntries(folder: string, prefix: string): TestZipEntry[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('__pycache__'))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { name: `${prefix}/${relative(folder, path).split('\\').join('/')}`, data: readFileSync(path) };
    });
}

/**
 * A portable plugin zip the way eKuiper builds its Python example's: manifest, the plugin's `main.py`, the SDK
 * package vendored beside it, and — since pynng cannot be installed here — the tests' stand-in `pynng` over
 * libnng with its ctypes binding. `names` is installed under `names.plugin` unless `installAs` says otherwise.
 */
export function pythonSdkPluginZip(names: SdkPluginNames, installAs = names.plugin): Buffer {
  const manifest = {
    version: 'v1.0.0',
    language: 'python',
    executable: 'main.py',
    sources: [names.source],
    sinks: [names.sink],
    functions: [names.function],
  };
  return buildZip([
    { name: `${installAs}.json`, data: JSON.stringify(manifest) },
    { name: 'main.py', data: readFileSync(join(SUPPORT, 'python-sdk-plugin/main.py')) },
    { name: 'names.json', data: JSON.stringify(names) },
    { name: `sources/${names.source}.yaml`, data: 'default:\n  interval: 20\n' },
    ...folderEntries(PYTHON_SDK, 'ekuiper'),
    ...folderEntries(join(SUPPORT, 'pynng-standin/pynng'), 'pynng'),
    { name: 'nng_ctypes.py', data: readFileSync(join(SUPPORT, 'python-plugin/nng_ctypes.py')) },
  ]);
}

export function writePythonSdkPluginZip(folder: string, names: SdkPluginNames, installAs?: string): string {
  const path = resolve(folder, `${installAs ?? names.plugin}.zip`);
  writeFileSync(path, pythonSdkPluginZip(names, installAs));
  return path;
}
