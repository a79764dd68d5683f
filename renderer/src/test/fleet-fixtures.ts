import type { FleetPluginsAnswer } from '../../../shared/server-dto';
import { serverInfo } from './servers';

/** This computer and two servers, all healthy by their last check. */
export const FLEET_SERVERS = [
  serverInfo('local', 'This computer', { builtIn: true }),
  serverInfo('b', 'edge-b'),
  serverInfo('c', 'edge-c'),
];

/**
 * What `GET /manager/fleet/plugins` answers for `FLEET_SERVERS`: local and edge-b answer (random3 at two versions,
 * file2 on local only, mirror in error on edge-b, echo2 everywhere); edge-c does not.
 */
export const FLEET_ANSWER: FleetPluginsAnswer = {
  servers: [
    {
      server: 'local',
      ok: true,
      message: '',
      plugins: [
        { kind: 'sources', name: 'random3', version: '1.0.0' },
        { kind: 'sinks', name: 'file2', version: '' },
        { kind: 'portables', name: 'mirror', version: '1.0.0', status: 'running', errMsg: '' },
        { kind: 'functions', name: 'echo2', version: '' },
      ],
    },
    {
      server: 'b',
      ok: true,
      message: '',
      plugins: [
        { kind: 'sources', name: 'random3', version: '1.1.0' },
        { kind: 'portables', name: 'mirror', version: '1.0.0', status: 'error', errMsg: 'cannot start' },
        { kind: 'functions', name: 'echo2', version: '' },
      ],
    },
    { server: 'c', ok: false, message: 'cannot reach http://c:9081: ECONNREFUSED', plugins: [] },
  ],
};
