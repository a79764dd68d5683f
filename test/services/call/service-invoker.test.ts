import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Socket } from 'node:net';
import type { Service } from 'protobufjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostMessage } from '../../../shared/host-messages.js';
import { SERVICE_CALL_TIMEOUT_MS, type ServiceCallTarget } from '../../../main/services/call/call-target.js';
import { invokeServiceFunction } from '../../../main/services/call/service-invoker.js';
import { closeServer, listenOnLoopback } from '../../support/stand-in-server.js';
import { testCertificates } from '../../support/tls-stand-in.js';
import {
  DEMO_PROTO,
  freePort,
  loadProto,
  startGrpcStandIn,
  startRestStandIn,
  type GrpcStandIn,
  type LoadedProto,
  type RestStandIn,
} from './call-stand-ins.js';

// The invoker against a real REST service and a real gRPC service, with eKuiper's semantics
// (internal/service/executors.go, schema.go, schemaHttp.go).

let rest: RestStandIn;
let grpcServer: GrpcStandIn;
let proto: LoadedProto;
let greeter: Service;

beforeAll(async () => {
  proto = await loadProto(DEMO_PROTO);
  greeter = proto.service;
  rest = await startRestStandIn();
  grpcServer = await startGrpcStandIn(greeter);
});
afterAll(async () => {
  await rest.close();
  await grpcServer.close();
});

function schemaless(overrides: Partial<ServiceCallTarget> = {}): ServiceCallTarget {
  return { protocol: 'rest', address: rest.url, schemaless: true, rpcName: 'ext', ...overrides };
}

function protoRest(rpcName: string): ServiceCallTarget {
  const httpRule = proto.httpRules.get(rpcName);
  return {
    protocol: 'rest',
    address: rest.url,
    schemaless: false,
    rpcName,
    protoService: greeter,
    ...(httpRule === undefined ? {} : { httpRule }),
  };
}

function lastReceived(): (typeof rest.received)[number] {
  return rest.received.at(-1)!;
}

describe('schemaless REST', () => {
  test('one argument after the method and the path is sent as a JSON object body', async () => {
    rest.answer('/api/add', { body: '{"result":3}' });
    const outcome = await invokeServiceFunction(schemaless(), ['post', '/api/add', { a: 1, b: 2 }]);
    expect(outcome).toMatchObject({ ok: true, result: { result: 3 }, protocol: 'rest', attempts: 1 });
    expect(lastReceived()).toMatchObject({ method: 'POST', url: '/api/add', body: '{"a":1,"b":2}' });
    expect(lastReceived().headers['content-type']).toBe('application/json');
    expect(outcome.request).toEqual({
      method: 'POST',
      url: `${rest.url}/api/add`,
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1,"b":2}',
    });
    expect(outcome.response).toMatchObject({
      status: 200,
      statusText: 'OK',
      body: '{"result":3}',
      truncated: false,
    });
    expect(outcome.response!.headers['content-type']).toBe('application/json');
    expect(outcome.ms).toBeGreaterThanOrEqual(0);
  });

  test('several arguments are sent as a JSON array', async () => {
    rest.answer('/api/many', { body: '[1,2]' });
    const outcome = await invokeServiceFunction(schemaless(), [
      'POST',
      '/api/many',
      1,
      'two',
      { three: true },
    ]);
    expect(outcome).toMatchObject({ ok: true, result: [1, 2] });
    expect(lastReceived().body).toBe('[1,"two",{"three":true}]');
  });

  test('GET with a path and a query sends no body; a text answer is the text, or the JSON it holds', async () => {
    rest.answer('/api/items', { type: 'text/plain; charset=utf-8', body: 'plain words' });
    const outcome = await invokeServiceFunction(schemaless(), ['get', '/api/items?limit=2']);
    expect(outcome).toMatchObject({ ok: true, result: 'plain words' });
    expect(lastReceived()).toMatchObject({ method: 'GET', url: '/api/items?limit=2', body: '' });
    expect(outcome.request!.body).toBeUndefined();

    rest.answer('/api/count', { type: 'text/plain', body: '42' });
    expect(await invokeServiceFunction(schemaless(), ['get', '/api/count'])).toMatchObject({
      ok: true,
      result: 42,
    });
  });

  test('the method and the path must come first, as strings', async () => {
    const before = rest.received.length;
    const tooFew = await invokeServiceFunction(schemaless(), ['post']);
    expect(tooFew).toMatchObject({ ok: false, attempts: 0 });
    expect(tooFew.error).toBe(hostMessage('svcCallSchemalessArgs', { name: 'ext', count: 1 }));
    expect(tooFew.request).toBeUndefined();
    const badMethod = await invokeServiceFunction(schemaless(), [1, '/x']);
    expect(badMethod.error).toBe(hostMessage('svcCallSchemalessMethod', { name: 'ext', got: '1' }));
    const badPath = await invokeServiceFunction(schemaless(), ['get', null]);
    expect(badPath.error).toBe(hostMessage('svcCallSchemalessPath', { name: 'ext', got: 'null' }));
    expect(rest.received.length).toBe(before);
  });

  test('headers from the options are sent and masked in the outcome when they are secrets', async () => {
    rest.answer('/api/secure', { body: '{}' });
    const outcome = await invokeServiceFunction(
      schemaless({
        options: {
          headers: { Authorization: 'Bearer s3cr3t-token', 'X-Trace': 'abc', 'X-Api-Key': 'k-123' },
        },
      }),
      ['post', '/api/secure', {}],
    );
    expect(outcome.ok).toBe(true);
    const headers = lastReceived().headers;
    expect(headers.authorization).toBe('Bearer s3cr3t-token');
    expect(headers['x-trace']).toBe('abc');
    expect(headers['x-api-key']).toBe('k-123');
    expect(outcome.request!.headers).toEqual({
      'Content-Type': 'application/json',
      Authorization: 'Bearer ••••',
      'X-Trace': 'abc',
      'X-Api-Key': '••••',
    });
    expect(JSON.stringify(outcome)).not.toContain('s3cr3t');
    expect(JSON.stringify(outcome)).not.toContain('k-123');
  });

  test("a Content-Type from the options replaces eKuiper's application/json", async () => {
    rest.answer('/api/typed', { body: '{}' });
    await invokeServiceFunction(
      schemaless({ options: { headers: { 'content-type': 'application/x-custom' } } }),
      ['post', '/api/typed', 'x'],
    );
    expect(lastReceived().headers['content-type']).toBe('application/x-custom');
  });
});

describe('REST from a proto', () => {
  test('an rpc without a rule is POSTed to address/RpcName with the message as JSON', async () => {
    rest.answer('/SayHello', { body: '{"message":"Hello world"}' });
    const outcome = await invokeServiceFunction(protoRest('SayHello'), ['world']);
    expect(outcome).toMatchObject({ ok: true, result: { message: 'Hello world' } });
    expect(lastReceived()).toMatchObject({ method: 'POST', url: '/SayHello', body: '{"name":"world"}' });

    const fromObject = await invokeServiceFunction(protoRest('SayHello'), [{ name: 'object' }]);
    expect(fromObject.ok).toBe(true);
    expect(lastReceived().body).toBe('{"name":"object"}');
  });

  test('int64 is sent as a string, JSON names are lowerCamelCase unless json_name says otherwise', async () => {
    rest.answer('/Compute', { body: '{"big_id":9007199254740993,"doubled":6,"label":"x","values":[1,2.5]}' });
    const outcome = await invokeServiceFunction(protoRest('Compute'), [12345678901234, 3, 'lbl', true]);
    expect(JSON.parse(lastReceived().body)).toEqual({
      bigId: '12345678901234',
      count: 3,
      the_label: 'lbl',
      flag: true,
    });
    expect(outcome).toMatchObject({ ok: true, result: { big_id: 9007199254740992, doubled: 6, label: 'x' } });
    expect((outcome.result as { values: number[] }).values).toEqual([1, 2.5]);
  });

  test('fields holding their default value are left out, as jsonpb leaves them out', async () => {
    rest.answer('/Compute', { body: '{}' });
    await invokeServiceFunction(protoRest('Compute'), [0, 0, '', false]);
    expect(lastReceived().body).toBe('{}');
    await invokeServiceFunction(protoRest('Compute'), [{ count: 2 }]);
    expect(lastReceived().body).toBe('{"count":2}');
  });

  test('the answer is read by proto names; fields sent under JSON names only are noted, as eKuiper drops them', async () => {
    rest.answer('/Compute', { body: '{"bigId":"5","doubled":2}' });
    const outcome = await invokeServiceFunction(protoRest('Compute'), [{ count: 1 }]);
    expect(outcome).toMatchObject({ ok: true, result: { doubled: 2 } });
    expect(outcome.notes).toEqual([
      hostMessage('svcCallAnswerJsonNames', { fields: 'bigId', message: 'demo.ComputeReply' }),
    ]);
  });

  test('an int64 answered as a string fails as it does in eKuiper', async () => {
    rest.answer('/Compute', { body: '{"big_id":"5"}' });
    const outcome = await invokeServiceFunction(protoRest('Compute'), [{ count: 1 }]);
    expect(outcome).toMatchObject({ ok: false, response: { status: 200 } });
    expect(outcome.error).toBe(
      hostMessage('svcCallAnswerType', {
        field: 'big_id',
        message: 'demo.ComputeReply',
        type: 'int64',
        got: '"5"',
      }),
    );
  });

  test('arguments that do not fit the message are refused before anything is sent', async () => {
    const before = rest.received.length;
    const count = await invokeServiceFunction(protoRest('Compute'), [1, 2]);
    expect(count.error).toBe(
      hostMessage('svcCallArgsCount', {
        rpc: 'Compute',
        count: 4,
        message: 'demo.ComputeRequest',
        fields: 'big_id, count, label, flag',
        got: 2,
      }),
    );
    const type = await invokeServiceFunction(protoRest('SayHello'), [42]);
    expect(type.error).toBe(
      hostMessage('svcCallArgType', {
        field: 'name',
        message: 'demo.HelloRequest',
        type: 'string',
        got: '42',
      }),
    );
    const none = await invokeServiceFunction(protoRest('Compute'), [{ unknown: 1 }]);
    expect(none.error).toBe(
      hostMessage('svcCallArgObjectNoField', {
        rpc: 'Compute',
        message: 'demo.ComputeRequest',
        fields: 'big_id, count, label, flag',
      }),
    );
    expect(rest.received.length).toBe(before);
  });

  test('a StringValue rpc sends its string argument as the body; a text answer fills the wrapper', async () => {
    rest.answer('/Echo', { type: 'text/plain', body: 'back' });
    const outcome = await invokeServiceFunction(protoRest('Echo'), ['{"already":"json"}']);
    expect(lastReceived().body).toBe('{"already":"json"}');
    expect(outcome).toMatchObject({ ok: true, result: 'back' });
  });

  test('google.api.http GET fills the path from the message and sends no body', async () => {
    rest.answer('/v1/shelves/7/books/12', { body: '{"id":12,"author_name":"Ann","title":"T"}' });
    const outcome = await invokeServiceFunction(protoRest('GetBook'), [7, 12]);
    expect(lastReceived()).toMatchObject({ method: 'GET', url: '/v1/shelves/7/books/12', body: '' });
    expect(outcome).toMatchObject({ ok: true, result: { id: 12, author_name: 'Ann', title: 'T' } });
    expect(outcome.request).toMatchObject({ method: 'GET', url: `${rest.url}/v1/shelves/7/books/12` });
    expect(outcome.request!.body).toBeUndefined();
  });

  test('google.api.http POST with body "*" sends the fields the path did not use', async () => {
    rest.answer('/v1/shelves/3/books', { body: '{"id":1}' });
    const outcome = await invokeServiceFunction(protoRest('CreateBook'), [
      { shelf: 3, author_name: 'Ann', title: 'T' },
    ]);
    expect(outcome).toMatchObject({ ok: true, result: { id: 1 } });
    expect(lastReceived()).toMatchObject({ method: 'POST', url: '/v1/shelves/3/books' });
    expect(JSON.parse(lastReceived().body)).toEqual({ authorName: 'Ann', title: 'T' });
  });

  test('without body "*", the other fields go in the query, defaults included, values URL-encoded', async () => {
    rest.answer('/v1/shelves/1/books', { body: '{"books":[{"id":1,"title":"A"}]}' });
    const outcome = await invokeServiceFunction(protoRest('ListBooks'), [{ shelf: 1, filter: 'a b&c' }]);
    expect(lastReceived()).toMatchObject({
      method: 'GET',
      url: '/v1/shelves/1/books?page_size=0&filter=a%20b%26c',
    });
    expect(outcome).toMatchObject({ ok: true, result: { books: [{ id: 1, title: 'A' }] } });
  });

  test('a body field sends that message; the remaining fields go in the query', async () => {
    rest.answer('/v1/shelves/2/books', { body: '{"id":5}' });
    await invokeServiceFunction(protoRest('AddBook'), [2, { id: 5, title: 'T' }, 'n']);
    expect(lastReceived()).toMatchObject({ method: 'PUT', url: '/v1/shelves/2/books?note=n' });
    expect(JSON.parse(lastReceived().body)).toEqual({ id: '5', title: 'T' });
  });

  test('a {name=prefix/*} path keeps its slashes and refuses a value without the prefix', async () => {
    rest.answer('/v1/messages/42', { body: '{"id":42}' });
    expect(await invokeServiceFunction(protoRest('GetMessage'), ['messages/42'])).toMatchObject({ ok: true });
    expect(lastReceived().url).toBe('/v1/messages/42');
    const wrong = await invokeServiceFunction(protoRest('GetMessage'), ['books/1']);
    expect(wrong.error).toBe(
      hostMessage('svcCallHttpRulePrefix', {
        rpc: 'GetMessage',
        field: 'name',
        prefix: 'messages/',
        got: '"books/1"',
      }),
    );
  });
});

describe('REST failures', () => {
  test('a non-2xx answer fails with its body, and the response is shown', async () => {
    rest.answer('/api/fail', { status: 500, type: 'text/plain', body: 'database offline' });
    const outcome = await invokeServiceFunction(schemaless(), ['post', '/api/fail', {}]);
    expect(outcome).toMatchObject({
      ok: false,
      response: { status: 500, statusText: 'Internal Server Error' },
    });
    expect(outcome.error).toBe(hostMessage('svcCallHttpStatus', { status: 500, body: 'database offline' }));
  });

  test('an answer that is neither JSON nor text is refused with a clear message', async () => {
    rest.answer('/api/html', { type: 'text/html', body: '<p>hi</p>' });
    const html = await invokeServiceFunction(schemaless(), ['get', '/api/html']);
    expect(html).toMatchObject({ ok: false, response: { status: 200, body: '<p>hi</p>' } });
    expect(html.error).toBe(hostMessage('svcCallContentType', { type: 'text/html' }));

    rest.answer('/api/untyped', { type: null, body: 'x' });
    const untyped = await invokeServiceFunction(schemaless(), ['get', '/api/untyped']);
    expect(untyped.error).toBe(hostMessage('svcCallNoContentType'));
  });

  test('JSON that does not parse is reported', async () => {
    rest.answer('/api/broken', { body: '{"a":' });
    const outcome = await invokeServiceFunction(schemaless(), ['get', '/api/broken']);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^the answer says it is JSON \(application\/json\) but does not parse: /);
  });

  test('a service that never answers times out (the default is eKuiper’s 5 s)', async () => {
    expect(SERVICE_CALL_TIMEOUT_MS).toBe(5000);
    rest.answer('/api/slow', 'hang');
    const outcome = await invokeServiceFunction(schemaless(), ['get', '/api/slow'], { timeoutMs: 300 });
    const port = new URL(rest.url).port;
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    expect(outcome.error).toBe(hostMessage('svcCallTimedOut', { where: `127.0.0.1:${port}`, seconds: 0.3 }));
    expect(outcome.response).toBeUndefined();
    expect(outcome.request).toMatchObject({ method: 'GET' });
  });

  test('a timeout is retried retryCount times, retryInterval apart; the answer of a later try is the result', async () => {
    rest.answer('/api/flaky', 'hang', { body: '"second"' });
    const outcome = await invokeServiceFunction(
      schemaless({ options: { retryCount: 3, retryInterval: '10ms' } }),
      ['get', '/api/flaky'],
      { timeoutMs: 300 },
    );
    expect(outcome).toMatchObject({ ok: true, result: 'second', attempts: 2 });
  });

  test('failures that cannot pass (a 4xx, a refusal) are not retried; a bad retryInterval is refused', async () => {
    rest.answer('/api/missing', { status: 404, body: '' });
    const notFound = await invokeServiceFunction(schemaless({ options: { retryCount: 3 } }), [
      'get',
      '/api/missing',
    ]);
    expect(notFound).toMatchObject({ ok: false, attempts: 1 });
    expect(notFound.error).toBe(hostMessage('svcCallHttpStatusEmpty', { status: 404 }));
    const interval = await invokeServiceFunction(
      schemaless({ options: { retryCount: 2, retryInterval: 'soon' } }),
      ['get', '/x'],
    );
    expect(interval.error).toBe(hostMessage('svcCallRetryInterval', { value: 'soon' }));
  });

  test('a refused port says nothing listens there', async () => {
    const port = await freePort();
    const outcome = await invokeServiceFunction(schemaless({ address: `http://127.0.0.1:${port}` }), [
      'get',
      '/x',
    ]);
    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    expect(outcome.error).toBe(hostMessage('svcCallRefused', { where: `127.0.0.1:${port}`, port }));
  });

  test('something that is not HTTP on the port is named as such', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.end('SSH-2.0-OpenSSH\r\n');
    });
    const port = await listenOnLoopback(server);
    try {
      const outcome = await invokeServiceFunction(schemaless({ address: `http://127.0.0.1:${port}` }), [
        'get',
        '/',
      ]);
      expect(outcome.error).toBe(hostMessage('svcCallNotHttp', { where: `127.0.0.1:${port}` }));
    } finally {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    }
  });

  test('a certificate this computer does not trust fails unless insecureSkipVerify is set, as in eKuiper', async () => {
    const { valid } = testCertificates();
    const server = createHttpsServer(valid, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"secure":true}');
    });
    const port = await listenOnLoopback(server);
    try {
      const address = `https://127.0.0.1:${port}`;
      const checked = await invokeServiceFunction(schemaless({ address }), ['get', '/']);
      expect(checked.ok).toBe(false);
      expect(checked.error).toMatch(
        new RegExp(`^the TLS connection to 127\\.0\\.0\\.1:${port} failed \\(.+\\); to accept a certificate`),
      );
      const skipped = await invokeServiceFunction(
        schemaless({ address, options: { insecureSkipVerify: true } }),
        ['get', '/'],
      );
      expect(skipped).toMatchObject({ ok: true, result: { secure: true } });
    } finally {
      await closeServer(server);
    }
  });

  test('a method or a header HTTP cannot carry is refused before anything is sent', async () => {
    const before = rest.received.length;
    const method = await invokeServiceFunction(schemaless(), ['bad method', '/x']);
    expect(method.error).toBe(hostMessage('svcCallNotSendable', { reason: 'invalid request method' }));
    const header = await invokeServiceFunction(schemaless({ options: { headers: { 'X-Bad': 'a\nb' } } }), [
      'get',
      '/x',
    ]);
    expect(header.error).toBe(hostMessage('svcCallNotSendable', { reason: 'invalid X-Bad header' }));
    expect(rest.received.length).toBe(before);
  });

  test('a path without a leading slash makes a broken URL, said plainly', async () => {
    const outcome = await invokeServiceFunction(schemaless(), ['get', 'api']);
    expect(outcome.error).toBe(hostMessage('svcCallBadUrl', { url: `${rest.url}api` }));
  });

  test('a large answer is shown cut, and the result is whole', async () => {
    const long = 'x'.repeat(70_000);
    rest.answer('/api/long', { type: 'text/plain', body: long });
    const outcome = await invokeServiceFunction(schemaless(), ['get', '/api/long']);
    expect(outcome).toMatchObject({ ok: true, response: { truncated: true, bytes: 70_000 } });
    expect(outcome.response!.body.length).toBe(64 * 1024);
    expect(outcome.result).toBe(long);
  });
});

describe('gRPC', () => {
  function grpcTarget(rpcName: string, address = grpcServer.address): ServiceCallTarget {
    return { protocol: 'grpc', address, schemaless: false, rpcName, protoService: greeter };
  }

  test('a unary call maps the arguments onto the request message and reads the reply by proto names', async () => {
    const outcome = await invokeServiceFunction(grpcTarget('SayHello'), ['grpc']);
    expect(outcome).toMatchObject({
      ok: true,
      result: { message: 'Hello grpc' },
      protocol: 'grpc',
      attempts: 1,
    });
    expect(outcome.request).toMatchObject({
      method: 'POST',
      url: `grpc://${grpcServer.address.slice('tcp://'.length)}/demo.Greeter/SayHello`,
      body: '{"name":"grpc"}',
    });
    expect(outcome.response).toMatchObject({ status: 0, statusText: 'OK', body: '{"message":"Hello grpc"}' });
  });

  test('64-bit integers keep their value; every reply field is there, defaults included', async () => {
    const outcome = await invokeServiceFunction(grpcTarget('Compute'), [
      { big_id: 12345678901234, count: 4 },
    ]);
    expect(grpcServer.received.at(-1)).toMatchObject({ big_id: '12345678901234', count: 4 });
    expect(outcome).toMatchObject({
      ok: true,
      result: { big_id: 12345678901234, doubled: 8, label: '', values: [1.5, 2.5] },
    });
    expect(JSON.parse(outcome.request!.body!)).toEqual({ bigId: '12345678901234', count: 4 });
    // eKuiper cannot convert map fields and leaves them out; the response shows what came.
    expect(outcome.result).not.toHaveProperty('tags');
    expect(JSON.parse(outcome.response!.body)).toMatchObject({ tags: { unit: 'm' } });
  });

  test('wrappers read as their value; Empty takes no argument', async () => {
    expect(await invokeServiceFunction(grpcTarget('Status'), [])).toMatchObject({ ok: true, result: true });
    expect(await invokeServiceFunction(grpcTarget('Echo'), ['hi'])).toMatchObject({
      ok: true,
      result: 'echo hi',
    });
  });

  test('a status other than OK fails with its name and details', async () => {
    const outcome = await invokeServiceFunction(grpcTarget('GetBook'), [1, 9]);
    const where = grpcServer.address.slice('tcp://'.length);
    expect(outcome).toMatchObject({ ok: false, response: { status: 5, statusText: 'NOT_FOUND' } });
    expect(outcome.error).toBe(
      hostMessage('svcCallGrpcStatus', { where, status: 'NOT_FOUND', details: 'book 9 not found' }),
    );
  });

  test('a refused port and an address that is not tcp://host:port are said plainly', async () => {
    const port = await freePort();
    const refused = await invokeServiceFunction(grpcTarget('SayHello', `tcp://127.0.0.1:${port}`), ['x']);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.error).toBe(hostMessage('svcCallRefused', { where: `127.0.0.1:${port}`, port }));
    expect(refused.response).toBeUndefined();
    const bad = await invokeServiceFunction(grpcTarget('SayHello', 'localhost-no-scheme'), ['x']);
    expect(bad.error).toBe(hostMessage('svcCallGrpcAddress', { address: 'localhost-no-scheme' }));
  });
});

describe('other protocols', () => {
  test('msgpack-rpc is refused with a clear sentence, as default eKuiper builds refuse it', async () => {
    const outcome = await invokeServiceFunction(
      { protocol: 'msgpack-rpc', address: 'tcp://127.0.0.1:50000', schemaless: false, rpcName: 'SayHello' },
      ['x'],
    );
    expect(outcome).toMatchObject({ ok: false, protocol: 'msgpack-rpc', attempts: 0 });
    expect(outcome.error).toBe(hostMessage('svcCallMsgpack'));
  });

  test('an unknown protocol is named', async () => {
    const outcome = await invokeServiceFunction(
      { protocol: 'soap', address: 'http://x', schemaless: false, rpcName: 'a' },
      [],
    );
    expect(outcome.error).toBe(hostMessage('svcCallProtocolUnknown', { protocol: 'soap' }));
  });
});
