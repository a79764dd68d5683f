import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { buildZip, type TestZipEntry } from './zip-writer.js';

const SOURCE = resolve(import.meta.dirname, 'node-plugin/plugin.ts');
const SP_DIR = resolve(import.meta.dirname, '../../main/sp');

let bundled: Promise<string> | undefined;

/**
 * The Node test plugin as one self-contained script (`#!/usr/bin/env node`), built once per content: the
 * bundle's name carries a hash of its sources, so parallel test files share it and a changed socket library
 * is rebuilt.
 */
export function nodePluginScript(): Promise<string> {
  bundled ??= (async () => {
    const { readdirSync } = await import('node:fs');
    const hash = createHash('sha256').update(readFileSync(SOURCE));
    for (const file of readdirSync(SP_DIR).sort()) hash.update(file).update(readFileSync(join(SP_DIR, file)));
    const out = join(tmpdir(), `ekm-node-plugin-${hash.digest('hex').slice(0, 16)}.cjs`);
    if (!existsSync(out)) {
      const temp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
      await build({
        entryPoints: [SOURCE],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        outfile: temp,
        banner: { js: '#!/usr/bin/env node' },
        logLevel: 'silent',
      });
      renameSync(temp, out);
    }
    return readFileSync(out, 'utf8');
  })();
  return bundled;
}

export interface NodePluginOptions {
  name: string;
  functions?: Record<string, 'echo' | 'reverse' | 'error' | 'sum' | 'exit'>;
  sources?: string[];
  sinks?: string[];
  keepAliveMs?: number;
  dialect?: 'plain' | 'base64';
  startup?: { exitCode?: number; stderr?: string; silent?: boolean };
  /** `sources/{symbol}.yaml` contents; every source gets `default: {interval: 20}` otherwise. */
  sourceYaml?: Record<string, string>;
  version?: string;
}

/** A unique short plugin or symbol name for one test (socket paths are global on the machine). */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(3).toString('hex')}`;
}

/** A portable plugin zip of the Node test plugin: manifest, executable `run`, its config and source yamls. */
export async function nodePluginZip(options: NodePluginOptions): Promise<Buffer> {
  const script = await nodePluginScript();
  const sources = options.sources ?? [];
  const manifest = {
    version: options.version ?? 'v1.0.0',
    language: 'go',
    executable: 'run',
    sources,
    sinks: options.sinks ?? [],
    functions: Object.keys(options.functions ?? {}),
  };
  const entries: TestZipEntry[] = [
    { name: `${options.name}.json`, data: JSON.stringify(manifest) },
    { name: 'run', data: script, mode: 0o755 },
    { name: 'plugin-config.json', data: JSON.stringify(options) },
  ];
  for (const source of sources) {
    entries.push({
      name: `sources/${source}.yaml`,
      data: options.sourceYaml?.[source] ?? 'default:\n  interval: 20\n',
    });
  }
  return buildZip(entries);
}

/** Writes the zip into a folder and answers its path. */
export async function writeNodePluginZip(folder: string, options: NodePluginOptions): Promise<string> {
  const path = join(folder, `${options.name}.zip`);
  writeFileSync(path, await nodePluginZip(options));
  return path;
}
