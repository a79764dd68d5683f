import { randomBytes } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { DEVELOP_DEBOUNCE_MS } from '../../../shared/develop-dto.js';
import { hostMessage } from '../../../shared/host-messages.js';
import { PluginError } from '../../plugins/plugin-error.js';
import type { PluginManager } from '../../plugins/plugin-manager.js';
import { DevelopSession } from './develop-session.js';
import type { FolderBuilder } from './folder-build.js';
import type { IgnoredPath } from './folder-watcher.js';

export interface DevelopSessionsOptions {
  manager: PluginManager;
  build: FolderBuilder;
  /** What the watcher of a folder ignores (what packaging leaves out). */
  ignored: (folder: string) => IgnoredPath;
  debounceMs?: number;
}

/** Whether `inner` is `outer` or inside it (both absolute and resolved). */
function within(outer: string, inner: string): boolean {
  const path = relative(outer, inner);
  return path === '' || (!path.startsWith(`..${sep}`) && path !== '..' && !isAbsolute(path));
}

/**
 * The develop sessions of this host: at most one per folder and one per plugin, so two watchers never race
 * to update the same plugin. Every session stops when the host closes.
 */
export class DevelopSessions {
  private readonly sessions = new Map<string, DevelopSession>();
  /** Folders claimed by a session being started (folder → its id), before it is listed. */
  private readonly starting = new Map<string, string>();
  private closing = false;

  constructor(private readonly options: DevelopSessionsOptions) {}

  list(): DevelopSession[] {
    return [...this.sessions.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** A session by id, or eKuiper's 404. */
  get(id: string): DevelopSession {
    const session = this.sessions.get(id);
    if (session === undefined) throw PluginError.notFound(hostMessage('developSessionNotFound', { id }));
    return session;
  }

  /**
   * Starts developing `folderInput`: checks the folder, packs it once to learn the plugin's name, refuses a
   * folder or plugin another session develops, then watches it and installs the first build. Resolves with
   * the session once that first build is done (installed, unchanged or refused).
   */
  async start(folderInput: string): Promise<DevelopSession> {
    const folder = await this.checkFolder(folderInput);
    // Claimed before the first await, so a second request for the folder is refused while this one packs.
    const id = randomBytes(4).toString('hex');
    this.starting.set(folder, id);
    try {
      const first = await this.options.build(folder);
      if (first.plugin === undefined) {
        throw new PluginError(
          hostMessage('developNoPlugin', {
            folder,
            problem: first.problems.map((problem) => problem.message).join('; ') || 'no manifest was found',
          }),
        );
      }
      const plugin = first.plugin;
      for (const other of this.sessions.values()) {
        if (other.plugin === plugin) {
          throw new PluginError(
            hostMessage('developPluginWatched', { plugin, folder: other.folder, id: other.id }),
          );
        }
      }
      const { manager } = this.options;
      const session = new DevelopSession({
        id,
        folder,
        plugin,
        manager,
        build: this.options.build,
        ignored: this.options.ignored(folder),
        debounceMs: this.options.debounceMs ?? DEVELOP_DEBOUNCE_MS,
        zipPath: manager.layout.path(`plugins/.develop/${plugin}.zip`),
      });
      // Listed at once (before its first install), so a session for the same plugin is refused meanwhile.
      this.sessions.set(id, session);
      try {
        await session.start(first);
      } catch (error) {
        this.sessions.delete(id);
        await session.stop('host-closing');
        throw error;
      }
      if (this.closing) await session.stop('host-closing');
      return session;
    } finally {
      this.starting.delete(folder);
    }
  }

  /** Stops a session and forgets it; the plugin stays installed with its last good version. */
  async stop(id: string): Promise<DevelopSession> {
    const session = this.get(id);
    this.sessions.delete(id);
    await session.stop('requested');
    return session;
  }

  /** Stops every session (the host is closing). */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((session) => session.stop('host-closing')));
  }

  /** The folder, absolute and resolved, or a refusal in the host's words. */
  private async checkFolder(input: string): Promise<string> {
    if (!isAbsolute(input)) throw new PluginError(hostMessage('developFolderNotAbsolute', { folder: input }));
    let folder: string;
    try {
      folder = await realpath(input);
    } catch {
      throw new PluginError(hostMessage('developFolderMissing', { folder: input }));
    }
    if (!(await stat(folder)).isDirectory()) {
      throw new PluginError(hostMessage('developNotAFolder', { folder: input }));
    }
    const dataDir = await realpath(this.options.manager.layout.root);
    if (within(dataDir, folder))
      throw new PluginError(hostMessage('developFolderInData', { folder, dataDir }));
    if (within(folder, dataDir)) {
      throw new PluginError(hostMessage('developFolderHoldsData', { folder, dataDir }));
    }
    for (const session of this.sessions.values()) {
      if (session.folder === folder) {
        throw new PluginError(hostMessage('developFolderWatched', { folder, id: session.id }));
      }
    }
    const starting = this.starting.get(folder);
    if (starting !== undefined) {
      throw new PluginError(hostMessage('developFolderWatched', { folder, id: starting }));
    }
    return folder;
  }
}
