import { MAX_SERVER_TIMEOUT_MS } from '../../shared/server-dto.js';

/**
 * How long a change may take to answer: an install runs a download or upload, extraction, `install.sh` and a
 * plugin start on the server, far longer than a server's read timeout (10 s by default) allows. Reads keep the
 * server's own timeout, so a hanging server is still reported quickly.
 */
export function changeTimeoutMs(serverTimeoutMs: number): number {
  return Math.max(serverTimeoutMs, MAX_SERVER_TIMEOUT_MS);
}
