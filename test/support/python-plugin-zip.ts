import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildZip, type TestZipEntry } from './zip-writer.js';

const FOLDER = resolve(import.meta.dirname, 'python-plugin');

export interface PythonPluginOptions {
  name: string;
  /** symbol → behaviour: revert (a string), echo, error. */
  functions?: Record<string, 'revert' | 'echo' | 'error'>;
  sources?: string[];
  sinks?: string[];
  keepAliveMs?: number;
  /** Modules imported at start: a missing one makes the plugin fail the way an SDK plugin without pynng does. */
  imports?: string[];
}

/** A Python portable plugin zip: manifest, `plugin.py` with its ctypes nng binding, config and source yamls. */
export function pythonPluginZip(options: PythonPluginOptions): Buffer {
  const sources = options.sources ?? [];
  const manifest = {
    version: 'v1.0.0',
    language: 'python',
    executable: 'plugin.py',
    sources,
    sinks: options.sinks ?? [],
    functions: Object.keys(options.functions ?? {}),
  };
  const entries: TestZipEntry[] = [
    { name: `${options.name}.json`, data: JSON.stringify(manifest) },
    { name: 'plugin.py', data: readFileSync(join(FOLDER, 'plugin.py')) },
    { name: 'nng_ctypes.py', data: readFileSync(join(FOLDER, 'nng_ctypes.py')) },
    { name: 'plugin-config.json', data: JSON.stringify(options) },
    ...sources.map((source) => ({ name: `sources/${source}.yaml`, data: 'default:\n  interval: 20\n' })),
  ];
  return buildZip(entries);
}

export function writePythonPluginZip(folder: string, options: PythonPluginOptions): string {
  const path = join(folder, `${options.name}.zip`);
  writeFileSync(path, pythonPluginZip(options));
  return path;
}
