import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface PidRecord {
  pid: number;
  /** The command the process was started with; checked before killing, since process ids are reused. */
  command: string;
  startedAt: string;
}

/** Whether a process with this id is alive and still runs `command` (Linux: from /proc; elsewhere: alive). */
function isSameProcess(record: PidRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? false : false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const cmdline = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(record.command);
  } catch {
    return false;
  }
}

/**
 * The process ids of running plugins, one small file each in the data folder. Plugins do not exit when the
 * host dies (their SDKs keep dialling), so a host that crashed leaves them running; the next start reads these
 * records and ends the ones still alive before it starts the plugins again.
 */
export class PidRecords {
  constructor(private readonly dir: string) {}

  record(plugin: string, pid: number, command: string): void {
    mkdirSync(this.dir, { recursive: true });
    const record: PidRecord = { pid, command, startedAt: new Date().toISOString() };
    writeFileSync(join(this.dir, `${plugin}.json`), JSON.stringify(record));
  }

  forget(plugin: string): void {
    rmSync(join(this.dir, `${plugin}.json`), { force: true });
  }

  /** Kills every recorded plugin process that is still running; answers how many it ended. */
  endOrphans(): number {
    let ended = 0;
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((file) => file.endsWith('.json'));
    } catch {
      return 0;
    }
    for (const file of files) {
      const path = join(this.dir, file);
      try {
        const record = JSON.parse(readFileSync(path, 'utf8')) as PidRecord;
        if (Number.isSafeInteger(record.pid) && record.pid > 0 && isSameProcess(record)) {
          process.kill(record.pid, 'SIGKILL');
          ended++;
        }
      } catch {
        // An unreadable record or a process that just exited: nothing to end.
      }
      rmSync(path, { force: true });
    }
    return ended;
  }
}
