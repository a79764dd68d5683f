import { readFile } from 'node:fs/promises';
import { load } from 'js-yaml';
import type { DataLayout } from '../plugins/data-layout.js';

/** A source's configuration file as the try-it form prefills it. */
export interface SourceConfigFile {
  /** Where it was read, relative to the data folder ('' if the source has none). */
  file: string;
  /** The `default` section: what a stream without `CONF_KEY` gets. */
  config: Record<string, unknown>;
  /** Every section name (`default` and named confKeys), so a form can offer them. */
  sections: string[];
  /** Every section, for a form that switches between them. */
  all: Record<string, Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads `sources/{symbol}.yaml` the way eKuiper does (data/ first, then etc/). A file that does not parse
 * throws with the parser's message so the form can show it.
 */
export async function readSourceConfig(layout: DataLayout, symbol: string): Promise<SourceConfigFile> {
  for (const root of ['data', 'etc']) {
    const file = `${root}/sources/${symbol}.yaml`;
    let text: string;
    try {
      text = await readFile(layout.path(file), 'utf8');
    } catch {
      continue;
    }
    let parsed: unknown;
    try {
      parsed = load(text);
    } catch (error) {
      throw new Error(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
        cause: error,
      });
    }
    const all: Record<string, Record<string, unknown>> = {};
    if (isRecord(parsed)) {
      for (const [key, value] of Object.entries(parsed)) all[key] = isRecord(value) ? value : {};
    }
    return { file, config: all.default ?? {}, sections: Object.keys(all), all };
  }
  return { file: '', config: {}, sections: [], all: {} };
}
