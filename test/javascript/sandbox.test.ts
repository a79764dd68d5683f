import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHost, type TestHost, type TestResponse } from '../support/host-harness.js';
import { expectError, expectErrorStarting } from '../rest/rest-helpers.js';

// Scripts run in QuickJS on a worker thread: runaway scripts are stopped with a clear message, and the host keeps
// answering other requests while one runs.

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => t.close());

/**
 * Sends `slow`, and while it is still unanswered asks `GET /ping` and the list: both must answer before `slow`
 * does, which is only possible when the script does not hold the host's event loop.
 */
async function whileRunning(slow: () => Promise<TestResponse>): Promise<TestResponse> {
  let settled = false;
  const pending = slow().finally(() => {
    settled = true;
  });
  // Give the request time to reach the sandbox before asking the others.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const ping = await t.request('GET', '/ping');
  const list = await t.request('GET', '/udf/javascript');
  expect(ping.status).toBe(200);
  expect(list.status).toBe(200);
  expect(settled, 'the host answered only after the script stopped').toBe(false);
  return pending;
}

function fn(id: string, body: string, isAgg = false) {
  return { id, description: '', script: `function ${id}(n) {\n${body}\n}`, isAgg };
}

function call(id: string, args: unknown[] = []): Promise<TestResponse> {
  return t.request('POST', `/manager/udf/javascript/${id}/call`, { args });
}

async function expectNotStored(id: string): Promise<void> {
  expectError(
    await t.request('GET', `/udf/javascript/${id}`),
    400,
    `describe javascript function ${id} error: not found`,
  );
}

describe('a runaway script is refused on create, the host answering meanwhile', () => {
  test('an endless loop while the script loads', async () => {
    const response = await whileRunning(() =>
      t.request('POST', '/udf/javascript', {
        ...fn('spin', ''),
        script: 'while (true) {}\nfunction spin() {}',
      }),
    );
    expectError(
      response,
      400,
      'javascript function create command error: failed to interprete script: the script ran longer than 500 ms and was stopped (an endless loop?); eKuiper has no such limit and would hang the rule',
    );
    await expectNotStored('spin');
  });

  test('a memory bomb while the script loads', async () => {
    const response = await t.request('POST', '/udf/javascript', {
      ...fn('bomb', ''),
      script: 'var big = new Array(1e9).fill(0);\nfunction bomb() {}',
    });
    expectError(
      response,
      400,
      'javascript function create command error: failed to interprete script: the script needed more than 32 MB of memory and was stopped',
    );
    await expectNotStored('bomb');
  });
});

describe('a runaway call is refused, the host answering meanwhile', () => {
  test('an endless loop', async () => {
    expect((await t.request('POST', '/udf/javascript', fn('loop', 'while (true) {}'))).status).toBe(201);
    const response = await whileRunning(() => call('loop'));
    expectErrorStarting(
      response,
      400,
      'call javascript function loop error: the script ran longer than 500 ms',
    );
    // The sandbox is usable again afterwards.
    expect((await t.request('POST', '/udf/javascript', fn('double', 'return n * 2;'))).status).toBe(201);
    expect((await call('double', [21])).json<{ result: number }>().result).toBe(42);
  });

  test('deep recursion', async () => {
    expect((await t.request('POST', '/udf/javascript', fn('deep', 'return deep(n + 1) + 1;'))).status).toBe(
      201,
    );
    expectError(
      await call('deep', [0]),
      400,
      'call javascript function deep error: the script recursed too deeply (stack overflow) and was stopped',
    );
  });

  test('a 1 GB array', async () => {
    expect(
      (await t.request('POST', '/udf/javascript', fn('gig', 'return new Array(n).fill(1).length;'))).status,
    ).toBe(201);
    expectError(
      await call('gig', [1024 * 1024 * 1024]),
      400,
      'call javascript function gig error: the script needed more than 32 MB of memory and was stopped',
    );
  });

  test('a loop that allocates near the memory limit is stopped, by QuickJS or by ending its worker', async () => {
    expect(
      (
        await t.request(
          'POST',
          '/udf/javascript',
          fn('hog', 'var a = []; for (;;) a.push(new Array(1e5).fill(n));'),
        )
      ).status,
    ).toBe(201);
    const response = await whileRunning(() => call('hog', [1]));
    const message = expectErrorStarting(response, 400, 'call javascript function hog error: the script ');
    expect(message).toMatch(/needed more than 32 MB|ran longer than 500 ms|did not stop within 1 s/);
    expect((await call('double', [4])).json<{ result: number }>().result).toBe(8);
  });
});

describe('nothing of the host is reachable from a script', () => {
  test('no require, process, module, console, fetch or file system', async () => {
    const probe = fn(
      'probe',
      'return [typeof require, typeof process, typeof module, typeof console, typeof fetch, typeof Buffer, ' +
        'typeof setTimeout, typeof WebAssembly, typeof std, typeof os].join(",");',
    );
    expect((await t.request('POST', '/udf/javascript', probe)).status).toBe(201);
    expect((await call('probe')).json<{ result: string }>().result).toBe(
      'undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined,undefined',
    );
  });

  test("globalThis holds only the language built-ins and the script's own functions", async () => {
    const names = fn('names', 'return Object.getOwnPropertyNames(globalThis);');
    expect((await t.request('POST', '/udf/javascript', names)).status).toBe(201);
    const globals = (await call('names')).json<{ result: string[] }>().result;
    expect(globals).toContain('names');
    expect(globals).toContain('JSON');
    for (const host of [
      'require',
      'process',
      'global',
      'module',
      'exports',
      'console',
      'Buffer',
      'fetch',
      'navigator',
    ]) {
      expect(globals).not.toContain(host);
    }
  });

  test('calling require throws inside the sandbox and answers its message', async () => {
    const leak = fn('leak', 'return require("fs").readFileSync("/etc/passwd", "utf8");');
    expect((await t.request('POST', '/udf/javascript', leak)).status).toBe(201);
    expectErrorStarting(
      await call('leak'),
      400,
      "call javascript function leak error: ReferenceError: 'require' is not defined",
    );
  });

  test("a function's global variables carry from call to call, as in a running rule, until it is saved again", async () => {
    const counter = {
      id: 'counter',
      description: '',
      script: 'var c = 0;\nfunction counter() { c += 1; globalThis.leaked = c; return c; }',
      isAgg: false,
    };
    expect((await t.request('POST', '/udf/javascript', counter)).status).toBe(201);
    expect((await call('counter')).json<{ result: number }>().result).toBe(1);
    expect((await call('counter')).json<{ result: number }>().result).toBe(2);
    // Another function never sees them.
    const peek = fn('peek', 'return typeof c + "/" + typeof globalThis.leaked;');
    expect((await t.request('POST', '/udf/javascript', peek)).status).toBe(201);
    expect((await call('peek')).json<{ result: string }>().result).toBe('undefined/undefined');
    // Saving the same script again, or deleting and creating it, starts a fresh engine.
    expect((await t.request('PUT', '/udf/javascript/counter', counter)).status).toBe(200);
    expect((await call('counter')).json<{ result: number }>().result).toBe(1);
    expect((await t.request('DELETE', '/udf/javascript/counter')).status).toBe(200);
    expect((await t.request('POST', '/udf/javascript', counter)).status).toBe(201);
    expect((await call('counter')).json<{ result: number }>().result).toBe(1);
  });

  test('a call that runs out of memory frees its engine; the next call starts afresh', async () => {
    const grow = fn(
      'grow',
      'if (typeof kept === "undefined") { kept = []; }\nif (n > 0) { var a = []; for (;;) a.push(new Array(1e5)); }\nkept.push(1); return kept.length;',
    );
    expect((await t.request('POST', '/udf/javascript', grow)).status).toBe(201);
    expect((await call('grow', [0])).json<{ result: number }>().result).toBe(1);
    expect((await call('grow', [0])).json<{ result: number }>().result).toBe(2);
    expect((await call('grow', [1])).status).toBe(400);
    expect((await call('grow', [0])).json<{ result: number }>().result).toBe(1);
  });
});
