import { create } from 'zustand';
import { HostAuthError, HostUnreachableError, ServerAuthError, ServerUnreachableError } from '../api/http';
import { checkHost } from '../api/settings-api';
import { useServerConnectionStore } from './server-connection-store';

/**
 * `online`: the last call answered. `offline`: waiting for the next retry. `checking`: a check in flight.
 * `unauthorized`: the host answers but refuses this window's token (missing or wrong): retrying cannot help until
 * the token changes, so there is no back-off, only the heartbeat and the user's own retry.
 */
export type ConnectionStatus = 'online' | 'offline' | 'checking' | 'unauthorized';

interface ConnectionState {
  status: ConnectionStatus;
  /** Why the host counts as unreachable: `timeout` or `refused` (any network failure). */
  reason: 'timeout' | 'refused' | undefined;
  /** With `unauthorized`: whether no token was sent at all (else the one sent did not match). */
  tokenMissing: boolean;
  /** Failed retries since the host went away; drives the back-off. */
  attempt: number;
  /** When the next automatic retry runs (epoch ms), for the banner's countdown. */
  nextRetryAt: number | undefined;
  /** Any request found the host unreachable: show the banner and start retrying. */
  reportUnreachable: (error: HostUnreachableError) => void;
  /** Any request had its token refused: show the token banner. */
  reportUnauthorized: (error: HostAuthError) => void;
  /** Checks the host at once (the banner's button, a new token); also what the back-off timer calls. */
  retryNow: () => Promise<void>;
}

/** Back-off between retries: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1_000 * 2 ** attempt, 10_000);
}

const reconnectListeners = new Set<() => void>();
let retryTimer: ReturnType<typeof setTimeout> | undefined;

/** Runs `listener` each time the host answers again after being unreachable or refusing the token. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/**
 * Whether the host answers and accepts this window's token, shared by every part of the window: requests report
 * failures here, and this store alone owns the retry loop, so a down host costs one check per back-off step
 * instead of a storm of requests.
 */
export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  status: 'online',
  reason: undefined,
  tokenMissing: false,
  attempt: 0,
  nextRetryAt: undefined,
  reportUnreachable(error) {
    const reason = error.timedOut ? 'timeout' : 'refused';
    if (get().status === 'offline' || get().status === 'checking') {
      set({ reason });
      return;
    }
    const delay = retryDelayMs(0);
    set({ status: 'offline', reason, attempt: 0, nextRetryAt: Date.now() + delay });
    scheduleRetry(delay);
  },
  reportUnauthorized(error) {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    set({
      status: 'unauthorized',
      tokenMissing: error.missing,
      reason: undefined,
      attempt: 0,
      nextRetryAt: undefined,
    });
  },
  async retryNow() {
    if (get().status === 'checking') return;
    const was = get().status;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    // The token banner shows its own progress and keeps what the user typed: it stays while checking.
    if (was !== 'unauthorized') set({ status: 'checking' });
    try {
      await checkHost();
      set({ status: 'online', reason: undefined, attempt: 0, nextRetryAt: undefined });
      if (was !== 'online') for (const listener of reconnectListeners) listener();
    } catch (error) {
      if (error instanceof HostAuthError) {
        get().reportUnauthorized(error);
        return;
      }
      if (!(error instanceof HostUnreachableError)) {
        // The host answered, only not as expected (an older host without the settings route): it is there.
        set({ status: 'online', reason: undefined, attempt: 0, nextRetryAt: undefined });
        if (was !== 'online') for (const listener of reconnectListeners) listener();
        return;
      }
      const attempt = was === 'offline' ? get().attempt + 1 : 0;
      const delay = retryDelayMs(attempt);
      set({
        status: 'offline',
        attempt,
        nextRetryAt: Date.now() + delay,
        reason: error.timedOut ? 'timeout' : 'refused',
      });
      scheduleRetry(delay);
    }
  },
}));

function scheduleRetry(delay: number): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void useConnectionStore.getState().retryNow(), delay);
}

/**
 * A remote server answered 401 through the host. The host applies the window's token before it passes anything
 * on, and our hosts word their refusals as eKuiper does, so the words cannot tell whose token was refused: ask the
 * host itself, and blame the remote server only when the host accepts the window.
 */
function noteServerAuthError(error: ServerAuthError): void {
  checkHost().then(
    () => useServerConnectionStore.getState().report(error),
    (hostError: unknown) => {
      if (hostError instanceof HostAuthError) useConnectionStore.getState().reportUnauthorized(hostError);
      else if (hostError instanceof HostUnreachableError)
        useConnectionStore.getState().reportUnreachable(hostError);
      else useServerConnectionStore.getState().report(error);
    },
  );
}

/**
 * Passes connection errors to the connection stores (unreachable host, refused token; a remote server the host
 * could not reach or that refused its credentials) and answers whether it was one, so callers keep what they
 * showed instead of reporting an error of their own.
 */
export function noteConnectionError(error: unknown): boolean {
  if (error instanceof ServerUnreachableError) {
    useServerConnectionStore.getState().report(error);
    return true;
  }
  if (error instanceof ServerAuthError) {
    noteServerAuthError(error);
    return true;
  }
  if (error instanceof HostUnreachableError) {
    useConnectionStore.getState().reportUnreachable(error);
    return true;
  }
  if (error instanceof HostAuthError) {
    useConnectionStore.getState().reportUnauthorized(error);
    return true;
  }
  return false;
}

/**
 * Checks the host every `intervalMs` while it counts as online or refuses the token, so a host that goes away,
 * starts requiring a token, or stops requiring one is noticed even when the user does nothing. Returns the
 * function that stops it.
 */
export function startHeartbeat(intervalMs = 5_000): () => void {
  const timer = setInterval(() => {
    const status = useConnectionStore.getState().status;
    if (status === 'online') checkHost().catch(noteConnectionError);
    if (status === 'unauthorized') {
      // Quietly: the banner keeps its token box; only a host that now accepts the window changes anything.
      checkHost().then(() => {
        if (useConnectionStore.getState().status !== 'unauthorized') return;
        useConnectionStore.setState({ status: 'online', tokenMissing: false });
        for (const listener of reconnectListeners) listener();
      }, noteConnectionError);
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
