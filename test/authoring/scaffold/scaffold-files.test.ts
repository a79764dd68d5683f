import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { GO_SDK_MODULE, goSymbolType } from '../../../main/authoring/scaffold/go-templates.js';
import { pythonSymbolClass, scaffoldFiles } from '../../../main/authoring/scaffold/scaffold-files.js';
import { scaffoldZip } from '../../../main/authoring/scaffold/scaffold-zip.js';
import { PluginError } from '../../../main/plugins/plugin-error.js';
import {
  SCAFFOLD_SYMBOL_KINDS,
  scaffoldLayout,
  scaffoldProblems,
  type ScaffoldFile,
  type ScaffoldLanguage,
  type ScaffoldRequest,
} from '../../../shared/scaffold-dto.js';
import { inspectZip } from '../../../shared/zip-inspect.js';
import { readZipDirectoryFromBytes } from '../../../shared/zip-directory.js';

/**
 * Every mix of symbols, in both languages, gives files laid out as eKuiper's examples that the host's own zip
 * rules accept; Go's structure (go.mod, main.go's registrations, build scripts) is read back, since Go cannot
 * be built on this machine. Bad requests are refused with the rule they break.
 */

const MIXES: Array<Pick<ScaffoldRequest, 'sources' | 'sinks' | 'functions'> & { title: string }> = [
  { title: 'a source alone', sources: ['counter'], sinks: [], functions: [] },
  { title: 'a sink alone', sources: [], sinks: ['jsonl'], functions: [] },
  { title: 'a function alone', sources: [], sinks: [], functions: ['echo'] },
  { title: 'one of each', sources: ['counter'], sinks: ['jsonl'], functions: ['echo'] },
  {
    title: 'several of one kind',
    sources: ['counter', 'weather_station'],
    sinks: [],
    functions: ['echo', 'to_upper', 'Scale2'],
  },
];

const LANGUAGES: ScaffoldLanguage[] = ['python', 'go'];
const CASES = LANGUAGES.flatMap((language) => MIXES.map((mix) => ({ language, ...mix })));

const text = (files: ScaffoldFile[], path: string): string => {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return typeof file.data === 'string' ? file.data : new TextDecoder().decode(file.data);
};

describe.each(CASES)('a $language scaffold with $title', ({ language, title: _title, ...symbols }) => {
  const request: ScaffoldRequest = { language, name: 'my_plugin', ...symbols };
  const files = scaffoldFiles(request);

  test("its packed zip passes the host's zip rules with no problem", () => {
    // Go's zip is packed from a build folder: the binary stands beside the manifest.
    const packed =
      language === 'go' ? [...files, { path: 'my_plugin', data: '\x7fELF', executable: true }] : files;
    const inspection = inspectZip(scaffoldZip(packed), 'portables', 'my_plugin');
    expect(inspection.problems).toEqual([]);
    expect(inspection.manifest).toMatchObject({
      name: 'my_plugin',
      version: 'v1.0.0',
      language,
      executable: language === 'python' ? 'my_plugin.py' : 'my_plugin',
      ...symbols,
    });
    expect(inspection.symbols).toEqual(symbols);
    expect(inspection.hasInstallScript).toBe(language === 'python');
  });

  test('files are the shared layout, each once, with a source yaml and metadata in both languages per symbol', () => {
    expect(files.map((file) => file.path)).toEqual(scaffoldLayout(request).map((entry) => entry.path));
    expect(new Set(files.map((file) => file.path)).size).toBe(files.length);
    for (const source of symbols.sources) {
      expect(text(files, `sources/${source}.yaml`)).toMatch(
        /^default:\n {2}# milliseconds between two readings\n {2}interval: 1000\n/m,
      );
    }
    for (const kind of SCAFFOLD_SYMBOL_KINDS) {
      for (const symbol of symbols[kind]) {
        const metadata = JSON.parse(text(files, `${kind}/${symbol}.json`)) as {
          about: { description: Record<string, string>; helpUrl: Record<string, string> };
          properties?: unknown;
          functions?: Array<{ name: string; hint: Record<string, string> }>;
        };
        expect(Object.keys(metadata.about.description)).toEqual(['en_US', 'zh_CN']);
        expect(Object.keys(metadata.about.helpUrl)).toEqual(['en_US', 'zh_CN']);
        if (kind === 'sources') expect(metadata.properties).toHaveProperty('default');
        if (kind === 'sinks') expect(Array.isArray(metadata.properties)).toBe(true);
        if (kind === 'functions') expect(metadata.functions?.[0]?.name).toBe(symbol);
      }
    }
  });

  test('the README says how to package and try each symbol', () => {
    const readme = text(files, 'README.md');
    expect(readme).toContain('npm run pack -- ');
    for (const symbol of [...symbols.sources, ...symbols.sinks, ...symbols.functions]) {
      expect(readme).toContain(`\`${symbol}\``);
    }
  });

  test.runIf(language === 'python')('Python: the main registers every module with the manifest names', () => {
    const main = text(files, 'my_plugin.py');
    expect(main).toContain('plugin.start(');
    expect(main).toContain('"my_plugin",');
    for (const kind of SCAFFOLD_SYMBOL_KINDS) {
      for (const symbol of symbols[kind]) {
        expect(main).toContain(`import ${symbol}\n`);
        expect(main).toContain(`"${symbol}": lambda: ${symbol}.${pythonSymbolClass(kind, symbol)}(),`);
        expect(text(files, `${symbol}.py`)).toContain(`class ${pythonSymbolClass(kind, symbol)}(`);
      }
    }
    expect(
      text(files, 'requirements.txt')
        .split('\n')
        .filter((line) => /^\w/.test(line)),
    ).toEqual(['ekuiper', 'pynng']);
    expect(files.find((file) => file.path === 'install.sh')?.executable).toBe(true);
    expect(text(files, 'install.sh')).toContain('pip install -r requirements.txt');
  });

  test.runIf(language === 'go')(
    'Go: go.mod, main.go registering every symbol, a file per symbol, build scripts',
    () => {
      expect(text(files, 'go.mod')).toMatch(
        new RegExp(`^module ekuiper-plugin-my_plugin\n[\\s\\S]*require ${GO_SDK_MODULE} v`),
      );
      const main = text(files, 'main.go');
      expect(main).toContain(
        'import (\n\t"os"\n\n\t"github.com/lf-edge/ekuiper/sdk/go/api"\n\tsdk "github.com/lf-edge/ekuiper/sdk/go/runtime"\n)\n',
      );
      expect(main).toContain('sdk.Start(os.Args, &sdk.PluginConfig{');
      expect(main).toContain('Name: "my_plugin",');
      const fields = { sources: 'Sources', sinks: 'Sinks', functions: 'Functions' } as const;
      const interfaces = {
        sources: [
          'Configure(datasource string, props map[string]any) error',
          'Open(ctx api.StreamContext, consumer chan<- api.SourceTuple, _ chan<- error)',
          'Close(',
        ],
        sinks: [
          'Configure(props map[string]any) error',
          'Open(ctx api.StreamContext) error',
          'Collect(ctx api.StreamContext, data any) error',
          'Close(',
        ],
        functions: [
          'Validate(args []any) error',
          'Exec(args []any, _ api.FunctionContext) (any, bool)',
          'IsAggregate() bool',
        ],
      };
      for (const kind of SCAFFOLD_SYMBOL_KINDS) {
        expect(main.includes(`${fields[kind]}: map[string]`)).toBe(symbols[kind].length > 0);
        for (const symbol of symbols[kind]) {
          const type = goSymbolType(kind, symbol);
          expect(main).toContain(`"${symbol}": func() api.`);
          expect(main).toContain(`{ return &${type}{} },`);
          const suffix = kind === 'sources' ? 'source' : kind === 'sinks' ? 'sink' : 'func';
          const source = text(files, `${symbol}_${suffix}.go`);
          expect(source).toMatch(
            /^\/\/ [^\n]*\n(\/\/[^\n]*\n)*package main\n\nimport \(\n(\t"[a-z/]+"\n)+\n\t"github.com\/lf-edge\/ekuiper\/sdk\/go\/api"\n\)\n/,
          );
          for (const method of interfaces[kind]) expect(source).toContain(method);
          // Every method has a comment just above it.
          for (const match of source.matchAll(/\n(.*)\nfunc \(/g)) expect(match[1]).toMatch(/^\/\/ /);
        }
      }
      const build = text(files, 'build.sh');
      expect(files.find((file) => file.path === 'build.sh')?.executable).toBe(true);
      expect(build).toMatch(/^#!\/bin\/sh\n/);
      expect(build).toContain('linux/amd64 linux/arm64 linux/arm');
      expect(build).toContain('GOOS="$os" GOARCH="$arch"');
      expect(build).toContain('-o "$out/$NAME"');
      const windows = text(files, 'build.ps1');
      expect(windows).toContain("$env:GOOS = 'windows'");
      expect(windows).toContain("$env:GOARCH = 'amd64'");
      expect(windows).toContain('"$out/$name.exe"');
    },
  );
});

describe('the scaffold zip', () => {
  const request: ScaffoldRequest = {
    language: 'python',
    name: 'zipped',
    sources: ['a'],
    sinks: ['b'],
    functions: ['c'],
  };

  test('is the same bytes for the same request, sorted, with unix modes and the exec bit on install.sh', () => {
    const first = scaffoldZip(scaffoldFiles(request));
    expect(Buffer.from(scaffoldZip(scaffoldFiles(request))).equals(Buffer.from(first))).toBe(true);
    const entries = readZipDirectoryFromBytes(first);
    const names = entries.map((entry) => entry.name);
    expect(names).toEqual([...names].sort());
    const mode = (name: string) => entries.find((entry) => entry.name === name)!.mode & 0o7777;
    expect(mode('install.sh')).toBe(0o755);
    expect(mode('zipped.py')).toBe(0o644);
    expect(Object.keys(unzipSync(first))).toEqual(names);
  });
});

describe('requests the scaffold refuses, with the rule they break', () => {
  const base: ScaffoldRequest = {
    language: 'python',
    name: 'plug',
    sources: [],
    sinks: [],
    functions: ['echo'],
  };
  const first = (change: Partial<ScaffoldRequest>) => scaffoldProblems({ ...base, ...change })[0]?.message;

  test('a plugin name against eKuiper’s id rule and the socket length', () => {
    expect(first({ name: '' })).toBe('id cannot be empty');
    expect(first({ name: 'my plugin' })).toContain('contains invalid characters');
    expect(first({ name: 'x'.repeat(90) })).toContain('Portable plugin names can be at most');
  });

  test('no symbol at all', () => {
    expect(first({ functions: [] })).toBe('a plugin needs at least one source, sink or function: add one');
  });

  test('symbol names that are not identifiers, in both languages', () => {
    for (const language of LANGUAGES) {
      expect(scaffoldProblems({ ...base, language, sinks: ['to-file'] })[0]).toEqual({
        field: 'sinks',
        symbol: 'to-file',
        message: `invalid name 'to-file' for a sink: use letters, digits and underscores and start with a letter or underscore, because the name becomes the file ${language === 'python' ? 'to-file.py' : 'to-file_sink.go'} and a name in the code`,
      });
      expect(scaffoldProblems({ ...base, language, functions: ['2x'] })[0]?.message).toContain(
        "invalid name '2x' for a function",
      );
      expect(scaffoldProblems({ ...base, language, sources: [''] })[0]?.message).toBe(
        'a source name is empty: give every source a name',
      );
    }
  });

  test('Python module names that could not be imported or would hide a module the plugin needs', () => {
    expect(first({ functions: ['class'] })).toContain('it is a Python keyword');
    expect(first({ sources: ['json'] })).toBe(
      "invalid name 'json' for a source: the file json.py would hide the Python module 'json' from the plugin, and the SDK or the plugin imports it; choose another name",
    );
    expect(first({ sinks: ['pynng'] })).toContain("would hide the Python module 'pynng'");
    expect(first({ functions: ['plugin'] })).toContain("imports 'plugin' from the ekuiper SDK");
    expect(first({ functions: ['Plug'] })).toContain("the plugin's main file is plug.py already");
    expect(first({ name: 'logging' })).toContain(
      "main file logging.py would hide the Python module 'logging'",
    );
    // Go has no such modules: the same names are fine there.
    expect(
      scaffoldProblems({ ...base, language: 'go', name: 'json', sources: ['json'], functions: ['plugin'] }),
    ).toEqual([]);
  });

  test('a name used twice, also across kinds and ignoring case', () => {
    expect(first({ sources: ['reader'], functions: ['Reader'] })).toBe(
      "the name 'Reader' is used twice (source 'reader' and function 'Reader'): every source, sink and function needs its own name, also ignoring upper and lower case, because files are named after them",
    );
    expect(first({ functions: ['echo', 'echo'] })).toContain("function 'echo' and function 'echo'");
  });

  test('an unknown language', () => {
    expect(first({ language: 'rust' as ScaffoldLanguage })).toBe(
      "language 'rust' is not supported: a scaffold is written in python or go",
    );
  });

  test('scaffoldFiles throws the first problem as a PluginError', () => {
    expect(() => scaffoldFiles({ ...base, functions: ['os'] })).toThrow(PluginError);
  });

  test('scaffoldFiles takes the code of a symbol module written elsewhere', () => {
    const code = `from ekuiper import Function\n\nclass EchoFunction(Function):\n    pass\n`;
    const files = scaffoldFiles(base, { modules: { echo: code } });
    expect(text(files, 'echo.py')).toBe(code);
  });
});
