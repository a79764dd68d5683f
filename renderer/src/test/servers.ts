import type { ServerCheck, ServerInfo } from '../../../shared/server-dto';

/** A passing health check as the host reports it, with `overrides`. */
export function healthCheck(overrides: Partial<ServerCheck> = {}): ServerCheck {
  return {
    ok: true,
    reachable: true,
    authOk: true,
    version: '2.1.0',
    os: 'linux',
    arch: 'amd64',
    upTimeSeconds: 60,
    latencyMs: 3,
    message: 'eKuiper 2.1.0',
    checkedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A server as `GET /manager/servers` lists it: an eKuiper without credentials, healthy, with `overrides`. */
export function serverInfo(id: string, name: string, overrides: Partial<ServerInfo> = {}): ServerInfo {
  return {
    id,
    name,
    kind: 'ekuiper',
    url: `http://${id}:9081`,
    auth: { type: 'none' },
    tls: { insecureSkipVerify: false, caCert: '' },
    timeoutMs: 10_000,
    builtIn: false,
    health: healthCheck(),
    ...overrides,
  };
}
