import { relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** Whether a path (relative to the watched folder, `/`-separated) is left out of the package, so never a save. */
export type IgnoredPath = (relativePath: string, isDirectory: boolean) => boolean;

export interface FolderWatcherOptions {
  /** Paths packaging leaves out: a change there is no reason to build. */
  ignored: IgnoredPath;
  /** How long a burst of changes is waited out before `onChanges` runs. */
  debounceMs: number;
  /** The changed paths of one burst, relative and `/`-separated, sorted. */
  onChanges: (paths: string[]) => void;
  /** The watcher itself failed (a folder it cannot read); the session says so in its next build. */
  onError?: (error: unknown) => void;
}

/**
 * Watches a plugin folder with chokidar (native events, no polling) and reports each burst of saves once:
 * editors write a file through a temporary one, or several files at once, and one build should follow all of it.
 * Only reads the folder.
 */
export class FolderWatcher {
  private readonly watcher: FSWatcher;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly folder: string,
    private readonly options: FolderWatcherOptions,
  ) {
    this.watcher = watch(folder, {
      ignoreInitial: true,
      persistent: true,
      followSymlinks: false,
      ignored: (path, stats) => {
        const inside = this.relativePath(path);
        return inside !== '' && options.ignored(inside, stats?.isDirectory() ?? false);
      },
    });
    for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
      this.watcher.on(event, (path: string) => this.changed(path));
    }
    this.watcher.on('error', (error) => options.onError?.(error));
  }

  /** Starts watching; resolves once chokidar has read the folder, so a save right after is seen. */
  static async start(folder: string, options: FolderWatcherOptions): Promise<FolderWatcher> {
    const watcher = new FolderWatcher(folder, options);
    await new Promise<void>((resolve) => watcher.watcher.once('ready', () => resolve()));
    return watcher;
  }

  private relativePath(path: string): string {
    return relative(this.folder, path).split(sep).join('/');
  }

  private changed(path: string): void {
    if (this.closed) return;
    this.pending.add(this.relativePath(path));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.debounceMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed || this.pending.size === 0) return;
    const paths = [...this.pending].sort();
    this.pending.clear();
    this.options.onChanges(paths);
  }

  /** Stops watching: no change is reported after this resolves. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending.clear();
    await this.watcher.close();
  }
}
