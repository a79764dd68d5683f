import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FleetServerResult } from '../../../shared/server-dto';
import type { FleetDialogStage } from '../components/FleetDialogSteps';
import { noteConnectionError } from '../stores/connection-store';
import { executeFleetRun } from './fleet-execute';
import { failedServers, isRunningStage, startRun, type FleetRun } from './fleet-run';

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
  // Which showing of the dialog the rows belong to: a run the user closed the dialog on is followed to its end
  // unseen (so `onFinished` still refreshes the page), but no longer writes into the dialog.
  const showing = useRef(0);

  async function execute(servers: string[], kept: FleetRun, skipped: FleetServerResult[]) {
    const mine = ++showing.current;
    const shown = () => showing.current === mine;
    setError(undefined);
    setStage('running');
    try {
      await executeFleetRun(
        requestFor(servers),
        path,
        startRun(servers, skipped, kept),
        (rows) => {
          if (shown()) setRun(rows);
        },
        new AbortController().signal,
      );
    } catch (failure) {
      noteConnectionError(failure);
      if (shown()) setError({ title: t('fleet.dialog.runFailed'), message: (failure as Error).message });
    }
    if (shown()) setStage('finished');
    onFinished();
  }

  // A skipped server (already there, nothing to delete, an account that may only read) stays out of the run; one
  // that could not be asked is tried, so its failure is reported and can be retried.
  const toRun = preview.filter((result) => result.plan !== 'skip').map((result) => result.server);
  const skipped = preview.filter((result) => result.plan === 'skip');
  const failed = failedServers(run);
  const waiting = run.filter((row) => isRunningStage(row.stage)).map((row) => row.server);
  const runPreviewed = () => execute(toRun, [], skipped);
  const retryFailed = () => execute(failedServers(run), run, []);

  /**
   * Asks for the preview with `load` (which may first upload a zip): shown when it answers; a failure goes back
   * to the form with the error, after `onFailure` (a dialog's own clean-up, such as its upload progress).
   */
  async function previewWith(load: () => Promise<FleetServerResult[]>, onFailure?: () => void) {
    setError(undefined);
    setStage('checking');
    try {
      setPreview(await load());
      setStage('preview');
    } catch (failure) {
      noteConnectionError(failure);
      onFailure?.();
      setError({ title: t('fleet.dialog.previewFailed'), message: (failure as Error).message });
      setStage('form');
    }
  }

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
    failed,
    busy: stage === 'checking' || stage === 'running',
    inForm: stage === 'form' || stage === 'checking',
    /** Back to an empty form (the dialog opened afresh); a run still going on is no longer shown. */
    reset() {
      showing.current++;
      setStage('form');
      setPreview([]);
      setRun([]);
      setError(undefined);
    },
    /**
     * The dialog closed: a run going on is no longer shown. The servers go on either way (the host finishes what
     * it started); the run is followed to its end unseen, so the page still refreshes when it is done.
     */
    abort: () => {
      showing.current++;
    },
    /** Runs on every server the preview left to run. */
    runPreviewed,
    /** Runs again on the servers that failed, keeping the others' rows. */
    retryFailed,
    previewWith,
    /** What `FleetDialogEnd` takes from the steps; the dialog adds its blocker, labels and Preview. */
    endProps: {
      stage,
      error,
      toRun: toRun.length,
      failed: failed.length,
      waiting,
      onBack: () => setStage('form'),
      onRun: () => void runPreviewed(),
      onRetry: () => void retryFailed(),
    },
  };
}
