import { PluginError } from '../../plugins/plugin-error.js';
import {
  scaffoldExecutable,
  scaffoldLayout,
  scaffoldProblems,
  type ScaffoldFile,
  type ScaffoldLayoutEntry,
  type ScaffoldRequest,
  type ScaffoldSymbolKind,
} from '../../../shared/scaffold-dto.js';
import { goBuildUnix, goBuildWindows, goFunction, goMain, goMod, goSink, goSource } from './go-templates.js';
import { sourceConfigYaml, symbolMetadataJson } from './metadata-templates.js';
import {
  pythonFunction,
  pythonInstallScript,
  pythonMain,
  pythonRequirements,
  pythonSink,
  pythonSource,
} from './python-templates.js';
import { scaffoldReadme } from './readme-template.js';

export { pythonFunction, pythonSymbolClass } from './python-templates.js';

export interface ScaffoldOptions {
  /**
   * Code of symbol files to use instead of the templates, by symbol name: a Python function module written
   * elsewhere (it must define the class `pythonSymbolClass('functions', name)`), for a trial plugin around it.
   */
  modules?: Record<string, string>;
}

/** The manifest eKuiper reads first (`<name>.json`), as its examples write it. */
function manifest(request: ScaffoldRequest): string {
  const descriptor = {
    version: 'v1.0.0',
    language: request.language,
    executable: scaffoldExecutable(request.language, request.name),
    sources: request.sources,
    sinks: request.sinks,
    functions: request.functions,
  };
  return `${JSON.stringify(descriptor, null, 2)}\n`;
}

const SYMBOL_TEMPLATES: Record<
  ScaffoldRequest['language'],
  Record<ScaffoldSymbolKind, (plugin: string, symbol: string) => string>
> = {
  python: { sources: pythonSource, sinks: pythonSink, functions: pythonFunction },
  go: { sources: goSource, sinks: goSink, functions: goFunction },
};

function content(request: ScaffoldRequest, entry: ScaffoldLayoutEntry, options: ScaffoldOptions): string {
  const { name, language } = request;
  const symbol = entry.symbol ?? '';
  switch (entry.role) {
    case 'readme':
      return scaffoldReadme(request);
    case 'manifest':
      return manifest(request);
    case 'main':
      return language === 'python' ? pythonMain(request) : goMain(request);
    case 'symbol':
      return options.modules?.[symbol] ?? SYMBOL_TEMPLATES[language][entry.kind!](name, symbol);
    case 'source-config':
      return sourceConfigYaml(symbol);
    case 'metadata':
      return symbolMetadataJson(entry.kind!, name, symbol);
    case 'requirements':
      return pythonRequirements();
    case 'install-script':
      return pythonInstallScript();
    case 'go-mod':
      return goMod(name);
    case 'build-unix':
      return goBuildUnix(request);
    case 'build-windows':
      return goBuildWindows(request);
  }
}

/**
 * The files of a new plugin, laid out as eKuiper's SDK examples (`pysam`, `mirror`), each with a small working
 * body. Pure: the route writes them to a folder or a zip, the AI generator builds its trial plugin from them.
 * A request that breaks a naming rule throws a `PluginError` (400) with the first problem, in the host's words.
 */
export function scaffoldFiles(request: ScaffoldRequest, options: ScaffoldOptions = {}): ScaffoldFile[] {
  const problems = scaffoldProblems(request);
  if (problems.length > 0) throw new PluginError(problems[0]!.message);
  return scaffoldLayout(request).map((entry) => {
    const file: ScaffoldFile = { path: entry.path, data: content(request, entry, options) };
    if (entry.executable === true) file.executable = true;
    return file;
  });
}
