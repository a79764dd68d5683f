import * as grpc from '@grpc/grpc-js';
import type { Message, Method, Service } from 'protobufjs';
import { hostMessage } from '../../../shared/host-messages.js';
import type { ServiceCallRequestView, ServiceCallResponseView } from '../../../shared/service-call-dto.js';
import { ServiceCallError } from './call-failure.js';
import { bodyView, maskedHeaders } from './exchange-view.js';
import { argsToMessage, decodeReply, toProtoJson, typeName, type MessageValue } from './proto-values.js';

/** What a gRPC call produced: the exchange as shown, and the result or the failure. */
export interface GrpcExchange {
  request: ServiceCallRequestView;
  response?: ServiceCallResponseView;
  result?: unknown;
  error?: ServiceCallError;
}

/** protobufjs's object form: 64-bit integers as strings, bytes in base64, enums as numbers. */
const OBJECT_FORM = { longs: String, bytes: String, enums: Number, defaults: true, arrays: true } as const;

/** eKuiper dials `url.Parse(address).Host`: `tcp://host:port` gives `host:port`. */
function grpcTarget(address: string): string {
  let host = '';
  try {
    host = new URL(address).host;
  } catch {
    // reported below
  }
  if (host === '') throw new ServiceCallError(hostMessage('svcCallGrpcAddress', { address }));
  return host;
}

function metadataHeaders(metadata: grpc.Metadata | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(metadata?.getMap() ?? {})) {
    headers[name] = Buffer.isBuffer(values) ? values.toString('base64') : String(values);
  }
  return maskedHeaders(headers);
}

function statusName(code: number): string {
  return grpc.status[code] ?? String(code);
}

/** A failed call in plain words: refused and timed-out calls read as for REST, others give the status. */
function grpcFailure(error: grpc.ServiceError, target: string, timeoutMs: number): ServiceCallError {
  const port = target.slice(target.lastIndexOf(':') + 1);
  if (error.code === grpc.status.DEADLINE_EXCEEDED) {
    return new ServiceCallError(hostMessage('svcCallTimedOut', { where: target, seconds: timeoutMs / 1000 }));
  }
  if (error.code === grpc.status.UNAVAILABLE && /ECONNREFUSED/.test(error.details)) {
    return new ServiceCallError(hostMessage('svcCallRefused', { where: target, port }));
  }
  return new ServiceCallError(
    hostMessage('svcCallGrpcStatus', {
      where: target,
      status: statusName(error.code),
      details: error.details,
    }),
  );
}

/**
 * Calls an rpc over gRPC as eKuiper's `grpcExecutor` does: plaintext (no TLS), the arguments mapped onto the
 * request message with the same rules as REST, one deadline for connecting and answering, no retries; the reply
 * is read as eKuiper's `DecodeMessage` reads it. The client is built from the protobufjs types with grpc-js's
 * generic constructor, so no generated code is needed.
 */
export async function callGrpc(
  service: Service,
  method: Method,
  address: string,
  args: unknown[],
  timeoutMs: number,
): Promise<GrpcExchange> {
  const target = grpcTarget(address);
  const requestType = method.resolvedRequestType!;
  const replyType = method.resolvedResponseType!;
  const path = `/${typeName(service)}/${method.name}`;
  const message = argsToMessage(method.name, requestType, args);
  const request: ServiceCallRequestView = {
    method: 'POST',
    url: `grpc://${target}${path}`,
    headers: { 'content-type': 'application/grpc' },
    body: JSON.stringify(toProtoJson(requestType, message)),
  };
  const Client = grpc.makeGenericClientConstructor(
    {
      [method.name]: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: (value: MessageValue) =>
          Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
        requestDeserialize: (bytes: Buffer) => requestType.decode(bytes),
        responseSerialize: (value: Message) => Buffer.from(replyType.encode(value).finish()),
        responseDeserialize: (bytes: Buffer) => replyType.decode(bytes),
      },
    },
    service.name,
  );
  const client = new Client(target, grpc.credentials.createInsecure());
  try {
    return await new Promise<GrpcExchange>((resolve) => {
      let metadata: grpc.Metadata | undefined;
      const unary = client[method.name] as unknown as (
        value: MessageValue,
        meta: grpc.Metadata,
        options: grpc.CallOptions,
        callback: (error: grpc.ServiceError | null, reply?: Message) => void,
      ) => grpc.ClientUnaryCall;
      const call = unary.call(
        client,
        message,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error, reply) => {
          if (error !== null) {
            const answered =
              error.code !== grpc.status.DEADLINE_EXCEEDED && error.code !== grpc.status.UNAVAILABLE;
            resolve({
              request,
              error: grpcFailure(error, target, timeoutMs),
              ...(answered
                ? {
                    response: {
                      status: error.code,
                      statusText: statusName(error.code),
                      headers: metadataHeaders(error.metadata),
                      ...bodyView(0, ''),
                    },
                  }
                : {}),
            });
            return;
          }
          const plain = replyType.toObject(reply!, OBJECT_FORM);
          const text = JSON.stringify(toProtoJson(replyType, plain));
          resolve({
            request,
            result: decodeReply(replyType, plain),
            response: {
              status: grpc.status.OK,
              statusText: 'OK',
              headers: metadataHeaders(metadata),
              ...bodyView(replyType.encode(reply!).finish().length, text),
            },
          });
        },
      );
      call.on('metadata', (received: grpc.Metadata) => (metadata = received));
    });
  } finally {
    client.close();
  }
}
