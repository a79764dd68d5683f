import { create } from 'zustand';
import { HostError, requestText } from '../api/http';
import { useServersStore } from './servers-store';

/** `unknown` until the server has answered (the window then behaves as it always did and lets the call tell). */
export type Capability = 'unknown' | 'yes' | 'no';

/** What one server can do, as its answers showed it. */
export interface ServerCapabilities {
  /**
   * This app's own routes: one plugin's details and metadata, install progress events, a portable plugin's
   * process, log and Try it panels, and the Settings page. Another of this app's hosts has them; a plain eKuiper
   * or NeuronEX does not.
   */
  hostExtras: Capability;
  /** Lists of prebuilt plugins (`GET /plugins/{kind}/prebuild`). */
  prebuilt: Capability;
  /** eKuiper's external services (`GET /services`): missing from builds with the `core` tag only. */
  services: Capability;
  /** eKuiper's JavaScript functions (`GET /udf/javascript`): missing from builds without the `script` tag. */
  javascript: Capability;
  /** This app's Try it for JavaScript functions (`POST /manager/udf/javascript/{id}/call`). */
  javascriptCall: Capability;
  /** The credentials may only read (a NeuronEX Viewer): installs, updates and deletes would be refused. */
  readOnly: boolean;
}

const UNKNOWN: ServerCapabilities = {
  hostExtras: 'unknown',
  prebuilt: 'unknown',
  services: 'unknown',
  javascript: 'unknown',
  javascriptCall: 'unknown',
  readOnly: false,
};

/** The capabilities a route's answer decides, each named after the route the window asks. */
export type RouteCapability = 'prebuilt' | 'services' | 'javascript';

/**
 * What an answer to `GET …/manager/settings` says about this app's own routes: an answer means they are there;
 * "no such route" (404, and the 400/405 some proxies answer) means they are not; anything else (unreachable,
 * refused credentials) says nothing yet.
 */
export function hostExtrasFromAnswer(error: unknown): Capability {
  if (error === undefined) return 'yes';
  if (error instanceof HostError && [400, 404, 405].includes(error.status)) return 'no';
  return 'unknown';
}

/**
 * What an answer to one of eKuiper's optional routes (`GET /plugins/{kind}/prebuild`, `GET /services`,
 * `GET /udf/javascript`) says about it: an answer means the route is there, even a refusal (prebuilt lists are
 * refused off Linux); 404/405 mean the build lacks it (mux's `404 page not found`); anything else says nothing.
 */
export function routeFromAnswer(error: unknown): Capability {
  if (error === undefined) return 'yes';
  if (error instanceof HostError && [404, 405].includes(error.status)) return 'no';
  return 'unknown';
}

/** What an answer to `GET /plugins/{kind}/prebuild` says about prebuilt lists (see `routeFromAnswer`). */
export const prebuiltFromAnswer = routeFromAnswer;

/**
 * What an answer to `POST /manager/udf/javascript/invalid.id/call` says about this app's Try it for JavaScript
 * functions: the route refuses the id (400, eKuiper's "invalid characters"), a server without it answers
 * 404/405. Asking with an id that cannot exist runs nothing on the server.
 */
export function javascriptCallFromAnswer(error: unknown): Capability {
  if (error instanceof HostError && error.status === 400) return 'yes';
  if (error instanceof HostError && [404, 405].includes(error.status)) return 'no';
  return 'unknown';
}

/** The id the Try it probe asks for: refused by the route's id check, so never a function's. */
export const CALL_PROBE_ID = 'invalid.id';

interface CapabilitiesState {
  byServer: Record<string, ServerCapabilities>;
  /** Asks the server for this app's settings route to learn whether it has this app's own routes. */
  probe: (server: string) => Promise<Capability>;
  /** Records what a prebuilt-list request answered (`undefined`: it answered the list). */
  notePrebuilt: (server: string, error: unknown) => void;
  /** Records what a request to an optional route answered (`undefined`: it answered). */
  noteRoute: (server: string, capability: RouteCapability, error: unknown) => void;
  /** Asks `server` once whether it has this app's Try it for JavaScript functions (see `javascriptCallFromAnswer`). */
  probeJavascriptCall: (server: string) => Promise<Capability>;
}

const probes = new Map<string, Promise<Capability>>();

/**
 * What each server can do, in one place, decided by what it answers rather than by its kind: a server the user
 * calls "NeuronEX" may be another of this app's hosts behind a proxy, and a plain eKuiper may gain routes in a
 * later version. Components ask `useCapabilities` and explain what is missing instead of showing broken panels.
 */
export const useCapabilitiesStore = create<CapabilitiesState>()((set, get) => {
  const put = (server: string, next: Partial<ServerCapabilities>) =>
    set({ byServer: { ...get().byServer, [server]: { ...(get().byServer[server] ?? UNKNOWN), ...next } } });
  return {
    byServer: {},
    probe(server) {
      const running = probes.get(server);
      if (running !== undefined) return running;
      const probe = requestText('/manager/settings', { server, timeoutMs: 10_000 }).then(
        () => 'yes' as const,
        (error: unknown) => hostExtrasFromAnswer(error),
      );
      probes.set(server, probe);
      void probe.then((hostExtras) => {
        probes.delete(server);
        // An answer that says nothing keeps what an earlier one said.
        if (hostExtras !== 'unknown') put(server, { hostExtras });
      });
      return probe;
    },
    notePrebuilt(server, error) {
      get().noteRoute(server, 'prebuilt', error);
    },
    noteRoute(server, capability, error) {
      const answer = routeFromAnswer(error);
      if (answer !== 'unknown') put(server, { [capability]: answer });
    },
    async probeJavascriptCall(server) {
      const known = get().byServer[server]?.javascriptCall ?? 'unknown';
      if (known !== 'unknown') return known;
      const answer = await requestText(`/manager/udf/javascript/${CALL_PROBE_ID}/call`, {
        method: 'POST',
        body: { args: [] },
        server,
        timeoutMs: 10_000,
      }).then(
        // Nothing answers an invalid id with success; if something did, it is not this app's route.
        () => 'unknown' as const,
        (error: unknown) => javascriptCallFromAnswer(error),
      );
      if (answer !== 'unknown') put(server, { javascriptCall: answer });
      return answer;
    },
  };
});

// Read-only comes with each server's health: kept here beside the rest, so components ask one store.
useServersStore.subscribe((state) => {
  const { byServer } = useCapabilitiesStore.getState();
  for (const server of state.servers) {
    const readOnly = server.health?.readOnly === true;
    if ((byServer[server.id]?.readOnly ?? false) !== readOnly) {
      useCapabilitiesStore.setState((current) => ({
        byServer: {
          ...current.byServer,
          [server.id]: { ...(current.byServer[server.id] ?? UNKNOWN), readOnly },
        },
      }));
    }
  }
});

/** What `server` (the current one when absent) can do, as far as its answers have shown. */
export function useCapabilities(server?: string): ServerCapabilities {
  const current = useServersStore((state) => state.currentId);
  return useCapabilitiesStore((state) => state.byServer[server ?? current] ?? UNKNOWN);
}
