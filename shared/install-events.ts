import type { PluginKind } from './plugin-kinds.js';

export type InstallOp = 'create' | 'update' | 'delete';

/** The steps of an install, update or delete, in order; `done` or `failed` ends every operation. */
export const INSTALL_PHASES = [
  'download',
  'inspect',
  'extract',
  'install-script',
  'commit',
  'done',
  'failed',
] as const;
export type InstallPhase = (typeof INSTALL_PHASES)[number];

/**
 * One event of `GET /manager/events` (Server-Sent Events, one JSON object per `data:` line). Every event of
 * one operation carries the same `id`; an operation ends with `done` or `failed`.
 */
export interface InstallEvent {
  id: string;
  op: InstallOp;
  kind: PluginKind;
  name: string;
  phase: InstallPhase;
  /** `download`: bytes received so far (for `file:` URLs, the zip's size once); `extract`: bytes written. */
  bytes?: number;
  /** `download`: the size the server announced, when it did; `extract`: the zip's inflated size. */
  totalBytes?: number;
  /** `install-script`: a chunk of what install.sh printed, as it came (stdout and stderr). */
  output?: string;
  /** `failed`: the host's error message, exactly as the REST answer carries it. */
  message?: string;
}
