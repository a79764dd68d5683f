import {
  SCAFFOLD_SYMBOL_KINDS,
  scaffoldExecutable,
  symbolFile,
  symbolKindWord,
  type ScaffoldRequest,
} from '../../../shared/scaffold-dto.js';
import { GO_UNIX_TARGETS } from './go-templates.js';

/** How to try each kind of symbol once the plugin is installed: the SQL or rule action that uses it. */
function tryLines(request: ScaffoldRequest): string[] {
  const lines: string[] = [];
  for (const source of request.sources) {
    lines.push(
      `- source \`${source}\`: in Try it, *Sample* it (data source \`demo\`), or create a stream:`,
      `  \`CREATE STREAM demo() WITH (TYPE="${source}", DATASOURCE="demo", FORMAT="json")\`.` +
        ` Its settings are in \`sources/${source}.yaml\` (\`interval\` in milliseconds).`,
    );
  }
  for (const sink of request.sinks) {
    lines.push(
      `- sink \`${sink}\`: in Try it, *Feed* it rows, or use it as a rule action:` +
        ` \`{"${sink}": {"path": "/tmp/${sink}.jsonl"}}\` (without \`path\` it writes to the plugin's log).`,
    );
  }
  for (const fn of request.functions) {
    lines.push(
      `- function \`${fn}\`: in Try it, *Call* it with one argument, or in SQL: \`SELECT ${fn}(temperature) FROM demo\`.`,
    );
  }
  return lines;
}

function fileLines(request: ScaffoldRequest): string[] {
  const { language, name } = request;
  const lines = [
    `- \`${name}.json\`: the manifest eKuiper reads first (language, executable, the symbols' names).`,
    language === 'python'
      ? `- \`${name}.py\`: the main; it registers every symbol with \`plugin.start(PluginConfig(...))\`.`
      : '- `main.go`: the main; it registers every symbol with `sdk.Start(os.Args, &sdk.PluginConfig{...})`.',
  ];
  for (const kind of SCAFFOLD_SYMBOL_KINDS) {
    for (const symbol of request[kind]) {
      lines.push(`- \`${symbolFile(language, kind, symbol)}\`: the ${symbolKindWord(kind)} \`${symbol}\`.`);
    }
  }
  lines.push(
    "- `sources/<source>.yaml`: each source's settings (eKuiper requires it), with a `default` section.",
    '- `sources/`, `sinks/`, `functions/` `*.json`: the metadata pages show (about, help, properties; English and Chinese).',
  );
  if (language === 'python') {
    lines.push(
      '- `requirements.txt`: the SDK (`ekuiper`) and `pynng`.',
      ...(request.installScript === false
        ? []
        : [
            '- `install.sh`: eKuiper runs it on install; it `pip install`s the requirements when the server lacks them.',
          ]),
    );
  } else {
    lines.push(
      "- `go.mod`: the module, requiring eKuiper's Go SDK.",
      `- \`build.sh\` (${GO_UNIX_TARGETS.join(', ')}) and \`build.ps1\` (windows/amd64): build into \`dist/\`.`,
    );
  }
  return lines;
}

function buildSection(request: ScaffoldRequest): string {
  const { name } = request;
  if (request.language === 'python') {
    return `## Build and package

Python needs no build. Package the folder (files at the zip's root, no caches or virtualenvs):

    npm run pack -- path/to/${name}

The server's Python needs the SDK and pynng (\`pip install -r requirements.txt\`; ${
      request.installScript === false ? 'add an `install.sh` that does it' : '`install.sh` does it on install'
    }). eKuiper runs the plugin with \`python -u ${scaffoldExecutable('python', name)}\`.`;
  }
  return `## Build and package

A Go plugin runs only on the OS and architecture it was built for. With Go installed:

    ./build.sh                  # ${GO_UNIX_TARGETS.join(', ')} into dist/${name}-<os>-<arch>/
    ./build.sh linux/arm64      # only the targets given
    pwsh ./build.ps1            # windows/amd64 into dist/${name}-windows-amd64/

The first build runs \`go mod tidy\` (it needs the network once). Each \`dist/\` folder is a complete plugin
(the binary with its exec bit, \`${name}.json\`, the metadata); package the one for your server:

    npm run pack -- dist/${name}-linux-amd64

To move to eKuiper's newest Go SDK: \`go get github.com/lf-edge/ekuiper/sdk/go@latest && go mod tidy\`.`;
}

/** The plugin's README: what each file is, how to build and package it, and how to try every symbol. */
export function scaffoldReadme(request: ScaffoldRequest): string {
  const { name } = request;
  const language = request.language === 'python' ? 'Python' : 'Go';
  return `# ${name}

A portable eKuiper plugin in ${language}, laid out as eKuiper's SDK example (\`${
    request.language === 'python' ? 'pysam' : 'mirror'
  }\`).

## Files

${fileLines(request).join('\n')}

The plugin's name (\`${name}\`) and every symbol's name appear in the manifest, the main and the metadata file
names: rename them everywhere at once.

${buildSection(request)}

## Try it

Install the zip in eKuiper Extension Manager (drop it on the Extensions page, or Develop → watch this folder,
which repackages and updates the plugin on every save), then open the plugin's Try it panel:

${tryLines(request).join('\n')}

On a server: \`curl -X POST http://127.0.0.1:9081/plugins/portables -d '{"name":"${name}","file":"file:///path/to/${name}.zip"}'\`.
`;
}
