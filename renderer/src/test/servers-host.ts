import { afterAll, beforeAll } from 'vitest';
import { configureHostConnection } from '../api/api-config';
import { useServersStore } from '../stores/servers-store';
import { startChildHost, stopChildHost, type ChildHost } from './child-host';
import { recordRequests, type RequestLog } from './request-log';

/** What a servers test's child script reports: at least where the window talks to (the servers stand-in). */
export interface ServersHostInfo {
  standIn: string;
}

export interface ServersHost<Info> {
  /** What the child reported, once `beforeAll` has run. */
  readonly info: Info;
  /** Every request the window made, in order (see `recordRequests`); a test may empty it. */
  readonly requests: string[];
}

/**
 * Runs real hosts for a file of window tests about servers: `script` (see `startChildHost`) starts them behind the
 * servers stand-in; the window is pointed at it, its requests recorded, and everything is put back afterwards
 * (this computer chosen again, the real fetch restored, the hosts closed).
 */
export function useServersHost<Info extends ServersHostInfo>(
  script: string,
  options: { bodies?: boolean } = {},
): ServersHost<Info> {
  let child: ChildHost<Info> | undefined;
  let log: RequestLog | undefined;
  beforeAll(async () => {
    child = await startChildHost<Info>(script);
    configureHostConnection({ baseUrl: child.info.standIn, token: '' });
    log = recordRequests(child.info.standIn, options);
  }, 60_000);
  afterAll(async () => {
    log?.stop();
    configureHostConnection(undefined);
    useServersStore.getState().select('local');
    await stopChildHost(child);
  }, 30_000);
  return {
    get info() {
      if (child === undefined) throw new Error('the hosts have not started yet');
      return child.info;
    },
    get requests() {
      if (log === undefined) throw new Error('the hosts have not started yet');
      return log.lines;
    },
  };
}
