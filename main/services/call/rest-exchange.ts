import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { hostMessage } from '../../../shared/host-messages.js';
import { errorText } from '../../plugins/plugin-error.js';
import { describeServiceNetworkError, ServiceCallError, serviceTimeout } from './call-failure.js';

/** The most of an answer the host reads: far more than a function's result should be, little enough to hold. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** One HTTP request of a REST service call. */
export interface RestRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The service's answer, read whole. */
export interface RestAnswer {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RestExchangeSettings {
  timeoutMs: number;
  insecureSkipVerify: boolean;
}

async function readCapped(body: AsyncIterable<Buffer>, url: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      throw new ServiceCallError(
        hostMessage('svcCallAnswerTooLarge', { url, mb: MAX_ANSWER_BYTES / 1024 / 1024 }),
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Sends one request and reads the whole answer within the timeout, as eKuiper's `http.Client` with its 5 s
 * `Timeout` does (connecting, sending and reading all count). Certificates are checked unless the interface's
 * `insecureSkipVerify` says not to. Network failures come back as a ServiceCallError in plain words, marked
 * retryable where eKuiper would retry them.
 */
export async function sendRestRequest(req: RestRequest, settings: RestExchangeSettings): Promise<RestAnswer> {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: !settings.insecureSkipVerify } });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  try {
    const answer = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher,
      signal: controller.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const body = await readCapped(answer.body, req.url);
    return {
      status: answer.statusCode,
      statusText: STATUS_CODES[answer.statusCode] ?? '',
      headers: answer.headers,
      body,
    };
  } catch (error) {
    if (error instanceof ServiceCallError) throw error;
    if (timedOut) throw serviceTimeout(req.url, settings.timeoutMs);
    // undici refuses what HTTP cannot carry (a method with a space, a header with a line break) before sending.
    if ((error as { code?: unknown }).code === 'UND_ERR_INVALID_ARG') {
      throw new ServiceCallError(hostMessage('svcCallNotSendable', { reason: errorText(error) }));
    }
    throw describeServiceNetworkError(error, req.url, settings.timeoutMs);
  } finally {
    clearTimeout(timer);
    void dispatcher.destroy().catch(() => undefined);
  }
}
