import { Namespace, parse, Root, Service, Type, type ReflectionObject } from 'protobufjs';

/** One rpc of a proto service, with its request message's fields in declaration order when they resolve. */
export interface ProtoRpc {
  name: string;
  /** Undefined when the request type lives in a file that is not at hand. */
  fields: string[] | undefined;
}

/** What one `.proto` file declares, or why it does not parse. */
export type ProtoReading = { ok: true; rpcs: ProtoRpc[]; imports: string[] } | { ok: false; message: string };

/** Imports every eKuiper (and this app's host) provides without the zip carrying them. */
export function isProvidedImport(path: string): boolean {
  return path.startsWith('google/protobuf/') || path.startsWith('google/api/');
}

function services(namespace: Namespace): Service[] {
  const found: Service[] = [];
  const visit = (object: ReflectionObject) => {
    if (object instanceof Service) found.push(object);
    if (object instanceof Namespace) object.nestedArray.forEach(visit);
  };
  namespace.nestedArray.forEach(visit);
  return found;
}

function requestFields(service: Service, requestType: string): string[] | undefined {
  try {
    const type = service.lookupType(requestType);
    return type instanceof Type ? type.fieldsArray.map((field) => field.name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a service's proto as eKuiper will, to list the functions it gives SQL before anything is uploaded:
 * every rpc of every `service`, with the request fields a call passes in order. `others` are the zip's other
 * protos (by path under `schemas/`): messages imported from them resolve too. Field names keep their case.
 */
export function readProto(text: string, others: Readonly<Record<string, string>> = {}): ProtoReading {
  let imports: string[];
  const root = new Root();
  let own: Service[];
  try {
    const parsed = parse(text, root, { keepCase: true, alternateCommentMode: true });
    imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
    own = services(root);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  // Imported messages, read into the same root so lookups find them; a file that does not parse is its own
  // problem, reported when it is a schema file, and leaves only its fields unknown here.
  for (const path of imports) {
    const source = others[path];
    if (source === undefined) continue;
    try {
      parse(source, root, { keepCase: true, alternateCommentMode: true });
    } catch {
      // see above
    }
  }
  const rpcs = own.flatMap((service) =>
    service.methodsArray.map((method) => ({
      name: method.name,
      fields: requestFields(service, method.requestType),
    })),
  );
  return { ok: true, rpcs, imports };
}
