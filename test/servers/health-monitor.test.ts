import { describe, expect, test } from 'vitest';
import { HealthMonitor } from '../../main/servers/health-monitor.js';
import type { ServerCheck } from '../../shared/server-dto.js';
import { waitFor } from '../support/process-helpers.js';

// The background health checks' rules, with checks the test finishes by hand: never two checks of one server at
// once, a few servers at a time, and no stale result stored over newer settings.

function check(message: string): ServerCheck {
  return {
    ok: true,
    reachable: true,
    authOk: true,
    version: '2.4.0',
    os: 'linux',
    arch: 'amd64',
    upTimeSeconds: 1,
    latencyMs: 1,
    message,
    checkedAt: new Date().toISOString(),
  };
}

/** A monitor whose checks wait until the test finishes them; records what runs and what is stored. */
function harness(servers: Array<{ id: string; revision: number }>, concurrency = 2) {
  const pending: Array<{ id: string; revision: number; finish: (message: string) => void }> = [];
  const stored: Array<{ id: string; revision: number; message: string }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const monitor = new HealthMonitor({
    servers: () => servers,
    check: (id, revision) =>
      new Promise<ServerCheck>((resolve) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        pending.push({
          id,
          revision,
          finish: (message) => {
            running--;
            resolve(check(message));
          },
        });
      }),
    store: (id, revision, result) => stored.push({ id, revision, message: result.message }),
    intervalMs: 60_000,
    concurrency,
  });
  /** Finishes the running check of `id`. */
  const finish = (id: string, message: string) => {
    const index = pending.findIndex((entry) => entry.id === id);
    pending.splice(index, 1)[0]!.finish(message);
  };
  return { monitor, pending, stored, finish, mostAtOnce: () => mostAtOnce };
}

describe('the health monitor', () => {
  test('checks every server in a round, a few at a time', async () => {
    const servers = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, revision: 1 }));
    const h = harness(servers, 2);
    h.monitor.start();
    try {
      for (let done = 0; done < servers.length; done++) {
        await waitFor(() => h.pending.length > 0, 'a check to start');
        h.pending.shift()!.finish('fine');
      }
      await waitFor(() => h.stored.length === servers.length, 'every check stored');
      expect(h.stored.map((entry) => entry.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(h.mostAtOnce()).toBe(2);
    } finally {
      h.monitor.close();
    }
  });

  test('a check asked for while one runs on the same settings joins it', async () => {
    const h = harness([]);
    const first = h.monitor.checkNow('a', 1);
    const second = h.monitor.checkNow('a', 1);
    await waitFor(() => h.pending.length === 1, 'the check to start');
    h.pending[0]!.finish('joined');
    expect((await first).message).toBe('joined');
    expect((await second).message).toBe('joined');
    expect(h.mostAtOnce()).toBe(1);
  });

  test('new settings wait for the running check, then run; the stale result is the caller’s to drop', async () => {
    const h = harness([]);
    const old = h.monitor.checkNow('a', 1);
    const fresh = h.monitor.checkNow('a', 2);
    await waitFor(() => h.pending.length === 1, 'the first check to start');
    // Never two checks of one server at once: the second has not started.
    expect(h.pending.map((entry) => entry.revision)).toEqual([1]);
    h.pending.shift()!.finish('old settings');
    await waitFor(() => h.pending.length === 1, 'the second check to start');
    expect(h.pending[0]!.revision).toBe(2);
    h.pending.shift()!.finish('new settings');
    expect((await old).message).toBe('old settings');
    expect((await fresh).message).toBe('new settings');
    expect(h.stored.map((entry) => entry.revision)).toEqual([1, 2]);
    expect(h.mostAtOnce()).toBe(1);
  });

  test('asked-for checks do not queue behind the background limit', async () => {
    const h = harness(
      ['a', 'b'].map((id) => ({ id, revision: 1 })),
      1,
    );
    h.monitor.start();
    try {
      await waitFor(() => h.pending.length === 1, 'a background check');
      const asked = h.monitor.checkNow('z', 1);
      await waitFor(() => h.pending.some((entry) => entry.id === 'z'), 'the asked-for check to start');
      h.finish('z', 'at once');
      expect((await asked).message).toBe('at once');
      h.finish('a', 'fine');
      await waitFor(() => h.pending.length === 1, 'the second background check');
      h.finish('b', 'fine');
    } finally {
      h.monitor.close();
    }
  });

  test('a closed monitor stores nothing more', async () => {
    const h = harness([]);
    const running = h.monitor.checkNow('a', 1);
    await waitFor(() => h.pending.length === 1, 'the check to start');
    h.monitor.close();
    h.pending[0]!.finish('late');
    await running;
    expect(h.stored).toEqual([]);
  });
});
