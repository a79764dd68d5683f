import type { FleetProgressEvent, FleetServerResult } from '../../../shared/server-dto';

/** Where one server is in a fleet action, as its row in the results shows it. */
export type ServerRunStage =
  /** Not run: the preview said there is nothing to do. */
  | 'skipped'
  /** Sent to the host, not started yet (waiting for a free slot of the concurrency). */
  | 'queued'
  | 'upload'
  | 'install'
  | 'delete'
  | 'cleanup'
  | 'done'
  | 'failed';

export interface ServerRun {
  server: string;
  stage: ServerRunStage;
  /** While uploading: bytes sent of the total. */
  bytes?: number;
  totalBytes?: number;
  /** The server's result once it has one (or, for a skipped server, the preview's). */
  result?: FleetServerResult;
}

/** Every target's row, in the order the servers were chosen. */
export type FleetRun = ServerRun[];

/**
 * The rows at the start of a run: `running` servers queued, `skipped` ones carrying the preview's reason.
 * Rows of servers not in either (a retry keeps the others' results) are passed in `kept`.
 */
export function startRun(
  running: readonly string[],
  skipped: readonly FleetServerResult[] = [],
  kept: FleetRun = [],
): FleetRun {
  const rows = new Map<string, ServerRun>(kept.map((row) => [row.server, row]));
  for (const result of skipped) rows.set(result.server, { server: result.server, stage: 'skipped', result });
  for (const server of running) rows.set(server, { server, stage: 'queued' });
  return [...rows.values()];
}

/** The rows after one progress event from the host; events about servers not in the run are ignored. */
export function applyFleetEvent(run: FleetRun, event: FleetProgressEvent): FleetRun {
  const update = (server: string, change: (row: ServerRun) => ServerRun): FleetRun =>
    run.map((row) => (row.server === server ? change(row) : row));
  switch (event.type) {
    case 'queued':
      return update(event.server, (row) => ({ server: row.server, stage: 'queued' }));
    case 'phase':
      return update(event.server, (row) => ({ ...row, stage: event.phase }));
    case 'upload':
      return update(event.server, (row) => ({
        ...row,
        stage: 'upload',
        bytes: event.bytes,
        totalBytes: event.totalBytes,
      }));
    case 'result':
      return update(event.result.server, (row) => ({
        server: row.server,
        stage: event.result.ok ? 'done' : 'failed',
        result: event.result,
      }));
    case 'done':
      return event.results.reduce((rows, result) => applyFleetEvent(rows, { type: 'result', result }), run);
  }
}

/** Servers whose last attempt failed: what "Retry failed" runs again. */
export function failedServers(run: FleetRun): string[] {
  return run.filter((row) => row.stage === 'failed').map((row) => row.server);
}

/** Whether a server at `stage` is still on its way (queued or at work). */
export function isRunningStage(stage: ServerRunStage): boolean {
  return !['skipped', 'done', 'failed'].includes(stage);
}

/** Whether any server is still on its way. */
export function isRunning(run: FleetRun): boolean {
  return run.some((row) => isRunningStage(row.stage));
}

/** Counts for the summary line: succeeded, failed, skipped, still running. */
export function runCounts(run: FleetRun): { done: number; failed: number; skipped: number; running: number } {
  const counts = { done: 0, failed: 0, skipped: 0, running: 0 };
  for (const row of run) {
    if (row.stage === 'done') counts.done++;
    else if (row.stage === 'failed') counts.failed++;
    else if (row.stage === 'skipped') counts.skipped++;
    else counts.running++;
  }
  return counts;
}

/** Upload progress in percent, when the host reported sizes. */
export function uploadPercent(row: ServerRun): number | undefined {
  if (row.stage !== 'upload' || row.bytes === undefined || !row.totalBytes) return undefined;
  return Math.min(100, (row.bytes / row.totalBytes) * 100);
}
