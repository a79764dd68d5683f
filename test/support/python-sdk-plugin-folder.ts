import { cp, mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NNG_CTYPES, PYNNG_STANDIN, PYTHON_SDK } from './python-sdk-plugin-zip.js';

/** A plugin folder as a user edits it: one function, its answer in `answer.py`, its metadata JSON. */
export interface SdkFunctionFolder {
  folder: string;
  plugin: string;
  function: string;
  /** Rewrites `answer.py` so the function answers `prefix + value` (a good save). */
  saveAnswer(prefix: string): Promise<void>;
  /** Writes a file of the folder (relative path), as an editor's save does. */
  save(path: string, text: string): Promise<void>;
  /** `functions/<function>.json` with this description (en_US), as a metadata edit. */
  saveDescription(description: string): Promise<void>;
}

/** Python that answers `prefix + value`: the one line a develop test changes. */
export const answerPy = (prefix: string): string =>
  `def answer(value):\n    return ${JSON.stringify(prefix)} + str(value)\n`;

/** The plugin's main, built on eKuiper's Python SDK (`plugin.start(PluginConfig(...))`). */
const mainPy = (plugin: string, fn: string): string => `from ekuiper import Function, PluginConfig, plugin

from answer import answer


class AnswerFunction(Function):
    def validate(self, args):
        return "" if len(args) == 1 else "${fn} takes one argument"

    def exec(self, args, ctx):
        return answer(args[0])

    def is_aggregate(self):
        return False


if __name__ == "__main__":
    plugin.start(PluginConfig(${JSON.stringify(plugin)}, {}, {}, {${JSON.stringify(fn)}: lambda: AnswerFunction()}))
`;

const metadata = (fn: string, description: string): string =>
  JSON.stringify(
    {
      about: {
        trial: false,
        author: { name: 'Develop test', email: '', company: '', website: '' },
        helpUrl: { en_US: '', zh_CN: '' },
        description: { en_US: description, zh_CN: description },
      },
      name: fn,
      libs: [],
      functions: [
        {
          name: fn,
          example: `${fn}(col1)`,
          hint: { en_US: 'Answers its argument with a prefix', zh_CN: '给参数加上前缀' },
          args: [{ name: 'value', optional: false, control: 'field', type: 'string' }],
          return: { type: 'string' },
        },
      ],
    },
    null,
    2,
  );

/**
 * Writes a Python plugin folder on eKuiper's real SDK into `folder` (named after the plugin, as a scaffold
 * is): the manifest, `main.py`, `answer.py`, the metadata JSON, the SDK vendored beside it as eKuiper's own
 * build does, and the tests' `pynng` stand-in over libnng. Copied, so tests may change every file.
 */
export async function writeSdkFunctionFolder(
  folder: string,
  fn: string,
  prefix = 'v1 ',
): Promise<SdkFunctionFolder> {
  const plugin = basename(folder);
  await mkdir(join(folder, 'functions'), { recursive: true });
  const noCache = (source: string) => !source.includes('__pycache__');
  await cp(PYTHON_SDK, join(folder, 'ekuiper'), { recursive: true, filter: noCache });
  await cp(PYNNG_STANDIN, join(folder, 'pynng'), { recursive: true, filter: noCache });
  await cp(NNG_CTYPES, join(folder, 'nng_ctypes.py'));
  const save = (path: string, text: string) => writeFile(join(folder, path), text);
  await save(
    `${plugin}.json`,
    JSON.stringify({ version: 'v1.0.0', language: 'python', executable: 'main.py', functions: [fn] }),
  );
  await save('main.py', mainPy(plugin, fn));
  await save('answer.py', answerPy(prefix));
  await save(`functions/${fn}.json`, metadata(fn, 'The first description'));
  return {
    folder,
    plugin,
    function: fn,
    save,
    saveAnswer: (next) => save('answer.py', answerPy(next)),
    saveDescription: (description) => save(`functions/${fn}.json`, metadata(fn, description)),
  };
}
