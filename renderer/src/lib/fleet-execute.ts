import { runFleetAction } from '../api/fleet-api';
import { applyFleetEvent, type FleetRun } from './fleet-run';

/**
 * Runs a fleet action (plugins, JavaScript functions or services: `path` is its route) from `rows`, reporting the
 * rows after every progress event. When the run breaks off (the host went away), the servers the host never got
 * to are marked failed with the reason, so "Retry failed" sends them again; the reason is answered (undefined
 * when the run finished). An abort (the dialog closed) answers undefined and reports nothing more.
 */
export async function executeFleetRun(
  request: { servers: string[] },
  path: string,
  rows: FleetRun,
  onRows: (rows: FleetRun) => void,
  signal: AbortSignal,
): Promise<string | undefined> {
  let current = rows;
  onRows(current);
  try {
    await runFleetAction(
      request,
      (event) => {
        current = applyFleetEvent(current, event);
        onRows(current);
      },
      signal,
      path,
    );
    return undefined;
  } catch (failure) {
    if (signal.aborted) return undefined;
    const message = (failure as Error).message;
    onRows(
      current.map((row) =>
        row.stage === 'done' || row.stage === 'failed' || row.stage === 'skipped'
          ? row
          : {
              server: row.server,
              stage: 'failed',
              result: { server: row.server, ok: false, status: 0, message, ms: 0 },
            },
      ),
    );
    throw failure;
  }
}
