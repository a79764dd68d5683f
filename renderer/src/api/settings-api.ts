import type { HostSettings, PublicSettings, SettingsUpdate } from '../../../shared/host-settings';
import { requestJson } from './http';

/** What the host's `auto` values resolve to on its machine (`osFlavour` null: it would not pick one). */
export interface ResolvedPlatform {
  osFlavour: 'debian' | 'alpine' | null;
  arch: string;
}

/** `GET /manager/settings`: every setting but the token, plus `resolved` when the host can tell. */
export type SettingsAnswer = PublicSettings & { resolved?: ResolvedPlatform };

/** The host's own settings API (`/manager/settings`), used by the settings page and the health check. */
export const settingsApi = {
  read: (timeoutMs?: number) =>
    requestJson<SettingsAnswer>('/manager/settings', timeoutMs === undefined ? {} : { timeoutMs }),

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
  await settingsApi.read(timeoutMs);
}
