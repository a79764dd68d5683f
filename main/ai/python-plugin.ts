import { zipSync } from 'fflate';
import { hostMessage } from '../../shared/host-messages.js';
import { PluginError } from '../plugins/plugin-error.js';

/** One file of a plugin folder, as the scaffold writes them. */
export interface PluginFile {
  path: string;
  data: string | Uint8Array;
  executable?: boolean;
}

/** What a generated Python function becomes: the plugin's name, the SQL function's, and the module's code. */
export interface PythonFunctionPlugin {
  plugin: string;
  symbol: string;
  code: string;
  description?: string;
}

/** The class the model wrote that implements the SDK's Function (the first one, if it wrote several). */
export function functionClassOf(code: string): string {
  const found = /^class\s+([A-Za-z_]\w*)\s*\(\s*(?:ekuiper\.)?Function\s*\)\s*:/m.exec(code);
  if (found === null) throw new PluginError(hostMessage('aiPythonClassMissing'));
  return found[1]!;
}

/**
 * The files of a Python portable plugin around a generated function: the manifest, the function's module as the
 * model wrote it, and a main that registers an instance of its class under the SQL name.
 */
export function pythonFunctionPluginFiles(plugin: PythonFunctionPlugin): PluginFile[] {
  const className = functionClassOf(plugin.code);
  const manifest = {
    version: 'v1.0.0',
    language: 'python',
    executable: 'main.py',
    functions: [plugin.symbol],
  };
  const main =
    'from ekuiper import PluginConfig, plugin\n\n' +
    `from ${plugin.symbol} import ${className}\n\n` +
    "if __name__ == '__main__':\n" +
    `    c = PluginConfig(${JSON.stringify(plugin.plugin)}, {}, {}, {${JSON.stringify(plugin.symbol)}: lambda: ${className}()})\n` +
    '    plugin.start(c)\n';
  return [
    { path: `${plugin.plugin}.json`, data: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'main.py', data: main },
    { path: `${plugin.symbol}.py`, data: plugin.code },
  ];
}

/** A fixed time for every entry, so the same files always give the same zip. */
const ZIP_TIME = new Date('2020-01-01T00:00:00Z');

/** The files as a zip eKuiper installs: every file at the root, executables with their bit set. */
export function pluginZip(files: PluginFile[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date; attrs: number }]> = {};
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const data = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
    const mode = file.executable === true ? 0o100755 : 0o100644;
    entries[file.path] = [data, { mtime: ZIP_TIME, attrs: mode << 16 }];
  }
  return zipSync(entries);
}
