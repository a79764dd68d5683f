import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FIXTURES, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { expectError, expectErrorStarting, expectJson, expectText, testZip } from '../rest/rest-helpers.js';

// Reference ekuiper-services-and-js-udfs.md §3: eKuiper's /udf/javascript routes, statuses and texts.

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

const area = {
  id: 'area',
  description: 'calculate area',
  script: 'function area(x, y) { return x * y; }',
  isAgg: false,
};
const AREA_JSON =
  '{"id":"area","description":"calculate area","script":"function area(x, y) { return x * y; }","isAgg":false}';

const scriptsDir = () => join(t.dataDir, 'data', 'scripts');

describe("eKuiper's script_init_test.go", () => {
  test('create, duplicate, bad JSON, invalid id, describe, missing, list, update, delete, PUT creates', async () => {
    expectText(await t.request('POST', '/udf/javascript', area), 201, 'javascript function area is created');
    expectError(
      await t.request('POST', '/udf/javascript', area),
      400,
      'javascript function create command error: Item area already exists',
    );
    expectErrorStarting(
      await t.request('POST', '/udf/javascript', '{"id":"area",'),
      400,
      'Invalid body: Error decoding the new javascript function json: ',
    );
    expectError(
      await t.request('POST', '/udf/javascript', { ...area, id: 'inv/alid' }),
      400,
      "id 'inv/alid' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
    expectJson(await t.request('GET', '/udf/javascript/area'), AREA_JSON);
    expectError(
      await t.request('GET', '/udf/javascript/nosuch'),
      400,
      'describe javascript function nosuch error: not found',
    );
    expectJson(await t.request('GET', '/udf/javascript'), '["area"]');

    const updated = { ...area, description: 'area of a rectangle' };
    expectText(
      await t.request('PUT', '/udf/javascript/area', updated),
      200,
      'javascript function area is updated',
    );
    expect((await t.request('GET', '/udf/javascript/area')).json()).toEqual(updated);
    expectErrorStarting(
      await t.request('PUT', '/udf/javascript/area', '{"id":'),
      400,
      'Invalid body: Error decoding the javascript function json: ',
    );
    expect((await t.request('GET', '/udf/javascript/area')).json()).toEqual(updated);

    expectText(await t.request('DELETE', '/udf/javascript/area'), 200, 'javascript function area is deleted');
    expectJson(await t.request('GET', '/udf/javascript'), '[]');

    const created = {
      id: 'volume',
      description: '',
      script: 'function volume(a, b, c) { return a * b * c; }',
      isAgg: false,
    };
    expectText(
      await t.request('PUT', '/udf/javascript/volume', created),
      200,
      'javascript function volume is updated',
    );
    expect((await t.request('GET', '/udf/javascript/volume')).json()).toEqual(created);
  });

  test("a wrongly typed field answers Go's decoding error", async () => {
    expectError(
      await t.request('POST', '/udf/javascript', { ...area, isAgg: 'yes' }),
      400,
      'Invalid body: Error decoding the new javascript function json: json: cannot unmarshal string into Go struct field Script.isAgg of type bool',
    );
    expectJson(await t.request('GET', '/udf/javascript'), '[]');
  });

  test("an empty id is refused with ValidateID's text", async () => {
    expectError(await t.request('POST', '/udf/javascript', { ...area, id: '' }), 400, 'id cannot be empty');
  });
});

describe("eKuiper's fvt/validation_test.go", () => {
  test.each(['GET', 'DELETE', 'PUT'])(
    '%s on udf/javascript/invalid.id answers "invalid characters"',
    async (method) => {
      expectError(
        await t.request(method, '/udf/javascript/invalid.id', method === 'PUT' ? area : undefined),
        400,
        "id 'invalid.id' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
      );
    },
  );
});

describe("eKuiper's manager_test.go", () => {
  test('a script that does not parse is refused with the syntax error and its line, and nothing is stored', async () => {
    const message = expectErrorStarting(
      await t.request('POST', '/udf/javascript', {
        ...area,
        script: 'function area(x, y) {\n  return x * ;\n}',
      }),
      400,
      'javascript function create command error: failed to interprete script: SyntaxError: ',
      '(line 2,',
    );
    expect(message).toContain('unexpected token');
    expectJson(await t.request('GET', '/udf/javascript'), '[]');
    expect(await readdir(scriptsDir())).toEqual([]);
  });

  test('a script whose function is not named like the id is refused', async () => {
    expectError(
      await t.request('POST', '/udf/javascript', {
        ...area,
        script: 'function areas(x, y) { return x * y; }',
      }),
      400,
      'javascript function create command error: cannot find function "area" in script',
    );
    // A global of that name that is not a function does not count either.
    expectError(
      await t.request('POST', '/udf/javascript', { ...area, script: 'var area = 3;' }),
      400,
      'javascript function create command error: cannot find function "area" in script',
    );
    expectJson(await t.request('GET', '/udf/javascript'), '[]');
  });

  test('a script that throws while it loads is refused with the exception', async () => {
    expectError(
      await t.request('POST', '/udf/javascript', {
        ...area,
        script: 'throw new Error("no");\nfunction area() {}',
      }),
      400,
      'javascript function create command error: failed to interprete script: Error: no (line 1, column 16)',
    );
  });

  test('deleting a missing id answers 404', async () => {
    expectError(
      await t.request('DELETE', '/udf/javascript/nosuch'),
      404,
      'delete javascript function nosuch error: nosuch is not found',
    );
  });

  test('a refused update keeps the old function', async () => {
    await t.request('POST', '/udf/javascript', area);
    expectError(
      await t.request('PUT', '/udf/javascript/area', { ...area, script: 'function other() {}' }),
      400,
      'javascript function update command error: cannot find function "area" in script',
    );
    expectJson(await t.request('GET', '/udf/javascript/area'), AREA_JSON);
    expect(JSON.parse(await readFile(join(scriptsDir(), 'area.json'), 'utf8'))).toEqual(area);
  });
});

describe('routes', () => {
  test('other methods answer 405 with an empty body, as mux does', async () => {
    const list = await t.request('DELETE', '/udf/javascript');
    expect({ status: list.status, text: list.text }).toEqual({ status: 405, text: '' });
    const one = await t.request('POST', '/udf/javascript/area', area);
    expect({ status: one.status, text: one.text }).toEqual({ status: 405, text: '' });
  });

  test('the access guard applies: a web page cannot create a function', async () => {
    const response = await t.request('POST', '/udf/javascript', area, { Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expectJson(await t.request('GET', '/udf/javascript'), '[]');
  });
});

describe('storage', () => {
  test('functions survive a host restart, one file each, and no temporary file is left', async () => {
    await t.request('POST', '/udf/javascript', area);
    await t.request('POST', '/udf/javascript', {
      id: 'sum_all',
      description: 'sum',
      script: 'function sum_all(v) { var s = 0; for (var i = 0; i < v.length; i++) s += v[i]; return s; }',
      isAgg: true,
    });
    expect((await readdir(scriptsDir())).sort()).toEqual(['area.json', 'sum_all.json']);
    await t.restart();
    expectJson(await t.request('GET', '/udf/javascript'), '["area","sum_all"]');
    expectJson(await t.request('GET', '/udf/javascript/area'), AREA_JSON);
    const call = await t.request('POST', '/manager/udf/javascript/sum_all/call', { args: [[1, 2, 3]] });
    expect(call.json<{ result: unknown }>().result).toBe(6);
  });
});

describe('clash with a plugin function', () => {
  test('an id a function plugin exports is refused, naming the plugin', async () => {
    expectText(
      await t.request('POST', '/plugins/functions', {
        name: 'echo2',
        file: testZip('functions/echo2.zip'),
        functions: ['f1', 'f2'],
      }),
      201,
      'functions plugin echo2 is created',
    );
    const script = { id: 'f2', description: '', script: 'function f2() { return 1; }', isAgg: false };
    expectError(
      await t.request('POST', '/udf/javascript', script),
      400,
      "javascript function create command error: function name f2 already exists: the function plugin 'echo2' exports it. Function names are global; rename the function or delete that plugin first",
    );
    expectErrorStarting(
      await t.request('PUT', '/udf/javascript/f2', script),
      400,
      'javascript function update command error: function name f2 already exists: ',
      "'echo2'",
    );
    expectJson(await t.request('GET', '/udf/javascript'), '[]');
  });

  test('a plugin whose function is named like a JavaScript function is refused, naming the script, and nothing is installed', async () => {
    for (const id of ['f1', 'echo']) {
      const script = { id, description: '', script: `function ${id}() { return 1; }`, isAgg: false };
      expectText(
        await t.request('POST', '/udf/javascript', script),
        201,
        `javascript function ${id} is created`,
      );
    }
    expectError(
      await t.request('POST', '/plugins/functions', {
        name: 'echo2',
        file: testZip('functions/echo2.zip'),
        functions: ['f1', 'f2'],
      }),
      400,
      "functions plugins create command error: function name f1 already exists: the custom JavaScript function 'f1' has that name (GET /udf/javascript/f1). Function names are global; rename the new function or delete the JavaScript function first",
    );
    // The Go sample portable plugin exports the function echo: refused before its program is started.
    expectErrorStarting(
      await t.request('POST', '/plugins/portables', {
        name: 'mirror',
        file: fileUrl(join(FIXTURES, 'portable/mirror.zip')),
      }),
      400,
      '',
      "function name echo already exists: the custom JavaScript function 'echo' has that name",
    );
    expectJson(await t.request('GET', '/plugins/functions'), '[]');
    expectJson(await t.request('GET', '/plugins/portables'), '[]');
    // Once the JavaScript function is gone, the same plugin installs.
    expectText(await t.request('DELETE', '/udf/javascript/f1'), 200, 'javascript function f1 is deleted');
    expectText(
      await t.request('POST', '/plugins/functions', {
        name: 'echo2',
        file: testZip('functions/echo2.zip'),
        functions: ['f1', 'f2'],
      }),
      201,
      'functions plugin echo2 is created',
    );
  });
});
