import { hostMessage, type HostMessageKey } from '../../shared/host-messages.js';
import { validateId } from '../../shared/plugin-names.js';
import {
  SERVICE_PROTOCOLS,
  type LocalizedText,
  type ServiceAbout,
  type ServiceFunctionAlias,
  type ServiceInterfaceDescriptor,
  type ServiceProtocol,
  type RestServiceOptions,
} from '../../shared/service-dto.js';
import { PluginError } from '../plugins/plugin-error.js';
import { schemaPathInside } from './service-schema.js';

/** A descriptor that passed every check, with eKuiper's defaults filled in. */
export interface ValidDescriptor {
  about: ServiceAbout | null;
  /** In the descriptor's order. */
  interfaces: Array<{ name: string; binding: Required<ServiceInterfaceDescriptor> }>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Go's duration syntax (`300ms`, `1.5s`, `1m30s`), which eKuiper's `retryInterval` is parsed with. */
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;

/**
 * Reads `<name>.json` and checks it before anything is installed: eKuiper's own rules with its texts
 * (schemaType, schemaless and schemaFile), and what eKuiper leaves to fail at a rule's run time — the protocol,
 * the address for that protocol, the REST options, names that become SQL functions — with messages saying what
 * to write instead. Every refusal starts with eKuiper's `parse services file <file> failed: `.
 */
export function parseServiceDescriptor(fileName: string, text: string): ValidDescriptor {
  const failed = (message: string): PluginError =>
    new PluginError(`parse services file ${fileName} failed: ${message}`);
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw failed(error instanceof Error ? error.message : String(error));
  }
  if (!isObject(value)) throw failed(hostMessage('serviceDescriptorNotObject'));
  const interfaces = value.interfaces;
  if (interfaces !== undefined && interfaces !== null && !isObject(interfaces)) {
    throw failed(hostMessage('serviceDescriptorNotObject'));
  }
  const entries = Object.entries(interfaces ?? {});
  if (entries.length === 0) throw failed(hostMessage('serviceNoInterfaces'));
  const result: ValidDescriptor = { about: readAbout(value.about, failed), interfaces: [] };
  for (const [name, raw] of entries) {
    try {
      result.interfaces.push({ name, binding: readBinding(name, raw) });
    } catch (error) {
      // eKuiper's schema refusals (`Fail to parse schema file …`) are not descriptor parse failures.
      if (error instanceof PluginError) throw error;
      throw failed(error instanceof Error ? error.message : String(error));
    }
  }
  return result;
}

function readAbout(raw: unknown, failed: (message: string) => PluginError): ServiceAbout | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw failed(hostMessage('serviceFieldType', { field: 'about', type: 'object' }));
  const author = raw.author;
  let parsedAuthor: ServiceAbout['author'] = null;
  if (isObject(author)) {
    parsedAuthor = {
      name: textField(author.name),
      email: textField(author.email),
      company: textField(author.company),
      website: textField(author.website),
    };
  }
  return { author: parsedAuthor, helpUrl: localized(raw.helpUrl), description: localized(raw.description) };
}

const textField = (value: unknown): string => (typeof value === 'string' ? value : '');

function localized(raw: unknown): LocalizedText | null {
  if (!isObject(raw)) return null;
  return { en_US: textField(raw.en_US), zh_CN: textField(raw.zh_CN) };
}

/** One interface: every field's type, then eKuiper's schema rules, then the host's checks. */
function readBinding(iface: string, raw: unknown): Required<ServiceInterfaceDescriptor> {
  const problem: Problem = (key, params = {}) =>
    new Error(
      `interface ${iface}: ${(hostMessage as (key: HostMessageKey, params?: object) => string)(key, params)}`,
    );
  if (!isObject(raw)) throw problem('serviceFieldType', { field: iface, type: 'object' });
  const text = (field: string): string => {
    const value = raw[field];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw problem('serviceFieldType', { field, type: 'string' });
    return value;
  };
  const address = text('address');
  const protocol = text('protocol');
  const schemaType = text('schemaType');
  const schemaFile = text('schemaFile');
  const schemaless = raw.schemaless ?? false;
  if (typeof schemaless !== 'boolean')
    throw problem('serviceFieldType', { field: 'schemaless', type: 'boolean' });

  if (!(SERVICE_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw problem('serviceProtocolUnknown', { protocol });
  }
  checkAddress(address, protocol as ServiceProtocol, problem);

  // eKuiper's `parse` (schema.go), with its texts.
  const schemaProblem = (message: string): PluginError =>
    new PluginError(`Fail to parse schema file ${schemaFile}: ${message}`);
  if (schemaType === '') {
    if (!schemaless)
      throw schemaProblem(`unsupported schema  for schema type: ${hostMessage('serviceSchemaTypeMissing')}`);
    if (schemaFile !== '') throw schemaProblem('schemaless type does not support schema files');
    if (protocol !== 'rest') throw problem('serviceSchemalessRestOnly', { protocol });
    const nameProblem = validateId(iface);
    if (nameProblem !== undefined)
      throw problem('serviceFunctionNameInvalid', { name: iface, problem: nameProblem });
  } else if (schemaType === 'protobuf') {
    if (schemaless) throw schemaProblem('unsupported schema protobuf for schemaless type');
    if (schemaFile === '') throw problem('serviceSchemaFileMissing');
    if (schemaPathInside(schemaFile) === undefined)
      throw problem('serviceSchemaFileOutside', { file: schemaFile });
  } else {
    throw schemaProblem(`unsupported schema ${schemaType}`);
  }

  return {
    address,
    protocol: protocol as ServiceProtocol,
    schemaType: schemaType,
    schemaFile,
    schemaless,
    description: localized(raw.description),
    functions: readAliases(raw.functions, schemaless, problem),
    options: readOptions(raw.options, protocol as ServiceProtocol, problem),
  };
}

/** A refusal of one interface, from a catalog message. */
type Problem = (key: HostMessageKey, params?: Record<string, string | number>) => Error;

/**
 * The address must suit its protocol: eKuiper parses it only when a rule first calls the function, so a typo
 * would otherwise surface at run time. REST: `http(s)://host[:port][/base]`. gRPC and msgpack-rpc dial
 * `host:port` (`tcp://host:port`), with no path.
 */
function checkAddress(address: string, protocol: ServiceProtocol, problem: Problem): void {
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch {
    url = undefined;
  }
  if (protocol === 'rest') {
    const ok =
      url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    if (!ok) throw problem('serviceAddressRest', { address });
    return;
  }
  // msgpack-rpc dials with the scheme as Go's network name (`net.Dial("tcp", host)`); gRPC reads only the host,
  // so any scheme passes there, as in eKuiper. Both need an explicit port: nothing defaults one.
  const network = url?.protocol.slice(0, -1) ?? '';
  const tcp = protocol === 'msgpack-rpc' ? ['tcp', 'tcp4', 'tcp6'].includes(network) : network !== '';
  const port = url?.port ?? '';
  if (
    url === undefined ||
    !tcp ||
    url.hostname === '' ||
    port === '' ||
    url.pathname.replace(/^\/$/, '') !== ''
  ) {
    throw problem('serviceAddressTcp', { protocol, address });
  }
}

function readAliases(raw: unknown, schemaless: boolean, problem: Problem): ServiceFunctionAlias[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw problem('serviceFieldType', { field: 'functions', type: 'array' });
  if (raw.length > 0 && schemaless) throw problem('serviceAliasSchemaless');
  return raw.map((entry: unknown) => {
    if (
      !isObject(entry) ||
      typeof entry.name !== 'string' ||
      typeof entry.serviceName !== 'string' ||
      entry.serviceName === ''
    ) {
      throw problem('serviceAliasIncomplete');
    }
    const nameProblem = validateId(entry.name);
    if (nameProblem !== undefined)
      throw problem('serviceFunctionNameInvalid', { name: entry.name, problem: nameProblem });
    const alias: ServiceFunctionAlias = { name: entry.name, serviceName: entry.serviceName };
    const description = localized(entry.description);
    if (description !== null) alias.description = description;
    return alias;
  });
}

/** REST options have types eKuiper only checks at run time; other protocols' options are kept as written. */
function readOptions(raw: unknown, protocol: ServiceProtocol, problem: Problem): RestServiceOptions | null {
  if (raw === undefined || raw === null) return null;
  if (!isObject(raw)) throw problem('serviceFieldType', { field: 'options', type: 'object' });
  if (protocol !== 'rest') return raw;
  const option = (name: string, type: string, ok: (value: unknown) => boolean): void => {
    const value = raw[name];
    if (value !== undefined && value !== null && !ok(value)) {
      throw problem('serviceFieldType', { field: `options.${name}`, type });
    }
  };
  option('insecureSkipVerify', 'boolean', (value) => typeof value === 'boolean');
  option(
    'headers',
    'object of strings',
    (value) => isObject(value) && Object.values(value).every((item) => typeof item === 'string'),
  );
  option('retryCount', 'integer >= 0', (value) => Number.isInteger(value) && (value as number) >= 0);
  option(
    'retryInterval',
    'Go duration ("500ms", "1s")',
    (value) => typeof value === 'string' && GO_DURATION.test(value),
  );
  return raw;
}
