import type { JsFunction } from '../../shared/javascript-dto.js';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { validateId } from '../../shared/plugin-names.js';
import { writeJsonAtomic } from '../servers/json-file.js';

/** eKuiper's `js.Script`: what `/udf/javascript` stores and describes, in its field order. */
export type { JsFunction } from '../../shared/javascript-dto.js';

const SUFFIX = '.json';
/** How `writeJsonAtomic` ends its temporary files (`{id}.json.<pid>.<random>.tmp`). */
const TEMP_SUFFIX = '.tmp';

/**
 * The JavaScript functions, one JSON file per function (`{id}.json`) in one folder of the data folder. A write goes
 * to a temporary file, is flushed, then renamed over the old one, so a failed write leaves the previous function
 * whole; ids follow eKuiper's ValidateID, so an id is always a safe file name.
 */
export class JsFunctionStore {
  private constructor(
    private readonly dir: string,
    private readonly functions: Map<string, JsFunction>,
  ) {}

  /**
   * Reads every function once at start (read synchronously, as the plugin records are, before the host listens),
   * removing temporary files a crash left behind and skipping files that are not a function, with a warning.
   */
  static open(dir: string, warn: (message: string) => void = () => {}): JsFunctionStore {
    mkdirSync(dir, { recursive: true });
    const functions = new Map<string, JsFunction>();
    for (const file of readdirSync(dir)) {
      if (file.endsWith(TEMP_SUFFIX)) {
        rmSync(join(dir, file), { force: true });
        continue;
      }
      if (!file.endsWith(SUFFIX)) continue;
      const id = file.slice(0, -SUFFIX.length);
      const loaded = readFunction(join(dir, file), id);
      if (typeof loaded === 'string') warn(`skipping JavaScript function file ${file}: ${loaded}`);
      else functions.set(id, loaded);
    }
    return new JsFunctionStore(dir, functions);
  }

  /** Ids in code-point order (eKuiper answers its store's order; a sorted list is stable across restarts). */
  list(): string[] {
    return [...this.functions.keys()].sort();
  }

  get(id: string): JsFunction | undefined {
    return this.functions.get(id);
  }

  has(id: string): boolean {
    return this.functions.has(id);
  }

  /** Writes the function's file atomically, then makes it visible. */
  async save(fn: JsFunction): Promise<void> {
    const record: JsFunction = { id: fn.id, description: fn.description, script: fn.script, isAgg: fn.isAgg };
    await writeJsonAtomic(join(this.dir, `${fn.id}${SUFFIX}`), record);
    this.functions.set(fn.id, record);
  }

  /** Removes the function's file; false when there was no such function. */
  async remove(id: string): Promise<boolean> {
    if (!this.functions.has(id)) return false;
    await rm(join(this.dir, `${id}${SUFFIX}`), { force: true });
    this.functions.delete(id);
    return true;
  }
}

/** One function file, or why it cannot be one. */
function readFunction(path: string, id: string): JsFunction | string {
  if (validateId(id) !== undefined) return 'the file name is not a valid function id';
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const fn = value as Partial<JsFunction> | null;
  if (fn === null || typeof fn !== 'object' || typeof fn.script !== 'string' || fn.id !== id) {
    return `not a JavaScript function saved as "${id}"`;
  }
  return {
    id,
    description: typeof fn.description === 'string' ? fn.description : '',
    script: fn.script,
    isAgg: fn.isAgg === true,
  };
}
