import { readFileSync } from 'node:fs';

/** Resident and peak-resident memory of a process, in bytes, from /proc/<pid>/status (Linux). */
export interface MemoryReading {
  rss: number;
  /** VmHWM: the kernel's own high-water mark of the resident set since the process started. */
  hwm: number;
}

function field(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`/proc status has no ${name}`);
  return Number(match[1]) * 1024;
}

/** Reads VmRSS and VmHWM of `pid` now. */
export function readMemory(pid: number): MemoryReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: field(status, 'VmRSS'), hwm: field(status, 'VmHWM') };
}

/** What an RssSampler saw. */
export interface RssSamples {
  samples: number;
  peakRss: number;
  /** Longest gap between two samples: the sampling was as fine as this. */
  maxGapMs: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux platform Node runs on). */
const USER_HZ = 100;

/**
 * CPU time a process has used so far (user + system, all its threads), in milliseconds, at 10 ms resolution.
 * Unlike wall-clock time it barely changes when other programs compete for the CPU, so CPU per request is
 * a steadier measure than throughput on a busy machine.
 */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/**
 * CPU time (user + system) of this process's children that have exited and been reaped, in milliseconds:
 * read before and after running a command, the difference is the command's own CPU time.
 */
export function readChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / USER_HZ;
}

/** Samples a process's VmRSS on a timer and keeps the peak. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private samples = 0;
  private peak = 0;
  private last = 0;
  private maxGap = 0;

  constructor(
    private readonly pid: number,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  /** Stops sampling (taking one last sample) and returns the summary. */
  stop(): RssSamples {
    clearInterval(this.timer);
    this.sample();
    return { samples: this.samples, peakRss: this.peak, maxGapMs: this.maxGap };
  }

  private sample(): void {
    const now = performance.now();
    if (this.last !== 0) this.maxGap = Math.max(this.maxGap, now - this.last);
    this.last = now;
    this.samples++;
    this.peak = Math.max(this.peak, readMemory(this.pid).rss);
  }
}
