import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostMessage } from '../../../shared/host-messages.js';
import type { ServiceCallOutcome } from '../../../shared/service-call-dto.js';
import { fileUrl, startTestHost, type TestHost } from '../../support/host-harness.js';
import { expectError, zipFolder } from '../../rest/rest-helpers.js';
import { expectCreated, writeServiceZip } from '../service-zips.js';
import {
  DEMO_PROTO,
  loadProto,
  startGrpcStandIn,
  startRestStandIn,
  type GrpcStandIn,
  type RestStandIn,
} from './call-stand-ins.js';

// POST /manager/services/functions/{name}/call end to end: a service installed through POST /services, its
// functions called on a real REST service and a real gRPC service.

/**
 * Every rpc of the demo proto under a name with a suffix (`helloGrpc` for SayHello), so that two interfaces on the
 * same proto do not offer the same function name.
 */
function aliases(suffix: string): { name: string; serviceName: string }[] {
  const rpcs = [
    'SayHello',
    'Compute',
    'Echo',
    'Status',
    'GetBook',
    'CreateBook',
    'ListBooks',
    'AddBook',
    'GetMessage',
  ];
  return rpcs.map((rpc) => ({
    name: `${rpc === 'SayHello' ? 'hello' : rpc.charAt(0).toLowerCase() + rpc.slice(1)}${suffix}`,
    serviceName: rpc,
  }));
}

let t: TestHost;
let zips: string;
let rest: RestStandIn;
let grpcServer: GrpcStandIn;

beforeAll(async () => {
  rest = await startRestStandIn();
  grpcServer = await startGrpcStandIn((await loadProto(DEMO_PROTO)).service);
  zips = await zipFolder();
  const descriptor = {
    interfaces: {
      ext: {
        address: rest.url,
        protocol: 'rest',
        schemaless: true,
        options: { headers: { Authorization: 'Bearer route-secret' } },
      },
      demoRest: {
        address: rest.url,
        protocol: 'rest',
        schemaType: 'protobuf',
        schemaFile: 'demo.proto',
        functions: [{ name: 'helloRest', serviceName: 'SayHello' }],
      },
      demoGrpc: {
        address: grpcServer.address,
        protocol: 'grpc',
        schemaType: 'protobuf',
        schemaFile: 'demo.proto',
        functions: aliases('Grpc'),
      },
      demoMsgpack: {
        address: 'tcp://127.0.0.1:50000',
        protocol: 'msgpack-rpc',
        schemaType: 'protobuf',
        schemaFile: 'demo.proto',
        functions: aliases('Msgpack'),
      },
    },
  };
  const zip = await writeServiceZip(zips, 'demo.zip', [
    { name: 'demo.json', data: JSON.stringify(descriptor) },
    { name: 'schemas/' },
    { name: 'schemas/demo.proto', data: DEMO_PROTO },
  ]);
  t = await startTestHost();
  await expectCreated(t, 'demo', fileUrl(zip));
});
afterAll(async () => {
  await t.close();
  await rest.close();
  await grpcServer.close();
  await rm(zips, { recursive: true, force: true });
});

async function call(name: string, body: unknown): Promise<ServiceCallOutcome> {
  const response = await t.request('POST', `/manager/services/functions/${name}/call`, body);
  expect(response.status, response.text).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  return response.json<ServiceCallOutcome>();
}

describe('POST /manager/services/functions/{name}/call', () => {
  test('a schemaless function calls its REST service with the interface headers, masked in the answer', async () => {
    rest.answer('/api/add', { body: '{"result":3}' });
    const outcome = await call('ext', { args: ['post', '/api/add', { a: 1, b: 2 }] });
    expect(outcome).toMatchObject({ ok: true, result: { result: 3 }, protocol: 'rest', attempts: 1 });
    expect(rest.received.at(-1)).toMatchObject({ method: 'POST', url: '/api/add', body: '{"a":1,"b":2}' });
    expect(rest.received.at(-1)!.headers.authorization).toBe('Bearer route-secret');
    expect(outcome.request!.headers.Authorization).toBe('Bearer ••••');
    expect(JSON.stringify(outcome)).not.toContain('route-secret');
  });

  test('an alias calls its rpc: POST address/SayHello over REST, and the rpc over gRPC', async () => {
    rest.answer('/SayHello', { body: '{"message":"Hello rest"}' });
    expect(await call('helloRest', { args: ['rest'] })).toMatchObject({
      ok: true,
      result: { message: 'Hello rest' },
    });
    expect(rest.received.at(-1)).toMatchObject({ method: 'POST', url: '/SayHello', body: '{"name":"rest"}' });

    const grpcOutcome = await call('helloGrpc', { args: [{ name: 'grpc' }] });
    expect(grpcOutcome).toMatchObject({ ok: true, protocol: 'grpc', result: { message: 'Hello grpc' } });
    expect(grpcOutcome.request!.url).toMatch(/^grpc:\/\/127\.0\.0\.1:\d+\/demo\.Greeter\/SayHello$/);
  });

  test('a call that fails is still a 200, with ok false and the reason', async () => {
    rest.answer('/api/down', { status: 503, type: 'text/plain', body: 'maintenance' });
    const outcome = await call('ext', { args: ['get', '/api/down'] });
    expect(outcome).toMatchObject({ ok: false, response: { status: 503 } });
    expect(outcome.error).toBe(hostMessage('svcCallHttpStatus', { status: 503, body: 'maintenance' }));

    const msgpack = await call('helloMsgpack', { args: ['x'] });
    expect(msgpack).toMatchObject({
      ok: false,
      protocol: 'msgpack-rpc',
      error: hostMessage('svcCallMsgpack'),
    });
  });

  test('no body calls with no arguments', async () => {
    const response = await t.request('POST', '/manager/services/functions/statusGrpc/call');
    expect(response.status, response.text).toBe(200);
    expect(response.json<ServiceCallOutcome>()).toMatchObject({ ok: true, result: true });
  });

  test("a function no service provides is eKuiper's 404", async () => {
    const response = await t.request('POST', '/manager/services/functions/nope/call', { args: [] });
    expectError(response, 404, 'describe function nope error: not found');
  });

  test('a bad body or name is a 400, as for JavaScript functions', async () => {
    const notArgs = await t.request('POST', '/manager/services/functions/ext/call', { args: 'x' });
    expectError(notArgs, 400, `Invalid body: ${hostMessage('jsCallBody')}`);
    const notJson = await t.request('POST', '/manager/services/functions/ext/call', '{"args":');
    expect(notJson.status).toBe(400);
    expect(notJson.json<{ message: string }>().message).toMatch(/^Invalid body: /);
    const badName = await t.request('POST', '/manager/services/functions/bad.name/call', { args: [] });
    expectError(
      badName,
      400,
      "id 'bad.name' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });

  test('a deleted service has no functions to call', async () => {
    const zip = await writeServiceZip(zips, 'gone.zip', [
      {
        name: 'gone.json',
        data: JSON.stringify({
          interfaces: { goneFn: { address: rest.url, protocol: 'rest', schemaless: true } },
        }),
      },
    ]);
    await expectCreated(t, 'gone', fileUrl(zip));
    rest.answer('/ping', { type: 'text/plain', body: 'pong' });
    expect(await call('goneFn', { args: ['get', '/ping'] })).toMatchObject({ ok: true, result: 'pong' });
    expect((await t.request('DELETE', '/services/gone')).status).toBe(200);
    const response = await t.request('POST', '/manager/services/functions/goneFn/call', { args: [] });
    expectError(response, 404, 'describe function goneFn error: not found');
  });
});
