import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { Control } from '../../main/runtime/control-channel.js';
import { dataUrl } from '../../main/runtime/ipc-urls.js';
import type { PortableInstance } from '../../main/runtime/plugin-instance.js';
import { feedSink } from '../../main/runtime/try-sink.js';
import { ipcPath } from '../../main/sp/index.js';
import { Protocol, encodeHeader } from '../../main/sp/wire.js';

/**
 * The sink feed against a plugin whose data socket stops taking bytes (a stuck or dying sink): rows the
 * socket did not take are `unsent`, never `handed`. The plugin side is a real unix socket that answers the SP
 * header and then never reads; only the control channel's start and stop are stood in for.
 */

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A sink plugin that listens where the host dials, greets, and never reads a byte. */
function stuckSink(): PortableInstance {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  const instance = {
    startSymbol: async (control: Control) => {
      const listening = createServer((socket) => {
        sockets.push(socket);
        socket.write(encodeHeader(Protocol.pull));
        socket.pause();
      });
      await new Promise<void>((resolve) => listening.listen(ipcPath(dataUrl(control.meta)), resolve));
      server = listening;
    },
    stopSymbol: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) =>
        server === undefined ? resolve() : server.close(() => resolve()),
      );
    },
  };
  cleanups.push(() => void instance.stopSymbol());
  return instance as unknown as PortableInstance;
}

test('rows the plugin socket does not take within the send timeout are unsent, and so are the rest', async () => {
  // Large rows fill the socket's kernel buffer after a few.
  const rows = Array.from({ length: 12 }, (_, n) => ({ n, pad: 'x'.repeat(256 * 1024) }));
  const result = await feedSink(stuckSink(), 'stuck', {
    config: {},
    rows,
    requireAck: false,
    ackTimeoutMs: 100,
    sendTimeoutMs: 300,
    drainMs: 0,
  });
  const statuses = result.rows.map((row) => row.status);
  expect(statuses).toHaveLength(rows.length);
  const firstUnsent = statuses.indexOf('unsent');
  expect(firstUnsent).toBeGreaterThanOrEqual(0);
  expect(statuses.slice(0, firstUnsent).every((status) => status === 'handed')).toBe(true);
  expect(statuses.slice(firstUnsent).every((status) => status === 'unsent')).toBe(true);
  // The socket layer's own words: which address did not take the row, and how long it waited.
  expect(result.rows[firstUnsent]!.message).toMatch(/did not take the message on ipc:.* within \d+ ms/);
  expect(result.rows[firstUnsent + 1]?.message).toBeUndefined();
});
