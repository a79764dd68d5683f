import { hostMessage } from '../../shared/host-messages.js';
import type { ServerResponse } from '../servers/server-client.js';
import { ServerAnswerError } from '../servers/server-answer.js';

/** How much of an answer that is not eKuiper's is quoted in a message. */
const QUOTE_CHARS = 120;

/**
 * Whether an answer is a web page. eKuiper answers JSON or a line of plain text and never HTML, so a page means the
 * server's address is not eKuiper's REST API — a NeuronEX added as eKuiper (its web UI answers every path with
 * 200), a router's admin page, a proxy's error page — and its 200 must not count as an install that went through.
 */
export function isWebPage(response: Pick<ServerResponse, 'headers'>, text: string): boolean {
  const type = response.headers['content-type'];
  const contentType = (Array.isArray(type) ? type.join(',') : (type ?? '')).toLowerCase();
  return contentType.includes('text/html') || text.trimStart().startsWith('<');
}

/** Why a web page is not an answer, naming the request it came back to (`POST /plugins/sinks`). */
export function webPageMessage(request: string): string {
  return hostMessage('fleetWebPage', { request });
}

/** The start of an answer, on one line, for quoting. */
export function quoted(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > QUOTE_CHARS ? `${line.slice(0, QUOTE_CHARS)}…` : line;
}

/**
 * The JSON of an answer that eKuiper gives as JSON (a plugin's describe, a list): a web page or anything else that
 * is not JSON throws `ServerAnswerError` with the server's status and words a user can act on, rather than a
 * parser's `Unexpected token '<'`.
 */
export async function answerJson<T>(response: ServerResponse, request: string): Promise<T> {
  const text = await response.text();
  if (isWebPage(response, text)) throw new ServerAnswerError(response.status, webPageMessage(request));
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ServerAnswerError(
      response.status,
      hostMessage('fleetNotJson', { request, words: quoted(response.scrub(text)) }),
    );
  }
}
