import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FIXTURES, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { expectError, expectJson, expectText, failsWithoutChange, testZip } from './rest-helpers.js';

// Reference §2.1 register / udfs, §4.8: native function symbols.

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

const echo2 = (functions?: string[]) => ({
  name: 'echo2',
  file: testZip('functions/echo2.zip'),
  ...(functions === undefined ? {} : { functions }),
});
const misc = (functions?: string[]) => ({
  name: 'misc',
  file: testZip('functions/misc.zip'),
  ...(functions === undefined ? {} : { functions }),
});

describe('create with a function list', () => {
  test('lists the functions as udfs and describes them, keys sorted as Go sorts a map', async () => {
    expectText(
      await t.request('POST', '/plugins/functions', echo2(['f1', 'f2'])),
      201,
      'functions plugin echo2 is created',
    );
    expectJson(await t.request('GET', '/plugins/udfs'), '["f1","f2"]');
    expectJson(await t.request('GET', '/plugins/udfs/f1'), '{"name":"f1","plugin":"echo2"}');
    expectJson(await t.request('GET', '/plugins/udfs/f2'), '{"name":"f2","plugin":"echo2"}');
    expectError(
      await t.request('GET', '/plugins/udfs/echo2'),
      404,
      'describe function echo2 error: not found',
    );
    expectJson(
      await t.request('GET', '/plugins/functions/echo2'),
      '{"functions":["f1","f2"],"name":"echo2","version":""}',
    );
  });

  test('without a list the plugin exports its own name, and describe has no functions key', async () => {
    await t.request('POST', '/plugins/functions', misc());
    expectJson(await t.request('GET', '/plugins/udfs'), '["misc"]');
    expectJson(await t.request('GET', '/plugins/udfs/misc'), '{"name":"misc","plugin":"misc"}');
    expectJson(await t.request('GET', '/plugins/functions/misc'), '{"name":"misc","version":""}');
    // An empty list is no list.
    await t.request('POST', '/plugins/functions', echo2([]));
    expectJson(await t.request('GET', '/plugins/functions/echo2'), '{"name":"echo2","version":""}');
    expectJson(await t.request('GET', '/plugins/udfs'), '["echo2","misc"]');
  });

  test('udfs of several plugins are sorted by name', async () => {
    await t.request('POST', '/plugins/functions', echo2(['zz', 'aa']));
    await t.request('POST', '/plugins/functions', misc(['mm', 'Bb']));
    expectJson(await t.request('GET', '/plugins/udfs'), '["Bb","aa","mm","zz"]');
  });

  test('the list survives a restart (eKuiper loses it on reboot installs)', async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1', 'f2']));
    await t.restart();
    expectJson(
      await t.request('GET', '/plugins/functions/echo2'),
      '{"functions":["f1","f2"],"name":"echo2","version":""}',
    );
    expectJson(await t.request('GET', '/plugins/udfs'), '["f1","f2"]');
  });

  test('function names must be ids', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions', echo2(['ok', 'a.b'])),
    );
    expectError(
      response,
      400,
      "functions plugins create command error: invalid function name: id 'a.b' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
  });
});

describe('function name clashes', () => {
  test("another plugin's listed function: refused, nothing installed", async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1', 'f2']));
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions', misc(['f3', 'f2'])),
    );
    expectError(
      response,
      400,
      "functions plugins create command error: function name f2 already exists: the function plugin 'echo2' exports it. " +
        'Function names are global; rename the function or delete that plugin first',
    );
    expectJson(await t.request('GET', '/plugins/functions'), '["echo2"]');
    expectJson(await t.request('GET', '/plugins/udfs'), '["f1","f2"]');
  });

  test("another plugin's own name", async () => {
    await t.request('POST', '/plugins/functions', echo2());
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions', misc(['echo2'])),
    );
    expectError(
      response,
      400,
      "functions plugins create command error: function name echo2 already exists: the function plugin 'echo2' exports it. " +
        'Function names are global; rename the function or delete that plugin first',
    );
  });

  test("a plugin named like another plugin's function", async () => {
    await t.request('POST', '/plugins/functions', echo2(['misc']));
    const response = await failsWithoutChange(t, () => t.request('POST', '/plugins/functions', misc()));
    expectError(
      response,
      400,
      "functions plugins create command error: function name misc already exists: the function plugin 'echo2' exports it. " +
        'Function names are global; rename the function or delete that plugin first',
    );
  });

  test(
    "a portable plugin's function",
    async () => {
      // eKuiper's mirror dials fixed socket names: files that run it take turns.
      const release = await acquireTestLock('mirror');
      try {
        const installed = await t.request('POST', '/plugins/portables', {
          name: 'mirror',
          file: fileUrl(`${FIXTURES}/portable/mirror.zip`),
        });
        expect(installed.status).toBe(201);
        const response = await failsWithoutChange(t, () =>
          t.request('POST', '/plugins/functions', echo2(['echo'])),
        );
        expectError(
          response,
          400,
          "functions plugins create command error: function name echo already exists: the portable plugin 'mirror' exports it. " +
            'Function names are global; rename the function or delete that plugin first',
        );
      } finally {
        await t.request('DELETE', '/plugins/portables/mirror');
        await release();
      }
    },
    LOCK_WAIT_MS,
  );

  test('deleting a plugin frees its function names at once', async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1', 'f2']));
    expect((await t.request('DELETE', '/plugins/functions/echo2')).status).toBe(200);
    expectJson(await t.request('GET', '/plugins/udfs'), '[]');
    expectError(await t.request('GET', '/plugins/udfs/f1'), 404, 'describe function f1 error: not found');
    expectText(
      await t.request('POST', '/plugins/functions', misc(['f2'])),
      201,
      'functions plugin misc is created',
    );
    expectJson(await t.request('GET', '/plugins/udfs/f2'), '{"name":"f2","plugin":"misc"}');
  });

  test('an update may keep its own function names and change the list', async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1', 'f2']));
    await t.request('POST', '/plugins/functions', misc(['m1']));
    const kept = await t.request('PUT', '/plugins/functions/echo2', echo2(['f2', 'f3']));
    expectText(kept, 200, 'plugin echo2 is updated and eKuiper must restart for the change to take effect.');
    expectJson(await t.request('GET', '/plugins/udfs'), '["f2","f3","m1"]');
    const clash = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/functions/echo2', echo2(['m1'])),
    );
    expectError(
      clash,
      400,
      "functions plugins create command error: function name m1 already exists: the function plugin 'misc' exports it. " +
        'Function names are global; rename the function or delete that plugin first',
    );
    expectJson(await t.request('GET', '/plugins/udfs'), '["f2","f3","m1"]');
  });
});

describe('POST /plugins/functions/{name}/register', () => {
  test('replaces the list: 200, udfs and describe follow', async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1', 'f2']));
    const response = await t.request('POST', '/plugins/functions/echo2/register', {
      functions: ['f3', 'f4'],
    });
    expectText(response, 200, 'function plugin echo2 function list is registered');
    expectJson(await t.request('GET', '/plugins/udfs'), '["f3","f4"]');
    expectJson(
      await t.request('GET', '/plugins/functions/echo2'),
      '{"functions":["f3","f4"],"name":"echo2","version":""}',
    );
    expectJson(await t.request('GET', '/plugins/udfs/f4'), '{"name":"f4","plugin":"echo2"}');
  });

  test('on a plugin installed without a list, replaces its own name', async () => {
    await t.request('POST', '/plugins/functions', misc());
    expectText(
      await t.request('POST', '/plugins/functions/misc/register', { functions: ['x1'] }),
      200,
      'function plugin misc function list is registered',
    );
    expectJson(await t.request('GET', '/plugins/udfs'), '["x1"]');
    expectError(await t.request('GET', '/plugins/udfs/misc'), 404, 'describe function misc error: not found');
  });

  test('persists across a restart, and the plugin deletes cleanly afterwards', async () => {
    await t.request('POST', '/plugins/functions', echo2());
    await t.request('POST', '/plugins/functions/echo2/register', { functions: ['r1', 'r2'] });
    await t.restart();
    expectJson(await t.request('GET', '/plugins/udfs'), '["r1","r2"]');
    expectJson(
      await t.request('GET', '/plugins/functions/echo2'),
      '{"functions":["r1","r2"],"name":"echo2","version":""}',
    );
    expect((await t.request('DELETE', '/plugins/functions/echo2')).status).toBe(200);
    expectJson(await t.request('GET', '/plugins/udfs'), '[]');
    await t.restart();
    expectJson(await t.request('GET', '/plugins/udfs'), '[]');
    expectJson(await t.request('GET', '/plugins/functions'), '[]');
  });

  test('unknown plugin: 404 register functions plugin none error: not found, whatever the body', async () => {
    for (const body of [{ functions: ['a'] }, { functions: 'echo2' }, '', '{']) {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', '/plugins/functions/none/register', body),
      );
      expectError(response, 404, 'register functions plugin none error: not found');
    }
  });

  test('a plugin of another kind is unknown here', async () => {
    await t.request('POST', '/plugins/sinks', { name: 'file2', file: testZip('sinks/file2.zip') });
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions/file2/register', { functions: ['a'] }),
    );
    expectError(response, 404, 'register functions plugin file2 error: not found');
  });

  test('bad bodies: 400, the list unchanged', async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1']));
    const cases: Array<[unknown, string]> = [
      [
        { functions: 'echo2' },
        'Invalid body: Error decoding the function list json: json: cannot unmarshal string into Go struct field functionList.functions of type []string',
      ],
      [
        '["f"]',
        'Invalid body: Error decoding the function list json: json: cannot unmarshal array into Go value of type server.functionList',
      ],
      ['', 'Invalid body: Error decoding the function list json: EOF'],
      ['{"functions":["a"', 'Invalid body: Error decoding the function list json: unexpected EOF'],
      [
        { functions: [] },
        "function plugins echo2 register functions error: property 'functions' must not be empty",
      ],
      [{}, "function plugins echo2 register functions error: property 'functions' must not be empty"],
      [
        { FUNCTIONS: null },
        "function plugins echo2 register functions error: property 'functions' must not be empty",
      ],
      [
        { functions: ['ok', 'not ok'] },
        "function plugins echo2 register functions error: invalid function name: id 'not ok' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
      ],
    ];
    for (const [body, message] of cases) {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', '/plugins/functions/echo2/register', body),
      );
      expectError(response, 400, message);
    }
    expectJson(await t.request('GET', '/plugins/udfs'), '["f1"]');
  });

  test("a function another plugin exports: 400 and nothing changes (eKuiper's is half-applied)", async () => {
    await t.request('POST', '/plugins/functions', echo2(['f1']));
    await t.request('POST', '/plugins/functions', misc());
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions/echo2/register', { functions: ['f2', 'misc'] }),
    );
    expectError(
      response,
      400,
      "function plugins echo2 register functions error: function name misc already exists: the function plugin 'misc' exports it. " +
        'Function names are global; rename the function or delete that plugin first',
    );
    expectJson(await t.request('GET', '/plugins/udfs'), '["f1","misc"]');
    expectJson(
      await t.request('GET', '/plugins/functions/echo2'),
      '{"functions":["f1"],"name":"echo2","version":""}',
    );
  });

  test('the key is matched case-insensitively', async () => {
    await t.request('POST', '/plugins/functions', echo2());
    expect(
      (await t.request('POST', '/plugins/functions/echo2/register', '{"Functions":["k1"]}')).status,
    ).toBe(200);
    expectJson(await t.request('GET', '/plugins/udfs'), '["k1"]');
  });
});
