import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EXPORT_EXTRA_KEY,
  type EmbeddedServiceZip,
  type ExtensionExportFile,
  type ExtensionImportAnswer,
  type ExtensionImportItem,
  type ExtensionKind,
  type JavascriptFunctionBody,
} from '../../shared/extension-fleet.js';
import { fileProblemFree, isRecord } from '../../shared/fleet-rules.js';
import { hostMessage } from '../../shared/host-messages.js';
import { LOCAL_SERVER_ID, type ServerInfo } from '../../shared/server-dto.js';
import type { ServiceInfo } from '../../shared/service-dto.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { fileUrlPath, obtainFile } from '../plugins/zip-source.js';
import { goJson } from '../rest/go-json.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { ServerAnswerError, failureOf } from '../servers/server-answer.js';
import { changeTimeoutMs } from '../servers/timeouts.js';
import { installZip, type FleetContext } from './fleet-action.js';
import { answerJson } from './ekuiper-answer.js';
import { LIST_PATH, describeAll } from './extension-inventory.js';
import { extensionWhat, putJavascript, putService } from './extension-action.js';
import { sha256Hex } from '../archive/sha256-hex.js';
import { fleetZipOf, schemalessServiceZip, serviceZipProblem } from './service-zip.js';

/**
 * One server's JavaScript functions and services as one file in eKuiper's `/data/export` shape (`scripts`,
 * `Service`), plus, under a key eKuiper ignores, each service's zip, so the file imports on a server that cannot
 * reach the first one's files. A zip is embedded from the service's install file when this computer can read it
 * (an http(s) URL, or a path of this computer's own host), else rebuilt when the service is schemaless REST (it is
 * then wholly its descriptor); otherwise the file says why not.
 */
export async function exportExtensions(
  info: ServerInfo,
  api: ServerApi,
  context: FleetContext,
): Promise<ExtensionExportFile> {
  const [functions, services] = await Promise.all([
    describeAll<Partial<JavascriptFunctionBody>>(api, 'javascript'),
    describeAll<Partial<ServiceInfo>>(api, 'services'),
  ]);
  const file: ExtensionExportFile = {
    scripts: {},
    Service: {},
    [EXPORT_EXTRA_KEY]: {
      version: 1,
      server: { id: info.id, name: info.name },
      exportedAt: new Date().toISOString(),
      services: {},
      notEmbedded: {},
      unavailable: [
        ...(functions === undefined ? ['javascript' as const] : []),
        ...(services === undefined ? ['services' as const] : []),
      ],
    },
  };
  for (const { name, value } of functions ?? []) {
    // eKuiper's `js.Script` JSON, field for field and in its order.
    file.scripts[name] = goJson({
      id: name,
      description: typeof value.description === 'string' ? value.description : '',
      script: typeof value.script === 'string' ? value.script : '',
      isAgg: value.isAgg === true,
    });
  }
  if (services === undefined || services.length === 0) return file;

  const local = info.id === LOCAL_SERVER_ID;
  const installed = local ? {} : await installScripts(api);
  const extra = file[EXPORT_EXTRA_KEY];
  for (const { name, value } of services) {
    // The host's own services are zipped from exactly the files they brought.
    const own = local ? await context.hostService?.(name) : undefined;
    const installFile = own?.file ?? installed[name] ?? '';
    file.Service[name] = goJson({ name, file: installFile });
    const embedded =
      own === undefined
        ? await embeddedZip(name, value, installFile, local, context)
        : {
            zip: Buffer.from(own.zip).toString('base64'),
            sha256: sha256Hex(own.zip),
            source: 'host-files' as const,
          };
    if ('zip' in embedded) extra.services[name] = embedded;
    else extra.notEmbedded[name] = embedded.reason;
  }
  return file;
}

/** The install scripts `{name, file}` eKuiper keeps for its services, read from its `/data/export` when it has one. */
async function installScripts(api: ServerApi): Promise<Record<string, string>> {
  const answer = await api.request({ method: 'GET', path: '/data/export' });
  if (answer.status !== 200) {
    await answer.dump();
    return {};
  }
  const exported = await answer
    .text()
    .then((text) => JSON.parse(text) as unknown)
    .catch(() => undefined);
  const files: Record<string, string> = {};
  const services = isRecord(exported) ? sectionOf(exported, 'service') : undefined;
  for (const [name, script] of Object.entries(isRecord(services) ? services : {})) {
    if (typeof script !== 'string') continue;
    const parsed = parseJson(script);
    if (isRecord(parsed) && typeof parsed.file === 'string') files[name] = parsed.file;
  }
  return files;
}

async function embeddedZip(
  name: string,
  info: Partial<ServiceInfo>,
  installFile: string,
  local: boolean,
  context: FleetContext,
): Promise<EmbeddedServiceZip | { reason: string }> {
  let unreadable: string | undefined;
  const remoteUrl = /^https?:\/\//i.test(installFile);
  if (remoteUrl || (local && installFile.toLowerCase().startsWith('file://'))) {
    try {
      const bytes = remoteUrl
        ? await download(installFile, context)
        : await readFile(fileUrlPath(installFile));
      const problem = serviceZipProblem(bytes, name);
      if (problem !== undefined) throw new Error(problem);
      return { zip: Buffer.from(bytes).toString('base64'), sha256: sha256Hex(bytes), source: 'install-file' };
    } catch (error) {
      unreadable = hostMessage('exportInstallFileUnreadable', {
        file: installFile,
        reason: errorText(error),
      });
    }
  }
  const rebuilt = schemalessServiceZip(name, info);
  if (rebuilt !== undefined) {
    return {
      zip: Buffer.from(rebuilt).toString('base64'),
      sha256: sha256Hex(rebuilt),
      source: 'rebuilt-schemaless',
    };
  }
  return { reason: unreadable ?? hostMessage('exportNoInstallFile') };
}

/** Downloads an install file with this host's rules (private network, size, time). */
async function download(url: string, context: FleetContext): Promise<Uint8Array> {
  const folder = await mkdtemp(join(tmpdir(), 'ekuiper-export-'));
  try {
    const settings = context.settings();
    const path = join(folder, 'service.zip');
    await obtainFile(url, path, {
      uploadsDir: context.uploadsDir,
      allowExternalFileAccess: settings.allowExternalFileAccess,
      allowPrivateNetwork: settings.allowPrivateNetwork,
      maxDownloadBytes: settings.maxDownloadBytes,
      downloadTimeoutMs: settings.downloadTimeoutMs,
    });
    return await readFile(path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A top-level section as Go's decoder finds it: the key matched without regard to case (`Service`, `service`). */
function sectionOf(file: Record<string, unknown>, key: string): unknown {
  const found = Object.keys(file).find((candidate) => candidate.toLowerCase() === key);
  return found === undefined ? undefined : file[found];
}

/** One item of an import file, read and checked; `problem` when it cannot be imported at all. */
interface ImportEntry {
  kind: ExtensionKind;
  name: string;
  problem?: string;
  function?: JavascriptFunctionBody;
  service?: { file: string; zip?: Uint8Array };
}

/**
 * Reads an import file — this app's export or eKuiper's own `/data/export` (everything but `scripts` and
 * `Service` is ignored) — into its items. A file that is not JSON, or has neither section, throws a
 * `PluginError` (400) before any server is asked; a bad item is that item's failure only.
 */
export function readImportFile(text: string): ImportEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PluginError(
      hostMessage('importBadFile', { problem: hostMessage('importNotJson', { problem: errorText(error) }) }),
    );
  }
  if (!isRecord(parsed)) {
    throw new PluginError(hostMessage('importBadFile', { problem: hostMessage('importNothing') }));
  }
  const scripts = sectionOf(parsed, 'scripts');
  const services = sectionOf(parsed, 'service');
  if ((scripts === undefined || scripts === null) && (services === undefined || services === null)) {
    throw new PluginError(hostMessage('importBadFile', { problem: hostMessage('importNothing') }));
  }
  for (const [key, section] of [
    ['scripts', scripts],
    ['Service', services],
  ] as const) {
    if (section !== undefined && section !== null && !isRecord(section)) {
      throw new PluginError(hostMessage('importBadFile', { problem: hostMessage('importNotMap', { key }) }));
    }
  }
  const extra = parsed[EXPORT_EXTRA_KEY];
  const zips = isRecord(extra) && isRecord(extra.services) ? extra.services : {};
  const entries: ImportEntry[] = [];
  for (const [key, value] of Object.entries((scripts as Record<string, unknown> | null) ?? {}).sort()) {
    entries.push(scriptEntry(key, value));
  }
  for (const [key, value] of Object.entries((services as Record<string, unknown> | null) ?? {}).sort()) {
    entries.push(serviceEntry(key, value, zips[key]));
  }
  return entries;
}

function badEntry(kind: ExtensionKind, name: string, problem: string): ImportEntry {
  return { kind, name, problem: hostMessage('importBadEntry', { what: extensionWhat(kind), problem }) };
}

function scriptEntry(key: string, value: unknown): ImportEntry {
  const parsed = typeof value === 'string' ? parseJson(value) : undefined;
  if (!isRecord(parsed))
    return badEntry('javascript', key, 'not a JSON text of {"id","description","script","isAgg"}');
  const id = typeof parsed.id === 'string' && parsed.id !== '' ? parsed.id : key;
  if (typeof parsed.script !== 'string' || parsed.script === '')
    return badEntry('javascript', id, 'it has no script');
  return {
    kind: 'javascript',
    name: id,
    function: {
      id,
      description: typeof parsed.description === 'string' ? parsed.description : '',
      script: parsed.script,
      isAgg: parsed.isAgg === true,
    },
  };
}

function serviceEntry(key: string, value: unknown, embedded: unknown): ImportEntry {
  const parsed = typeof value === 'string' ? parseJson(value) : undefined;
  if (!isRecord(parsed)) return badEntry('services', key, 'not a JSON text of {"name","file"}');
  const name = typeof parsed.name === 'string' && parsed.name !== '' ? parsed.name : key;
  const file = typeof parsed.file === 'string' ? parsed.file : '';
  if (isRecord(embedded) && typeof embedded.zip === 'string') {
    const zip = Buffer.from(embedded.zip, 'base64');
    if (typeof embedded.sha256 === 'string' && sha256Hex(zip) !== embedded.sha256) {
      return { kind: 'services', name, problem: hostMessage('importZipMismatch', { name }) };
    }
    const problem = serviceZipProblem(zip, name);
    if (problem !== undefined) return { kind: 'services', name, problem };
    return { kind: 'services', name, service: { file, zip } };
  }
  if (!fileProblemFree(file)) {
    return badEntry(
      'services',
      name,
      `its file '${file}' is not an http(s) or file:/// URL, and no zip is embedded`,
    );
  }
  return { kind: 'services', name, service: { file } };
}

/**
 * Imports the items of a file into one server, one at a time, and answers each item's result: created or
 * replaced in the server's own words, or failed with them (or with why it never reached the server). With
 * `dryRun`, only read requests are sent and each item says what would happen. An item whose kind the server
 * lacks fails with that reason; one item's failure never stops the others.
 */
export async function importExtensions(
  entries: readonly ImportEntry[],
  info: ServerInfo,
  api: ServerApi,
  context: FleetContext,
  dryRun: boolean,
): Promise<ExtensionImportAnswer> {
  const names: Partial<Record<ExtensionKind, Set<string> | 'unavailable'>> = {};
  const results: ExtensionImportItem[] = [];
  for (const entry of entries) {
    const what = extensionWhat(entry.kind);
    const fail = (status: number, message: string): ExtensionImportItem => ({
      kind: entry.kind,
      name: entry.name,
      outcome: 'failed',
      status,
      message,
    });
    if (entry.problem !== undefined) {
      results.push(fail(0, entry.problem));
      continue;
    }
    try {
      names[entry.kind] ??= await existingNames(api, entry.kind, info.timeoutMs);
      const existing = names[entry.kind]!;
      if (existing === 'unavailable') {
        results.push(fail(404, hostMessage('importUnavailable', { what, path: LIST_PATH[entry.kind] })));
        continue;
      }
      const exists = existing.has(entry.name);
      const item = { what, name: entry.name };
      const fromFile = entry.service !== undefined && entry.service.zip === undefined;
      const note = (message: string) =>
        fromFile ? hostMessage('importFromInstallFile', { message, file: entry.service!.file }) : message;
      if (dryRun) {
        results.push({
          kind: entry.kind,
          name: entry.name,
          outcome: exists ? 'replace' : 'create',
          status: 200,
          message: note(hostMessage(exists ? 'importWillReplace' : 'extensionWillCreate', item)),
        });
        continue;
      }
      const answer = await importOne(entry, exists, info, api, context);
      existing.add(entry.name);
      results.push({
        kind: entry.kind,
        name: entry.name,
        outcome: answer.ok ? (exists ? 'replaced' : 'created') : 'failed',
        status: answer.status,
        message: answer.message,
      });
    } catch (error) {
      const failure = failureOf(error, info);
      results.push(fail(failure.status, failure.message));
    }
  }
  return { server: info.id, dryRun, results };
}

async function existingNames(
  api: ServerApi,
  kind: ExtensionKind,
  timeoutMs: number,
): Promise<Set<string> | 'unavailable'> {
  const list = await api.request({ method: 'GET', path: LIST_PATH[kind], timeoutMs });
  if (list.status === 404) {
    await list.dump();
    return 'unavailable';
  }
  if (list.status !== 200) throw await ServerAnswerError.from(list);
  const names = await answerJson<unknown>(list, `GET ${LIST_PATH[kind]}`);
  return new Set(
    Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [],
  );
}

async function importOne(
  entry: ImportEntry,
  exists: boolean,
  info: ServerInfo,
  api: ServerApi,
  context: FleetContext,
): Promise<{ ok: boolean; status: number; message: string }> {
  const timeout = changeTimeoutMs(info.timeoutMs);
  if (entry.function !== undefined) return putJavascript(api, exists, entry.function, timeout);
  const service = entry.service!;
  const install = (file: string) => putService(api, exists, entry.name, file, info.timeoutMs, timeout);
  if (service.zip === undefined) return install(service.file);
  const zip = await fleetZipOf(service.zip, entry.name);
  try {
    return await installZip(info.id, info, api, zip, context, () => {}, install);
  } finally {
    await zip.dispose();
  }
}
