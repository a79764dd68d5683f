import { useCallback, useEffect, useRef, useState } from 'react';
import type { DevelopBuild, DevelopEvent, DevelopSession, DevelopState } from '../../../shared/develop-dto';
import { developApi, followDevelopEvents } from '../api/develop-api';
import { HostError } from '../api/http';
import { noteConnectionError } from '../stores/connection-store';

/** A build under way: when it began and what changed. */
export interface BuildInProgress {
  at: number;
  changed: string[];
}

export interface DevelopView {
  session: DevelopSession | undefined;
  state: DevelopState | undefined;
  /** Builds newest first, as the timeline lists them. */
  builds: DevelopBuild[];
  building: BuildInProgress | undefined;
  /** Grows with every build that installed or updated the plugin: the symbols and log may have changed. */
  pluginRevision: number;
  /** Grows when a metadata JSON changed (and at the first install): the describe view reads it again. */
  metadataRevision: number;
  /** Why the session stopped, once it has. */
  stopReason: 'requested' | 'host-closing' | undefined;
  start: (folder: string) => Promise<void>;
  stop: () => Promise<void>;
}

const isBuildEvent = (
  event: DevelopEvent,
): event is Extract<DevelopEvent, { type: 'updated' | 'unchanged' | 'refused' }> =>
  event.type === 'updated' || event.type === 'unchanged' || event.type === 'refused';

/** The build an event carries, without its `type`. */
function buildOf(event: Extract<DevelopEvent, { type: 'updated' | 'unchanged' | 'refused' }>): DevelopBuild {
  const build: DevelopBuild & { type?: string } = { ...event };
  delete build.type;
  return build;
}

/**
 * A develop session as the Develop page shows it: on opening the page it picks up a session the host already
 * runs (the page was left and opened again), follows its events, and keeps the timeline and the revisions the
 * Try it, log and describe parts read. `start` throws the host's refusal.
 */
export function useDevelopSession(): DevelopView {
  const [session, setSession] = useState<DevelopSession | undefined>();
  const [state, setState] = useState<DevelopState | undefined>();
  const [builds, setBuilds] = useState<DevelopBuild[]>([]);
  const [building, setBuilding] = useState<BuildInProgress | undefined>();
  const [pluginRevision, setPluginRevision] = useState(0);
  const [metadataRevision, setMetadataRevision] = useState(0);
  const [stopReason, setStopReason] = useState<DevelopView['stopReason']>();
  const following = useRef<AbortController | undefined>(undefined);

  const onEvent = useCallback((event: DevelopEvent) => {
    if (event.type === 'building') {
      setBuilding({ at: event.at, changed: event.changed });
      setState('building');
    } else if (isBuildEvent(event)) {
      const build = buildOf(event);
      setBuilding(undefined);
      setBuilds((previous) => [build, ...previous]);
      setState(build.result === 'refused' ? 'refused' : 'running');
      setSession((previous) =>
        previous === undefined
          ? previous
          : { ...previous, lastBuild: build, runningSha256: build.runningSha256 },
      );
      if (build.result === 'installed' || build.result === 'updated') {
        setPluginRevision((value) => value + 1);
        if (build.result === 'installed' || build.metadataChanged) setMetadataRevision((value) => value + 1);
      } else if (build.runningSha256 !== undefined) {
        // A first build that found the plugin already running (installed from this very folder, or refused
        // while an earlier version runs): Try it, the log and the description are there to read all the same.
        setPluginRevision((value) => (value === 0 ? 1 : value));
        setMetadataRevision((value) => (value === 0 ? 1 : value));
      }
    } else if (event.type === 'stopped') {
      setBuilding(undefined);
      setState('stopped');
      setStopReason(event.reason);
    }
  }, []);

  const follow = useCallback(
    (next: DevelopSession) => {
      following.current?.abort();
      const stop = new AbortController();
      following.current = stop;
      setSession(next);
      setState(next.state);
      setBuilds([]);
      setBuilding(undefined);
      setStopReason(undefined);
      followDevelopEvents(next.id, onEvent, stop.signal).then(
        async () => {
          if (stop.signal.aborted) return;
          // The stream ended without `stopped`: the host went away or forgot the session.
          try {
            await developApi.get(next.id);
          } catch (error) {
            if (error instanceof HostError && error.status === 404) setState('stopped');
            else noteConnectionError(error);
          }
        },
        (error: unknown) => {
          if (!stop.signal.aborted) noteConnectionError(error);
        },
      );
    },
    [onEvent],
  );

  useEffect(() => {
    let live = true;
    developApi.list().then(
      (sessions) => {
        const latest = sessions.at(-1);
        if (live && latest !== undefined) follow(latest);
      },
      (error: unknown) => noteConnectionError(error),
    );
    return () => {
      live = false;
      following.current?.abort();
    };
  }, [follow]);

  const start = useCallback(
    async (folder: string) => {
      follow(await developApi.start(folder));
    },
    [follow],
  );

  const stop = useCallback(async () => {
    if (session === undefined) return;
    await developApi.stop(session.id);
    // The stream's own `stopped` event may not arrive if it is already closing: say it here too.
    setState('stopped');
    setStopReason((reason) => reason ?? 'requested');
    setBuilding(undefined);
  }, [session]);

  return { session, state, builds, building, pluginRevision, metadataRevision, stopReason, start, stop };
}
