import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AI_SECRET_ID } from '../../main/ai/ai-settings.js';
import { fileSecretStore } from '../../main/servers/secret-store.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openai-stand-in.js';
import { closeServer, listenOnLoopback } from '../support/stand-in-server.js';

/**
 * The endpoint's settings through `/manager/ai/settings`: the key goes to the secret store (never to the settings
 * file, an answer or the log), and the check reaches the endpoint and says what is wrong in plain words.
 */

const KEY = 'sk-test-0123456789abcdef';
let t: TestHost;
let openai: OpenAiStandIn;
let secretsFile: string;
let settingsFile: string;
let dir: string;
const logged: string[] = [];

beforeAll(async () => {
  openai = await startOpenAiStandIn({ apiKey: KEY });
  dir = await mkdtemp(join(tmpdir(), 'ekm-ai-settings-'));
  secretsFile = join(dir, 'server-secrets.json');
  settingsFile = join(dir, 'ai-endpoint.json');
  t = await startTestHost(
    {},
    {
      servers: { secrets: fileSecretStore(secretsFile) },
      ai: { file: settingsFile },
      log: (line) => logged.push(line),
    },
  );
});
afterAll(async () => {
  await t.close();
  await openai.close();
  await rm(dir, { recursive: true, force: true });
});

const settings = () => t.request('GET', '/manager/ai/settings');
const put = (body: unknown) => t.request('PUT', '/manager/ai/settings', body);
const check = (body?: unknown) => t.request('POST', '/manager/ai/settings/check', body);

describe('AI endpoint settings', () => {
  test('nothing is set up at first; the check and generate say how to set one up', async () => {
    expect((await settings()).json()).toEqual({ baseUrl: '', model: '', hasKey: false });
    const checked = (await check()).json<{ ok: boolean; problem: string; message: string }>();
    expect(checked).toMatchObject({ ok: false, problem: 'not-configured' });
    expect(checked.message).toContain('http://127.0.0.1:11434/v1');
    const generate = await t.request('POST', '/manager/ai/functions/generate', {
      form: 'python',
      name: 'f',
      description: 'x',
    });
    expect(generate.status).toBe(400);
    expect(generate.json<{ message: string }>().message).toMatch(/^no AI endpoint is set up/);
  });

  test('PUT stores URL and model in the settings file and the key in the secret store; no answer has the key', async () => {
    const answer = await put({ baseUrl: `${openai.baseUrl}/`, model: 'qwen2.5-coder:7b', apiKey: KEY });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ baseUrl: openai.baseUrl, model: 'qwen2.5-coder:7b', hasKey: true });
    expect(answer.text).not.toContain(KEY);
    expect((await settings()).text).not.toContain(KEY);
    const file = await readFile(settingsFile, 'utf8');
    expect(JSON.parse(file)).toEqual({ version: 1, baseUrl: openai.baseUrl, model: 'qwen2.5-coder:7b' });
    expect(file).not.toContain(KEY);
    expect(await fileSecretStore(secretsFile).read(AI_SECRET_ID)).toEqual({ token: KEY });
    expect(logged.join('\n')).not.toContain(KEY);
  });

  test('the check reaches GET {base}/models with the key and finds the model', async () => {
    const answer = (await check()).json<{ ok: boolean; models: string[] }>();
    expect(answer).toEqual({ ok: true, models: ['qwen2.5-coder:7b', 'llama3.2:latest'] });
    const last = openai.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: '/v1/models', authorization: `Bearer ${KEY}` });
    // Ollama lists `llama3.2:latest` for `llama3.2`.
    expect((await check({ model: 'llama3.2' })).json()).toMatchObject({ ok: true });
  });

  test('a key the endpoint refuses: 401 in plain words, quoting the server', async () => {
    const answer = (await check({ apiKey: 'sk-wrong' })).json<{
      ok: boolean;
      problem: string;
      message: string;
    }>();
    expect(answer).toMatchObject({ ok: false, problem: 'auth' });
    expect(answer.message).toBe(
      'the AI endpoint refused the API key (HTTP 401: Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.); check the key in Settings',
    );
    const none = (await check({ apiKey: null })).json<{ message: string }>();
    expect(none.message).toMatch(/^the AI endpoint wants an API key \(HTTP 401/);
    // Checking with other values changes nothing stored.
    expect((await settings()).json()).toMatchObject({ hasKey: true });
  });

  test('an unknown model names the ones the server has', async () => {
    const answer = (await check({ model: 'gpt-9' })).json<{ problem: string; message: string }>();
    expect(answer.problem).toBe('unknown-model');
    expect(answer.message).toBe(
      'the AI endpoint has no model gpt-9; it offers: qwen2.5-coder:7b, llama3.2:latest',
    );
  });

  test('nothing listening: refused, with the usual ports', async () => {
    const server = createServer();
    const port = await listenOnLoopback(server);
    await closeServer(server);
    const answer = (await check({ baseUrl: `http://127.0.0.1:${port}/v1` })).json<{
      problem: string;
      message: string;
    }>();
    expect(answer.problem).toBe('unreachable');
    expect(answer.message).toContain(`127.0.0.1:${port} refused the connection`);
    expect(answer.message).toContain('Ollama listens on port 11434');
  });

  test('a base URL without /v1 gets the server’s 404, not a crash', async () => {
    const answer = (await check({ baseUrl: openai.url })).json<{ problem: string; message: string }>();
    expect(answer).toMatchObject({ problem: 'server-error' });
    expect(answer.message).toBe('the AI endpoint answered HTTP 404: no route GET /models');
  });

  test('bad input: every problem at once, nothing stored', async () => {
    const answer = await put({ baseUrl: 'ftp://x', model: 'a\nb', apiKey: '', colour: 'red' });
    expect(answer.status).toBe(400);
    const message = answer.json<{ error: number; message: string }>().message;
    expect(message).toContain('baseUrl "ftp://x" is not an http or https URL');
    expect(message).toContain('model must be a name of at most 200 characters');
    expect(message).toContain('apiKey must be a non-empty text');
    expect(message).toContain('unknown AI setting colour');
    expect((await put('[1]')).status).toBe(400);
    expect((await settings()).json()).toEqual({
      baseUrl: openai.baseUrl,
      model: 'qwen2.5-coder:7b',
      hasKey: true,
    });
  });

  test('apiKey null removes the key from the secret store; the settings survive a restart', async () => {
    expect((await put({ apiKey: null })).json()).toMatchObject({ hasKey: false });
    expect(await fileSecretStore(secretsFile).read(AI_SECRET_ID)).toEqual({});
    await put({ apiKey: KEY });
    await t.restart();
    expect((await settings()).json()).toEqual({
      baseUrl: openai.baseUrl,
      model: 'qwen2.5-coder:7b',
      hasKey: true,
    });
  });
});
