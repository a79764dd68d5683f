import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import protobuf from 'protobufjs';
import { hostMessage } from '../../shared/host-messages.js';
import { HOST_PROTOS } from './google-api-protos.js';

/** How an rpc is reached over HTTP, from its `google.api.http` option (eKuiper's `httpOptions`). */
export interface HttpRule {
  /** `GET`, `PUT`, `POST`, `DELETE` or `PATCH`. */
  method: string;
  /** The path template as written (`/v1/shelves/{shelf}/books`). */
  path: string;
  /** `*` (the whole message), `` (no body) or the name of the field sent as the body. */
  body: string;
}

/** One rpc a service's proto offers, with what a caller needs to reach it. */
export interface ProtoRpc {
  name: string;
  service: protobuf.Service;
  method: protobuf.Method;
  /** Absent: eKuiper's default REST mapping, `POST <address>/<rpc>` with the whole message as JSON. */
  http?: HttpRule;
}

/** A parsed schema file: its types and the rpcs of the services it declares itself (not those it imports). */
export interface ProtoSchema {
  /**
   * Everything the file and its imports define. Loaded with `keepCase`, so field names are the proto's own
   * (`base64_img`), as eKuiper's descriptors hold them; JSON names are on each field's `json_name` option or
   * are the lowerCamelCase of the name.
   */
  root: protobuf.Root;
  services: protobuf.Service[];
  rpcs: ProtoRpc[];
}

/** Where a schema import is found: the file on disk a service brought, or undefined when it brought none. */
export type SchemaFileLookup = (importPath: string) => string | undefined;

/** Largest proto file read: far above any hand-written schema, small enough to parse on the main thread. */
const PROTO_FILE_LIMIT = 4 * 1024 * 1024;

/** protobufjs's pre-parsed copies of the descriptor protos, which `google/api/annotations.proto` extends. */
const PACKAGED_GOOGLE_PROTOS = new Set([
  'google/protobuf/descriptor.proto',
  'google/protobuf/api.proto',
  'google/protobuf/type.proto',
  'google/protobuf/source_context.proto',
]);

/** A relative path inside the schemas folder, normalised, or undefined when it would leave the folder. */
export function schemaPathInside(path: string): string | undefined {
  if (path === '' || path.includes('\\') || path.includes('\0') || posix.isAbsolute(path)) return undefined;
  if (/^[a-zA-Z]:/.test(path)) return undefined;
  const normal = posix.normalize(path);
  if (normal === '.' || normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

/**
 * Parses a service's schema file as eKuiper does (`protoparse` with the service's `schemas/` folder as the only
 * import path, `google/protobuf/*` built in), plus the host's `google/api` protos, then checks every
 * `google.api.http` rule as eKuiper's `parseHttpOptions` does. Files are read only through `lookup` (never by a
 * path the proto writes), and errors name files by their import path, never by where they sit on disk.
 */
export async function loadProtoSchema(schemaFile: string, lookup: SchemaFileLookup): Promise<ProtoSchema> {
  const root = new protobuf.Root();
  const mainFile = schemaPathInside(schemaFile) ?? schemaFile;
  root.resolvePath = (_origin, target) => {
    // protoparse resolves every import against the import path, not against the importing file.
    if (PACKAGED_GOOGLE_PROTOS.has(target)) return target;
    return schemaPathInside(target) ?? `\0outside:${target}`;
  };
  root.fetch = ((filename: string, callback: (error: Error | null, source?: string) => void) => {
    readSchemaFile(filename, lookup).then(
      (source) => callback(null, source),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }) as typeof root.fetch;
  await root.load(mainFile, { keepCase: true });
  root.resolveAll();

  const services = declaredServices(root, mainFile);
  const rpcs: ProtoRpc[] = [];
  for (const service of services) {
    for (const method of service.methodsArray) {
      method.resolve();
      const http = httpRule(method);
      rpcs.push(
        http === undefined
          ? { name: method.name, service, method }
          : { name: method.name, service, method, http },
      );
    }
  }
  return { root, services, rpcs };
}

/** The text of one schema file: the service's own, the host's `google/api` protos, or protobufjs's copies. */
async function readSchemaFile(filename: string, lookup: SchemaFileLookup): Promise<string> {
  if (filename.startsWith('\0outside:')) {
    throw new Error(hostMessage('serviceImportOutside', { file: filename.slice('\0outside:'.length) }));
  }
  const own = lookup(filename);
  if (own !== undefined) {
    const info = await stat(own);
    if (info.size > PROTO_FILE_LIMIT) {
      throw new Error(hostMessage('serviceProtoTooLarge', { file: filename, bytes: info.size }));
    }
    return readFile(own, 'utf8');
  }
  const hostCopy = HOST_PROTOS.get(filename);
  if (hostCopy !== undefined) return hostCopy;
  if (PACKAGED_GOOGLE_PROTOS.has(filename)) {
    const require = createRequire(import.meta.url);
    return readFile(require.resolve(`protobufjs/${filename.replace(/\.proto$/, '.json')}`), 'utf8');
  }
  throw new Error(hostMessage('serviceImportMissing', { file: filename }));
}

/** The services the schema file itself declares, in the order it declares them (eKuiper's `fds[0].GetServices()`). */
function declaredServices(root: protobuf.Root, mainFile: string): protobuf.Service[] {
  const found: protobuf.Service[] = [];
  const visit = (namespace: protobuf.NamespaceBase): void => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Service) {
        if (nested.filename === mainFile) found.push(nested);
      } else if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) {
        visit(nested);
      }
    }
  };
  visit(root);
  return found;
}

const HTTP_VERBS: Readonly<Record<string, string>> = {
  get: 'GET',
  put: 'PUT',
  delete: 'DELETE',
  post: 'POST',
  patch: 'PATCH',
};

/**
 * An rpc's `google.api.http` rule, checked with eKuiper's rules and texts (`schemaHttp.go`): only the five verbs
 * and `body`, string values, path variables `{field}` or `{field=prefix*}` naming top-level fields of the
 * request, and a body that is `*`, empty or a top-level field.
 */
function httpRule(method: protobuf.Method): HttpRule | undefined {
  const option = method.parsedOptions
    ?.map((parsed) => (parsed as Record<string, unknown>)['(google.api.http)'])
    .find((value) => value !== undefined);
  if (option === undefined) return undefined;
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    throw new Error(`invalid http option for method ${method.name} in proto`);
  }
  let verb = '';
  let path = '';
  let body = '';
  for (const [name, value] of Object.entries(option as Record<string, unknown>)) {
    const isVerb = Object.hasOwn(HTTP_VERBS, name);
    if (!isVerb && name !== 'body') throw new Error(`unsupported option ${name}`);
    if (typeof value !== 'string') throw new Error(`invalid type for ${name} option, string required`);
    if (isVerb) {
      verb = HTTP_VERBS[name]!;
      path = value;
    } else {
      body = value;
    }
  }
  if (verb === '') throw new Error(hostMessage('serviceHttpRuleNoVerb', { rpc: method.name }));
  checkPathTemplate(method, path, body);
  return { method: verb, path, body };
}

function checkPathTemplate(method: protobuf.Method, path: string, body: string): void {
  const fields = new Set(method.resolvedRequestType?.fieldsArray.map((field) => field.name) ?? []);
  for (const match of path.matchAll(/\{(.*?)\}/g)) {
    const parts = match[1]!.split('=');
    let name = parts[0]!;
    if (parts.length === 2) {
      if (!parts[1]!.endsWith('*')) throw new Error(`invalid uri ${path} in http option`);
    } else if (parts.length !== 1) {
      throw new Error(`invalid uri ${path} in http option`);
    } else {
      name = match[1]!;
    }
    if (!fields.has(name)) throw new Error(`invalid uri ${path} in http option, ${name} field not found`);
  }
  if (body !== '*' && body !== '' && !fields.has(body))
    throw new Error(`invalid body ${body}, field not found`);
}
