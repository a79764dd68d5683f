import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ArchiveError } from '../archive/archive-error.js';
import { extractSync } from '../archive/extract-sync.js';
import { extractEntries, type ExtractionItem } from '../archive/zip-extract.js';
import { readZipDirectory, type ZipEntry } from '../archive/zip-reader.js';
import { assertSafeEntries } from '../archive/zip-safety.js';
import { zipLimitsOf, type HostSettings } from '../settings/host-settings.js';
import { hostMessage } from '../../shared/host-messages.js';
import type { PluginRecord } from '../../shared/plugin-dto.js';
import type { NativeKind, PluginKind } from '../../shared/plugin-kinds.js';
import { planNativeZip } from '../../shared/native-zip-rules.js';
import {
  findPortableManifest,
  parsePortableManifest,
  planPortableZip,
  type PortableManifest,
} from '../../shared/portable-manifest.js';
import { entryInfos, type ZipEntryInfo } from '../../shared/zip-layout.js';
import type { DataLayout } from './data-layout.js';
import type { FileTransaction } from './file-transaction.js';
import { runInstallScript } from './install-script.js';
import { noProgress, throttledBytes, type Progress } from './install-progress.js';
import { PluginError, errorText } from './plugin-error.js';
import { obtainZip, type LocalZip } from './zip-source.js';

/** What a create or update request carries (eKuiper's IOPlugin / FuncPlugin). */
export interface InstallRequest {
  name: string;
  file: string;
  shellParas: string[];
  functions?: string[];
}

export interface StagingContext {
  layout: DataLayout;
  settings: HostSettings;
  transaction: FileTransaction;
  /** Steps and output for `GET /manager/events`; a no-op when nobody listens. */
  progress?: Progress;
  /** Abandons the install (the client went away): extraction stops, later steps do not start. */
  signal?: AbortSignal;
}

/** An install ready to commit: the paths it puts in place and what the registry learns. */
export interface StagedInstall {
  replace: string[];
  record: PluginRecord;
}

export interface StagedNative extends StagedInstall {
  version: string;
  libraryFile: string;
}

export interface StagedPortable extends StagedInstall {
  manifest: PortableManifest;
}

/** A downloaded zip whose directory passed the safety checks, its entries by normalised name. */
export interface InspectedZip {
  zip: LocalZip;
  entries: ZipEntry[];
  infos: ZipEntryInfo[];
  byName: Map<string, ZipEntry>;
}

const installFailure = (text: string): PluginError => new PluginError(`fail to install plugin: ${text}`);

/** How a caller words a refusal of the zip itself (plugins: `fail to install plugin: …`). */
export type ZipFailure = (text: string) => PluginError;

/**
 * Downloads (or opens) the zip a request names and checks its directory — entry count, sizes, paths, links —
 * before a byte is extracted. Shared by plugin and service installs, which word the zip's refusals differently.
 */
export async function inspectZip(
  context: StagingContext,
  file: string,
  failure: ZipFailure = installFailure,
): Promise<InspectedZip> {
  const { settings, layout, transaction } = context;
  const progress = context.progress ?? noProgress;
  progress({ phase: 'download' });
  const bytes = throttledBytes(progress, 'download');
  let zip: LocalZip;
  try {
    zip = await obtainZip(file, transaction.scratchPath('download.zip'), {
      uploadsDir: layout.uploadsDir,
      allowExternalFileAccess: settings.allowExternalFileAccess,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      maxDownloadBytes: settings.maxDownloadBytes,
      downloadTimeoutMs: settings.downloadTimeoutMs,
      pluginHosts: settings.pluginHosts,
      onBytes: bytes.report,
    });
  } catch (error) {
    throw new PluginError(`fail to download file ${file}: ${errorText(error)}`);
  }
  bytes.flush();
  context.signal?.throwIfAborted();
  progress({ phase: 'download', bytes: zip.bytes, totalBytes: zip.bytes });
  progress({ phase: 'inspect' });
  try {
    const entries = await readZipDirectory(zip.path);
    assertSafeEntries(entries, zipLimitsOf(settings));
    const infos = entryInfos(entries);
    const byName = new Map(entries.map((entry, index) => [infos[index]!.name, entry]));
    return { zip, entries, infos, byName };
  } catch (error) {
    if (error instanceof ArchiveError) throw failure(error.message);
    throw error;
  }
}

/**
 * Extracts entries into the transaction's staging off the main thread, bounded by the data folder; answers the
 * bytes written.
 */
export async function extractZip(
  context: StagingContext,
  inspected: InspectedZip,
  items: ExtractionItem[],
  failure: ZipFailure = installFailure,
): Promise<number> {
  const progress = context.progress ?? noProgress;
  const totalBytes = items.reduce(
    (sum, item) => sum + item.entry.uncompressedSize * item.destinations.length,
    0,
  );
  progress({ phase: 'extract', bytes: 0, totalBytes });
  try {
    const { bytesWritten } = await extractEntries(inspected.zip.path, items, {
      // Staging spans plugins/, etc/ and data/: the whole data folder is the bound no write may leave.
      root: context.layout.root,
      maxInflatedBytes: context.settings.maxZipInflatedBytes,
      signal: context.signal,
    });
    progress({ phase: 'extract', bytes: bytesWritten, totalBytes });
    return bytesWritten;
  } catch (error) {
    if (error instanceof ArchiveError) throw failure(error.message);
    throw error;
  }
}

/** Hashes the zip on the main thread while the worker inflates it: the two overlap on two cores. */
async function extractWhileHashing(
  context: StagingContext,
  inspected: InspectedZip,
  items: ExtractionItem[],
): Promise<number> {
  const hashing = inspected.zip.sha256();
  const [bytes] = await Promise.all([extractZip(context, inspected, items), hashing]);
  return bytes;
}

const MANIFEST_LIMIT = 1024 * 1024;

/**
 * Unpacks the manifest on this thread: it is small (capped at 1 MiB), and a worker started for it alone
 * cost a portable install 75–100 ms of CPU.
 */
function readManifest(context: StagingContext, inspected: InspectedZip, name: string): string {
  const entry = inspected.byName.get(name)!;
  if (entry.uncompressedSize > MANIFEST_LIMIT) {
    throw installFailure(
      `invalid json file ${name}: ${hostMessage('manifestTooLarge', { bytes: entry.uncompressedSize })}`,
    );
  }
  const scratch = context.transaction.scratchPath(name);
  try {
    extractSync({
      zipPath: inspected.zip.path,
      items: [{ entry, destinations: [scratch] }],
      root: context.transaction.dir,
      maxInflatedBytes: MANIFEST_LIMIT,
    });
  } catch (error) {
    if (error instanceof ArchiveError) throw installFailure(error.message);
    throw error;
  }
  return readFileSync(scratch, 'utf8');
}

async function runScript(context: StagingContext, cwd: string, shellParas: string[]): Promise<string> {
  const progress = context.progress ?? noProgress;
  progress({ phase: 'install-script' });
  try {
    const { output } = await runInstallScript(cwd, shellParas, context.settings.installScriptTimeoutMs, {
      pidFolder: context.transaction.dir,
      onOutput: (chunk) => progress({ phase: 'install-script', output: chunk }),
      signal: context.signal,
    });
    return output;
  } catch (error) {
    throw installFailure(errorText(error));
  }
}

async function stageRecord(
  context: StagingContext,
  kind: PluginKind,
  request: InstallRequest,
  inspected: InspectedZip,
  installedBytes: number,
  installLog: string | undefined,
): Promise<{ path: string; record: PluginRecord }> {
  const record: PluginRecord = {
    kind,
    name: request.name,
    source: request.file,
    shellParas: request.shellParas,
    installedAt: new Date().toISOString(),
    zipBytes: inspected.zip.bytes,
    zipSha256: await inspected.zip.sha256(),
    installedBytes,
  };
  if (request.functions !== undefined && request.functions.length > 0) record.functions = request.functions;
  if (installLog !== undefined) record.installLog = installLog;
  const path = context.layout.recordPath(kind, request.name);
  const staged = context.transaction.stagedPath(path);
  await mkdir(dirname(staged), { recursive: true });
  await writeFile(staged, JSON.stringify(record, null, 2));
  return { path, record };
}

/**
 * Stages a native plugin (reference §3.3, §4.2): library, default config, UI metadata and `etc/` files go to
 * their places under the transaction; everything else, with `install.sh`, to a workspace that is dropped
 * afterwards, as eKuiper's `plugins/temp` is.
 */
export async function stageNative(
  context: StagingContext,
  kind: NativeKind,
  request: InstallRequest,
): Promise<StagedNative> {
  const inspected = await inspectZip(context, request.file);
  const planned = planNativeZip(kind, request.name, inspected.infos);
  if (!planned.ok) throw installFailure(planned.problem);
  const plan = planned.plan;
  if (request.shellParas.length > 0 && !plan.hasInstallScript) {
    throw installFailure(`have shell parameters : [${request.shellParas.join(' ')}] but no install.sh file`);
  }
  const { transaction } = context;
  const workspace = transaction.scratchPath('workspace');
  // Workspace files exist for install.sh alone and are dropped after it (eKuiper's plugins/temp); without
  // a script they would be unpacked only to be deleted, which was most of a large plugin's install time.
  const placements = plan.hasInstallScript
    ? plan.placements
    : plan.placements.filter((placement) => placement.role !== 'workspace');
  const items: ExtractionItem[] = placements.map((placement) => ({
    entry: inspected.byName.get(placement.entry)!,
    destinations:
      placement.role === 'workspace'
        ? [`${workspace}/${placement.workspacePath!}`]
        : placement.targets.map((target) => transaction.stagedPath(target)),
  }));
  await extractWhileHashing(context, inspected, items);
  // What stays installed, copies included; the workspace (install.sh and its files) is dropped afterwards.
  const installedBytes = items.reduce(
    (sum, item, index) =>
      placements[index]!.role === 'workspace'
        ? sum
        : sum + item.entry.uncompressedSize * item.destinations.length,
    0,
  );
  const installLog = plan.hasInstallScript
    ? await runScript(context, workspace, request.shellParas)
    : undefined;

  const replace = new Set<string>();
  for (const placement of plan.placements) {
    if (placement.role === 'runtime-file') {
      replace.add(`etc/${kind}/${request.name}`);
      replace.add(`data/${kind}/${request.name}`);
    } else {
      for (const target of placement.targets) replace.add(target);
    }
  }
  const { path, record } = await stageRecord(context, kind, request, inspected, installedBytes, installLog);
  replace.add(path);
  return { replace: [...replace], record, version: plan.version, libraryFile: plan.libraryEntry };
}

/**
 * Stages a portable plugin (reference §3.4, §4.3): symbol files to `etc/` and `data/`, the rest to
 * `plugins/portable/{name}/`, the declared executable with its exec bit even when the zip (made on Windows)
 * lost it; `install.sh` runs in the staged plugin folder.
 */
export async function stagePortable(
  context: StagingContext,
  request: InstallRequest,
): Promise<StagedPortable> {
  const inspected = await inspectZip(context, request.file);
  const found = findPortableManifest(request.name, inspected.infos);
  if (!found.ok) throw installFailure(found.problem);
  const { transaction } = context;
  const parsed = parsePortableManifest(request.name, readManifest(context, inspected, found.plan));
  if (!parsed.ok) throw installFailure(parsed.problem);
  const manifest = parsed.plan;
  const planned = planPortableZip(manifest, inspected.infos);
  if (!planned.ok) throw installFailure(planned.problem);
  const plan = planned.plan;

  const items: ExtractionItem[] = plan.placements.map((placement) => {
    const item: ExtractionItem = {
      entry: inspected.byName.get(placement.entry)!,
      destinations: placement.targets.map((target) => transaction.stagedPath(target)),
    };
    if (placement.entry === plan.executableEntry) item.mode = 0o755;
    return item;
  });
  const installedBytes = await extractWhileHashing(context, inspected, items);
  const pluginFolder = `plugins/portable/${request.name}`;
  const installLog = plan.hasInstallScript
    ? await runScript(context, transaction.stagedPath(pluginFolder), request.shellParas)
    : undefined;

  const replace = new Set<string>([pluginFolder]);
  for (const placement of plan.placements) {
    if (!placement.targets[0]!.startsWith(`${pluginFolder}/`))
      for (const target of placement.targets) replace.add(target);
  }
  const { path, record } = await stageRecord(
    context,
    'portables',
    request,
    inspected,
    installedBytes,
    installLog,
  );
  replace.add(path);
  return { replace: [...replace], record, manifest };
}
