import type { ScaffoldFile } from '../../../shared/scaffold-dto.js';
import { deterministicZip } from '../pack/deterministic-zip.js';

const REGULAR_MODE = 0o644;
const EXECUTABLE_MODE = 0o755;

/**
 * A scaffold as a zip a browser downloads: the files at the root (as eKuiper wants a plugin zip), written as
 * Package writes a build (sorted, fixed time, unix modes with the exec bit on scripts), so it unpacks ready to
 * run and the same request gives the same bytes.
 */
export function scaffoldZip(files: readonly ScaffoldFile[]): Uint8Array {
  return deterministicZip(
    files.map((file) => ({
      path: file.path,
      data: typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data,
      mode: file.executable === true ? EXECUTABLE_MODE : REGULAR_MODE,
    })),
  );
}
