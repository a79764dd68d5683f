import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Jiffies the whole machine spent busy and in total, from the first line of /proc/stat. */
function cpuTotals(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

/** How busy the machine was while something ran. */
export interface BusyReport {
  /** Share of all CPUs in use, 0–1, by everything (the bench included). */
  cpuBusy: number;
  /** Highest 1-minute load average seen. */
  maxLoad: number;
  cpus: number;
}

/**
 * Watches the whole machine's CPU use while a benchmark runs. Other programs competing for the CPU (a test
 * run, a build) make wall-clock timings noisy; the report says so, so nobody chases a regression that was
 * only a busy machine.
 */
export class BusyWatch {
  private readonly start = cpuTotals();
  private maxLoad = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  private readonly timer = setInterval(() => {
    this.maxLoad = Math.max(this.maxLoad, Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]));
  }, 1000);

  /** Stops watching and reports. */
  stop(): BusyReport {
    clearInterval(this.timer);
    const end = cpuTotals();
    const total = end.total - this.start.total;
    return {
      cpuBusy: total > 0 ? (end.busy - this.start.busy) / total : 0,
      maxLoad: this.maxLoad,
      cpus: cpus().length,
    };
  }
}
