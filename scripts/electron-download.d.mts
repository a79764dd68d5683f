/** Types of `electron-download.mjs` for the TypeScript tests that use it. */
export declare const PROBE_TIMEOUT_MS: number;
export declare const STALL_TIMEOUT_MS: number;
export declare function skipsDownload(env: Record<string, string | undefined>): boolean;
export declare function nodeSupport(
  nodeVersion: string,
  engines: string | undefined,
  canRequireEsm: boolean,
): 'supported' | 'untested' | 'unsupported';
export declare function downloadBase(env: Record<string, string | undefined>): string;
export declare function unreachableReason(error: unknown, host: string): string;
export declare function downloadElectron(
  projectDir: string,
  options?: { env?: Record<string, string | undefined>; out?: NodeJS.WritableStream & { isTTY?: boolean } },
): Promise<
  { ok: true; binary: string } | { ok: false; reason: string; skipped?: boolean; offline?: boolean }
>;
