import type { FleetPluginsAnswer, ServerCheck, ServerInfo } from '../../../shared/server-dto';

/** A server as `GET /manager/servers` lists it: plain eKuiper, no auth; with a health check when `health` is given. */
export function serverInfo(id: string, name = id, health?: Partial<ServerCheck>): ServerInfo {
  return {
    id,
    name,
    kind: 'ekuiper',
    url: `http://${id}:9081`,
    auth: { type: 'none' },
    tls: { insecureSkipVerify: false, caCert: '' },
    timeoutMs: 10_000,
    builtIn: id === 'local',
    ...(health === undefined
      ? {}
      : {
          health: {
            ok: true,
            reachable: true,
            authOk: true,
            version: '2.0.0',
            os: 'linux',
            arch: 'amd64',
            upTimeSeconds: 1,
            latencyMs: 1,
            message: '',
            checkedAt: '2026-01-01T00:00:00Z',
            ...health,
          },
        }),
  };
}

export const FLEET_SERVERS = [
  serverInfo('local', 'This computer'),
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
