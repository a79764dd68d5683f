import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileUrl, startTestHost, TEST_ZIPS, type TestHost } from './support/host-harness.js';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => t.close());

test('installs and lists a fixture source over real HTTP', async () => {
  const created = await t.request('POST', '/plugins/sources', {
    name: 'random3',
    file: fileUrl(`${TEST_ZIPS}/sources/random3.zip`),
  });
  expect(created.text).toBe('sources plugin random3 is created');
  expect(created.status).toBe(201);
  expect(created.text).toBe('sources plugin random3 is created');
  const listed = await t.request('GET', '/plugins/sources');
  expect(listed.json()).toEqual(['random3']);
});
