import type { ScaffoldSymbolKind } from '../../../shared/scaffold-dto.js';

/**
 * The metadata JSON of each symbol (`sources/<s>.json`, `sinks/<s>.json`, `functions/<f>.json`) in the formats
 * eKuiper's parsers read (`internal/meta`), in English and Chinese: what eKuiper's and NeuronEX's pages, and
 * this app's describe view, show of the plugin. Each describes the property the scaffold's code reads.
 */

type Text = { en_US: string; zh_CN: string };

const HELP_URL: Text = {
  en_US: 'https://ekuiper.org/docs/en/latest/extension/portable/overview.html',
  zh_CN: 'https://ekuiper.org/docs/zh/latest/extension/portable/overview.html',
};

function about(description: Text): Record<string, unknown> {
  return {
    trial: false,
    author: { name: '', email: '', company: '', website: '' },
    helpUrl: HELP_URL,
    description,
  };
}

const node = (category: 'source' | 'sink' | 'function', symbol: string): Record<string, unknown> => ({
  category,
  icon: 'iconPath',
  label: { en_US: symbol, zh_CN: symbol },
});

/** A source's metadata: its data source and the `interval` of its `default` section. */
export function sourceMetadata(plugin: string, symbol: string): Record<string, unknown> {
  return {
    about: about({
      en_US: `The ${symbol} source of the ${plugin} plugin: emits a reading (count, data source, time) every interval.`,
      zh_CN: `${plugin} 插件的 ${symbol} 源：每隔一段时间发出一条读数（计数、数据源、时间）。`,
    }),
    libs: [],
    dataSource: {
      default: 'demo',
      hint: {
        en_US: 'The data source the stream reads; every reading carries it',
        zh_CN: '流读取的数据源；每条读数都带有它',
      },
      label: { en_US: 'Data source', zh_CN: '数据源' },
    },
    properties: {
      default: [
        {
          name: 'interval',
          default: 1000,
          optional: true,
          control: 'text',
          type: 'int',
          hint: { en_US: 'Milliseconds between two readings', zh_CN: '两条读数之间的毫秒数' },
          label: { en_US: 'Interval', zh_CN: '间隔' },
        },
      ],
    },
    node: node('source', symbol),
  };
}

/** A sink's metadata: the optional `path` it writes to. */
export function sinkMetadata(plugin: string, symbol: string): Record<string, unknown> {
  return {
    about: about({
      en_US: `The ${symbol} sink of the ${plugin} plugin: writes every row as a JSON line to a file, or to the plugin's log.`,
      zh_CN: `${plugin} 插件的 ${symbol} 动作：把每一行以 JSON 行写入文件，或写入插件日志。`,
    }),
    libs: [],
    properties: [
      {
        name: 'path',
        default: '',
        optional: true,
        control: 'text',
        type: 'string',
        hint: {
          en_US: "The file the rows are appended to; empty writes them to the plugin's log",
          zh_CN: '追加写入各行的文件；为空时写入插件日志',
        },
        label: { en_US: 'File path', zh_CN: '文件路径' },
      },
    ],
    node: node('sink', symbol),
  };
}

/** A function's metadata: one argument, answered as it is. */
export function functionMetadata(plugin: string, symbol: string): Record<string, unknown> {
  return {
    about: about({
      en_US: `The ${symbol} function of the ${plugin} plugin.`,
      zh_CN: `${plugin} 插件的 ${symbol} 函数。`,
    }),
    name: symbol,
    libs: [],
    functions: [
      {
        name: symbol,
        example: `${symbol}(col1)`,
        aggregate: false,
        hint: { en_US: 'Returns its argument as it is.', zh_CN: '原样返回参数值。' },
        args: [
          {
            name: 'value',
            optional: false,
            control: 'field',
            type: 'any',
            hint: { en_US: 'Any value or column', zh_CN: '任意值或列' },
            label: { en_US: 'Value', zh_CN: '值' },
          },
        ],
        return: { type: 'any', hint: { en_US: 'The argument', zh_CN: '参数值' } },
        node: node('function', symbol),
      },
    ],
  };
}

const BUILDERS: Record<ScaffoldSymbolKind, (plugin: string, symbol: string) => Record<string, unknown>> = {
  sources: sourceMetadata,
  sinks: sinkMetadata,
  functions: functionMetadata,
};

/** The metadata file of a symbol, as written: two-space JSON with a final newline. */
export function symbolMetadataJson(kind: ScaffoldSymbolKind, plugin: string, symbol: string): string {
  return `${JSON.stringify(BUILDERS[kind](plugin, symbol), null, 2)}\n`;
}

/** `sources/<s>.yaml`: eKuiper requires it for every source, with the section streams use by default. */
export function sourceConfigYaml(symbol: string): string {
  return `# Settings of the ${symbol} source. A stream picks a section with CONF_KEY; without one it gets "default".
default:
  # milliseconds between two readings
  interval: 1000
`;
}
