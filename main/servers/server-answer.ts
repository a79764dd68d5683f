import { STATUS_CODES } from 'node:http';
import type { ServerInfo } from '../../shared/server-dto.js';
import { ServerAuthError } from './auth/auth-types.js';
import { describeNetworkError } from './network-errors.js';
import type { ServerResponse } from './server-client.js';

/** Longest server message kept: an HTML error page from a proxy should not fill a result table. */
const MESSAGE_LIMIT = 2000;

/**
 * A server's own words for its answer: eKuiper's error JSON gives its `message`, a plain-text answer (`sources
 * plugin x is created`, `missing_token`) its text; an empty body its status line. Users see exactly what the
 * server said, not our paraphrase — except for the credentials it was sent, which are masked (`•••`).
 */
export async function answerMessage(response: ServerResponse): Promise<string> {
  return answerMessageOf(response, await response.text());
}

/** `answerMessage` for a body already read (to look at it first), masked the same way. */
export function answerMessageOf(response: Pick<ServerResponse, 'status' | 'scrub'>, text: string): string {
  // Masked before and after reading the JSON: a secret escaped inside a JSON string only shows once parsed.
  return response.scrub(messageOf(response.status, response.scrub(text.trim())));
}

/** A body's message: eKuiper's JSON `message` (or a string `error`), else the text, else the status line. */
function messageOf(status: number, text: string): string {
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
      if (typeof parsed.message === 'string' && parsed.message !== '') return parsed.message;
      // NeuronEX's own routes (and many proxies) answer `{"error":"…"}`; eKuiper's `error` is a number.
      if (typeof parsed.error === 'string' && parsed.error !== '') return parsed.error;
    } catch {
      // Not JSON after all: the text is the message.
    }
  }
  if (text === '') return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

/** A server answered, but not with what was asked: its status and its own message. */
export class ServerAnswerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ServerAnswerError';
  }

  /** Reads the server's message from an answer that was not the one expected. */
  static async from(response: ServerResponse): Promise<ServerAnswerError> {
    return new ServerAnswerError(response.status, await answerMessage(response));
  }
}

/** An error from the network or the server's credentials, rather than from the host's own code. */
function isNetworkFailure(error: unknown): boolean {
  if (error instanceof ServerAuthError) return true;
  const failure = error as { code?: unknown; name?: unknown } | null;
  return typeof failure?.code === 'string' || failure?.name === 'TimeoutError';
}

/**
 * Why a request to a server failed, as a fleet result or inventory row shows it: the server's status and words
 * when it answered, else status 0 and why it could not be reached in the connection check's words (which name
 * the server's host), else the error's text.
 */
export function failureOf(error: unknown, info: ServerInfo | undefined): { status: number; message: string } {
  if (error instanceof ServerAnswerError) return { status: error.status, message: error.message };
  if (info !== undefined && isNetworkFailure(error)) {
    const failure = describeNetworkError(error, { url: info.url, timeoutMs: info.timeoutMs });
    // A refused login keeps the server's status (NeuronEX's 401); nothing else was answered.
    const status = error instanceof ServerAuthError ? (error.status ?? 0) : 0;
    return { status, message: failure.message };
  }
  return { status: 0, message: error instanceof Error ? error.message : String(error) };
}
