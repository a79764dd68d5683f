/**
 * What the service-call tests run against: a proto loaded by the services manager's own loader, a real
 * REST service (node:http) that records what it received and answers as each test scripts it, and a real gRPC
 * service (@grpc/grpc-js) implementing the same proto.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { Message, Root, Service } from 'protobufjs';
import { loadProtoSchema, type HttpRule } from '../../../main/services/service-schema.js';
import { closeServer, listenOnLoopback, readBody } from '../../support/stand-in-server.js';

/** The proto the tests call: plain rpcs, wrappers, 64-bit integers, a json_name, and google.api.http rules. */
export const DEMO_PROTO = `syntax = "proto3";
package demo;
import "google/api/annotations.proto";
import "google/protobuf/empty.proto";
import "google/protobuf/wrappers.proto";

service Greeter {
  rpc SayHello(HelloRequest) returns (HelloReply) {}
  rpc Compute(ComputeRequest) returns (ComputeReply) {}
  rpc Echo(google.protobuf.StringValue) returns (google.protobuf.StringValue) {}
  rpc Status(google.protobuf.Empty) returns (google.protobuf.BoolValue) {}
  rpc GetBook(GetBookRequest) returns (Book) {
    option (google.api.http) = { get: "/v1/shelves/{shelf}/books/{book_id}" };
  }
  rpc CreateBook(CreateBookRequest) returns (Book) {
    option (google.api.http) = { post: "/v1/shelves/{shelf}/books" body: "*" };
  }
  rpc ListBooks(ListBooksRequest) returns (ListBooksReply) {
    option (google.api.http) = { get: "/v1/shelves/{shelf}/books" };
  }
  rpc AddBook(AddBookRequest) returns (Book) {
    option (google.api.http) = { put: "/v1/shelves/{shelf}/books" body: "book" };
  }
  rpc GetMessage(GetMessageRequest) returns (Book) {
    option (google.api.http) = { get: "/v1/{name=messages/*}" };
  }
}

message HelloRequest { string name = 1; }
message HelloReply { string message = 1; }
message ComputeRequest {
  int64 big_id = 1;
  int32 count = 2;
  string label = 3 [json_name = "the_label"];
  bool flag = 4;
}
message ComputeReply {
  int64 big_id = 1;
  int32 doubled = 2;
  string label = 3;
  repeated double values = 4;
  map<string, string> tags = 5;
}
message Book { int64 id = 1; string author_name = 2; string title = 3; }
message GetBookRequest { int64 shelf = 1; int64 book_id = 2; }
message CreateBookRequest { int64 shelf = 1; string author_name = 2; string title = 3; }
message ListBooksRequest { int64 shelf = 1; int32 page_size = 2; string filter = 3; }
message ListBooksReply { repeated Book books = 1; }
message AddBookRequest { int64 shelf = 1; Book book = 2; string note = 3; }
message GetMessageRequest { string name = 1; }
`;

/** A loaded proto: its Greeter service, and the rules the services manager read, by rpc. */
export interface LoadedProto {
  root: Root;
  service: Service;
  httpRules: Map<string, HttpRule>;
}

/** A proto loaded by the services manager's own loader, from a schemas folder holding only it. */
export async function loadProto(text: string): Promise<LoadedProto> {
  const folder = await mkdtemp(join(tmpdir(), 'svc-call-proto-'));
  try {
    await writeFile(join(folder, 'demo.proto'), text);
    const schema = await loadProtoSchema('demo.proto', (file) =>
      file === 'demo.proto' ? join(folder, file) : undefined,
    );
    const httpRules = new Map<string, HttpRule>();
    for (const rpc of schema.rpcs) if (rpc.http !== undefined) httpRules.set(rpc.name, rpc.http);
    return { root: schema.root, service: schema.services[0]!, httpRules };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** What the REST stand-in received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the REST stand-in answers one request; `hang` never answers. */
export type Answer = { status?: number; type?: string | null; body?: string } | 'hang';

export interface RestStandIn {
  url: string;
  received: ReceivedRequest[];
  /** Answers requests for `path` (without query) this way from now on; a list is used one entry per request. */
  answer(path: string, ...answers: Answer[]): void;
  close(): Promise<void>;
}

function write(response: ServerResponse, answer: Exclude<Answer, 'hang'>): void {
  const headers: Record<string, string> = {};
  if (answer.type !== null) headers['content-type'] = answer.type ?? 'application/json';
  response.writeHead(answer.status ?? 200, headers);
  response.end(answer.body ?? '');
}

/** A REST service on loopback that records each request and answers as scripted (404 for unscripted paths). */
export async function startRestStandIn(): Promise<RestStandIn> {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, Answer[]>();
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const path = (request.url ?? '').split('?')[0]!;
      const script = scripts.get(path);
      if (script === undefined || script.length === 0) {
        write(response, { status: 404, type: 'text/plain', body: `no route ${path}` });
        return;
      }
      const answer = script.length > 1 ? script.shift()! : script[0]!;
      if (answer !== 'hang') write(response, answer);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (path, ...answers) => scripts.set(path, answers),
    close: () => closeServer(server),
  };
}

export interface GrpcStandIn {
  address: string;
  /** The requests it decoded, in protobufjs's object form with 64-bit integers as strings. */
  received: Record<string, unknown>[];
  close(): Promise<void>;
}

type Handler = (request: Record<string, unknown>) => Record<string, unknown> | grpc.ServiceError;

function grpcError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/** The Greeter rpcs the gRPC stand-in implements. */
const HANDLERS: Record<string, Handler> = {
  SayHello: (request) => ({ message: `Hello ${String(request.name)}` }),
  Compute: (request) => ({
    big_id: String(request.big_id),
    doubled: Number(request.count) * 2,
    label: request.label,
    values: [1.5, 2.5],
    tags: { unit: 'm' },
  }),
  Echo: (request) => ({ value: `echo ${String(request.value)}` }),
  Status: () => ({ value: true }),
  GetBook: (request) => grpcError(grpc.status.NOT_FOUND, `book ${String(request.book_id)} not found`),
};

/** A gRPC service on loopback implementing the proto's Greeter from the same protobufjs types. */
export async function startGrpcStandIn(service: Service): Promise<GrpcStandIn> {
  const received: Record<string, unknown>[] = [];
  const definition: Record<string, grpc.MethodDefinition<Message, Message>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const requestType = method.resolvedRequestType!;
    const replyType = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${service.fullName.slice(1)}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: Message) => Buffer.from(requestType.encode(value).finish()),
      requestDeserialize: (bytes: Buffer) => requestType.decode(bytes),
      responseSerialize: (value: Message) => Buffer.from(replyType.encode(value).finish()),
      responseDeserialize: (bytes: Buffer) => replyType.decode(bytes),
      originalName: method.name,
    };
    implementation[method.name] = (
      call: grpc.ServerUnaryCall<Message, Message>,
      callback: grpc.sendUnaryData<Message>,
    ) => {
      const request = requestType.toObject(call.request, { longs: String, defaults: true });
      received.push(request);
      const answer = HANDLERS[method.name]?.(request) ?? grpcError(grpc.status.UNIMPLEMENTED, method.name);
      if (answer instanceof Error) callback(answer);
      else callback(null, replyType.fromObject(answer));
    };
  }
  const server = new grpc.Server();
  server.addService(definition, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return {
    address: `tcp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await closeServer(server);
  return port;
}
