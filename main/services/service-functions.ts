import { hostMessage } from '../../shared/host-messages.js';
import type {
  ServiceFunctionContainer,
  ServiceInfo,
  ServiceInterfaceDescriptor,
} from '../../shared/service-dto.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { parseServiceDescriptor, type ValidDescriptor } from './service-descriptor.js';
import { loadProtoSchema, type ProtoRpc, type ProtoSchema, type SchemaFileLookup } from './service-schema.js';

/** One SQL function of an interface: its name in SQL and the rpc it calls. */
export interface ServiceFunction {
  container: ServiceFunctionContainer;
  /** The proto's rpc; absent for a schemaless interface (its function is the interface). */
  rpc?: ProtoRpc;
}

/** One interface, ready to call: its descriptor entry, its parsed schema and its functions. */
export interface LoadedInterface {
  name: string;
  binding: Required<ServiceInterfaceDescriptor>;
  schema?: ProtoSchema;
  functions: ServiceFunction[];
}

/** A service whose descriptor and schemas all passed: what describe answers and what rules can call. */
export interface LoadedService {
  name: string;
  descriptor: ValidDescriptor;
  interfaces: LoadedInterface[];
}

/**
 * Reads a service as eKuiper's `initFile` does — descriptor, each interface's schema, the function mapping —
 * but refuses what eKuiper lets through: an alias naming an rpc the proto does not have (the list of rpcs is in
 * the message), a proto without rpcs, and a function name twice in one service.
 */
export async function loadService(
  name: string,
  descriptorText: string,
  lookup: SchemaFileLookup,
): Promise<LoadedService> {
  const descriptor = parseServiceDescriptor(`${name}.json`, descriptorText);
  const schemas = new Map<string, ProtoSchema>();
  const interfaces: LoadedInterface[] = [];
  const seen = new Map<string, string>();
  for (const { name: iface, binding } of descriptor.interfaces) {
    const loaded: LoadedInterface = { name: iface, binding, functions: [] };
    const container = (funcName: string, method: string): ServiceFunctionContainer => ({
      FuncName: funcName,
      ServiceName: name,
      InterfaceName: iface,
      Addr: binding.address,
      MethodName: method,
    });
    if (binding.schemaless) {
      loaded.functions.push({ container: container(iface, iface) });
    } else {
      const schema = await schemaOf(binding.schemaFile, schemas, lookup);
      loaded.schema = schema;
      const rpcNames = schema.rpcs.map((rpc) => rpc.name);
      const aliases = new Map<string, string>();
      for (const alias of binding.functions ?? []) {
        if (!rpcNames.includes(alias.serviceName)) {
          throw new PluginError(
            `interface ${iface}: ${hostMessage('serviceAliasUnknownRpc', {
              alias: alias.name,
              rpc: alias.serviceName,
              file: binding.schemaFile,
              rpcs: rpcNames.join(', '),
            })}`,
          );
        }
        aliases.set(alias.serviceName, alias.name);
      }
      for (const rpc of schema.rpcs) {
        loaded.functions.push({ container: container(aliases.get(rpc.name) ?? rpc.name, rpc.name), rpc });
      }
    }
    for (const fn of loaded.functions) {
      const other = seen.get(fn.container.FuncName);
      if (other !== undefined) {
        throw new PluginError(
          hostMessage('serviceFunctionTwice', { name: fn.container.FuncName, first: other, second: iface }),
        );
      }
      seen.set(fn.container.FuncName, iface);
    }
    interfaces.push(loaded);
  }
  return { name, descriptor, interfaces };
}

/** Each schema file is parsed once per service, however many interfaces use it (eKuiper's `reg`). */
async function schemaOf(
  file: string,
  schemas: Map<string, ProtoSchema>,
  lookup: SchemaFileLookup,
): Promise<ProtoSchema> {
  const known = schemas.get(file);
  if (known !== undefined) return known;
  const failed = (message: string): PluginError =>
    new PluginError(`Fail to parse schema file ${file}: ${message}`);
  if (lookup(file) === undefined) throw failed(hostMessage('serviceSchemaFileNotInZip', { file }));
  let schema: ProtoSchema;
  try {
    schema = await loadProtoSchema(file, lookup);
  } catch (error) {
    throw failed(errorText(error));
  }
  if (schema.rpcs.length === 0) throw failed(hostMessage('serviceProtoNoRpc', { file }));
  schemas.set(file, schema);
  return schema;
}

/**
 * `GET /services/{name}` in eKuiper's shape (`serviceInfo`, capitalised keys, its field order). `Interfaces` and
 * `Options` are Go maps, which `json.Marshal` writes with sorted keys, nested maps included.
 */
export function serviceInfo(service: LoadedService): ServiceInfo {
  const info: ServiceInfo = { About: service.descriptor.about, Interfaces: {} };
  const byName = [...service.interfaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const iface of byName) {
    const { binding } = iface;
    info.Interfaces[iface.name] = {
      Desc: binding.description,
      Addr: binding.address,
      Protocol: binding.protocol,
      Schema: {
        SchemaType: binding.schemaType,
        SchemaFile: binding.schemaFile,
        Schemaless: binding.schemaless,
      },
      Functions: iface.functions.map((fn) => fn.container.FuncName),
      Options: binding.options === null ? null : (sortedKeys(binding.options) as Record<string, unknown>),
    };
  }
  return info;
}

/** A JSON value with every object's keys in code-point order, as Go writes a `map[string]interface{}`. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
