import type { InstallEvent, InstallOp, InstallPhase } from '../../shared/install-events.js';
import type { PluginKind } from '../../shared/plugin-kinds.js';

export type ProgressUpdate = Omit<InstallEvent, 'id' | 'op' | 'kind' | 'name'> & { phase: InstallPhase };

/** Reports one step of an operation; a no-op when nobody listens. */
export type Progress = (update: ProgressUpdate) => void;

export const noProgress: Progress = () => {};

export type InstallListener = (event: InstallEvent) => void;

/**
 * The hub between the plugin manager and `GET /manager/events`. Operations always get a reporter, but it
 * does nothing while no client listens, so installs cost nothing extra when the window is closed.
 */
export class InstallEvents {
  private readonly listeners = new Set<InstallListener>();
  private sequence = 0;
  private readonly prefix = Date.now().toString(36);

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** Adds a listener; the function returned removes it. */
  subscribe(listener: InstallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A reporter for one operation: every event it sends carries the same id, op, kind and name. */
  begin(op: InstallOp, kind: PluginKind, name: string): Progress {
    const id = `${this.prefix}-${++this.sequence}`;
    return (update) => {
      if (this.listeners.size === 0) return;
      const event: InstallEvent = { id, op, kind, name, ...update };
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // A broken listener must not break an install.
        }
      }
    };
  }
}

/** Byte counts at most every `intervalMs` (and always the last one the caller flushes), not per chunk. */
export function throttledBytes(
  progress: Progress,
  phase: InstallPhase,
  intervalMs = 100,
): { report: (bytes: number, totalBytes?: number) => void; flush: () => void } {
  let last = 0;
  let pending: ProgressUpdate | undefined;
  return {
    report(bytes, totalBytes) {
      pending = totalBytes === undefined ? { phase, bytes } : { phase, bytes, totalBytes };
      const now = Date.now();
      if (now - last >= intervalMs) {
        last = now;
        progress(pending);
        pending = undefined;
      }
    },
    flush() {
      if (pending !== undefined) progress(pending);
      pending = undefined;
    },
  };
}
