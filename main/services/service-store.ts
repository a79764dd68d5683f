import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { validateId } from '../../shared/plugin-names.js';
import type { ServiceCreationRequest } from '../../shared/service-dto.js';
import type { DataLayout } from '../plugins/data-layout.js';
import { readJsonFile } from '../servers/json-file.js';

/**
 * What the host remembers of an installed service beyond eKuiper's files: where it came from (eKuiper's install
 * script, which `/data/export` carries), when, its place in the list, and every file it put in the data folder,
 * so a delete or an update removes exactly those and nothing another service still uses.
 */
export interface ServiceRecord {
  name: string;
  /** eKuiper's `serviceInstall` entry: the request that installed it. */
  install: ServiceCreationRequest;
  installedAt: string;
  /** Creation order: `GET /services` lists services in it (an update keeps the service's place). */
  order: number;
  /** Files relative to the data folder, forward slashes (`data/services/sample.json`, `data/services/schemas/…`). */
  files: string[];
  zipBytes: number;
  zipSha256: string;
}

/** eKuiper's folder of service descriptors; `schemas/` beneath it is the proto import path. */
export const SERVICES_DIR = 'data/services';
const SCHEMAS_DIR = `${SERVICES_DIR}/schemas`;

/** Where eKuiper reads a service's descriptor (exactly `<name>.json`, whatever case the zip used). */
export function descriptorPath(name: string): string {
  return `${SERVICES_DIR}/${name}.json`;
}

/** A schema import path (`hw.proto`, `google/api/http.proto`) as a path relative to the data folder. */
export function schemaFilePath(importPath: string): string {
  return `${SCHEMAS_DIR}/${importPath}`;
}

/** The import path of a data-folder path under `schemas/`, or undefined for any other file. */
export function importPathOf(relative: string): string | undefined {
  return relative.startsWith(`${SCHEMAS_DIR}/`) ? relative.slice(SCHEMAS_DIR.length + 1) : undefined;
}

/** The host's record of a service, beside the plugins' records (eKuiper ignores dot-folders). */
export function serviceRecordPath(name: string): string {
  return `plugins/.meta/services/${name}.json`;
}

/** Every readable record, by name; a broken one is kept aside by `readJsonFile` and reported. */
export async function readServiceRecords(
  layout: DataLayout,
  warn: (message: string) => void,
): Promise<Map<string, ServiceRecord>> {
  const folder = layout.path('plugins/.meta/services');
  const records = new Map<string, ServiceRecord>();
  let files: string[];
  try {
    files = await readdir(folder);
  } catch {
    return records;
  }
  for (const file of files.filter((item) => item.endsWith('.json')).sort()) {
    const name = file.slice(0, -'.json'.length);
    const read = await readJsonFile(layout.path(serviceRecordPath(name)));
    if (read.state === 'unreadable') {
      warn(`skipping the record of service ${name}: ${read.reason}`);
      continue;
    }
    if (read.state !== 'read') continue;
    const record = read.value as Partial<ServiceRecord> | null;
    if (
      record === null ||
      typeof record !== 'object' ||
      record.name !== name ||
      !Array.isArray(record.files) ||
      typeof record.order !== 'number'
    ) {
      warn(`skipping the record of service ${name}: it is not a service record`);
      continue;
    }
    records.set(name, {
      name,
      install: record.install ?? { name, file: '' },
      installedAt: record.installedAt ?? '',
      order: record.order,
      files: record.files.filter((item): item is string => typeof item === 'string'),
      zipBytes: record.zipBytes ?? 0,
      zipSha256: record.zipSha256 ?? '',
    });
  }
  return records;
}

/** The services eKuiper would load at its start: every `<name>.json` in `data/services` with a valid name. */
export async function descriptorNames(layout: DataLayout): Promise<string[]> {
  let files: string[];
  try {
    files = await readdir(layout.path(SERVICES_DIR));
  } catch {
    return [];
  }
  return files
    .filter((file) => file.endsWith('.json') && validateId(file.slice(0, -'.json'.length)) === undefined)
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** A lookup for schema imports among files on disk: the record's files, or the whole schemas folder. */
export function diskLookup(
  layout: DataLayout,
  owned: readonly string[] | undefined,
  used: Set<string>,
): (importPath: string) => string | undefined {
  return (importPath) => {
    const relative = schemaFilePath(importPath);
    if (owned !== undefined && !owned.includes(relative)) return undefined;
    const absolute = layout.path(relative);
    if (!existsSync(absolute)) return undefined;
    used.add(relative);
    return absolute;
  };
}
