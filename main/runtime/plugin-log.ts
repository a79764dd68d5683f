import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** One line a plugin wrote, with where it came from. */
export interface LogLine {
  /** Milliseconds since the epoch. */
  time: number;
  stream: 'stdout' | 'stderr' | 'host';
  text: string;
}

/** How many lines each plugin keeps in memory for the log tail. */
export const LOG_RING_LINES = 2000;
/** A line longer than this is cut, so a plugin printing without newlines cannot grow memory without bound. */
const MAX_LINE_CHARS = 16 * 1024;

/**
 * A plugin's stdout and stderr as lines: the newest `LOG_RING_LINES` in memory for the tail, every line
 * appended to a file in the data folder (eKuiper sends them to its own log, where a plugin author rarely
 * finds them), and live listeners for following.
 */
export class PluginLog {
  private readonly lines: LogLine[] = [];
  private readonly listeners = new Set<(line: LogLine) => void>();
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private file: WriteStream | undefined;

  constructor(readonly filePath?: string) {}

  /** Feeds a chunk of a stream; complete lines are recorded, the rest waits for its newline. */
  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.partial[stream] + chunk.toString();
    const parts = text.split(/\r?\n/);
    let rest = parts.pop() ?? '';
    for (const part of parts) this.add(stream, part);
    while (rest.length > MAX_LINE_CHARS) {
      this.add(stream, rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
    this.partial[stream] = rest;
  }

  /** Ends any unterminated line (the process exited). */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.add(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  /** A line from the host about the plugin (started, exited, restarted), so the log tells the whole story. */
  note(text: string): void {
    this.add('host', text);
  }

  /** The newest `count` lines, oldest first. */
  tail(count = LOG_RING_LINES): LogLine[] {
    return this.lines.slice(Math.max(0, this.lines.length - count));
  }

  /** The newest stderr lines since `since`, for an error message that carries the plugin's own words. */
  stderrSince(since: number, maxLines = 20): string {
    return this.linesSince(since, ['stderr'], maxLines).join('\n');
  }

  /** The newest lines of the given streams written since `since`, oldest first. */
  linesSince(since: number, streams: readonly LogLine['stream'][], maxLines = LOG_RING_LINES): string[] {
    return this.lines
      .filter((line) => streams.includes(line.stream) && line.time >= since)
      .slice(-maxLines)
      .map((line) => line.text);
  }

  subscribe(listener: (line: LogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.flush();
    this.file?.end();
    this.file = undefined;
  }

  private add(stream: LogLine['stream'], text: string): void {
    const line: LogLine = { time: Date.now(), stream, text };
    this.lines.push(line);
    if (this.lines.length > LOG_RING_LINES) this.lines.splice(0, this.lines.length - LOG_RING_LINES);
    this.appendToFile(line);
    for (const listener of this.listeners) listener(line);
  }

  private appendToFile(line: LogLine): void {
    if (this.filePath === undefined) return;
    if (this.file === undefined) {
      try {
        mkdirSync(dirname(this.filePath), { recursive: true });
      } catch {
        return;
      }
      this.file = createWriteStream(this.filePath, { flags: 'a' });
      // A full disk must not crash the host: the ring buffer still serves the tail.
      this.file.on('error', () => {});
    }
    this.file.write(`${new Date(line.time).toISOString()} ${line.stream} ${line.text}\n`);
  }
}
