import { request } from 'undici';
import { hostMessage } from '../../shared/host-messages.js';
import type { AiEndpointProblem } from '../../shared/ai-dto.js';
import { errorText } from '../plugins/plugin-error.js';
import { describeNetworkError } from '../servers/network-errors.js';
import type { AiEndpoint } from './ai-settings.js';

/** One message of an OpenAI chat. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A failure of the endpoint, in plain words, with the kind of problem; routes answer it as the upstream's fault. */
export class AiEndpointError extends Error {
  constructor(
    readonly problem: AiEndpointProblem,
    message: string,
  ) {
    super(message);
    this.name = 'AiEndpointError';
  }
}

/** Local models can take minutes for a first answer (loading the weights); listing models is quick. */
export const DEFAULT_CHAT_TIMEOUT_MS = 180_000;
export const DEFAULT_LIST_TIMEOUT_MS = 10_000;
/** The longest answer read: a function is a few kilobytes; anything past this is not what was asked for. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** How much of a server's error text is quoted. */
const MAX_REASON_LENGTH = 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{base}/models`: the base as configured, the path joined without a double slash. */
function urlOf(endpoint: AiEndpoint, path: string): string {
  return `${endpoint.baseUrl.replace(/\/+$/, '')}${path}`;
}

function headersOf(endpoint: AiEndpoint): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (endpoint.apiKey !== undefined) headers.authorization = `Bearer ${endpoint.apiKey}`;
  return headers;
}

/**
 * The server's own words from an error body: OpenAI's `{"error":{"message"}}`, Ollama's and LM Studio's
 * `{"error":"…"}`, or the text itself, shortened.
 */
export function serverReason(text: string): string {
  let reason = text.trim();
  try {
    const body = JSON.parse(text) as unknown;
    if (isRecord(body)) {
      const error = body.error;
      if (typeof error === 'string') reason = error;
      else if (isRecord(error) && typeof error.message === 'string') reason = error.message;
      else if (typeof body.message === 'string') reason = body.message;
      else if (typeof body.detail === 'string') reason = body.detail;
    }
  } catch {
    // not JSON: the text as it is
  }
  reason = reason.replace(/\s+/g, ' ');
  if (reason === '') return 'no message';
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}

/** Whether an error answer says the model is unknown (OpenAI's `model_not_found`, Ollama's `model "x" not found`). */
function unknownModelAnswer(status: number, text: string): boolean {
  if (status !== 404 && status !== 400) return false;
  return /model_not_found|model .{0,80}(not found|does not exist)|no such model|unknown model/i.test(text);
}

/** The error for an answer with an error status, in the words for its cause. */
function statusError(endpoint: AiEndpoint, status: number, text: string): AiEndpointError {
  const reason = serverReason(text);
  if (status === 401 || status === 403) {
    return new AiEndpointError(
      'auth',
      hostMessage(endpoint.apiKey === undefined ? 'aiAuthMissing' : 'aiAuthRefused', { status, reason }),
    );
  }
  if (unknownModelAnswer(status, text)) {
    return new AiEndpointError(
      'unknown-model',
      hostMessage('aiUnknownModelAnswer', { model: endpoint.model, status, reason }),
    );
  }
  return new AiEndpointError('server-error', hostMessage('aiHttpError', { status, reason }));
}

/** A request that never got an answer: refused, a name not found, a timeout, TLS. */
function networkError(error: unknown, url: string, timeoutMs: number): AiEndpointError {
  const failure = describeNetworkError(error, { url, timeoutMs });
  const where = new URL(url).host;
  if (failure.problem === 'refused')
    return new AiEndpointError('unreachable', hostMessage('aiRefused', { where }));
  if (failure.problem === 'timeout') {
    return new AiEndpointError('timeout', hostMessage('aiTimedOut', { where, seconds: timeoutMs / 1000 }));
  }
  return new AiEndpointError('unreachable', failure.message);
}

/** One JSON request to the endpoint, its answer's body parsed; every failure an `AiEndpointError`. */
async function exchange(
  endpoint: AiEndpoint,
  method: 'GET' | 'POST',
  path: string,
  timeoutMs: number,
  body?: unknown,
): Promise<unknown> {
  const url = urlOf(endpoint, path);
  const headers = headersOf(endpoint);
  if (body !== undefined) headers['content-type'] = 'application/json';
  let status: number;
  let text: string;
  try {
    const answer = await request(url, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = answer.statusCode;
    const declared = Number(answer.headers['content-length'] ?? 0);
    if (declared > MAX_ANSWER_BYTES) {
      answer.body.destroy();
      throw new AiEndpointError(
        'bad-answer',
        hostMessage('aiNotOpenAi', { url, reason: `an answer of ${declared} bytes` }),
      );
    }
    text = await answer.body.text();
  } catch (error) {
    if (error instanceof AiEndpointError) throw error;
    throw networkError(error, url, timeoutMs);
  }
  if (status < 200 || status >= 300) throw statusError(endpoint, status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AiEndpointError(
      'bad-answer',
      hostMessage('aiNotOpenAi', { url, reason: `not JSON: ${errorText(error)}` }),
    );
  }
}

/** `GET {base}/models`: the ids the server offers (OpenAI's `{data:[{id}]}`). */
export async function listModels(
  endpoint: AiEndpoint,
  timeoutMs = DEFAULT_LIST_TIMEOUT_MS,
): Promise<string[]> {
  const body = await exchange(endpoint, 'GET', '/models', timeoutMs);
  const data = isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data)) {
    throw new AiEndpointError(
      'bad-answer',
      hostMessage('aiNotOpenAi', { url: urlOf(endpoint, '/models'), reason: 'no "data" list of models' }),
    );
  }
  return data
    .map((model) => (isRecord(model) && typeof model.id === 'string' ? model.id : undefined))
    .filter((id): id is string => id !== undefined);
}

/** The answer of a chat: the assistant's text and why it stopped (`stop`, `length`). */
export interface ChatAnswer {
  content: string;
  finishReason: string;
}

/**
 * `POST {base}/chat/completions` with the messages, no streaming, a low temperature (code, not prose). Answers
 * the first choice's text; any failure is an `AiEndpointError` quoting the server's own message.
 */
export async function chatCompletion(
  endpoint: AiEndpoint,
  messages: ChatMessage[],
  timeoutMs = DEFAULT_CHAT_TIMEOUT_MS,
): Promise<ChatAnswer> {
  const body = await exchange(endpoint, 'POST', '/chat/completions', timeoutMs, {
    model: endpoint.model,
    messages,
    temperature: 0.2,
    stream: false,
  });
  const choice = isRecord(body) && Array.isArray(body.choices) ? (body.choices[0] as unknown) : undefined;
  const message = isRecord(choice) ? choice.message : undefined;
  const content = isRecord(message) ? message.content : undefined;
  if (typeof content !== 'string') {
    throw new AiEndpointError(
      'bad-answer',
      hostMessage('aiNotOpenAi', {
        url: urlOf(endpoint, '/chat/completions'),
        reason: 'no choices[0].message.content',
      }),
    );
  }
  const finishReason =
    isRecord(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : '';
  return { content, finishReason };
}
