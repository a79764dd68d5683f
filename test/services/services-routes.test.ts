import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import { expectError, expectErrorStarting, expectJson, expectText, zipFolder } from '../rest/rest-helpers.js';
import { expectCreated, fixtureServiceUrls, fixtureText } from './service-zips.js';

// Reference ekuiper-services-and-js-udfs.md §1.1–1.6: eKuiper's /services routes, statuses and texts, and its
// manager_test.go TestManage (install by file:// URL, an invalid name, update, delete) over real HTTP.

let t: TestHost;
let sampleUrl: string;
let httpSampleUrl: string;
let dynamicUrl: string;

beforeAll(async () => {
  ({
    sample: sampleUrl,
    httpSample: httpSampleUrl,
    dynamic: dynamicUrl,
  } = await fixtureServiceUrls(await zipFolder()));
});
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

const SAMPLE_FUNCTIONS = [
  'helloFromGrpc',
  'ComputeFromGrpc',
  'getFeatureFromGrpc',
  'objectDetectFromGrpc',
  'getStatusFromGrpc',
  'notUsedRpc',
  'helloFromRest',
  'ComputeFromRest',
  'getFeatureFromRest',
  'objectDetectFromRest',
  'getStatusFromRest',
  'restEncodedJson',
  'helloFromMsgpack',
  'ComputeFromMsgpack',
  'getFeatureFromMsgpack',
  'objectDetectFromMsgpack',
  'getStatusFromMsgpack',
  'notUsedMsgpack',
  'tsschemaless',
];
const HTTP_FUNCTIONS = [
  'ListShelves',
  'CreateShelf',
  'GetShelf',
  'DeleteShelf',
  'ListBooks',
  'createBook',
  'GetBook',
  'DeleteBook',
  'GetMessage',
  'SearchMessage',
  'UpdateMessage',
  'PatchMessage',
];

async function installSamples(): Promise<void> {
  await expectCreated(t, 'sample', sampleUrl);
  await expectCreated(t, 'httpSample', httpSampleUrl);
}

const functionNames = async (): Promise<string[]> =>
  (await t.request('GET', '/services/functions'))
    .json<Array<{ FuncName: string }>>()
    .map((fn) => fn.FuncName);

describe("eKuiper's manager_test.go TestManage", () => {
  test('install by file:// URL, an invalid name, describe, function list, update and delete', async () => {
    expectJson(await t.request('GET', '/services'), '[]');
    expectJson(await t.request('GET', '/services/functions'), '[]');
    await installSamples();
    expectJson(await t.request('GET', '/services'), '["sample","httpSample"]');

    await expectCreated(t, 'dynamic', dynamicUrl);
    expectError(
      await t.request('POST', '/services', { name: '@#$2323', file: dynamicUrl }),
      400,
      "id '@#$2323' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
    const dynamic = (await t.request('GET', '/services/dynamic')).json<{
      Interfaces: Record<string, unknown>;
    }>();
    expect(Object.keys(dynamic.Interfaces)).toEqual(['tsrpc']);

    // The function mapping: every rpc of the protos, aliases in place of names, the schemaless interface's name;
    // listed by service (creation order), interface and rpc.
    expect(await functionNames()).toEqual([...SAMPLE_FUNCTIONS, ...HTTP_FUNCTIONS, 'SayHello2']);
    expect([...(await functionNames())].sort()).toEqual(
      [...SAMPLE_FUNCTIONS, ...HTTP_FUNCTIONS, 'SayHello2'].sort(),
    );
    expect(t.host.services.installScripts()).toEqual({
      sample: JSON.stringify({ name: 'sample', file: sampleUrl }),
      httpSample: JSON.stringify({ name: 'httpSample', file: httpSampleUrl }),
      dynamic: JSON.stringify({ name: 'dynamic', file: dynamicUrl }),
    });

    expectText(
      await t.request('PUT', '/services/dynamic', { name: 'dynamic', file: dynamicUrl }),
      200,
      'service dynamic is updated',
    );
    expectJson(await t.request('GET', '/services'), '["sample","httpSample","dynamic"]');
    expectText(await t.request('DELETE', '/services/dynamic'), 200, 'service dynamic is deleted');
    expectJson(await t.request('GET', '/services'), '["sample","httpSample"]');
    expect(await functionNames()).not.toContain('SayHello2');
  });
});

describe("answers in eKuiper's shapes (§1.3)", () => {
  test('describe: capitalised keys, about, options, schemaless interface', async () => {
    await installSamples();
    const response = await t.request('GET', '/services/sample');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const info = response.json<{
      About: unknown;
      Interfaces: Record<string, unknown>;
    }>();
    expect(info.About).toEqual((JSON.parse(fixtureText('sample.json')) as { about: unknown }).about);
    // A Go map: keys sorted.
    expect(Object.keys(info.Interfaces)).toEqual(['tsmsgpack', 'tsrest', 'tsrpc', 'tsschemaless']);
    expect(info.Interfaces.tsrest).toEqual({
      Desc: null,
      Addr: 'http://localhost:51234',
      Protocol: 'rest',
      Schema: { SchemaType: 'protobuf', SchemaFile: 'hw.proto', Schemaless: false },
      Functions: [
        'helloFromRest',
        'ComputeFromRest',
        'getFeatureFromRest',
        'objectDetectFromRest',
        'getStatusFromRest',
        'restEncodedJson',
      ],
      Options: { insecureSkipVerify: true, headers: { 'Accept-Charset': 'utf-8' } },
    });
    expect(response.text).toContain(
      '"Options":{"headers":{"Accept-Charset":"utf-8"},"insecureSkipVerify":true}',
    );
    expect(JSON.stringify(info.Interfaces.tsschemaless)).toBe(
      '{"Desc":null,"Addr":"http://localhost:51235","Protocol":"rest","Schema":{"SchemaType":"","SchemaFile":"","Schemaless":true},"Functions":["tsschemaless"],"Options":null}',
    );
  });

  test('function containers: one, all, and the schemaless one', async () => {
    await installSamples();
    expectJson(
      await t.request('GET', '/services/functions/helloFromRest'),
      '{"FuncName":"helloFromRest","ServiceName":"sample","InterfaceName":"tsrest","Addr":"http://localhost:51234","MethodName":"SayHello"}',
    );
    expectJson(
      await t.request('GET', '/services/functions/tsschemaless'),
      '{"FuncName":"tsschemaless","ServiceName":"sample","InterfaceName":"tsschemaless","Addr":"http://localhost:51235","MethodName":"tsschemaless"}',
    );
    expectJson(
      await t.request('GET', '/services/functions/createBook'),
      '{"FuncName":"createBook","ServiceName":"httpSample","InterfaceName":"bookshelf","Addr":"http://localhost:51234/bookshelf","MethodName":"CreateBook"}',
    );
    expect(await functionNames()).toEqual([...SAMPLE_FUNCTIONS, ...HTTP_FUNCTIONS]);
  });

  test('resolveFunction gives Try it the binding, the proto and the http rule', async () => {
    await installSamples();
    const rest = t.host.services.resolveFunction('objectDetectFromRest')!;
    expect(rest.rpcName).toBe('object_detection');
    expect(rest.binding.options).toEqual({
      insecureSkipVerify: true,
      headers: { 'Accept-Charset': 'utf-8' },
    });
    expect(rest.protoService?.name).toBe('Greeter');
    expect(
      rest.schemaRoot?.lookupType('helloworld.ObjectDetectionRequest').fieldsArray.map((f) => f.name),
    ).toEqual(['cmd', 'base64_img']);
    expect(t.host.services.resolveFunction('GetBook')?.httpRule).toEqual({
      method: 'GET',
      path: '/v1/shelves/{shelf}/books/{book}',
      body: '',
    });
    const schemaless = t.host.services.resolveFunction('tsschemaless')!;
    expect([schemaless.rpcName, schemaless.schemaRoot, schemaless.binding.schemaless]).toEqual([
      'tsschemaless',
      undefined,
      true,
    ]);
    expect(t.host.services.resolveFunction('nosuch')).toBeUndefined();
  });
});

describe('errors (§1.2)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(404).end('no'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('bodies, names, URLs, downloads and missing services', async () => {
    expectErrorStarting(
      await t.request('POST', '/services', '{"name":'),
      400,
      'Invalid body: Error decoding the service request payload: unexpected EOF',
    );
    expectErrorStarting(
      await t.request('PUT', '/services/x', '{"file":3}'),
      400,
      'Invalid body: Error decoding the service request payload: json: cannot unmarshal number into Go struct field ServiceCreationRequest.file of type string',
    );
    const refusals: Array<[object, string]> = [
      [{ name: '', file: sampleUrl }, 'id cannot be empty'],
      [{ name: ' a', file: sampleUrl }, "id ' a' contains leading or trailing whitespace"],
      [
        { name: 'x', file: 'ftp://example.com/x.zip' },
        'service create command error: invalid file path ftp://example.com/x.zip',
      ],
    ];
    for (const [body, message] of refusals) {
      expectError(await t.request('POST', '/services', body), 400, message);
    }
    expectErrorStarting(
      await t.request('POST', '/services', { name: 'x', file: `${base}/x.zip` }),
      400,
      `service create command error: fail to download file ${base}/x.zip: cannot download the file with status: 404 Not Found`,
    );
    await expectCreated(t, 'sample', sampleUrl);
    const afterCreate: Array<[object, string]> = [
      [{ name: 'sample', file: sampleUrl }, 'service create command error: service sample exist'],
      [
        { name: 'other', file: sampleUrl },
        'service create command error: cannot find the json descriptor file other.json for service',
      ],
    ];
    for (const [body, message] of afterCreate) {
      expectError(await t.request('POST', '/services', body), 400, message);
    }
    expectError(await t.request('GET', '/services/nosuch'), 404, 'describe service nosuch error: not found');
    expectError(
      await t.request('GET', '/services/functions/nosuch'),
      404,
      'describe function nosuch error: not found',
    );
    expectError(
      await t.request('DELETE', '/services/nosuch'),
      404,
      'delete service nosuch error: nosuch is not found',
    );
    expectError(
      await t.request('PUT', '/services/nosuch', { file: sampleUrl }),
      404,
      'service update command error: nosuch is not found',
    );
    expectError(
      await t.request('GET', '/services/inv.alid'),
      400,
      "id 'inv.alid' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
    expect((await t.request('PATCH', '/services')).status).toBe(405);
    expect((await t.request('PUT', '/services/functions/x')).status).toBe(405);
    // mux sends DELETE /services/functions to /services/{name}.
    expectError(
      await t.request('DELETE', '/services/functions'),
      404,
      'delete service functions error: functions is not found',
    );
  });

  test('file:// outside data/uploads and loopback downloads are refused when the settings say so', async () => {
    t.settings.allowExternalFileAccess = false;
    t.settings.allowPrivateNetwork = false;
    const uploads = join(t.dataDir, 'data', 'uploads');
    expectErrorStarting(
      await t.request('POST', '/services', { name: 'sample', file: sampleUrl }),
      400,
      `service create command error: fail to download file ${sampleUrl}: file access denied: path must be under ${uploads}`,
    );
    expectErrorStarting(
      await t.request('POST', '/services', { name: 'sample', file: `${base}/sample.zip` }),
      400,
      `service create command error: fail to download file ${base}/sample.zip: ip 127.0.0.1 is in internal network`,
    );
  });

  test('PUT: the path names the service, whatever the body says', async () => {
    await installSamples();
    expectText(
      await t.request('PUT', '/services/sample', { name: 'other', file: sampleUrl }),
      200,
      'service sample is updated',
    );
    expectJson(await t.request('GET', '/services'), '["sample","httpSample"]');
  });

  test('the routes are reached through the local server forwarding like the other eKuiper routes', async () => {
    await installSamples();
    expectJson(await t.request('GET', '/manager/servers/local/api/services'), '["sample","httpSample"]');
    expectText(
      await t.request('DELETE', '/manager/servers/local/api/services/httpSample'),
      200,
      'service httpSample is deleted',
    );
  });
});
