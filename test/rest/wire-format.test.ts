import { nodePluginScript } from '../support/node-plugin-bundle.js';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import {
  expectError,
  expectJson,
  expectText,
  failsWithoutChange,
  testZip,
  writeZip,
  zipFolder,
} from './rest-helpers.js';

// Reference §1: router answers, success and error shapes, and how request bodies are decoded.

let t: TestHost;
let zips: string;
beforeAll(async () => {
  t = await startTestHost();
  zips = await zipFolder();
});
afterAll(async () => {
  await t.close();
  await rm(zips, { recursive: true, force: true });
});

describe('success shapes', () => {
  test('JSON: exactly application/json, Content-Length, no trailing newline', async () => {
    for (const path of [
      '/plugins/sources',
      '/plugins/sinks',
      '/plugins/functions',
      '/plugins/portables',
      '/plugins/udfs',
    ]) {
      const response = await t.request('GET', path);
      expectJson(response, '[]');
      expect(response.headers.get('content-length')).toBe('2');
    }
  });

  test('text: text/plain; charset=utf-8, no trailing newline', async () => {
    const created = await t.request('POST', '/plugins/sinks', {
      name: 'file2',
      file: testZip('sinks/file2.zip'),
    });
    expectText(created, 201, 'sinks plugin file2 is created');
    const deleted = await t.request('DELETE', '/plugins/sinks/file2');
    expectText(
      deleted,
      200,
      'sinks plugin file2 is deleted and eKuiper must restart for the change to take effect.',
    );
  });

  test('<, >, &, U+2028 and U+2029 are escaped as Go does, where a client can put them (portable version)', async () => {
    const version = 'v1 <b> & \u2028\u2029 ü';
    const zip = await writeZip(zips, 'escaped.zip', [
      {
        name: 'escaped.json',
        data: JSON.stringify({ version, language: 'go', executable: 'run', functions: ['esc'] }),
      },
      { name: 'run', data: await nodePluginScript(), mode: 0o755 },
    ]);
    expect(
      (await t.request('POST', '/plugins/portables', { name: 'escaped', file: fileUrl(zip) })).status,
    ).toBe(201);
    try {
      const response = await t.request('GET', '/plugins/portables/escaped');
      expect(response.text).toContain('"version":"v1 \\u003cb\\u003e \\u0026 \\u2028\\u2029 ü"');
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(response.text)));
      expect(response.json<{ version: string }>().version).toBe(version);
      expect((await t.request('GET', '/plugins/portables')).text).toContain('\\u003cb\\u003e \\u0026');
    } finally {
      await t.request('DELETE', '/plugins/portables/escaped');
    }
  });

  test('list answers are sorted by name (byte order), whatever the install order', async () => {
    const names = ['zeta', '9lives', 'alpha', 'beta_2', 'beta-1', 'b2'];
    try {
      for (const name of names) {
        const zip = await writeZip(zips, `${name}.zip`, [{ name: `${name}.so`, data: name }]);
        expect((await t.request('POST', '/plugins/sinks', { name, file: fileUrl(zip) })).status).toBe(201);
      }
      expectJson(
        await t.request('GET', '/plugins/sinks'),
        '["9lives","alpha","b2","beta-1","beta_2","zeta"]',
      );
    } finally {
      for (const name of names) await t.request('DELETE', `/plugins/sinks/${name}`);
    }
  });
});

describe('router', () => {
  test.each([
    '/nothing',
    '/plugins',
    '/plugins/nope',
    '/plugins/portable',
    '/plugins/sources/a/b',
    '/plugins/portables/x/status/y',
    '/plugins/udfs/a/b',
    '/plugins/functions/x/register/y',
    '/plugins/sources/',
  ])('unknown path %s: 404 page not found', async (path) => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const response = await t.request(method, path);
      expect({ method, status: response.status, text: response.text }).toEqual({
        method,
        status: 404,
        text: '404 page not found\n',
      });
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
  });

  test.each([
    ['PATCH', '/plugins/sources'],
    ['PUT', '/plugins/sinks'],
    ['DELETE', '/plugins/functions'],
    ['POST', '/plugins/sources/x'],
    ['PATCH', '/plugins/sinks/x'],
    ['HEAD', '/plugins/sources'],
    ['PATCH', '/plugins/portables'],
    ['POST', '/plugins/portables/x'],
    ['POST', '/plugins/portables/x/status'],
    ['PUT', '/plugins/udfs'],
    ['DELETE', '/plugins/udfs/x'],
    ['GET', '/plugins/functions/x/register'],
    ['POST', '/plugins/sources/prebuild'],
  ])('%s %s on a known path: 405, empty body', async (method, path) => {
    const response = await failsWithoutChange(t, () => t.request(method, path));
    expect({ status: response.status, text: response.text }).toEqual({ status: 405, text: '' });
  });

  test('DELETE and PUT /plugins/{kind}/prebuild fall through to the {name} route', async () => {
    expectError(
      await failsWithoutChange(t, () => t.request('DELETE', '/plugins/sources/prebuild')),
      404,
      'delete sources plugin prebuild error: invalid name prebuild: not exist',
    );
    expectError(
      await failsWithoutChange(t, () =>
        t.request('PUT', '/plugins/sinks/prebuild', { name: 'prebuild', file: testZip('sinks/file2.zip') }),
      ),
      404,
      'update sinks plugin prebuild error, cannot delete old version: invalid name prebuild: not exist',
    );
  });

  test('a native plugin named prebuild installs and deletes, but GET answers the prebuilt list', async () => {
    const zip = await writeZip(zips, 'prebuild.zip', [{ name: 'prebuild.so', data: 'p' }]);
    expectText(
      await t.request('POST', '/plugins/sinks', { name: 'prebuild', file: fileUrl(zip) }),
      201,
      'sinks plugin prebuild is created',
    );
    expectJson(await t.request('GET', '/plugins/sinks'), '["prebuild"]');
    const listed = await t.request('GET', '/plugins/sinks/prebuild');
    expect(Object.keys(listed.json<object>())).toContain('influx');
    expect((await t.request('DELETE', '/plugins/sinks/prebuild')).status).toBe(200);
    expectJson(await t.request('GET', '/plugins/sinks'), '[]');
  });

  test('path names arrive decoded: %20 is a space', async () => {
    expectError(
      await t.request('GET', '/plugins/sources/invalid%20name'),
      400,
      "id 'invalid name' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
    expectError(
      await t.request('GET', '/plugins/portables/in%20valid'),
      404,
      'describe portable plugin in valid error: not found',
    );
  });

  test('404/1002 and 400/1000 error bodies carry the newline and nosniff', async () => {
    const response = await t.request('GET', '/plugins/sources/foo');
    expect(response.text).toBe('{"error":1002,"message":"describe sources plugin foo error: not found"}\n');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test("control characters in a message are escaped as JSON (\\u0001), where Go's %q would write \\x01", async () => {
    const response = await t.request('GET', `/plugins/sources/${encodeURIComponent('a\x01b\tc')}`);
    expect(response.text).toBe(
      '{"error":1000,"message":"id \'a\\u0001b\\tc\' contains invalid characters: only alphanumeric, hyphens and underscores are allowed"}\n',
    );
    expect(response.json<{ message: string }>().message).toContain("id 'a\x01b\tc'");
  });
});

describe('request bodies are decoded as Go json.NewDecoder(r.Body).Decode does', () => {
  const decodeError = (what: string, error: string) =>
    `Invalid body: Error decoding the ${what} plugin json: ${error}`;
  const ROUTES = [
    { path: '/plugins/sources', what: 'sources', struct: 'IOPlugin' },
    { path: '/plugins/functions', what: 'functions', struct: 'FuncPlugin' },
    { path: '/plugins/portables', what: 'portable', struct: 'IOPlugin' },
  ];

  const CASES: Array<[string, string, (struct: string) => string]> = [
    ['empty body', '', () => 'EOF'],
    ['only spaces', ' \n\t ', () => 'EOF'],
    ['truncated object', '{"name":"a"', () => 'unexpected EOF'],
    ['truncated after colon', '{"name":"a","file":', () => 'unexpected EOF'],
    ['truncated string', '{"name":"a', () => 'unexpected EOF'],
    ['truncated literal', 'nul', () => 'unexpected EOF'],
    ['top-level string', '"name"', (s) => `json: cannot unmarshal string into Go value of type plugin.${s}`],
    [
      'string then more',
      '"name":"x"',
      (s) => `json: cannot unmarshal string into Go value of type plugin.${s}`,
    ],
    ['top-level array', '[1,2]', (s) => `json: cannot unmarshal array into Go value of type plugin.${s}`],
    ['top-level number', '12', (s) => `json: cannot unmarshal number into Go value of type plugin.${s}`],
    ['top-level bool', 'true', (s) => `json: cannot unmarshal bool into Go value of type plugin.${s}`],
    [
      'number name',
      '{"name":1}',
      (s) => `json: cannot unmarshal number into Go struct field ${s}.name of type string`,
    ],
    [
      'object file',
      '{"name":"a","file":{}}',
      (s) => `json: cannot unmarshal object into Go struct field ${s}.file of type string`,
    ],
    [
      'string shellParas',
      '{"shellParas":"a"}',
      (s) => `json: cannot unmarshal string into Go struct field ${s}.shellParas of type []string`,
    ],
    [
      'number in shellParas',
      '{"shellParas":["a",2]}',
      (s) => `json: cannot unmarshal number into Go struct field ${s}.shellParas of type string`,
    ],
    [
      'first bad field in document order',
      '{"file":1,"name":2}',
      (s) => `json: cannot unmarshal number into Go struct field ${s}.file of type string`,
    ],
    ['bare word', 'x', () => "invalid character 'x' looking for beginning of value"],
    ['unquoted key', '{x:1}', () => "invalid character 'x' looking for beginning of object key string"],
    ['missing colon', '{"name" "x"}', () => "invalid character '\"' after object key"],
    ['missing comma', '{"name":"x" "file":"y"}', () => "invalid character '\"' after object key:value pair"],
    [
      'missing comma in array',
      '{"shellParas":["a" "b"]}',
      () => "invalid character '\"' after array element",
    ],
    ['bad literal', 'nope', () => "invalid character 'o' in literal null (expecting 'u')"],
    ['bad true', '{"name":trux}', () => "invalid character 'x' in literal true (expecting 'e')"],
    ['bad number', '{"name":-x}', () => "invalid character 'x' in numeric literal"],
    ['bad escape', '{"name":"\\q"}', () => "invalid character 'q' in string escape code"],
    [
      'control character in a string',
      '{"name":"a\u0001"}',
      () => "invalid character '\\x01' in string literal",
    ],
    [
      'trailing comma',
      '{"name":"a",}',
      () => "invalid character '}' looking for beginning of object key string",
    ],
  ];

  for (const route of ROUTES) {
    test.each(CASES)(`${route.path}: %s`, async (_label, body, error) => {
      const response = await failsWithoutChange(t, () => t.request('POST', route.path, body));
      expectError(response, 400, decodeError(route.what, error(route.struct)));
    });
  }

  test('functions is a field of function bodies only: ignored elsewhere', async () => {
    const response = await t.request('POST', '/plugins/sinks', '{"name":"x","file":"nope","functions":"f"}');
    expectError(response, 400, 'sinks plugins create command error: invalid uri nope');
    expectError(
      await t.request('POST', '/plugins/functions', '{"name":"x","file":"nope","functions":"f"}'),
      400,
      decodeError(
        'functions',
        'json: cannot unmarshal string into Go struct field FuncPlugin.functions of type []string',
      ),
    );
  });

  const file2 = testZip('sinks/file2.zip');
  const INSTALLS: Array<[string, string, Record<string, string>]> = [
    ['keys in any case', JSON.stringify({ NAME: 'file2', File: file2, SHELLPARAS: null }), {}],
    [
      'trailing garbage after the first value',
      `${JSON.stringify({ name: 'file2', file: file2 })} trailing ]]] garbage`,
      {},
    ],
    [
      'a second value after the first',
      `${JSON.stringify({ name: 'file2', file: file2 })}{"name":"other"}`,
      {},
    ],
    [
      'the last of two keys that fold alike',
      `{"name":"a.b","NAME":"file2","file":${JSON.stringify(file2)}}`,
      {},
    ],
    ['unknown fields', JSON.stringify({ name: 'file2', file: file2, about: { x: 1 }, extra: [1] }), {}],
    ['sent as text/plain', JSON.stringify({ name: 'file2', file: file2 }), { 'content-type': 'text/plain' }],
    [
      'sent form-encoded, as curl -d does',
      JSON.stringify({ name: 'file2', file: file2 }),
      { 'content-type': 'application/x-www-form-urlencoded' },
    ],
    [
      'sent as application/json',
      JSON.stringify({ name: 'file2', file: file2 }),
      { 'content-type': 'application/json' },
    ],
    [
      'sent as an odd type',
      JSON.stringify({ name: 'file2', file: file2 }),
      { 'content-type': 'application/octet-stream' },
    ],
  ];
  test.each(INSTALLS)('installs with %s', async (_label, body, headers) => {
    const response = await t.request('POST', '/plugins/sinks', body, headers);
    try {
      expectText(response, 201, 'sinks plugin file2 is created');
      expectJson(await t.request('GET', '/plugins/sinks'), '["file2"]');
    } finally {
      await t.request('DELETE', '/plugins/sinks/file2');
    }
  });
});
