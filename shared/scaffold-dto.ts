import { hostMessage } from './host-messages.js';
import { FILE_NAME_MAX_BYTES, pluginNameProblem } from './plugin-names.js';
import { PYTHON_KEYWORDS, PYTHON_SDK_PACKAGES, PYTHON_STDLIB_MODULES } from './python-module-names.js';

/**
 * The New plugin scaffold, shared by host and window: what is asked for, the rules it must follow (the window
 * shows them live, the route answers them), and which files it becomes (the window previews the tree, the
 * host fills them in: `main/authoring/scaffold`).
 */

export const SCAFFOLD_LANGUAGES = ['python', 'go'] as const;
export type ScaffoldLanguage = (typeof SCAFFOLD_LANGUAGES)[number];

/** The three kinds of symbol a portable plugin provides, as its manifest lists them. */
export const SCAFFOLD_SYMBOL_KINDS = ['sources', 'sinks', 'functions'] as const;
export type ScaffoldSymbolKind = (typeof SCAFFOLD_SYMBOL_KINDS)[number];

export interface ScaffoldRequest {
  language: ScaffoldLanguage;
  /** The plugin's name: its manifest `<name>.json`, its executable, the name its main registers. */
  name: string;
  sources: string[];
  sinks: string[];
  functions: string[];
  /**
   * Python only: add `install.sh`, which eKuiper runs on install to `pip install` the SDK and pynng when the
   * server's Python lacks them. Default true.
   */
  installScript?: boolean;
}

/** `POST /manager/authoring/scaffold`: the request, and where to write it (absent: answered as a zip). */
export interface ScaffoldRouteRequest extends ScaffoldRequest {
  folder?: string;
}

/** The 201 answer when the scaffold was written to a folder. */
export interface ScaffoldWritten {
  folder: string;
  /** Relative paths, forward slashes, in the scaffold's order. */
  files: string[];
}

/** One file of a scaffold: its path relative to the plugin folder (forward slashes), its content. */
export interface ScaffoldFile {
  path: string;
  data: string | Uint8Array;
  /** Written with the exec bit (`build.sh`, `install.sh`). */
  executable?: boolean;
}

/** What a file of the scaffold is, so the host knows which template fills it. */
export type ScaffoldRole =
  | 'manifest'
  | 'main'
  | 'symbol'
  | 'source-config'
  | 'metadata'
  | 'readme'
  | 'requirements'
  | 'install-script'
  | 'go-mod'
  | 'build-unix'
  | 'build-windows';

export interface ScaffoldLayoutEntry {
  path: string;
  role: ScaffoldRole;
  /** For symbol files, their config and metadata. */
  kind?: ScaffoldSymbolKind;
  symbol?: string;
  executable?: boolean;
}

/** Singular word of a kind, as messages and code comments say it. */
export function symbolKindWord(kind: ScaffoldSymbolKind): 'source' | 'sink' | 'function' {
  return kind === 'sources' ? 'source' : kind === 'sinks' ? 'sink' : 'function';
}

/** The Go file of a symbol, named as eKuiper's `mirror` example names them (`random_source.go`). */
export function goSymbolFile(kind: ScaffoldSymbolKind, symbol: string): string {
  const suffix = kind === 'sources' ? 'source' : kind === 'sinks' ? 'sink' : 'func';
  return `${symbol}_${suffix}.go`;
}

/** The file that implements a symbol: a module per symbol in Python (`pysam`), a `.go` file per symbol in Go. */
export function symbolFile(language: ScaffoldLanguage, kind: ScaffoldSymbolKind, symbol: string): string {
  return language === 'python' ? `${symbol}.py` : goSymbolFile(kind, symbol);
}

/** The plugin's executable as its manifest names it: eKuiper runs `python -u <name>.py` or the Go binary. */
export function scaffoldExecutable(language: ScaffoldLanguage, name: string): string {
  return language === 'python' ? `${name}.py` : name;
}

/**
 * Every file of the scaffold, in the order they are listed: the window previews this tree and the host
 * writes exactly these paths, so the two never disagree. Assumes a request without problems.
 */
export function scaffoldLayout(request: ScaffoldRequest): ScaffoldLayoutEntry[] {
  const { language, name } = request;
  const entries: ScaffoldLayoutEntry[] = [
    { path: 'README.md', role: 'readme' },
    { path: `${name}.json`, role: 'manifest' },
  ];
  if (language === 'python') {
    entries.push({ path: `${name}.py`, role: 'main' });
  } else {
    entries.push({ path: 'main.go', role: 'main' }, { path: 'go.mod', role: 'go-mod' });
  }
  for (const kind of SCAFFOLD_SYMBOL_KINDS) {
    for (const symbol of request[kind]) {
      entries.push({ path: symbolFile(language, kind, symbol), role: 'symbol', kind, symbol });
    }
  }
  if (language === 'python') {
    entries.push({ path: 'requirements.txt', role: 'requirements' });
    if (request.installScript !== false) {
      entries.push({ path: 'install.sh', role: 'install-script', executable: true });
    }
  } else {
    entries.push(
      { path: 'build.sh', role: 'build-unix', executable: true },
      { path: 'build.ps1', role: 'build-windows' },
    );
  }
  for (const kind of SCAFFOLD_SYMBOL_KINDS) {
    for (const symbol of request[kind]) {
      if (kind === 'sources') {
        entries.push({ path: `sources/${symbol}.yaml`, role: 'source-config', kind, symbol });
      }
      entries.push({ path: `${kind}/${symbol}.json`, role: 'metadata', kind, symbol });
    }
  }
  return entries;
}

// ---- rules -----------------------------------------------------------------------------------------------

/** Which part of the request a problem is about, so the window can show it on that field. */
export type ScaffoldField = 'language' | 'name' | ScaffoldSymbolKind;

export interface ScaffoldProblem {
  field: ScaffoldField;
  /** The symbol the problem is about, for symbol fields. */
  symbol?: string;
  /** The host's text (`HOST_MESSAGES`), as the route answers it. */
  message: string;
}

/** The longest symbol name: its longest file, `<symbol>_source.go` or `<symbol>.json`, must fit a file name. */
export const MAX_SYMBOL_LENGTH = FILE_NAME_MAX_BYTES - '_source.go'.length;

/** The names the Python main imports from the SDK: a module of that name would replace them there. */
const PYTHON_MAIN_IMPORTS: ReadonlySet<string> = new Set(['plugin', 'PluginConfig']);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function symbolProblem(
  request: ScaffoldRequest,
  kind: ScaffoldSymbolKind,
  symbol: string,
): string | undefined {
  const word = symbolKindWord(kind);
  const file = symbolFile(request.language, kind, symbol);
  if (symbol === '') return hostMessage('scaffoldSymbolEmpty', { kind: word });
  if (!IDENTIFIER.test(symbol)) return hostMessage('scaffoldSymbolCharacters', { kind: word, symbol, file });
  if (symbol.length > MAX_SYMBOL_LENGTH) {
    return hostMessage('scaffoldSymbolTooLong', {
      kind: word,
      symbol: `${symbol.slice(0, 40)}…`,
      length: symbol.length,
      limit: MAX_SYMBOL_LENGTH,
    });
  }
  if (request.language !== 'python') return undefined;
  if (PYTHON_KEYWORDS.has(symbol)) return hostMessage('scaffoldSymbolKeyword', { kind: word, symbol, file });
  if (PYTHON_STDLIB_MODULES.has(symbol) || PYTHON_SDK_PACKAGES.has(symbol)) {
    return hostMessage('scaffoldSymbolShadowsModule', { kind: word, symbol, file });
  }
  if (PYTHON_MAIN_IMPORTS.has(symbol)) {
    return hostMessage('scaffoldSymbolShadowsImport', { kind: word, symbol, file });
  }
  if (symbol.toLowerCase() === request.name.toLowerCase()) {
    return hostMessage('scaffoldSymbolIsMain', { kind: word, symbol, file: `${request.name}.py` });
  }
  return undefined;
}

function nameProblem(request: ScaffoldRequest): string | undefined {
  const problem = pluginNameProblem('portables', request.name);
  if (problem !== undefined) return problem.message;
  const { name } = request;
  if (request.language === 'python' && (PYTHON_STDLIB_MODULES.has(name) || PYTHON_SDK_PACKAGES.has(name))) {
    return hostMessage('scaffoldPluginShadowsModule', { name, file: `${name}.py` });
  }
  return undefined;
}

/**
 * Every reason a scaffold request cannot be written, in the order of the form: language, name, no symbols,
 * each symbol (its own rules, then a name used twice). Empty when the scaffold can be made. The host answers
 * the first; the window shows each on its field as the user types.
 */
export function scaffoldProblems(request: ScaffoldRequest): ScaffoldProblem[] {
  const problems: ScaffoldProblem[] = [];
  if (!(SCAFFOLD_LANGUAGES as readonly string[]).includes(request.language)) {
    return [
      { field: 'language', message: hostMessage('scaffoldLanguage', { language: String(request.language) }) },
    ];
  }
  const name = nameProblem(request);
  if (name !== undefined) problems.push({ field: 'name', message: name });
  const total = SCAFFOLD_SYMBOL_KINDS.reduce((sum, kind) => sum + request[kind].length, 0);
  if (total === 0) problems.push({ field: 'functions', message: hostMessage('scaffoldNoSymbols') });
  const seen = new Map<string, { kind: ScaffoldSymbolKind; symbol: string }>();
  for (const kind of SCAFFOLD_SYMBOL_KINDS) {
    for (const symbol of request[kind]) {
      const own = symbolProblem(request, kind, symbol);
      if (own !== undefined) {
        problems.push({ field: kind, symbol, message: own });
        continue;
      }
      const key = symbol.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, { kind, symbol });
        continue;
      }
      problems.push({
        field: kind,
        symbol,
        message: hostMessage('scaffoldSymbolDuplicate', {
          symbol,
          first: `${symbolKindWord(first.kind)} '${first.symbol}'`,
          second: `${symbolKindWord(kind)} '${symbol}'`,
        }),
      });
    }
  }
  return problems;
}
