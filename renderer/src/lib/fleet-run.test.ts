import { describe, expect, it } from 'vitest';
import type { FleetServerResult } from '../../../shared/server-dto';
import { formatElapsed } from './format';
import {
  applyFleetEvent,
  failedServers,
  isRunning,
  runCounts,
  startRun,
  uploadPercent,
  type FleetRun,
} from './fleet-run';

const result = (server: string, ok: boolean, status: number, message: string): FleetServerResult => ({
  server,
  ok,
  status,
  message,
  ms: 120,
});

describe('a fleet run, event by event', () => {
  const skip = {
    ...result('local', false, 200, 'skipped: file2 is already installed'),
    plan: 'skip' as const,
  };
  let run: FleetRun = startRun(['b', 'c'], [skip]);

  it('starts with the skipped server carrying its reason and the others queued', () => {
    expect(run.map((row) => [row.server, row.stage])).toEqual([
      ['local', 'skipped'],
      ['b', 'queued'],
      ['c', 'queued'],
    ]);
    expect(isRunning(run)).toBe(true);
  });

  it('follows phases and upload bytes per server', () => {
    run = applyFleetEvent(run, { type: 'phase', server: 'b', phase: 'upload' });
    run = applyFleetEvent(run, { type: 'upload', server: 'b', bytes: 250, totalBytes: 1000 });
    expect(run[1]).toMatchObject({ stage: 'upload', bytes: 250, totalBytes: 1000 });
    expect(uploadPercent(run[1]!)).toBe(25);
    expect(uploadPercent(run[2]!)).toBeUndefined();
    run = applyFleetEvent(run, { type: 'phase', server: 'b', phase: 'install' });
    expect(run[1]!.stage).toBe('install');
    // An event about a server not in the run changes nothing.
    expect(applyFleetEvent(run, { type: 'phase', server: 'zz', phase: 'install' })).toEqual(run);
  });

  it('keeps one failure beside the others successes', () => {
    run = applyFleetEvent(run, {
      type: 'result',
      result: result('c', false, 0, 'cannot reach c: ECONNREFUSED'),
    });
    run = applyFleetEvent(run, { type: 'result', result: result('b', true, 201, 'plugin file2 is created') });
    expect(run.map((row) => row.stage)).toEqual(['skipped', 'done', 'failed']);
    expect(run[2]!.result?.message).toBe('cannot reach c: ECONNREFUSED');
    expect(failedServers(run)).toEqual(['c']);
    expect(runCounts(run)).toEqual({ done: 1, failed: 1, skipped: 1, running: 0 });
    expect(isRunning(run)).toBe(false);
  });

  it('retries only the failed server, keeping the others rows', () => {
    run = startRun(failedServers(run), [], run);
    expect(run.map((row) => [row.server, row.stage])).toEqual([
      ['local', 'skipped'],
      ['b', 'done'],
      ['c', 'queued'],
    ]);
    run = applyFleetEvent(run, {
      type: 'done',
      results: [result('c', true, 201, 'plugin file2 is created')],
    });
    expect(run.map((row) => row.stage)).toEqual(['skipped', 'done', 'done']);
    expect(failedServers(run)).toEqual([]);
  });
});

describe('formatElapsed', () => {
  it('reads short in both languages and carries seconds into minutes', () => {
    expect(formatElapsed(340, 'en')).toBe('340 ms');
    expect(formatElapsed(1_234, 'en')).toBe('1.2 s');
    expect(formatElapsed(1_234, 'zh-CN')).toBe('1.2秒');
    expect(formatElapsed(42_000, 'en')).toBe('42 s');
    expect(formatElapsed(119_700, 'en')).toBe('2 min');
    expect(formatElapsed(125_000, 'en')).toBe('2 min 5 s');
    expect(formatElapsed(-1, 'en')).toBe('—');
  });
});
