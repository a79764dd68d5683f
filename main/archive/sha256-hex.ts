import { createHash } from 'node:crypto';

/** Hex SHA-256 of a zip's bytes: what names a build, and what tells two copies of a zip apart. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
