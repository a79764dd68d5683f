import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The kinds a pre-populated data folder can hold, as the host's record files name them. */
export type FixtureKind = 'sources' | 'sinks' | 'functions' | 'portables';

/** How many plugins of each kind `populate` wrote. */
export type KindCounts = Record<FixtureKind, number>;

const INSTALLED_AT = '2024-01-01T00:00:00.000Z';
const LIBRARY_BYTES = Buffer.alloc(1024, 0x7f);

function pluginName(kind: FixtureKind, index: number): string {
  return `${kind.slice(0, -1)}${String(index).padStart(4, '0')}`;
}

/** The host's record for a plugin (plugins/.meta/{kind}/{name}.json), as an install writes it. */
function record(kind: FixtureKind, name: string, extra: Record<string, unknown> = {}): string {
  const value = {
    kind,
    name,
    source: `file:///opt/plugins/${name}.zip`,
    shellParas: [],
    installedAt: INSTALLED_AT,
    zipBytes: 4096,
    zipSha256: '0'.repeat(64),
    installedBytes: 8192,
    ...extra,
  };
  return JSON.stringify(value, null, 2);
}

async function writeNative(
  dataDir: string,
  kind: 'sources' | 'sinks' | 'functions',
  index: number,
): Promise<void> {
  const name = pluginName(kind, index);
  const upper = name.charAt(0).toUpperCase() + name.slice(1);
  // eKuiper's naming variants: `Name.so`, `name.so`, and `Name@v1.2.3.so` (versioned).
  const file = index % 3 === 0 ? `${upper}.so` : index % 3 === 1 ? `${name}.so` : `${upper}@v1.2.${index}.so`;
  await writeFile(join(dataDir, 'plugins', kind, file), LIBRARY_BYTES);
  const extra = kind === 'functions' ? { functions: [`${name}a`, `${name}b`] } : {};
  await writeFile(join(dataDir, 'plugins/.meta', kind, `${name}.json`), record(kind, name, extra));
  if (kind === 'sources')
    await writeFile(join(dataDir, 'etc/sources', `${name}.yaml`), 'default:\n  interval: 1000\n');
}

async function writePortable(dataDir: string, index: number): Promise<void> {
  const name = pluginName('portables', index);
  const folder = join(dataDir, 'plugins/portable', name);
  await mkdir(folder, { recursive: true });
  const manifest = {
    name,
    version: 'v1.0.0',
    language: 'go',
    executable: 'run',
    sources: [`${name}Src`],
    sinks: [`${name}Sink`],
    functions: [`${name}Fn`],
  };
  await writeFile(join(folder, `${name}.json`), JSON.stringify(manifest));
  await writeFile(join(folder, 'run'), LIBRARY_BYTES, { mode: 0o755 });
  await writeFile(join(dataDir, 'plugins/.meta/portables', `${name}.json`), record('portables', name));
}

/**
 * Writes installed plugins straight into an eKuiper-layout data folder — library files, the host's records,
 * portable folders with manifest and executable — exactly what REST installs leave behind, without spending
 * minutes installing a thousand zips. The host finds them with its start-up scan.
 */
export async function populate(dataDir: string, counts: Partial<KindCounts>): Promise<KindCounts> {
  const full: KindCounts = { sources: 0, sinks: 0, functions: 0, portables: 0, ...counts };
  for (const folder of [
    'plugins/sources',
    'plugins/sinks',
    'plugins/functions',
    'plugins/portable',
    'plugins/.meta/sources',
    'plugins/.meta/sinks',
    'plugins/.meta/functions',
    'plugins/.meta/portables',
    'etc/sources',
  ]) {
    await mkdir(join(dataDir, folder), { recursive: true });
  }
  const jobs: Array<() => Promise<void>> = [];
  for (const kind of ['sources', 'sinks', 'functions'] as const) {
    for (let i = 0; i < full[kind]; i++) jobs.push(() => writeNative(dataDir, kind, i));
  }
  for (let i = 0; i < full.portables; i++) jobs.push(() => writePortable(dataDir, i));
  // A few dozen writes in flight: fast, without opening thousands of files at once.
  const lanes = Array.from({ length: 32 }, async () => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) await job();
  });
  await Promise.all(lanes);
  return full;
}
