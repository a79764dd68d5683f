import type { HostSettings, PublicSettings, SettingsUpdate } from '../../../shared/host-settings';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { requestJson } from './http';

/** What the host's `auto` values resolve to on its machine (`osFlavour` null: it would not pick one). */
export interface ResolvedPlatform {
  osFlavour: 'debian' | 'alpine' | null;
  arch: string;
}

/** `GET /manager/settings`: every setting but the token, plus `resolved` when the host can tell. */
export type SettingsAnswer = PublicSettings & { resolved?: ResolvedPlatform };

/**
 * The settings API of this app's hosts (`/manager/settings`), used by the settings page (for the server the
 * window shows, when it is one of this app's hosts) and the health check (always this app's own host).
 */
export const settingsApi = {
  read: (timeoutMs?: number, server?: string) =>
    requestJson<SettingsAnswer>(
      '/manager/settings',
      timeoutMs === undefined ? { server } : { timeoutMs, server },
    ),

  /** Sends only the changed keys; the host validates them all and answers which apply after a restart. */
  update: (patch: Partial<HostSettings>) =>
    requestJson<SettingsUpdate>('/manager/settings', { method: 'PUT', body: patch }),
};

/**
 * The health check behind the connection banner. `/ping` answers without a token (as in eKuiper), so it cannot
 * tell "reachable" from "reachable but this window's token is refused"; the settings route needs the token and
 * answers a small JSON, so one call proves both.
 */
export async function checkHost(timeoutMs = 3_000): Promise<void> {
  // The app's own host, whichever server the window shows: a remote server's state is its banner's business.
  await settingsApi.read(timeoutMs, LOCAL_SERVER_ID);
}
