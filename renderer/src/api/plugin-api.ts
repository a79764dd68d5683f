import type { NativeKind, PluginDetails, PluginKind, PluginOverview } from '../../../shared/plugin-dto';
import type { PublicSettings } from '../../../shared/host-settings';
import { HostError, requestJson, requestText } from './http';

/** eKuiper's status answer for a portable plugin (`/plugins/portables/{name}/status`). */
export interface PortableStatus {
  refCount?: Record<string, number>;
  status?: string;
  errMsg?: string;
}

/** Prebuilt plugins on offer for one kind: name → download URL. */
export type PrebuiltList = Record<string, string>;

/** eKuiper's REST path segment for a kind: natives use the kind, portables `portables`. */
function kindPath(kind: PluginKind): string {
  return `/plugins/${kind}`;
}

/**
 * The typed REST calls the window makes; every one goes through `requestText` (timeouts, token) to the current
 * server, or to the server named where a call must stay with the server it began on.
 */
export const pluginApi = {
  /** Liveness check for the connection banner; `/ping` answers fast and does nothing. */
  ping: (timeoutMs = 3_000) => requestText('/ping', { timeoutMs }).then(() => undefined),

  /** Every plugin with what the lists show of its install record: the lists' single source. */
  overview: (server?: string) => requestJson<PluginOverview[]>('/manager/plugins', { server }),

  /** One plugin's file, whole install record and install.sh output, which the list leaves out. */
  details: (kind: PluginKind, name: string, server?: string) =>
    requestJson<PluginDetails>(`/manager/plugins/${kind}/${encodeURIComponent(name)}`, { server }),

  /** Every registered function name (eKuiper's UDF list). */
  udfs: (server?: string) => requestJson<string[]>('/plugins/udfs', { server }),

  /** eKuiper's describe answer for one plugin, as the host gives it. */
  describe: (kind: PluginKind, name: string) =>
    requestJson<unknown>(`${kindPath(kind)}/${encodeURIComponent(name)}`),

  /** A portable plugin's runtime status. */
  portableStatus: (name: string) =>
    requestJson<PortableStatus>(`/plugins/portables/${encodeURIComponent(name)}/status`),

  /** The plugin's UI metadata JSON; `undefined` when the host has none (404). */
  metadata: async (kind: PluginKind, name: string): Promise<unknown> => {
    try {
      return await requestJson<unknown>(`/manager/plugins/${kind}/${encodeURIComponent(name)}/metadata`);
    } catch (error) {
      if (error instanceof HostError && error.status === 404) return undefined;
      throw error;
    }
  },

  /** Deletes a plugin and answers the host's message. `stop` asks the host to stop afterwards (natives). */
  remove: (kind: PluginKind, name: string, stop: boolean, server?: string) =>
    requestText(`${kindPath(kind)}/${encodeURIComponent(name)}${stop ? '?stop=1' : ''}`, {
      method: 'DELETE',
      timeoutMs: 60_000,
      server,
    }),

  /**
   * The host's settings (`GET /manager/settings`) on `server` (the current one when absent); a plain eKuiper
   * has no such route and answers 404.
   */
  settings: (server?: string) =>
    requestJson<Partial<PublicSettings>>('/manager/settings', { timeoutMs: 5_000, server }),

  /** What the configured plugin hosts offer for this kind; the host may fetch remotely, so a longer timeout. */
  prebuilt: (kind: NativeKind, server?: string) =>
    requestJson<PrebuiltList>(`${kindPath(kind)}/prebuild`, { timeoutMs: 30_000, server }),
};
