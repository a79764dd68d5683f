import { ArchiveError } from '../../../shared/archive-error';
import { validateId } from '../../../shared/plugin-names';
import { SERVICE_PROTOCOLS, type ServiceDescriptor } from '../../../shared/service-dto';
import { readZipDirectoryFromBytes, type ZipEntry } from '../../../shared/zip-directory';
import { DEFAULT_ZIP_LIMITS, readEntryText } from '../../../shared/zip-inspect';
import { entryInfos, type ZipEntryInfo } from '../../../shared/zip-layout';
import { safetyProblems, type ZipLimits } from '../../../shared/zip-safety';
import { isProvidedImport, readProto } from './service-proto';

/**
 * Why eKuiper would refuse a service zip, as a code and the values its sentence names (the window words it in
 * the user's language, `services.zip.problems.<code>`). `archive` carries the host's own text (`message`).
 */
export interface ServiceZipProblem {
  code:
    | 'archive'
    | 'noDescriptor'
    | 'descriptorUnreadable'
    | 'descriptorJson'
    | 'noInterfaces'
    | 'protocol'
    | 'address'
    | 'schemalessNotRest'
    | 'schemalessWithFile'
    | 'schemaType'
    | 'noSchemaFile'
    | 'schemaMissing'
    | 'protoSyntax'
    | 'importMissing';
  values: Record<string, string>;
}

/** One SQL function an interface will give, with what its call takes. */
export interface ServiceZipFunction {
  name: string;
  /** The rpc behind it (the interface's name when schemaless). */
  rpc: string;
  /** The request message's fields, in order; undefined when schemaless or unknown. */
  fields: string[] | undefined;
}

/** One interface of the descriptor, as far as it could be read. */
export interface ServiceZipInterface {
  name: string;
  protocol: string;
  address: string;
  schemaless: boolean;
  schemaFile: string | undefined;
  functions: ServiceZipFunction[];
}

/** What the window shows of a service zip before uploading it. */
export interface ServiceZipInspection {
  /** The name the zip was checked against: the caller's, else `suggestedName`. */
  name: string;
  /** The one JSON file at the zip's root, else the zip file's name. */
  suggestedName: string | undefined;
  /** The zip entry read as the descriptor (`<name>.json`, any case). */
  descriptorEntry: string | undefined;
  entries: ZipEntryInfo[];
  zipSize: number;
  totalSize: number;
  interfaces: ServiceZipInterface[];
  /** eKuiper's own text for a name it refuses (`validate.ValidateID`); shown on the Name field. */
  nameProblem: string | undefined;
  /** Everything else eKuiper (or this app's host) would refuse the zip for. */
  problems: ServiceZipProblem[];
}

const problem = (
  code: ServiceZipProblem['code'],
  values: Record<string, string> = {},
): ServiceZipProblem => ({
  code,
  values,
});

const rootJsonFiles = (infos: readonly ZipEntryInfo[]) =>
  infos.filter((info) => !info.isDirectory && /^[^/]+\.json$/i.test(info.name)).map((info) => info.name);

/** A suggested service name from a file name: its base, with what eKuiper's name rule refuses replaced. */
function nameFromFile(fileName: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.[^.]*$/, '');
  return base.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Reads a service zip in memory as eKuiper will on `POST /services`: the zip's safety (this app's host's rules),
 * `<name>.json` at the root (any case, as eKuiper matches it), the descriptor's JSON, each interface's protocol,
 * address and schema rules, every `schemaFile` present under `schemas/` and parsing, with its imports present
 * (google/protobuf and google/api come with the server). Also lists the functions each interface will give.
 */
export function inspectServiceZip(
  bytes: Uint8Array,
  name?: string,
  options: { fileName?: string; limits?: ZipLimits } = {},
): ServiceZipInspection {
  const result: ServiceZipInspection = {
    name: name ?? '',
    suggestedName: undefined,
    descriptorEntry: undefined,
    entries: [],
    zipSize: bytes.length,
    totalSize: 0,
    interfaces: [],
    nameProblem: undefined,
    problems: [],
  };
  let entries: ZipEntry[];
  try {
    entries = readZipDirectoryFromBytes(bytes);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    if (options.fileName !== undefined) result.suggestedName = nameFromFile(options.fileName);
    result.name = name ?? result.suggestedName ?? '';
    result.nameProblem = validateId(result.name);
    result.problems.push(problem('archive', { message: error.message }));
    return result;
  }
  const infos = entryInfos(entries);
  const byName = new Map(entries.map((entry, index) => [infos[index]!.name, entry]));
  result.entries = infos;
  result.totalSize = infos.reduce((sum, info) => sum + info.size, 0);
  const jsons = rootJsonFiles(infos);
  result.suggestedName =
    jsons.length === 1
      ? jsons[0]!.replace(/\.json$/i, '')
      : options.fileName !== undefined
        ? nameFromFile(options.fileName)
        : undefined;
  result.name = name ?? result.suggestedName ?? '';
  result.nameProblem = validateId(result.name);
  const problems = safetyProblems(entries, options.limits ?? DEFAULT_ZIP_LIMITS).map((error) =>
    problem('archive', { message: error.message }),
  );
  result.problems = problems;
  if (result.nameProblem !== undefined) return result;

  const expected = `${result.name}.json`;
  const descriptorEntry = jsons.find((file) => file.toLowerCase() === expected.toLowerCase());
  if (descriptorEntry === undefined) {
    problems.push(problem('noDescriptor', { file: expected, found: jsons.join(', ') }));
    return result;
  }
  result.descriptorEntry = descriptorEntry;
  const text = readEntryText(bytes, byName.get(descriptorEntry)!);
  if (text instanceof ArchiveError) {
    problems.push(problem('descriptorUnreadable', { file: descriptorEntry, message: text.message }));
    return result;
  }
  let descriptor: ServiceDescriptor;
  try {
    descriptor = JSON.parse(text) as ServiceDescriptor;
  } catch (error) {
    problems.push(problem('descriptorJson', { file: descriptorEntry, message: (error as Error).message }));
    return result;
  }
  const interfaces =
    descriptor !== null && typeof descriptor === 'object' && !Array.isArray(descriptor)
      ? descriptor.interfaces
      : undefined;
  if (interfaces === null || typeof interfaces !== 'object' || Object.keys(interfaces).length === 0) {
    problems.push(problem('noInterfaces', { file: descriptorEntry }));
    return result;
  }

  const schemaText = (file: string): string | undefined => {
    const entry = byName.get(`schemas/${file}`);
    if (entry === undefined) return undefined;
    const read = readEntryText(bytes, entry);
    return read instanceof ArchiveError ? undefined : read;
  };
  const protos: Record<string, string> = {};
  for (const info of infos) {
    if (info.isDirectory || !info.name.startsWith('schemas/') || !info.name.endsWith('.proto')) continue;
    const read = schemaText(info.name.slice('schemas/'.length));
    if (read !== undefined) protos[info.name.slice('schemas/'.length)] = read;
  }

  for (const [iface, binding] of Object.entries(interfaces)) {
    const b = (binding ?? {}) as Partial<ServiceDescriptor['interfaces'][string]>;
    const protocol = typeof b.protocol === 'string' ? b.protocol : '';
    const address = typeof b.address === 'string' ? b.address : '';
    const schemaless = b.schemaless === true;
    const schemaFile = typeof b.schemaFile === 'string' && b.schemaFile !== '' ? b.schemaFile : undefined;
    const seen: ServiceZipInterface = {
      name: iface,
      protocol,
      address,
      schemaless,
      schemaFile,
      functions: [],
    };
    result.interfaces.push(seen);
    if (!(SERVICE_PROTOCOLS as readonly string[]).includes(protocol)) {
      problems.push(problem('protocol', { iface, protocol }));
    }
    if (!addressParses(address)) problems.push(problem('address', { iface, address }));
    if (schemaless) {
      if (protocol !== 'rest') problems.push(problem('schemalessNotRest', { iface }));
      if (schemaFile !== undefined) problems.push(problem('schemalessWithFile', { iface, file: schemaFile }));
      if (b.schemaType !== undefined && b.schemaType !== '') {
        problems.push(problem('schemaType', { iface, type: String(b.schemaType) }));
      }
      seen.functions.push({ name: iface, rpc: iface, fields: undefined });
      continue;
    }
    if (b.schemaType !== 'protobuf') {
      problems.push(problem('schemaType', { iface, type: String(b.schemaType ?? '') }));
    }
    if (schemaFile === undefined) {
      problems.push(problem('noSchemaFile', { iface }));
      continue;
    }
    if (!byName.has(`schemas/${schemaFile}`)) {
      problems.push(problem('schemaMissing', { iface, file: `schemas/${schemaFile}` }));
      continue;
    }
    // Too big or damaged to read here: the server judges it; its functions are then unknown beforehand.
    const source = protos[schemaFile] ?? schemaText(schemaFile);
    if (source === undefined) continue;
    const reading = readProto(source, protos);
    if (!reading.ok) {
      problems.push(problem('protoSyntax', { file: `schemas/${schemaFile}`, message: reading.message }));
      continue;
    }
    for (const path of reading.imports) {
      if (protos[path] === undefined && !isProvidedImport(path)) {
        problems.push(problem('importMissing', { file: `schemas/${schemaFile}`, path: `schemas/${path}` }));
      }
    }
    const aliases = new Map(
      (Array.isArray(b.functions) ? b.functions : []).map((alias) => [alias.serviceName, alias.name]),
    );
    seen.functions = reading.rpcs.map((rpc) => ({
      name: aliases.get(rpc.name) ?? rpc.name,
      rpc: rpc.name,
      fields: rpc.fields,
    }));
  }
  return result;
}

/** eKuiper `url.Parse`s the address and dials its host: it needs a scheme and a host. */
function addressParses(address: string): boolean {
  try {
    const url = new URL(address);
    return url.host !== '';
  } catch {
    return false;
  }
}
