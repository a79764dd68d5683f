/** A caller blocked in recv or send, with its own deadline. */
interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Callers waiting for something (a message, a free pipe), served first come first served, each with its own
 * timeout. Sockets use it so every blocking operation can time out and be rejected all at once on close.
 */
export class Waiters<T> {
  private readonly queue: Waiter<T>[] = [];

  /** Waits until `resolveNext` hands over a value, or rejects with `onTimeout()` after `timeoutMs` (Infinity: never). */
  wait(timeoutMs: number, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined };
      if (Number.isFinite(timeoutMs)) {
        waiter.timer = setTimeout(
          () => {
            this.remove(waiter);
            reject(onTimeout());
          },
          Math.max(0, timeoutMs),
        );
      }
      this.queue.push(waiter);
    });
  }

  get size(): number {
    return this.queue.length;
  }

  /** Gives `value` to the longest-waiting caller; false when nobody waits (the caller keeps the value). */
  resolveNext(value: T): boolean {
    const waiter = this.queue.shift();
    if (waiter === undefined) return false;
    clearTimeout(waiter.timer);
    waiter.resolve(value);
    return true;
  }

  /** Fails every waiting caller, as on close. */
  rejectAll(error: Error): void {
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  private remove(waiter: Waiter<T>): void {
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
  }
}

/** Rejects with `onTimeout()` if `promise` has not settled within `timeoutMs` (Infinity: never). */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  if (!Number.isFinite(timeoutMs)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, timeoutMs));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
