import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FleetServerResult } from '../../../shared/server-dto';
import type { FleetDialogStage } from '../components/FleetDialogSteps';
import { noteConnectionError } from '../stores/connection-store';
import { executeFleetRun } from './fleet-execute';
import { failedServers, startRun, type FleetRun } from './fleet-run';

/**
 * The steps every fleet dialog shares (plugins, JavaScript functions, services): the stage, the preview each server
 * answered, the run's rows, the error, and `execute`, which runs the action on `servers` through `path` (the rows
 * of `kept` and the preview's `skipped` stay in the table) and calls `onFinished` when the run ends. What the
 * preview leaves to run, what it skipped and what failed are worked out here, once.
 */
export function useFleetSteps(
  path: string,
  requestFor: (servers: string[]) => { servers: string[] },
  onFinished: () => void,
) {
  const { t } = useTranslation();
  const [stage, setStage] = useState<FleetDialogStage>('form');
  const [preview, setPreview] = useState<FleetServerResult[]>([]);
  const [run, setRun] = useState<FleetRun>([]);
  const [error, setError] = useState<{ title: string; message: string } | undefined>();
  const runAbort = useRef<AbortController | undefined>(undefined);

  async function execute(servers: string[], kept: FleetRun, skipped: FleetServerResult[]) {
    setError(undefined);
    setStage('running');
    const abort = new AbortController();
    runAbort.current = abort;
    try {
      await executeFleetRun(
        requestFor(servers),
        path,
        startRun(servers, skipped, kept),
        setRun,
        abort.signal,
      );
    } catch (failure) {
      noteConnectionError(failure);
      setError({ title: t('fleet.dialog.runFailed'), message: (failure as Error).message });
    }
    if (abort.signal.aborted) return;
    setStage('finished');
    onFinished();
  }

  // A skipped server (already there, nothing to delete, an account that may only read) stays out of the run; one
  // that could not be asked is tried, so its failure is reported and can be retried.
  const toRun = preview.filter((result) => result.plan !== 'skip').map((result) => result.server);
  const skipped = preview.filter((result) => result.plan === 'skip');
  return {
    stage,
    setStage,
    preview,
    setPreview,
    run,
    error,
    setError,
    toRun,
    skipped,
    failed: failedServers(run),
    busy: stage === 'checking' || stage === 'running',
    inForm: stage === 'form' || stage === 'checking',
    /** Back to an empty form (the dialog opened afresh). */
    reset() {
      setStage('form');
      setPreview([]);
      setRun([]);
      setError(undefined);
    },
    /** Stops following a run (the dialog closed); the servers go on. */
    abort: () => runAbort.current?.abort(),
    /** Runs on every server the preview left to run. */
    runPreviewed: () => execute(toRun, [], skipped),
    /** Runs again on the servers that failed, keeping the others' rows. */
    retryFailed: () => execute(failedServers(run), run, []),
  };
}
