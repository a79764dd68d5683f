import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { snapshotTree } from '../support/data-snapshot.js';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import {
  expectError,
  expectErrorStarting,
  expectJson,
  expectNoStaging,
  expectText,
  failsWithoutChange,
  filesOf,
  pathExists,
  testZip,
  zipFolder,
} from '../rest/rest-helpers.js';
import type { TestZipEntry } from '../support/zip-writer.js';
import {
  expectCreated,
  fixtureServiceUrls,
  fixtureText,
  serviceEntries,
  writeServiceZip,
} from './service-zips.js';

// What eKuiper gets wrong (§1.4) and the host does not: all-or-nothing create and update, delete leaving no
// files, refused function-name clashes in every direction, descriptor and schema checks that teach, reload.

let t: TestHost;
let zips: string;
let sampleUrl: string;
beforeAll(async () => {
  zips = await zipFolder();
  ({ sample: sampleUrl } = await fixtureServiceUrls(zips));
});
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

let counter = 0;
/** Writes a zip of these entries and answers its file:// URL. */
async function zipUrl(entries: TestZipEntry[]): Promise<string> {
  counter++;
  return fileUrl(await writeServiceZip(zips, `z${counter}.zip`, entries));
}

const restIface = (extra: object = {}) => ({
  address: 'http://127.0.0.1:51234',
  protocol: 'rest',
  schemaType: 'protobuf',
  schemaFile: 'hw.proto',
  ...extra,
});

/** Creates a service from a descriptor (and hw.proto unless told otherwise) and expects a 400 that changed nothing. */
async function refusedCreate(name: string, entries: TestZipEntry[], message: string): Promise<void> {
  const file = await zipUrl(entries);
  const response = await failsWithoutChange(t, () => t.request('POST', '/services', { name, file }));
  expectError(response, 400, message);
  await expectNoStaging(t);
  expectJson(
    await t.request('GET', '/services'),
    t.host.services.list().length === 0 ? '[]' : JSON.stringify(t.host.services.list()),
  );
  expect(t.host.services.list()).not.toContain(name);
}

/** An alias for every rpc of hw.proto, so services built on it do not clash. */
const all = (suffix: string) =>
  ['SayHello', 'Compute', 'get_feature', 'object_detection', 'getStatus', 'RestEncodedJson'].map((rpc) => ({
    name: `${rpc}${suffix}`,
    serviceName: rpc,
  }));

const servicesFiles = async (): Promise<string[]> =>
  filesOf(Object.keys(await snapshotTree(t.dataDir))).filter(
    (path) => path.startsWith('data/services/') || path.startsWith('plugins/.meta/services/'),
  );

describe('descriptors and schemas are checked before anything is installed', () => {
  test('protocol, address, schema rules, aliases, options', async () => {
    const svc = (iface: object) => serviceEntries('svc', { interfaces: { api: iface } }, ['hw.proto']);
    const prefix = 'service create command error: parse services file svc.json failed: interface api: ';
    await refusedCreate(
      'svc',
      svc(restIface({ protocol: 'soap' })),
      `${prefix}protocol "soap" is not supported: use "rest", "grpc" or "msgpack-rpc"`,
    );
    await refusedCreate(
      'svc',
      svc(restIface({ address: 'localhost:8080' })),
      `${prefix}address "localhost:8080" does not suit a rest interface: it needs http:// or https:// and a host, such as http://127.0.0.1:8080 (a base path may follow)`,
    );
    await refusedCreate(
      'svc',
      svc(restIface({ protocol: 'grpc', address: 'tcp://localhost' })),
      `${prefix}address "tcp://localhost" does not suit a grpc interface: it needs tcp://host:port, such as tcp://127.0.0.1:50051, with no path`,
    );
    await refusedCreate(
      'svc',
      svc(restIface({ protocol: 'msgpack-rpc', address: 'http://localhost:5000' })),
      `${prefix}address "http://localhost:5000" does not suit a msgpack-rpc interface: it needs tcp://host:port, such as tcp://127.0.0.1:50051, with no path`,
    );
    await refusedCreate(
      'svc',
      svc({ address: 'http://127.0.0.1:1', protocol: 'rest', schemaless: true, schemaFile: 'hw.proto' }),
      'service create command error: Fail to parse schema file hw.proto: schemaless type does not support schema files',
    );
    await refusedCreate(
      'svc',
      svc(restIface({ schemaless: true })),
      'service create command error: Fail to parse schema file hw.proto: unsupported schema protobuf for schemaless type',
    );
    await refusedCreate(
      'svc',
      svc(restIface({ schemaType: 'json' })),
      'service create command error: Fail to parse schema file hw.proto: unsupported schema json',
    );
    await refusedCreate(
      'svc',
      svc(restIface({ schemaType: '' })),
      'service create command error: Fail to parse schema file hw.proto: unsupported schema  for schema type: set "schemaType": "protobuf" with a "schemaFile", or "schemaless": true for a REST interface without a proto',
    );
    await refusedCreate(
      'svc',
      svc(restIface({ functions: [{ name: 'hello', serviceName: 'SayHi' }] })),
      'service create command error: interface api: the function hello aliases the rpc SayHi, which hw.proto does not define; its rpcs are: SayHello, Compute, get_feature, object_detection, getStatus, RestEncodedJson',
    );
    await refusedCreate(
      'svc',
      svc(restIface({ options: { retryInterval: 'soon' } })),
      `${prefix}options.retryInterval has the wrong type: it must be of type Go duration ("500ms", "1s")`,
    );
    // The parser's own words follow (they vary with the Node version).
    expectErrorStarting(
      await failsWithoutChange(t, async () =>
        t.request('POST', '/services', {
          name: 'svc',
          file: await zipUrl(serviceEntries('svc', '{"interfaces": {')),
        }),
      ),
      400,
      "service create command error: parse services file svc.json failed: Expected property name or '}' in JSON",
    );
    await refusedCreate(
      'svc',
      svc(restIface({ schemaFile: '../hw.proto' })),
      `${prefix}schemaFile "../hw.proto" must be a relative path inside the schemas/ folder, such as "hw.proto"`,
    );
  });

  test('a proto that does not parse, a missing schema file, a missing import, a bad google.api.http rule', async () => {
    const iface = restIface({ schemaFile: 'bad.proto' });
    await refusedCreate(
      'svc',
      [
        ...serviceEntries('svc', { interfaces: { api: iface } }),
        { name: 'schemas/bad.proto', data: 'syntax = "proto3";\nmessage {' },
      ],
      "service create command error: Fail to parse schema file bad.proto: illegal type name '{' (bad.proto, line 2)",
    );
    await refusedCreate(
      'svc',
      serviceEntries('svc', { interfaces: { api: iface } }),
      "service create command error: Fail to parse schema file bad.proto: the zip has no schemas/bad.proto: put the .proto file in the zip's schemas/ folder",
    );
    for (const target of ['../../../../etc/passwd', '/etc/passwd']) {
      await refusedCreate(
        'svc',
        [
          ...serviceEntries('svc', { interfaces: { api: iface } }),
          {
            name: 'schemas/bad.proto',
            data: `syntax = "proto3";\nimport "${target}";\nservice S { rpc A(M) returns (M); }\nmessage M {}`,
          },
        ],
        `service create command error: Fail to parse schema file bad.proto: import "${target}" leaves the schemas/ folder: imports are paths inside it, such as "common/types.proto"`,
      );
    }
    await refusedCreate(
      'svc',
      [
        ...serviceEntries('svc', { interfaces: { api: iface } }),
        {
          name: 'schemas/bad.proto',
          data: 'syntax = "proto3";\nimport "common/types.proto";\nservice S { rpc A(M) returns (M); }\nmessage M {}',
        },
      ],
      'service create command error: Fail to parse schema file bad.proto: import "common/types.proto" is not in the zip: put it at schemas/common/types.proto (google/protobuf/* and google/api/annotations.proto are built in)',
    );
    await refusedCreate(
      'svc',
      [
        ...serviceEntries('svc', { interfaces: { api: iface } }),
        {
          name: 'schemas/bad.proto',
          data: 'syntax = "proto3";\nimport "google/api/annotations.proto";\nservice S { rpc A(M) returns (M) { option (google.api.http) = { get: "/v1/{nope}" }; } }\nmessage M { string id = 1; }',
        },
      ],
      'service create command error: Fail to parse schema file bad.proto: invalid uri /v1/{nope} in http option, nope field not found',
    );
  });

  test('zip rules: the descriptor at the root, no second descriptor, no path out of the data folder', async () => {
    await refusedCreate(
      'svc',
      [{ name: 'nested/svc.json', data: '{}' }],
      'service create command error: cannot find the json descriptor file svc.json for service',
    );
    await refusedCreate(
      'svc',
      [
        ...serviceEntries('svc', { interfaces: { api: restIface() } }, ['hw.proto']),
        { name: 'other.json', data: '{}' },
      ],
      'service create command error: the zip has another descriptor at its root (other.json); eKuiper would load it as a second service at its next start: remove it from the zip, or install it as a service of its own',
    );
    const file = await zipUrl([
      ...serviceEntries('svc', { interfaces: { api: restIface() } }, ['hw.proto']),
      { name: '../../../evil.proto', data: 'x' },
    ]);
    const response = await failsWithoutChange(t, () => t.request('POST', '/services', { name: 'svc', file }));
    expectErrorStarting(response, 400, 'service create command error: ');
    expect(response.json<{ message: string }>().message).toContain('evil.proto');
    expect(await pathExists(join(t.tempDir, 'evil.proto'))).toBe(false);
    expect(await readdir(t.tempDir)).toEqual(['data']);
  });

  test('the descriptor is found whatever its case and installed as <name>.json', async () => {
    const file = await zipUrl([
      { name: 'SVC.JSON', data: JSON.stringify({ interfaces: { api: restIface() } }) },
      ...serviceEntries('x', {}, ['hw.proto']).slice(1),
    ]);
    await expectCreated(t, 'svc', file);
    expect(await servicesFiles()).toEqual([
      'data/services/schemas/hw.proto',
      'data/services/svc.json',
      'plugins/.meta/services/svc.json',
    ]);
  });
});

describe('names and files', () => {
  test('a name that differs only in case from an installed service is refused', async () => {
    await expectCreated(t, 'sample', sampleUrl);
    await refusedCreate(
      'Sample',
      serviceEntries('Sample', fixtureText('sample.json'), ['hw.proto']),
      "service create command error: service Sample exist: the service 'sample' is installed, and its name differs only in case: on macOS and Windows both would use the same descriptor file. Choose another name or delete 'sample' first",
    );
  });

  test('two creates of one name at once: exactly one wins, the other is told it exists', async () => {
    const answers = await Promise.all([
      t.request('POST', '/services', { name: 'sample', file: sampleUrl }),
      t.request('POST', '/services', { name: 'sample', file: sampleUrl }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 400]);
    expect(answers.find((answer) => answer.status === 400)?.text).toContain('service sample exist');
    await expectNoStaging(t);
  });

  test("a zip's own google/api protos are used instead of the host's", async () => {
    await refusedCreate(
      'svc',
      [
        ...serviceEntries('svc', { interfaces: { api: restIface({ schemaFile: 'http_messaging.proto' }) } }, [
          'http_messaging.proto',
        ]),
        {
          name: 'schemas/google/api/annotations.proto',
          data: 'syntax = "proto3";\npackage google.api;\nbroken',
        },
      ],
      "service create command error: Fail to parse schema file http_messaging.proto: illegal token 'broken' (google/api/annotations.proto, line 3)",
    );
  });

  test("a service eKuiper put in data/services (no record of the host's) loads at start and deletes whole", async () => {
    await expectCreated(t, 'sample', sampleUrl);
    const services = join(t.dataDir, 'data', 'services');
    await writeFile(
      join(services, 'legacy.json'),
      JSON.stringify({
        interfaces: { api: restIface({ schemaFile: 'legacy/hw.proto', functions: all('L') }) },
      }),
    );
    await mkdir(join(services, 'schemas', 'legacy'));
    await writeFile(join(services, 'schemas', 'legacy', 'hw.proto'), fixtureText('schemas/hw.proto'));
    await t.restart();
    expectJson(await t.request('GET', '/services'), '["sample","legacy"]');
    expect((await t.request('GET', '/services/functions/SayHelloL')).json()).toMatchObject({
      ServiceName: 'legacy',
    });
    expectText(await t.request('DELETE', '/services/legacy'), 200, 'service legacy is deleted');
    expect(await pathExists(join(services, 'legacy.json'))).toBe(false);
    expect(await pathExists(join(services, 'schemas', 'legacy'))).toBe(false);
    expect(await pathExists(join(services, 'schemas', 'hw.proto'))).toBe(true);
  });
});

describe('all or nothing', () => {
  test('a failed update keeps the old service, its functions and its files', async () => {
    await expectCreated(t, 'sample', sampleUrl);
    const before = (await t.request('GET', '/services/sample')).text;
    const broken = await zipUrl([
      ...serviceEntries('sample', { interfaces: { api: restIface({ schemaFile: 'bad.proto' }) } }),
      { name: 'schemas/bad.proto', data: 'not a proto' },
    ]);
    const response = await failsWithoutChange(t, () =>
      t.request('PUT', '/services/sample', { file: broken }),
    );
    expectErrorStarting(response, 400, 'service update command error: Fail to parse schema file bad.proto: ');
    expect((await t.request('GET', '/services/sample')).text).toBe(before);
    expect((await t.request('GET', '/services/functions/helloFromRest')).status).toBe(200);
    await t.restart();
    expect((await t.request('GET', '/services/sample')).text).toBe(before);
  });

  test('delete removes every file the service brought, extra files and folders included', async () => {
    const before = filesOf(Object.keys(await snapshotTree(t.dataDir)));
    const file = await zipUrl([
      ...serviceEntries('svc', { interfaces: { api: restIface({ schemaFile: 'api/v1/hw.proto' }) } }),
      { name: 'schemas/api/v1/hw.proto', data: fixtureText('schemas/hw.proto') },
      { name: 'README.md', data: 'notes' },
    ]);
    await expectCreated(t, 'svc', file);
    expect(await servicesFiles()).toEqual([
      'data/services/README.md',
      'data/services/schemas/api/v1/hw.proto',
      'data/services/svc.json',
      'plugins/.meta/services/svc.json',
    ]);
    expectText(await t.request('DELETE', '/services/svc'), 200, 'service svc is deleted');
    expect(filesOf(Object.keys(await snapshotTree(t.dataDir)))).toEqual(before);
    expect(await pathExists(join(t.dataDir, 'data/services/schemas/api'))).toBe(false);
    expectJson(await t.request('GET', '/services/functions'), '[]');
  });

  test('a schema file two services bring is shared when identical, refused when different, kept until its last owner goes', async () => {
    const zipOf = (name: string) =>
      zipUrl(
        serviceEntries(name, { interfaces: { api: restIface({ functions: all(name) }) } }, ['hw.proto']),
      );
    const one = await zipOf('one');
    const two = await zipOf('two');
    await expectCreated(t, 'one', one);
    await expectCreated(t, 'two', two);
    const changed = await zipUrl([
      ...serviceEntries('three', { interfaces: { api: restIface({ functions: all('3') }) } }),
      { name: 'schemas/hw.proto', data: `${fixtureText('schemas/hw.proto')}\n// changed\n` },
    ]);
    expectError(
      await failsWithoutChange(t, () => t.request('POST', '/services', { name: 'three', file: changed })),
      400,
      "service create command error: the zip's schemas/hw.proto differs from the one the external service 'one' installed, and both would share the one file: rename the file (and its schemaFile) or delete that service first",
    );
    expectText(await t.request('DELETE', '/services/one'), 200, 'service one is deleted');
    expect(await pathExists(join(t.dataDir, 'data/services/schemas/hw.proto'))).toBe(true);
    await t.restart();
    expect((await t.request('GET', '/services/functions/SayHellotwo')).status).toBe(200);
    expectText(await t.request('DELETE', '/services/two'), 200, 'service two is deleted');
    expect(await servicesFiles()).toEqual([]);
  });
});

/** The function plugin echo2 exporting f1 and f2 (eKuiper's test zip). */
const installEcho2 = () =>
  t.request('POST', '/plugins/functions', {
    name: 'echo2',
    file: testZip('functions/echo2.zip'),
    functions: ['f1', 'f2'],
  });

describe('one function namespace', () => {
  const aliased = (name: string, fn: string) =>
    serviceEntries(
      name,
      { interfaces: { api: restIface({ functions: [{ name: fn, serviceName: 'SayHello' }] }) } },
      ['hw.proto'],
    );

  test('a service function named like another service’s, a plugin’s or a JavaScript function is refused, naming the owner', async () => {
    await expectCreated(t, 'sample', sampleUrl);
    await refusedCreate(
      'svc',
      aliased('svc', 'helloFromRest'),
      "service create command error: function name helloFromRest already exists: the external service 'sample' provides it (GET /services/functions/helloFromRest). Function names are global; rename the new function or delete that service first",
    );
    expectText(await installEcho2(), 201, 'functions plugin echo2 is created');
    await refusedCreate(
      'svc',
      aliased('svc', 'f2'),
      "service create command error: function name f2 already exists: the function plugin 'echo2' exports it. Function names are global; rename the function or delete that plugin first",
    );
    const script = {
      id: 'area',
      description: '',
      script: 'function area(x, y) { return x * y; }',
      isAgg: false,
    };
    expectText(
      await t.request('POST', '/udf/javascript', script),
      201,
      'javascript function area is created',
    );
    await refusedCreate(
      'svc',
      aliased('svc', 'area'),
      "service create command error: function name area already exists: the custom JavaScript function 'area' has that name (GET /udf/javascript/area). Function names are global; rename the new function or delete the JavaScript function first",
    );
    // Within one service: the same name from two interfaces.
    await refusedCreate(
      'svc',
      serviceEntries('svc', { interfaces: { a: restIface(), b: restIface() } }, ['hw.proto']),
      'service create command error: function name SayHello is provided twice by this service (interfaces a and b): give one of them another name with a "functions" alias',
    );
  });

  test('plugins and JavaScript functions refuse the names of service functions', async () => {
    const file = await zipUrl(aliased('svc', 'f1'));
    await expectCreated(t, 'svc', file);
    expectError(
      await installEcho2(),
      400,
      "functions plugins create command error: function name f1 already exists: the external service 'svc' provides it (GET /services/functions/f1). Function names are global; rename the new function or delete that service first",
    );
    expectError(
      await t.request('POST', '/udf/javascript', {
        id: 'Compute',
        description: '',
        script: 'function Compute() { return 1; }',
        isAgg: false,
      }),
      400,
      "javascript function create command error: function name Compute already exists: the external service 'svc' provides it (GET /services/functions/Compute). Function names are global; rename the new function or delete that service first",
    );
    // An update of the same service may keep its own names.
    expectText(await t.request('PUT', '/services/svc', { file }), 200, 'service svc is updated');
  });
});

describe('restart', () => {
  test('services load again from disk in creation order, with their functions', async () => {
    const dyn = await zipUrl([
      { name: 'dynamic.json', data: fixtureText('toadd/dynamic.json') },
      { name: 'schemas/hw2.proto', data: fixtureText('toadd/schemas/hw2.proto') },
    ]);
    await expectCreated(t, 'sample', sampleUrl);
    await expectCreated(t, 'dynamic', dyn);
    expectText(
      await t.request('PUT', '/services/sample', { file: sampleUrl }),
      200,
      'service sample is updated',
    );
    const list = (await t.request('GET', '/services')).text;
    const functions = (await t.request('GET', '/services/functions')).text;
    const described = (await t.request('GET', '/services/sample')).text;
    expect(list).toBe('["sample","dynamic"]');
    await t.restart();
    expect((await t.request('GET', '/services')).text).toBe(list);
    expect((await t.request('GET', '/services/functions')).text).toBe(functions);
    expect((await t.request('GET', '/services/sample')).text).toBe(described);
    expect(t.host.services.resolveFunction('SayHello2')?.schemaRoot).toBeDefined();
  });
});
