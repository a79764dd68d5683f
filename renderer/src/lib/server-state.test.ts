import { describe, expect, it } from 'vitest';
import type { ServerCheck } from '../../../shared/server-dto';
import { healthCheck, serverInfo } from '../test/servers';
import { serverState } from './server-state';

const base = serverInfo('edge-1', 'Edge 1', { health: undefined });
const check = (overrides: Partial<ServerCheck>): ServerCheck =>
  healthCheck({ checkedAt: '2026-11-23T10:00:00.000Z', ...overrides });

describe('serverState', () => {
  it('is unchecked (grey) until a check has finished', () => {
    expect(serverState(base)).toMatchObject({ standing: 'unchecked', tone: 'grey' });
  });

  it('reads up, down, auth, read-only and other problems from the health check', () => {
    expect(serverState({ ...base, health: check({}) })).toMatchObject({ standing: 'up', tone: 'green' });
    expect(
      serverState({
        ...base,
        health: check({
          ok: false,
          reachable: false,
          authOk: null,
          problem: 'timeout',
          message: 'no answer',
        }),
      }),
    ).toMatchObject({ standing: 'down', tone: 'red', timedOut: true, message: 'no answer' });
    expect(
      serverState({
        ...base,
        health: check({ ok: false, authOk: false, problem: 'auth', message: 'missing_token' }),
      }),
    ).toMatchObject({ standing: 'auth', tone: 'amber', message: 'missing_token' });
    expect(serverState({ ...base, health: check({ readOnly: true, role: 'Viewer' }) })).toMatchObject({
      standing: 'readOnly',
      tone: 'amber',
    });
    expect(serverState({ ...base, health: check({ ok: false, problem: 'not-ekuiper' }) })).toMatchObject({
      standing: 'problem',
    });
  });

  it("lets a request's failure count until a later check says otherwise", () => {
    const healthy = { ...base, health: check({}) };
    const before = Date.parse('2026-11-23T09:59:00.000Z');
    const after = Date.parse('2026-11-23T10:01:00.000Z');
    expect(serverState(healthy, { kind: 'unreachable', message: 'refused', at: after })).toMatchObject({
      standing: 'down',
      message: 'refused',
    });
    expect(serverState(healthy, { kind: 'auth', message: 'missing_token', at: after }).standing).toBe('auth');
    expect(serverState(healthy, { kind: 'unreachable', message: 'refused', at: before }).standing).toBe('up');
  });
});
