import type { ScaffoldRequest, ScaffoldSymbolKind } from '../../../shared/scaffold-dto.js';

/**
 * The Go files of a scaffold, laid out as eKuiper's `mirror` example: `main.go` registering every symbol with
 * `sdk.Start(os.Args, &sdk.PluginConfig{...})`, a file per symbol (`random_source.go`), `go.mod`, and build
 * scripts that cross-compile for the servers' OS and architecture.
 */

/** The SDK module and the version eKuiper's own `mirror` example builds with. */
export const GO_SDK_MODULE = 'github.com/lf-edge/ekuiper/sdk/go';
export const GO_SDK_VERSION = 'v0.0.0-20230228010431-a650d6d53ecb';

/** Linux targets `build.sh` builds when given none: the servers eKuiper's images run on. */
export const GO_UNIX_TARGETS = ['linux/amd64', 'linux/arm64', 'linux/arm'] as const;

const KIND_TYPE_SUFFIX: Record<ScaffoldSymbolKind, string> = {
  sources: 'Source',
  sinks: 'Sink',
  functions: 'Func',
};

/**
 * The Go type implementing a symbol: the symbol (an identifier) and its kind, `random` → `randomSource`.
 * The symbol is kept as it is, so two symbols never share a type.
 */
export function goSymbolType(kind: ScaffoldSymbolKind, symbol: string): string {
  return `${symbol}${KIND_TYPE_SUFFIX[kind]}`;
}

const SDK_KIND: Record<ScaffoldSymbolKind, { field: string; factory: string; api: string }> = {
  sources: { field: 'Sources', factory: 'sdk.NewSourceFunc', api: 'api.Source' },
  sinks: { field: 'Sinks', factory: 'sdk.NewSinkFunc', api: 'api.Sink' },
  functions: { field: 'Functions', factory: 'sdk.NewFunctionFunc', api: 'api.Function' },
};

/**
 * A Go import block: the standard packages, a blank line, then the SDK's, as gofmt and goimports group them.
 * Built rather than written out in the templates, so the main bundle holds no line that reads like an import.
 */
function goImports(standard: string[], sdk: string[] = [`"${GO_SDK_MODULE}/api"`]): string {
  return [
    'import (',
    ...standard.map((name) => `\t"${name}"`),
    '',
    ...sdk.map((line) => `\t${line}`),
    ')',
  ].join('\n');
}

/** `main.go`: the plugin's name and every symbol under the names its manifest lists. */
export function goMain(request: ScaffoldRequest): string {
  const registries = (['sources', 'sinks', 'functions'] as const)
    .filter((kind) => request[kind].length > 0)
    .map((kind) => {
      const { field, factory, api } = SDK_KIND[kind];
      const lines = request[kind].map(
        (symbol) =>
          `\t\t\t${JSON.stringify(symbol)}: func() ${api} { return &${goSymbolType(kind, symbol)}{} },`,
      );
      return [`\t\t${field}: map[string]${factory}{`, ...lines, '\t\t},'].join('\n');
    });
  return `// The ${request.name} plugin's entry point. eKuiper starts the binary with its settings as the argument when
// the plugin is installed (and when eKuiper starts). It registers every source, sink and function under the
// names its manifest ${request.name}.json lists: the names here and there must be the same, and so must the
// plugin name.
package main

${goImports(['os'], [`"${GO_SDK_MODULE}/api"`, `sdk "${GO_SDK_MODULE}/runtime"`])}

func main() {
\tsdk.Start(os.Args, &sdk.PluginConfig{
\t\tName: ${JSON.stringify(request.name)},
${registries.join('\n')}
\t})
}
`;
}

/** A source emitting a reading every `interval` milliseconds from its section of the yaml. */
export function goSource(plugin: string, symbol: string): string {
  const type = goSymbolType('sources', symbol);
  return `// The ${symbol} source of the ${plugin} plugin: where a stream's data comes from. A stream reads it with
//
//\tCREATE STREAM demo() WITH (TYPE="${symbol}", DATASOURCE="demo", FORMAT="json");
//
// and its settings come from sources/${symbol}.yaml: the section CONF_KEY names, default otherwise.
package main

${goImports(['fmt', 'time'])}

// ${type} emits a reading every interval milliseconds: a counter, the data source and the time.
type ${type} struct {
\tinterval   time.Duration
\tdatasource string
}

// Configure is called once before Open with the stream's DATASOURCE and its section of
// sources/${symbol}.yaml. Return an error to refuse the configuration: eKuiper shows it.
func (s *${type}) Configure(datasource string, props map[string]any) error {
\tms := 1000.0
\tif value, ok := props["interval"]; ok {
\t\tswitch v := value.(type) {
\t\tcase float64:
\t\t\tms = v
\t\tcase int:
\t\t\tms = float64(v)
\t\tdefault:
\t\t\tms = -1
\t\t}
\t}
\tif ms <= 0 {
\t\treturn fmt.Errorf("source ${symbol}: interval must be a positive number of milliseconds, got %v", props["interval"])
\t}
\ts.interval = time.Duration(ms * float64(time.Millisecond))
\ts.datasource = datasource
\treturn nil
}

// Open runs for as long as the rule does: send each message to consumer (errors to errCh) and return when
// ctx is done.
func (s *${type}) Open(ctx api.StreamContext, consumer chan<- api.SourceTuple, _ chan<- error) {
\tctx.GetLogger().Infof("source ${symbol} opened for %s", s.datasource)
\tticker := time.NewTicker(s.interval)
\tdefer ticker.Stop()
\tcount := 0
\tfor {
\t\tselect {
\t\tcase now := <-ticker.C:
\t\t\tcount++
\t\t\treading := map[string]any{"count": count, "datasource": s.datasource, "ts": now.UnixMilli()}
\t\t\tconsumer <- api.NewDefaultSourceTuple(reading, map[string]any{"source": ${JSON.stringify(symbol)}})
\t\tcase <-ctx.Done():
\t\t\treturn
\t\t}
\t}
}

// Close is called when the rule stops: let go of what Open holds.
func (s *${type}) Close(_ api.StreamContext) error {
\treturn nil
}
`;
}

/** A sink writing each row as a JSON line to `path`, or to the plugin's log. */
export function goSink(plugin: string, symbol: string): string {
  const type = goSymbolType('sinks', symbol);
  return `// The ${symbol} sink of the ${plugin} plugin: where a rule's results go. A rule sends its results here with
// the action {"${symbol}": {"path": "/tmp/${symbol}.jsonl"}}.
package main

${goImports(['encoding/json', 'fmt', 'os'])}

// ${type} writes every row it gets as a JSON line to the file path, or to the plugin's log without one.
type ${type} struct {
\tpath string
\tfile *os.File
}

// Configure is called once before Open with the rule action's properties. Return an error to refuse them:
// eKuiper shows it.
func (s *${type}) Configure(props map[string]any) error {
\tif value, ok := props["path"]; ok {
\t\tpath, ok := value.(string)
\t\tif !ok {
\t\t\treturn fmt.Errorf("sink ${symbol}: path must be a string, got %v", value)
\t\t}
\t\ts.path = path
\t}
\treturn nil
}

// Open is called when the rule starts: open files and connections here.
func (s *${type}) Open(ctx api.StreamContext) error {
\tif s.path != "" {
\t\tfile, err := os.OpenFile(s.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
\t\tif err != nil {
\t\t\treturn fmt.Errorf("sink ${symbol}: %w", err)
\t\t}
\t\ts.file = file
\t}
\tctx.GetLogger().Infof("sink ${symbol} opened, writing to %q", s.path)
\treturn nil
}

// Collect is called for every result: a portable plugin gets the row (or a list of rows) as JSON bytes.
// Return an error when it could not be written: the SDK reports it to eKuiper.
func (s *${type}) Collect(ctx api.StreamContext, data any) error {
\tline, ok := data.([]byte)
\tif !ok {
\t\tencoded, err := json.Marshal(data)
\t\tif err != nil {
\t\t\treturn fmt.Errorf("sink ${symbol}: %w", err)
\t\t}
\t\tline = encoded
\t}
\tif s.file == nil {
\t\tctx.GetLogger().Infof("sink ${symbol} got %s", line)
\t\treturn nil
\t}
\t_, err := s.file.Write(append(line, '\\n'))
\treturn err
}

// Close is called when the rule stops: close what Open opened.
func (s *${type}) Close(_ api.StreamContext) error {
\tif s.file == nil {
\t\treturn nil
\t}
\treturn s.file.Close()
}
`;
}

/** A function checking it has one argument and answering it as it is. */
export function goFunction(plugin: string, symbol: string): string {
  const type = goSymbolType('functions', symbol);
  return `// The ${symbol} function of the ${plugin} plugin, called from SQL: SELECT ${symbol}(temperature) FROM demo
package main

${goImports(['fmt'])}

// ${type} answers its argument as it is. Make Exec compute what the function is for.
type ${type} struct{}

// Validate is called when a rule that uses the function is created: return an error if the arguments do not
// suit it.
func (f *${type}) Validate(args []any) error {
\tif len(args) != 1 {
\t\treturn fmt.Errorf("${symbol} takes 1 argument but got %d", len(args))
\t}
\treturn nil
}

// Exec is called for every row with the arguments' values: return the result and true, or an error and false.
func (f *${type}) Exec(args []any, _ api.FunctionContext) (any, bool) {
\treturn args[0], true
}

// IsAggregate says whether the function aggregates a group of rows: each argument is then a slice of values.
func (f *${type}) IsAggregate() bool {
\treturn false
}
`;
}

/** `go.mod`: the plugin's own module, requiring eKuiper's Go SDK. */
export function goMod(name: string): string {
  return `module ekuiper-plugin-${name}

go 1.21

require ${GO_SDK_MODULE} ${GO_SDK_VERSION}
`;
}

/** The folders a built plugin needs beside its binary and manifest (metadata and source configs). */
const symbolFolders = (request: ScaffoldRequest): string[] =>
  (['sources', 'sinks', 'functions'] as const).filter((kind) => request[kind].length > 0);

/**
 * `build.sh`: cross-compiles for each Linux target into `dist/<name>-<os>-<arch>/`, a complete plugin
 * folder (binary with its exec bit, manifest, metadata) ready to package as it is.
 */
export function goBuildUnix(request: ScaffoldRequest): string {
  const { name } = request;
  return `#!/bin/sh
# Builds the ${name} plugin for eKuiper servers: each target becomes a complete plugin folder
# dist/${name}-<os>-<arch>/ (the binary, ${name}.json and the metadata), ready to package:
#   npm run pack -- dist/${name}-linux-amd64
#
#   ./build.sh                 builds ${GO_UNIX_TARGETS.join(', ')}
#   ./build.sh linux/arm64     builds the targets given (GOOS/GOARCH, as \`go tool dist list\` prints them)
#
# A Go plugin runs only on the OS and architecture it was built for: pick the server's.
set -eu
cd "$(dirname "$0")"
NAME=${name}
TARGETS=\${*:-${GO_UNIX_TARGETS.join(' ')}}
[ -f go.sum ] || go mod tidy
for target in $TARGETS; do
  os=\${target%/*}
  arch=\${target#*/}
  out="dist/$NAME-$os-$arch"
  rm -rf "$out"
  mkdir -p "$out"
  echo "building $out/$NAME"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" GOARM=7 go build -trimpath -ldflags "-s -w" -o "$out/$NAME" .
  cp "$NAME.json" "$out/"
  cp -R ${symbolFolders(request).join(' ')} "$out/"
done
`;
}

/**
 * `build.ps1`: the same for Windows servers (windows/amd64). The binary is `<name>.exe` there, so the built
 * folder's manifest names that executable.
 */
export function goBuildWindows(request: ScaffoldRequest): string {
  const { name } = request;
  const copies = symbolFolders(request)
    .map((folder) => `Copy-Item -Recurse ${folder} $out`)
    .join('\n');
  return `# Builds the ${name} plugin for eKuiper servers on Windows (windows/amd64) into dist/${name}-windows-amd64/,
# a complete plugin folder ready to package: npm run pack -- dist/${name}-windows-amd64
# The binary is ${name}.exe there, so that folder's ${name}.json names it as the executable.
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$name = '${name}'
$out = "dist/$name-windows-amd64"
if (-not (Test-Path go.sum)) { go mod tidy }
if (Test-Path $out) { Remove-Item -Recurse -Force $out }
New-Item -ItemType Directory -Force $out | Out-Null
$env:CGO_ENABLED = '0'
$env:GOOS = 'windows'
$env:GOARCH = 'amd64'
Write-Host "building $out/$name.exe"
go build -trimpath -ldflags "-s -w" -o "$out/$name.exe" .
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$manifest = (Get-Content "$name.json" -Raw) -replace '"executable"\\s*:\\s*"[^"]*"', "\`"executable\`": \`"$name.exe\`""
# UTF-8 without a byte order mark: eKuiper cannot read a manifest that starts with one.
[System.IO.File]::WriteAllText((Join-Path $PWD "$out/$name.json"), $manifest)
${copies}
`;
}
