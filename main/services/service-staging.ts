import { readFile } from 'node:fs/promises';
import { hostMessage } from '../../shared/host-messages.js';
import type { ExtractionItem } from '../archive/zip-extract.js';
import { PluginError } from '../plugins/plugin-error.js';
import { extractZip, inspectZip, type StagingContext } from '../plugins/install-staging.js';
import { loadService, type LoadedService } from './service-functions.js';
import { descriptorPath, schemaFilePath, SERVICES_DIR } from './service-store.js';

/** A service unpacked into a transaction's staging and fully loaded from there, ready to commit. */
export interface StagedService {
  loaded: LoadedService;
  /** Every file it brings, relative to the data folder. */
  files: string[];
  zipBytes: number;
  zipSha256: string;
}

/** The descriptor is read whole into memory: 1 MiB is far above any real one. */
const DESCRIPTOR_LIMIT = 1024 * 1024;

/** Zip refusals are answered as they are, after eKuiper's route prefix. */
const zipFailure = (text: string): PluginError => new PluginError(text);

/**
 * eKuiper's service install (`Create`: download, `unzip`, `initFile`) into a transaction instead of the live
 * folder: the zip goes through the host's safe extraction (checked entries, nothing outside the data folder),
 * `<name>.json` is found at the root whatever its case and written as exactly `<name>.json`, and the service is
 * parsed from the staged copy, its imports looked up among the files it brings. Nothing is live until committed.
 */
export async function stageService(
  context: StagingContext,
  name: string,
  file: string,
): Promise<StagedService> {
  const inspected = await inspectZip(context, file, zipFailure);
  const wanted = `${name}.json`.toLowerCase();
  const files = inspected.infos.filter((info) => !info.isDirectory);
  const descriptor = files.find((info) => info.name.toLowerCase() === wanted);
  if (descriptor === undefined) {
    throw new PluginError(`cannot find the json descriptor file ${name}.json for service`);
  }
  const extra = files.find(
    (info) => info !== descriptor && !info.name.includes('/') && /\.json$/i.test(info.name),
  );
  if (extra !== undefined) throw new PluginError(hostMessage('serviceExtraDescriptor', { file: extra.name }));
  if (descriptor.size > DESCRIPTOR_LIMIT) {
    throw new PluginError(
      hostMessage('serviceDescriptorTooLarge', { file: descriptor.name, bytes: descriptor.size }),
    );
  }

  const { transaction } = context;
  const targets = new Map<string, string>();
  const items: ExtractionItem[] = files.map((info) => {
    const target = info === descriptor ? descriptorPath(name) : `${SERVICES_DIR}/${info.name}`;
    targets.set(target, transaction.stagedPath(target));
    return { entry: inspected.byName.get(info.name)!, destinations: [transaction.stagedPath(target)] };
  });
  await extractZip(context, inspected, items, zipFailure);

  const text = await readFile(targets.get(descriptorPath(name))!, 'utf8');
  const loaded = await loadService(name, text, (importPath) => targets.get(schemaFilePath(importPath)));
  return {
    loaded,
    files: [...targets.keys()].sort(),
    zipBytes: inspected.zip.bytes,
    zipSha256: await inspected.zip.sha256(),
  };
}
