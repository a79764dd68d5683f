/**
 * Develop mode: a plugin folder watched on this app's host, repackaged on every save and installed or updated in
 * place. Shared by the host's `/manager/develop` routes and the window's Develop page.
 */

/**
 * Where a session is: `building` while it packs and installs; `running` once a build of it runs (the last one
 * was good, or unchanged); `refused` when the last save was refused (the last good version, if any, keeps
 * running); `stopped` after it was stopped.
 */
export type DevelopState = 'building' | 'running' | 'refused' | 'stopped';

/** The result of one build: installed (first time), updated in place, unchanged (same SHA-256), or refused. */
export type DevelopBuildResult = 'installed' | 'updated' | 'unchanged' | 'refused';

/** One reason a build was refused: the host's message and, for a packaging problem, the fix in the folder. */
export interface DevelopProblem {
  message: string;
  fix?: string;
}

/** One build after a save (or at the start): what the timeline shows. */
export interface DevelopBuild {
  /** When the build began (ms since the epoch). */
  at: number;
  result: DevelopBuildResult;
  /** How long packing and installing took. */
  ms: number;
  /** SHA-256 of the zip this build packed; absent when the folder could not be packed at all. */
  sha256?: string;
  /** The manifest's `version` of what was packed. */
  version?: string;
  /** Why it was refused, in the host's words: the problems' messages, one per line (for scripts and logs). */
  problem?: string;
  /** The same, one by one with what to change in the folder when packaging found it (the window shows these). */
  problems?: DevelopProblem[];
  /** SHA-256 of the version running after this build; absent when none runs (a first build refused). */
  runningSha256?: string;
  /** Files (relative to the folder, `/`-separated) whose change started this build; empty for the first one. */
  changed: string[];
  /** Whether a metadata JSON (`sources|sinks|functions/*.json`) changed: the describe view reads it again. */
  metadataChanged: boolean;
}

/** A session as the routes answer it. */
export interface DevelopSession {
  id: string;
  /** The watched folder, absolute. */
  folder: string;
  /** The plugin the folder's manifest names. */
  plugin: string;
  /** Develop mode installs portable plugins (Go or Python). */
  kind: 'portables';
  state: DevelopState;
  /** When the session started (ms since the epoch). */
  startedAt: number;
  /** SHA-256 of the version running on the host; absent when none of this session's builds runs. */
  runningSha256?: string;
  lastBuild?: DevelopBuild;
  /** Builds so far, the first included. */
  builds: number;
}

/** Events of `GET /manager/develop/{id}/events`; each SSE event's name is its `type`. */
export type DevelopEvent =
  | { type: 'building'; at: number; changed: string[] }
  | ({ type: 'updated' } & DevelopBuild & { sha256: string })
  | ({ type: 'unchanged' } & DevelopBuild & { sha256: string })
  | ({ type: 'refused' } & DevelopBuild & { problem: string; problems: DevelopProblem[] })
  | { type: 'stopped'; at: number; reason: DevelopStopReason };

/** Why a session stopped: on request (`DELETE`), or because the host is closing. */
export type DevelopStopReason = 'requested' | 'host-closing';

/** The body of `POST /manager/develop`. */
export interface DevelopStartRequest {
  folder: string;
}

/** How long a burst of saves is waited out before building: editors write several files, or one file twice. */
export const DEVELOP_DEBOUNCE_MS = 150;

/** How many events a session keeps for a stream that connects late (the timeline's length). */
export const DEVELOP_HISTORY = 100;

/** Whether a changed path (relative, `/`-separated) is a symbol's UI metadata, which the describe view shows. */
export function isMetadataPath(path: string): boolean {
  return /^(sources|sinks|functions)\/[^/]+\.json$/.test(path);
}

/** The first characters of a SHA-256, as the timeline shows it (as git shows a commit). */
export function shortSha(sha256: string | undefined): string {
  return sha256 === undefined ? '' : sha256.slice(0, 8);
}
