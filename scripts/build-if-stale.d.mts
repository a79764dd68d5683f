/** Types of `build-if-stale.mjs` for the TypeScript tests that use it. */
export declare const BUILD_OUTPUTS: string[];
export declare const BUILD_STAMP: string;
export declare function buildInputs(root: string): string[];
export declare function sourceFingerprint(root: string): string;
export declare function buildState(root: string): { current: boolean; reason?: string };
export declare function ensureBuilt(
  root: string,
  options?: { force?: boolean; build?: (root: string) => number; log?: (line: string) => void },
): { built: boolean; status: number };
