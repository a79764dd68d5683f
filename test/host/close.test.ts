import { connect } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { startTestHost, type TestHost } from '../support/host-harness.js';

let t: TestHost | undefined;
afterEach(async () => {
  await t?.close().catch(() => undefined);
});

test('closing the host does not wait for a client that opened a connection and never sent a request', async () => {
  t = await startTestHost();
  const socket = connect(t.host.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const closing = t.host.close().then(() => 'closed' as const);
  const waited = await Promise.race([
    closing,
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3000)),
  ]);
  socket.destroy();
  expect(waited).toBe('closed');
});
