import { create } from 'zustand';
import { HostUnreachableError } from '../api/http';
import { pluginApi } from '../api/plugin-api';

/** `online`: the last call answered. `offline`: waiting for the next retry. `checking`: a retry in flight. */
export type ConnectionStatus = 'online' | 'offline' | 'checking';

interface ConnectionState {
  status: ConnectionStatus;
  /** Why the host counts as unreachable: `timeout` or `refused` (any network failure). */
  reason: 'timeout' | 'refused' | undefined;
  /** Failed retries since the host went away; drives the back-off. */
  attempt: number;
  /** When the next automatic retry runs (epoch ms), for the banner's countdown. */
  nextRetryAt: number | undefined;
  /** Any request found the host unreachable: show the banner and start retrying. */
  reportUnreachable: (error: HostUnreachableError) => void;
  /** Retry at once (the banner's button); also what the back-off timer calls. */
  retryNow: () => Promise<void>;
}

/** Back-off between retries: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1_000 * 2 ** attempt, 10_000);
}

const reconnectListeners = new Set<() => void>();
let retryTimer: ReturnType<typeof setTimeout> | undefined;

/** Runs `listener` each time the host answers again after being unreachable (e.g. to reload the lists). */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/**
 * Whether the host answers, shared by every part of the window: requests report failures here, and this store
 * alone owns the retry loop, so a down host costs one ping per back-off step instead of a storm of requests.
 */
export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  status: 'online',
  reason: undefined,
  attempt: 0,
  nextRetryAt: undefined,
  reportUnreachable(error) {
    const reason = error.timedOut ? 'timeout' : 'refused';
    if (get().status !== 'online') {
      set({ reason });
      return;
    }
    const delay = retryDelayMs(0);
    set({ status: 'offline', reason, attempt: 0, nextRetryAt: Date.now() + delay });
    scheduleRetry(delay);
  },
  async retryNow() {
    if (get().status === 'checking') return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    set({ status: 'checking' });
    try {
      await pluginApi.ping();
      set({ status: 'online', reason: undefined, attempt: 0, nextRetryAt: undefined });
      for (const listener of reconnectListeners) listener();
    } catch (error) {
      const attempt = get().attempt + 1;
      const delay = retryDelayMs(attempt);
      set({
        status: 'offline',
        attempt,
        nextRetryAt: Date.now() + delay,
        reason: error instanceof HostUnreachableError && error.timedOut ? 'timeout' : 'refused',
      });
      scheduleRetry(delay);
    }
  },
}));

function scheduleRetry(delay: number): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void useConnectionStore.getState().retryNow(), delay);
}

/** Passes unreachable-host errors to the connection store and answers whether it was one. */
export function noteConnectionError(error: unknown): boolean {
  if (error instanceof HostUnreachableError) {
    useConnectionStore.getState().reportUnreachable(error);
    return true;
  }
  return false;
}

/**
 * Pings the host every `intervalMs` while it counts as online, so a host that goes away is noticed even when the
 * user does nothing. Returns the function that stops it.
 */
export function startHeartbeat(intervalMs = 5_000): () => void {
  const timer = setInterval(() => {
    if (useConnectionStore.getState().status !== 'online') return;
    pluginApi.ping().catch(noteConnectionError);
  }, intervalMs);
  return () => clearInterval(timer);
}
