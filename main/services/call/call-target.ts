import type { Root, Service } from 'protobufjs';
import type { ResolvedServiceFunction } from '../service-manager.js';
import type { HttpRule } from '../service-schema.js';

/** eKuiper's fixed timeout for a service call (`interfaceOpt.timeout`), not configurable per service. */
export const SERVICE_CALL_TIMEOUT_MS = 5000;

/** eKuiper's `restOption`, read from the interface's `options` (REST only). */
export interface ServiceCallOptions {
  headers?: Record<string, string>;
  insecureSkipVerify?: boolean;
  /** How many times to try in all; below 1 means once. */
  retryCount?: number;
  /** A Go duration (`1s`, `500ms`) waited between tries. */
  retryInterval?: string;
}

/**
 * Everything needed to call one service function, resolved from the service's descriptor and proto: what the
 * services manager knows about the function, without its bookkeeping.
 */
export interface ServiceCallTarget {
  protocol: string;
  /** The interface's `address`: `http(s)://host:port[/base]` for REST, `tcp://host:port` for gRPC. */
  address: string;
  options?: ServiceCallOptions | null;
  /** REST without a proto: the SQL call is `iface("post", "/path", args…)`. */
  schemaless: boolean;
  /** The rpc called (the proto's name, not the SQL alias); the interface's name when schemaless. */
  rpcName: string;
  /** The proto service that declares the rpc (resolved types), when the interface has a proto. */
  protoService?: Service;
  /** The proto's root, when the interface has a proto. */
  schemaRoot?: Root;
  /** The rpc's `google.api.http` rule, as the services manager read it; absent: `POST <address>/<rpc>`. */
  httpRule?: HttpRule;
}

/** Settings of the invoker itself; tests shorten the timeout, the route keeps eKuiper's. */
export interface ServiceCallSettings {
  timeoutMs?: number;
}

/** The call target of a function the services manager resolved: its interface's binding and its proto. */
export function callTargetOf(resolved: ResolvedServiceFunction): ServiceCallTarget {
  const { binding } = resolved;
  return {
    protocol: binding.protocol,
    address: binding.address,
    options: binding.options,
    schemaless: binding.schemaless,
    rpcName: resolved.rpcName,
    ...(resolved.protoService === undefined ? {} : { protoService: resolved.protoService }),
    ...(resolved.schemaRoot === undefined ? {} : { schemaRoot: resolved.schemaRoot }),
    ...(resolved.httpRule === undefined ? {} : { httpRule: resolved.httpRule }),
  };
}
