import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { hostMessage } from '../../shared/host-messages.js';
import { sha256Hex } from '../archive/sha256-hex.js';
import type { ServiceDescriptor, ServiceInfo } from '../../shared/service-dto.js';
import type { DataLayout } from '../plugins/data-layout.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { SERVICES_DIR, readServiceRecords } from '../services/service-store.js';
import type { HostSettings } from '../settings/host-settings.js';
import { obtainZipOnce, uploadNameOf, type FleetZip } from './fleet-zip.js';

/** A descriptor is a few kilobytes; anything near this is not one (and is never inflated). */
const MAX_DESCRIPTOR_BYTES = 1024 * 1024;

/**
 * Why eKuiper would refuse a zip as service `name` before it reads a single schema: it needs `<name>.json`
 * (any case) at the zip's root, holding a JSON object with `interfaces`. Only that one entry is inflated. The
 * deeper checks (protocols, .proto files, function names) are each server's own, answered in its words.
 */
export function serviceZipProblem(bytes: Uint8Array, name: string): string | undefined {
  const wanted = `${name}.json`.toLowerCase();
  let found: Record<string, Uint8Array>;
  try {
    found = unzipSync(bytes, {
      filter: (entry) => entry.name.toLowerCase() === wanted && entry.originalSize <= MAX_DESCRIPTOR_BYTES,
    });
  } catch (error) {
    return hostMessage('serviceZipNotZip', { problem: errorText(error) });
  }
  const descriptor = Object.values(found)[0];
  if (descriptor === undefined) return hostMessage('serviceZipNoDescriptor', { name });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(descriptor).toString('utf8'));
  } catch (error) {
    return hostMessage('serviceZipBadDescriptor', { name, problem: errorText(error) });
  }
  const interfaces = (parsed as { interfaces?: unknown } | null)?.interfaces;
  if (typeof interfaces !== 'object' || interfaces === null || Array.isArray(interfaces)) {
    return hostMessage('serviceZipBadDescriptor', { name, problem: 'it has no "interfaces" object' });
  }
  return undefined;
}

/** The zip of a fleet service create or update, read once with this host's rules and checked as a service zip. */
export function obtainServiceZip(
  file: string,
  name: string,
  settings: HostSettings,
  uploadsDir: string,
): Promise<FleetZip> {
  return obtainZipOnce(file, name, settings, uploadsDir, async (path) => {
    const problem = serviceZipProblem(await readFile(path), name);
    if (problem !== undefined)
      throw new PluginError(hostMessage('serviceZipRejected', { file, name, problem }));
    return undefined;
  });
}

/** A zip held in memory (an import's embedded one) as a fleet zip in a temp folder of its own. */
export async function fleetZipOf(bytes: Uint8Array, name: string): Promise<FleetZip> {
  const folder = await mkdtemp(join(tmpdir(), 'ekuiper-fleet-'));
  const path = join(folder, `${name}.zip`);
  await writeFile(path, bytes);
  const sha256 = sha256Hex(bytes);
  return {
    path,
    bytes: bytes.length,
    sha256,
    version: undefined,
    uploadName: uploadNameOf(name, sha256),
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}

/**
 * The zip of a service whose interfaces are all schemaless REST (NeuronEX's "Add external service" form makes
 * these), rebuilt from its describe answer: such a service is wholly its descriptor, so nothing is lost.
 * Undefined when any interface has a .proto schema, which eKuiper's API does not hand out.
 */
export function schemalessServiceZip(name: string, info: Partial<ServiceInfo>): Uint8Array | undefined {
  const bindings = Object.entries(info.Interfaces ?? {});
  if (bindings.length === 0 || bindings.some(([, binding]) => binding?.Schema?.Schemaless !== true)) {
    return undefined;
  }
  const descriptor: ServiceDescriptor = {
    ...(info.About ? { about: info.About } : {}),
    interfaces: Object.fromEntries(
      bindings.map(([iface, binding]) => [
        iface,
        {
          address: binding.Addr,
          protocol: binding.Protocol,
          schemaless: true,
          ...(binding.Desc ? { description: binding.Desc } : {}),
          ...(binding.Options ? { options: binding.Options } : {}),
        },
      ]),
    ),
  };
  return zipSync({ [`${name}.json`]: Buffer.from(JSON.stringify(descriptor, null, 2), 'utf8') });
}

/**
 * A service of this computer's own host as a zip rebuilt from exactly the files it brought (its descriptor and
 * schemas, as its record lists them), with the install script it was created by; undefined when it has no record.
 */
export async function hostServiceExport(
  layout: DataLayout,
  name: string,
): Promise<{ file: string; zip: Uint8Array } | undefined> {
  const record = (await readServiceRecords(layout, () => {})).get(name);
  if (record === undefined) return undefined;
  const entries: Record<string, Uint8Array> = {};
  for (const relative of record.files) {
    if (!relative.startsWith(`${SERVICES_DIR}/`)) continue;
    entries[relative.slice(SERVICES_DIR.length + 1)] = await readFile(layout.path(relative));
  }
  return { file: record.install.file, zip: zipSync(entries) };
}
