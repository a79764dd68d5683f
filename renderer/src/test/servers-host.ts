import { afterAll, beforeAll } from 'vitest';
import { configureHostConnection } from '../api/api-config';
import { serversApi } from '../api/servers-api';
import { useServersStore } from '../stores/servers-store';
import { startChildHost, stopChildHost, type ChildHost } from './child-host';
import { recordRequests, type RequestLog } from './request-log';

/** What a servers test's child script reports: at least where the window talks to (this computer's host). */
export interface ServersHostInfo {
  url: string;
}

export interface ServersHost<Info> {
  /** What the child reported, once `beforeAll` has run. */
  readonly info: Info;
  /** Every request the window made, in order (see `recordRequests`); a test may empty it. */
  readonly requests: string[];
}

/**
 * Runs real hosts for a file of window tests about servers: `script` (see `startChildHost`) starts them and
 * reports this computer's host as `url`, whose `/manager/servers` routes know the others; the window is pointed
 * at it, its requests recorded, and everything is put back afterwards (this computer chosen again, the real
 * fetch restored, the hosts closed).
 */
export function useServersHost<Info extends ServersHostInfo>(
  script: string,
  options: { bodies?: boolean } = {},
): ServersHost<Info> {
  let child: ChildHost<Info> | undefined;
  let log: RequestLog | undefined;
  beforeAll(async () => {
    child = await startChildHost<Info>(script);
    configureHostConnection({ baseUrl: child.info.url, token: '' });
    log = recordRequests(child.info.url, options);
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

/**
 * Adds the two servers the "other servers" window tests look at: `Factory` (id `factory`), a plain eKuiper at
 * `plainUrl`, and `Line 3` (id `line-3`), a NeuronEX at `neuronexUrl` signed in with its Viewer account (which
 * may only read, see test/support/neuronex-stand-in.ts); then waits for both checks so the list carries their
 * health, and loads the list.
 */
export async function addPlainAndViewerServers(plainUrl: string, neuronexUrl: string): Promise<void> {
  await serversApi.create({ name: 'Factory', kind: 'ekuiper', url: plainUrl, auth: { type: 'none' } });
  await serversApi.create({
    name: 'Line 3',
    kind: 'neuronex',
    url: neuronexUrl,
    auth: { type: 'neuronex-login', username: 'viewer', password: 'viewer-pass' },
  });
  // Adding starts a check in the background; wait for both.
  await serversApi.check('factory');
  await serversApi.check('line-3');
  await useServersStore.getState().load();
}
