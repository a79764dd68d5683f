import { hostMessage } from '../../shared/host-messages.js';
import type { ScaffoldFile } from '../../shared/scaffold-dto.js';
import { pythonSymbolClass, scaffoldFiles } from '../authoring/scaffold/scaffold-files.js';
import { PluginError } from '../plugins/plugin-error.js';

/** What a generated Python function becomes: the plugin's name, the SQL function's, and the module's code. */
export interface PythonFunctionPlugin {
  plugin: string;
  symbol: string;
  code: string;
  /** Add the scaffold's `install.sh` (pip installs the SDK where missing): yes for the user's plugin, not for a trial. */
  installScript: boolean;
}

/** The class the model wrote that implements the SDK's Function (the first one, if it wrote several). */
export function functionClassOf(code: string): string {
  const found = /^class\s+([A-Za-z_]\w*)\s*\(\s*(?:ekuiper\.)?Function\s*\)\s*:/m.exec(code);
  if (found === null) throw new PluginError(hostMessage('aiPythonClassMissing'));
  return found[1]!;
}

/**
 * The module as the scaffold's main imports it: the main registers `<module>.<ExpectedClass>()`, so a class the
 * model named otherwise gets that name as an alias at the end (its code is left as written).
 */
export function functionModule(symbol: string, code: string): string {
  const expected = pythonSymbolClass('functions', symbol);
  const written = functionClassOf(code);
  if (written === expected) return code;
  return `${code.trimEnd()}\n\n\n# The name the plugin's main registers the function under.\n${expected} = ${written}\n`;
}

/**
 * A Python portable plugin around a generated function, laid out by the New plugin scaffold (manifest, main,
 * metadata, README, requirements) with the model's module in place of the template function.
 */
export function pythonFunctionPluginFiles(plugin: PythonFunctionPlugin): ScaffoldFile[] {
  const module = functionModule(plugin.symbol, plugin.code);
  return scaffoldFiles(
    {
      language: 'python',
      name: plugin.plugin,
      sources: [],
      sinks: [],
      functions: [plugin.symbol],
      installScript: plugin.installScript,
    },
    { modules: { [plugin.symbol]: module } },
  );
}
