import type { DevelopProblem } from '../../../shared/develop-dto.js';

/** One packing of a plugin folder, as a develop session needs it. */
export interface FolderBuild {
  /** The plugin the folder's manifest names; absent when the folder has no usable manifest. */
  plugin?: string;
  /** The manifest's `version`. */
  version?: string;
  /** The zip eKuiper would accept; absent when the folder has problems. */
  zip?: Uint8Array;
  sha256?: string;
  /** Why the folder cannot be installed as it is, in the host's words with the fix; empty when it can. */
  problems: DevelopProblem[];
}

/** Packs a folder for a develop session (the real one is `packForDevelop`; tests may pass their own). */
export type FolderBuilder = (folder: string) => Promise<FolderBuild>;
