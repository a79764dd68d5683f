import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import { expectError, expectErrorStarting } from '../rest/rest-helpers.js';

// Try it (POST /manager/udf/javascript/{id}/call) with eKuiper's function.go rules (function_test.go's cases).

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
  const functions = [
    { id: 'area', script: 'function area(x, y) { return x * y; }', isAgg: false },
    { id: 'concat', script: 'function concat(a, b) { return a + b; }', isAgg: false },
    { id: 'argc', script: 'function argc(a, b) { return arguments.length + ":" + typeof b; }', isAgg: false },
    {
      id: 'areas',
      script:
        'function areas(x, y) { var s = 0; for (var i = 0; i < x.length; i++) s += x[i] * y[i]; return s; }',
      isAgg: true,
    },
    {
      id: 'objfn',
      script: 'function objfn(o) { return { sum: o.a + o.b, tags: o.tags.concat(["js"]) }; }',
      isAgg: false,
    },
    { id: 'boom', script: 'function boom() { throw new Error("sensor offline"); }', isAgg: false },
    { id: 'thrower', script: 'function thrower() { throw "plain text"; }', isAgg: false },
    { id: 'nothing', script: 'function nothing() {}', isAgg: false },
    { id: 'inf', script: 'function inf(x) { return x / 0; }', isAgg: false },
  ];
  for (const fn of functions) {
    const response = await t.request('POST', '/udf/javascript', { description: '', ...fn });
    expect(response.status, response.text).toBe(201);
  }
});
afterAll(async () => t.close());

async function call(id: string, args: unknown[]): Promise<{ result: unknown; ms: number }> {
  const response = await t.request('POST', `/manager/udf/javascript/${id}/call`, { args });
  expect(response.status, response.text).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  return response.json();
}

describe("eKuiper's function_test.go", () => {
  test('integers, floats and strings, coerced as JavaScript does', async () => {
    expect((await call('area', [2, 3])).result).toBe(6);
    expect((await call('area', [2.5, 4])).result).toBe(10);
    expect((await call('area', ['2', '3'])).result).toBe(6);
    expect((await call('concat', ['2', 3])).result).toBe('23');
  });

  test('extra arguments are ignored and missing ones are undefined', async () => {
    expect((await call('area', [2, 3, 4])).result).toBe(6);
    expect((await call('argc', [1])).result).toBe('1:undefined');
  });

  test('a NaN result is an error', async () => {
    expectError(
      await t.request('POST', '/manager/udf/javascript/area/call', { args: [2] }),
      400,
      'call javascript function area error: result is NaN',
    );
    expectError(
      await t.request('POST', '/manager/udf/javascript/area/call', { args: ['a', 2] }),
      400,
      'call javascript function area error: result is NaN',
    );
  });

  test('an infinite result is an error, either sign', async () => {
    for (const x of [1, -1]) {
      expectError(
        await t.request('POST', '/manager/udf/javascript/inf/call', { args: [x] }),
        400,
        'call javascript function inf error: result is Inf',
      );
    }
  });

  test('an aggregate function gets each argument as the array of values', async () => {
    expect(
      (
        await call('areas', [
          [2, 3],
          [3, 4],
        ])
      ).result,
    ).toBe(18);
    expectError(
      await t.request('POST', '/manager/udf/javascript/areas/call', { args: [[2, 3], 4] }),
      400,
      'call javascript function areas error: aggregate function areas takes each argument as an array of values (one per row): argument 2 is not an array',
    );
  });

  test('object arguments and object results', async () => {
    expect((await call('objfn', [{ a: 1, b: 2, tags: ['x'] }])).result).toEqual({
      sum: 3,
      tags: ['x', 'js'],
    });
  });
});

describe('Try it', () => {
  test('answers the time the call took', async () => {
    const answer = await call('area', [6, 7]);
    expect(Object.keys(answer)).toEqual(['result', 'ms']);
    expect(answer.ms).toBeGreaterThanOrEqual(0);
  });

  test('a thrown exception answers its message', async () => {
    expectErrorStarting(
      await t.request('POST', '/manager/udf/javascript/boom/call', { args: [] }),
      400,
      'call javascript function boom error: Error: sensor offline',
    );
    expectError(
      await t.request('POST', '/manager/udf/javascript/thrower/call', {}),
      400,
      'call javascript function thrower error: plain text',
    );
  });

  test('undefined answers null; no body calls with no arguments', async () => {
    const response = await t.request('POST', '/manager/udf/javascript/nothing/call');
    expect(response.json<{ result: unknown }>().result).toBeNull();
  });

  test('a missing function answers 404, bad bodies 400', async () => {
    expectError(
      await t.request('POST', '/manager/udf/javascript/nosuch/call', { args: [] }),
      404,
      'call javascript function nosuch error: not found',
    );
    expectErrorStarting(
      await t.request('POST', '/manager/udf/javascript/area/call', '{"args":'),
      400,
      'Invalid body: ',
    );
    expectError(
      await t.request('POST', '/manager/udf/javascript/area/call', { args: 3 }),
      400,
      'Invalid body: the body must be a JSON object whose "args" is the array of arguments',
    );
    expectError(
      await t.request('POST', '/manager/udf/javascript/in.valid/call', { args: [] }),
      400,
      "id 'in.valid' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    );
    const get = await t.request('GET', '/manager/udf/javascript/area/call');
    expect(get.status).toBe(405);
  });
});
