/**
 * A small OpenAI-compatible chat server for the AI generator's tests: real HTTP on 127.0.0.1, answering
 * `GET /v1/models` and `POST /v1/chat/completions` in OpenAI's shapes, with the answers scripted per test (good
 * code, code in prose, broken code then fixed code, an error status, a slow answer). It records every request so
 * tests can read the prompts and headers the host sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, readBody, sendJsonAnswer, type StandIn } from './stand-in-server.js';

/** One scripted answer to a chat: the assistant's text, an error status with its body, or a delay first. */
export type ChatScript =
  | { content: string; finishReason?: string; delayMs?: number }
  | { status: number; body: unknown; delayMs?: number };

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface OpenAiStandIn extends StandIn {
  /** The API base to configure (`…/v1`). */
  baseUrl: string;
  /** Queues answers for the next chats, in order; a chat with nothing queued answers 500. */
  script(...answers: ChatScript[]): void;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** The chat requests' message lists, oldest first. */
  chats(): Array<Array<{ role: string; content: string }>>;
}

export interface OpenAiStandInOptions {
  /** The models `/v1/models` lists. */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <key>` answer 401 as OpenAI does. */
  apiKey?: string;
}

function unauthorized(response: ServerResponse): void {
  sendJsonAnswer(response, 401, {
    error: {
      message:
        'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  });
}

function completion(model: string, content: string, finishReason: string): unknown {
  return {
    id: `chatcmpl-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    usage: { prompt_tokens: 100, completion_tokens: 100, total_tokens: 200 },
  };
}

export async function startOpenAiStandIn(options: OpenAiStandInOptions = {}): Promise<OpenAiStandIn> {
  const models = options.models ?? ['qwen2.5-coder:7b', 'llama3.2:latest'];
  const queue: ChatScript[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const text = await readBody(request);
    let body: unknown;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      body = text;
    }
    requests.push({
      method: request.method ?? 'GET',
      path,
      authorization: request.headers.authorization,
      body,
    });
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      unauthorized(response);
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      sendJsonAnswer(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'library' })),
      });
      return;
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') {
      const model = (body as { model?: string } | undefined)?.model ?? '';
      if (!models.includes(model)) {
        sendJsonAnswer(response, 404, {
          error: {
            message: `model "${model}" not found, try pulling it first`,
            type: 'api_error',
            param: null,
            code: null,
          },
        });
        return;
      }
      const next = queue.shift();
      if (next === undefined) {
        sendJsonAnswer(response, 500, { error: { message: 'the stand-in has no scripted answer left' } });
        return;
      }
      later(next.delayMs ?? 0, () => {
        if (response.destroyed) return;
        if ('status' in next) sendJsonAnswer(response, next.status, next.body);
        else sendJsonAnswer(response, 200, completion(model, next.content, next.finishReason ?? 'stop'));
      });
      return;
    }
    sendJsonAnswer(response, 404, { error: { message: `no route ${request.method} ${path}` } });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.destroy(error as Error);
    });
  });
  const port = await listenOnLoopback(server);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    script: (...answers) => queue.push(...answers),
    chats: () =>
      requests
        .filter((request) => request.path === '/v1/chat/completions')
        .map((request) => (request.body as { messages: Array<{ role: string; content: string }> }).messages),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server);
    },
  };
}

/** A Python answer the way chat models write one: a sentence, the fenced module, a closing remark. */
export function pythonAnswer(code: string): string {
  return `Here is the function you asked for:\n\n\`\`\`python\n${code.trim()}\n\`\`\`\n\nIt checks its arguments in validate and computes the result in exec.`;
}

/** A correct Celsius → Fahrenheit function on the SDK's Function interface. */
export const CELSIUS_PY = `
from typing import Any, List

from ekuiper import Context, Function


class CelsiusToFahrenheit(Function):
    def validate(self, args: List[Any]) -> str:
        if len(args) != 1:
            return "c_to_f takes one argument: the temperature in Celsius"
        return ""

    def exec(self, args: List[Any], ctx: Context) -> Any:
        return args[0] * 9 / 5 + 32

    def is_aggregate(self) -> bool:
        return False
`;

/** The same function with the usual slip: the offset forgotten. */
export const CELSIUS_PY_BROKEN = CELSIUS_PY.replace(' + 32', '');

/** A JavaScript (ES5.1) function as the model would write it for the SQL name `c_to_f`. */
export const CELSIUS_JS = `function c_to_f(c) {\n  return c * 9 / 5 + 32;\n}\n`;
export const CELSIUS_JS_BROKEN = `function c_to_f(c) {\n  return c * 9 / 5;\n}\n`;
