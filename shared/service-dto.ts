/**
 * eKuiper's external services (`/services`), shared by the host that answers them and the window that shows them,
 * so the two cannot drift apart. Two families of types live here:
 *
 * - the **descriptor** a service zip carries as `<name>.json` (eKuiper's `conf`/`binding` structs, lower-case
 *   JSON keys), which the host validates and a form in the window can build;
 * - eKuiper's **answers**, whose outer structs have no JSON tags and so come out with capitalised keys
 *   (`About`, `Interfaces`, `Desc`, `Addr`, … and `FuncName`, `ServiceName`, …). Clients written for eKuiper read
 *   those keys, so the host answers them byte for byte.
 */

/** The three protocols eKuiper can call a service with. */
export const SERVICE_PROTOCOLS = ['rest', 'grpc', 'msgpack-rpc'] as const;
export type ServiceProtocol = (typeof SERVICE_PROTOCOLS)[number];

/** eKuiper's `fileLanguage`: a text in English and Chinese. */
export interface LocalizedText {
  en_US: string;
  zh_CN: string;
}

/** eKuiper's `author`. */
export interface ServiceAuthor {
  name: string;
  email: string;
  company: string;
  website: string;
}

/** eKuiper's `about`: shown by describe; every part may be missing (`null` in answers). */
export interface ServiceAbout {
  author: ServiceAuthor | null;
  helpUrl: LocalizedText | null;
  description: LocalizedText | null;
}

/** One entry of `functions[]`: the rpc `serviceName` is called `name` in SQL. */
export interface ServiceFunctionAlias {
  name: string;
  serviceName: string;
  description?: LocalizedText | null;
}

/** eKuiper's `restOption` (REST interfaces only); other keys are kept as they are and answered back. */
export interface RestServiceOptions {
  insecureSkipVerify?: boolean;
  headers?: Record<string, string>;
  retryCount?: number;
  /** A Go duration (`1s`, `500ms`). */
  retryInterval?: string;
  [key: string]: unknown;
}

/** eKuiper's `binding`: one interface of a service, as the descriptor writes it. */
export interface ServiceInterfaceDescriptor {
  /** `http(s)://host[:port][/base]` for REST, `tcp://host:port` for gRPC and msgpack-rpc. */
  address: string;
  protocol: ServiceProtocol;
  /** `protobuf`, or empty with `schemaless: true`. */
  schemaType?: 'protobuf' | '';
  /** Relative to the service's `schemas/` folder; empty when schemaless. */
  schemaFile?: string;
  /** REST only: no proto; the SQL function is the interface's name, called `iface("post", "/path", args…)`. */
  schemaless?: boolean;
  description?: LocalizedText | null;
  functions?: ServiceFunctionAlias[] | null;
  options?: RestServiceOptions | null;
}

/** The whole `<name>.json` of a service zip (eKuiper's `conf`). */
export interface ServiceDescriptor {
  about?: Partial<ServiceAbout> | null;
  interfaces: Record<string, ServiceInterfaceDescriptor>;
}

/** `POST /services` and `PUT /services/{name}` body (eKuiper's `ServiceCreationRequest`); also the install script. */
export interface ServiceCreationRequest {
  name: string;
  /** `http(s)://…` or `file:///…` URL of the service zip. */
  file: string;
}

// ---- eKuiper's answers (capitalised keys) ----------------------------------------------------------------

/** eKuiper's `schemaInfo`. */
export interface ServiceSchemaInfo {
  SchemaType: 'protobuf' | '';
  SchemaFile: string;
  Schemaless: boolean;
}

/** eKuiper's `interfaceInfo`: one interface as `GET /services/{name}` answers it. */
export interface ServiceInterfaceInfo {
  Desc: LocalizedText | null;
  Addr: string;
  Protocol: ServiceProtocol;
  Schema: ServiceSchemaInfo;
  /** The SQL names of the interface's functions (aliases applied); `[interfaceName]` when schemaless. */
  Functions: string[];
  /** The descriptor's `options`, raw. */
  Options: Record<string, unknown> | null;
}

/** `GET /services/{name}` (eKuiper's `serviceInfo`). */
export interface ServiceInfo {
  About: ServiceAbout | null;
  Interfaces: Record<string, ServiceInterfaceInfo>;
}

/**
 * One SQL function a service provides (eKuiper's `functionContainer`): `GET /services/functions` answers an
 * array of these, `GET /services/functions/{name}` one. Schemaless: `FuncName = InterfaceName = MethodName`.
 */
export interface ServiceFunctionContainer {
  FuncName: string;
  ServiceName: string;
  InterfaceName: string;
  Addr: string;
  /** The rpc called (the proto name, not the alias). */
  MethodName: string;
}
