import type { ServerCheck } from '../../shared/server-dto.js';

export interface HealthMonitorOptions {
  /** The ids to check in each round, with the revision of their settings (an edit changes it). */
  servers(): Array<{ id: string; revision: number }>;
  /** Runs one check of the server as it is at `revision`. */
  check(id: string, revision: number): Promise<ServerCheck>;
  /** Stores a finished check, unless the server was edited or removed since (then `revision` is stale). */
  store(id: string, revision: number, check: ServerCheck): void;
  /** Between the starts of two rounds; 0 checks only on demand. */
  intervalMs: number;
  /** How many servers are checked at once. */
  concurrency: number;
}

interface Running {
  revision: number;
  done: Promise<ServerCheck>;
}

/** The default pace: every 30 s, four servers at a time. */
export const HEALTH_INTERVAL_MS = 30_000;
export const HEALTH_CONCURRENCY = 4;

/**
 * Checks every server in the background so `GET /manager/servers` answers health from memory at once. Rounds
 * run every `intervalMs`, a few servers at a time; one server is never checked twice at once (a request for a
 * check while one runs on the same settings joins it; on new settings it waits for it, then runs).
 */
export class HealthMonitor {
  private readonly running = new Map<string, Running>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: HealthMonitorOptions) {}

  /** Starts the rounds: the first at once, so health shows soon after the host starts. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.closed) return;
    this.round();
    this.timer = setInterval(() => this.round(), this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * Checks a server now (just added, edited, or asked for), sharing a check already running on the same
   * settings. Asked-for checks do not queue behind the background's limit: the user is waiting for them.
   */
  checkNow(id: string, revision: number): Promise<ServerCheck> {
    return this.schedule(id, revision, false);
  }

  private schedule(id: string, revision: number, background: boolean): Promise<ServerCheck> {
    const running = this.running.get(id);
    if (running !== undefined && running.revision === revision) return running.done;
    const previous = running?.done.catch(() => undefined) ?? Promise.resolve(undefined);
    const done = previous.then(() => this.run(id, revision, background));
    const entry: Running = { revision, done };
    this.running.set(id, entry);
    const forget = () => {
      if (this.running.get(id) === entry) this.running.delete(id);
    };
    done.then(forget, forget);
    return done;
  }

  /** Stops the rounds; checks already running finish but are not stored by a closed registry. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const wake of this.waiting.splice(0)) wake();
  }

  private round(): void {
    for (const { id, revision } of this.options.servers()) {
      if (this.running.has(id)) continue;
      this.schedule(id, revision, true).catch(() => {});
    }
  }

  private async run(id: string, revision: number, background: boolean): Promise<ServerCheck> {
    if (background) await this.slot();
    try {
      const check = await this.options.check(id, revision);
      if (!this.closed) this.options.store(id, revision, check);
      return check;
    } finally {
      if (background) {
        this.active--;
        this.waiting.shift()?.();
      }
    }
  }

  /** Waits until fewer than `concurrency` checks run. */
  private async slot(): Promise<void> {
    while (this.active >= this.options.concurrency && !this.closed) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active++;
  }
}
