import type { ScaffoldRequest, ScaffoldSymbolKind } from '../../../shared/scaffold-dto.js';
import { SCAFFOLD_SYMBOL_KINDS } from '../../../shared/scaffold-dto.js';

/**
 * The Python files of a scaffold, laid out as eKuiper's `pysam` example: a module per symbol with one class
 * on the SDK's interface, and a main that registers them with `plugin.start(PluginConfig(...))`.
 */

const KIND_CLASS_SUFFIX: Record<ScaffoldSymbolKind, string> = {
  sources: 'Source',
  sinks: 'Sink',
  functions: 'Function',
};

/**
 * The class a symbol's module defines and the main instantiates (`to_upper` → `ToUpperFunction`). Exported
 * so code written elsewhere (the AI generator's function module) can be asked for the class the main expects.
 */
export function pythonSymbolClass(kind: ScaffoldSymbolKind, symbol: string): string {
  const camel = symbol
    .split('_')
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${camel === '' ? 'Symbol' : camel}${KIND_CLASS_SUFFIX[kind]}`;
}

/** A Python string literal of a name (names are identifiers or plugin ids, so only quotes need care). */
const quoted = (text: string): string => JSON.stringify(text);

/** The main: imports every symbol module and starts the SDK with the names the manifest lists. */
export function pythonMain(request: ScaffoldRequest): string {
  const { name } = request;
  const modules = SCAFFOLD_SYMBOL_KINDS.flatMap((kind) => request[kind]);
  const registry = (kind: ScaffoldSymbolKind): string => {
    const symbols = request[kind];
    if (symbols.length === 0) return '            {},';
    const lines = symbols.map(
      (symbol) =>
        `                ${quoted(symbol)}: lambda: ${symbol}.${pythonSymbolClass(kind, symbol)}(),`,
    );
    return ['            {', ...lines, '            },'].join('\n');
  };
  return `"""The ${name} plugin's entry point.

eKuiper starts it as \`python -u ${name}.py <settings>\` in the plugin's folder when the plugin is installed
(and when eKuiper starts). It registers every source, sink and function under the names its manifest
${name}.json lists: the names here and there must be the same, and so must the plugin name.
"""
from ekuiper import PluginConfig, plugin

${modules.map((module) => `import ${module}`).join('\n')}

if __name__ == "__main__":
    plugin.start(
        PluginConfig(
            ${quoted(name)},
            # sources: name -> a function that makes a new instance
${registry('sources')}
            # sinks
${registry('sinks')}
            # functions
${registry('functions')}
        )
    )
`;
}

/** A source that emits a reading every `interval` milliseconds from its yaml section. */
export function pythonSource(plugin: string, symbol: string): string {
  const className = pythonSymbolClass('sources', symbol);
  return `"""The ${symbol} source of the ${plugin} plugin: where a stream's data comes from.

A stream reads it with
    CREATE STREAM demo() WITH (TYPE="${symbol}", DATASOURCE="demo", FORMAT="json");
and its settings come from sources/${symbol}.yaml: the section CONF_KEY names, \`default\` otherwise.
"""
import logging
import threading
import time

from ekuiper import Context, Source


class ${className}(Source):
    """Emits a reading every \`interval\` milliseconds: a counter, the data source and the time."""

    def __init__(self):
        self.interval = 1.0
        self.datasource = ""
        self.stopped = threading.Event()

    def configure(self, datasource: str, conf: dict):
        """Called once before open with the stream's DATASOURCE and its section of sources/${symbol}.yaml.

        Raise an exception to refuse the configuration: eKuiper shows its message.
        """
        interval = conf.get("interval", 1000)
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval <= 0:
            raise ValueError(f"source ${symbol}: interval must be a positive number of milliseconds, got {interval!r}")
        self.interval = interval / 1000.0
        self.datasource = datasource

    def open(self, ctx: Context):
        """Runs for as long as the rule does: send each message with ctx.emit(message, meta)."""
        logging.info("source ${symbol} opened for %s", self.datasource)
        count = 0
        while not self.stopped.is_set():
            count += 1
            reading = {"count": count, "datasource": self.datasource, "ts": int(time.time() * 1000)}
            ctx.emit(reading, {"source": ${quoted(symbol)}})
            self.stopped.wait(self.interval)

    def close(self, ctx: Context):
        """Called when the rule stops: end open's loop and let go of what it holds."""
        self.stopped.set()
`;
}

/** A sink that writes each row as a JSON line to `path`, or to the plugin's log, and acknowledges it. */
export function pythonSink(plugin: string, symbol: string): string {
  const className = pythonSymbolClass('sinks', symbol);
  return `"""The ${symbol} sink of the ${plugin} plugin: where a rule's results go.

A rule sends its results here with the action
    {"${symbol}": {"path": "/tmp/${symbol}.jsonl", "requireAck": true}}
"""
import json
import logging

from ekuiper import Context, Sink


class ${className}(Sink):
    """Writes every row it gets as a JSON line to the file \`path\`, or to the plugin's log without one."""

    def __init__(self):
        self.path = ""
        self.file = None

    def configure(self, conf: dict):
        """Called once before open with the rule action's properties.

        Raise an exception to refuse them: eKuiper shows its message.
        """
        path = conf.get("path", "")
        if not isinstance(path, str):
            raise ValueError(f"sink ${symbol}: path must be a string, got {path!r}")
        self.path = path

    def open(self, ctx: Context):
        """Called when the rule starts: open files and connections here."""
        if self.path != "":
            self.file = open(self.path, "a", encoding="utf-8")
        logging.info("sink ${symbol} opened, writing to %s", self.path or "the log")

    def collect(self, ctx: Context, data):
        """Called for every result: \`data\` is the row (or a list of rows) as JSON bytes.

        When the rule action sets requireAck, answer each with ctx.ack_ok() or ctx.ack_error(reason).
        """
        try:
            row = json.loads(data)
        except ValueError as error:
            ctx.ack_error(f"sink ${symbol}: the data is not JSON: {error}")
            return
        line = json.dumps(row, ensure_ascii=False)
        if self.file is None:
            logging.info("sink ${symbol} got %s", line)
        else:
            self.file.write(line + "\\n")
            self.file.flush()
        ctx.ack_ok()

    def close(self, ctx: Context):
        """Called when the rule stops: close what open opened."""
        if self.file is not None:
            self.file.close()
            self.file = None
`;
}

/**
 * A function module that checks it has one argument and answers it as it is: a working start to edit, and
 * the shape (module `<symbol>.py`, class `pythonSymbolClass('functions', symbol)`) that code written
 * elsewhere must keep to replace it through `scaffoldFiles`'s `modules` option.
 */
export function pythonFunction(plugin: string, symbol: string): string {
  const className = pythonSymbolClass('functions', symbol);
  return `"""The ${symbol} function of the ${plugin} plugin, called from SQL: SELECT ${symbol}(temperature) FROM demo"""
from typing import Any, List

from ekuiper import Context, Function


class ${className}(Function):
    """${symbol}(value): answers its argument as it is. Make exec compute what the function is for."""

    def validate(self, args: List[Any]) -> str:
        """Called when a rule that uses the function is created: "" if the arguments suit it, else why not."""
        if len(args) != 1:
            return f"${symbol} takes 1 argument but got {len(args)}"
        return ""

    def exec(self, args: List[Any], ctx: Context) -> Any:
        """Called for every row with the arguments' values: return the result."""
        return args[0]

    def is_aggregate(self) -> bool:
        """True if the function aggregates a group of rows: each argument is then a list of values."""
        return False
`;
}

/** The SDK and the nanomsg binding it talks to eKuiper over (eKuiper's docs: pynng, not nng). */
export function pythonRequirements(): string {
  return `# eKuiper's Python SDK and the nanomsg binding it talks to eKuiper over.
ekuiper
pynng
`;
}

/** eKuiper runs it once on install in the plugin's folder; it installs the requirements only when missing. */
export function pythonInstallScript(): string {
  return `#!/bin/sh
# eKuiper runs this once when the plugin is installed, in the plugin's folder (/bin/sh install.sh).
# It installs the SDK and pynng from requirements.txt unless the server's Python already has them.
set -e
cd "$(dirname "$0")"
PYTHON=python3
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python
if "$PYTHON" -c 'import ekuiper, pynng' >/dev/null 2>&1; then
  echo "ekuiper and pynng are already installed"
  exit 0
fi
"$PYTHON" -m pip install -r requirements.txt
`;
}
