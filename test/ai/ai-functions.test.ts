import { readdir, writeFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scaffoldFiles } from '../../main/authoring/scaffold/scaffold-files.js';
import { scaffoldZip } from '../../main/authoring/scaffold/scaffold-zip.js';
import type { AiGenerateAnswer, AiTryAnswer } from '../../shared/ai-dto.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import {
  CELSIUS_JS,
  CELSIUS_JS_BROKEN,
  CELSIUS_PY,
  CELSIUS_PY_BROKEN,
  pythonAnswer,
  startOpenAiStandIn,
  type OpenAiStandIn,
} from '../support/openai-stand-in.js';
import { pythonWithSdk } from '../support/python-with-sdk.js';

/**
 * Generating a function through a local OpenAI-compatible stand-in, and running the user's examples against it:
 * Python as a trial plugin on this host, on eKuiper's real Python SDK; JavaScript in the QuickJS sandbox. Fix and
 * retry sends the code and its failures back; nothing stays installed.
 */

let t: TestHost;
let openai: OpenAiStandIn;
const examples = [
  { args: [0], expected: 32 },
  { args: [100], expected: 212 },
  { args: [-40], expected: -40 },
];

beforeAll(async () => {
  openai = await startOpenAiStandIn();
  t = await startTestHost({}, { ai: { chatTimeoutMs: 1_500 } });
  t.settings.pythonBin = pythonWithSdk(t.tempDir);
  t.settings.portableInitTimeoutMs = 15_000;
  await t.request('PUT', '/manager/ai/settings', { baseUrl: openai.baseUrl, model: 'qwen2.5-coder:7b' });
});
afterAll(async () => {
  await t.close();
  await openai.close();
});

const generate = (body: Record<string, unknown>) =>
  t.request('POST', '/manager/ai/functions/generate', {
    name: 'c_to_f',
    description: 'Celsius to Fahrenheit',
    examples,
    ...body,
  });
const tryIt = (form: string, code: string) =>
  t.request('POST', '/manager/ai/functions/try', { form, name: 'c_to_f', code, examples });

describe('generate', () => {
  test('the code from the model’s answer, the prose as explanation; the prompt carries the examples', async () => {
    openai.script({ content: pythonAnswer(CELSIUS_PY) });
    const answer = await generate({ form: 'python' });
    expect(answer.status).toBe(200);
    const body = answer.json<AiGenerateAnswer>();
    expect(body.code).toBe(`${CELSIUS_PY.trim()}\n`);
    expect(body.explanation).toContain('Here is the function');
    expect(body.model).toBe('qwen2.5-coder:7b');
    const request = openai.requests.at(-1)!;
    expect(request.authorization).toBeUndefined();
    expect(request.body).toMatchObject({ model: 'qwen2.5-coder:7b', stream: false });
    expect(openai.chats().at(-1)![1]!.content).toContain('3. arguments [-40] → -40');
  });

  test('an answer with no code: 502 saying so', async () => {
    openai.script({ content: 'Sorry, I cannot do that.' });
    const answer = await generate({ form: 'javascript' });
    expect(answer.status).toBe(502);
    expect(answer.json<{ message: string }>().message).toBe(
      'the model answered without any code (finish reason stop); try again, or describe the function in more detail',
    );
  });

  test('the endpoint’s own error, quoted; a slow model: 504 in plain words', async () => {
    openai.script({ status: 500, body: { error: 'llama runner process has terminated: signal: killed' } });
    const failed = await generate({ form: 'python' });
    expect(failed.status).toBe(502);
    expect(failed.json<{ message: string }>().message).toBe(
      'the AI endpoint answered HTTP 500: llama runner process has terminated: signal: killed',
    );
    openai.script({ content: pythonAnswer(CELSIUS_PY), delayMs: 5_000 });
    const slow = await generate({ form: 'python' });
    expect(slow.status).toBe(504);
    expect(slow.json<{ message: string }>().message).toMatch(
      /^the model at 127\.0\.0\.1:\d+ did not answer within 1\.5 s/,
    );
  });

  test('a model the server does not have: its 404 in words', async () => {
    await t.request('PUT', '/manager/ai/settings', { model: 'gpt-9' });
    const answer = await generate({ form: 'python' });
    await t.request('PUT', '/manager/ai/settings', { model: 'qwen2.5-coder:7b' });
    expect(answer.status).toBe(502);
    expect(answer.json<{ message: string }>().message).toBe(
      'the AI endpoint does not know the model gpt-9 (HTTP 404: model "gpt-9" not found, try pulling it first); choose one it offers in Settings',
    );
  });

  test('bad requests: 400 with the problem', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ form: 'go' }, /"form" must be one of python, javascript/],
      [{ form: 'python', name: 'c-to-f' }, /^invalid function name c-to-f/],
      [{ form: 'python', description: ' ' }, /"description" must not be empty/],
      [{ form: 'python', examples: [{ expected: 1 }] }, /examples\[0\] must be/],
    ];
    for (const [body, message] of cases) {
      const answer = await generate(body);
      expect(answer.status).toBe(400);
      expect(answer.json<{ message: string }>().message).toMatch(message);
    }
  });
});

describe('run the examples: JavaScript in the sandbox', () => {
  test('a right function passes each example with its actual value', async () => {
    const answer = (await tryIt('javascript', CELSIUS_JS)).json<AiTryAnswer>();
    expect(answer).toEqual({
      passed: 3,
      failed: 0,
      results: examples.map((example) => ({ ...example, actual: example.expected, pass: true })),
    });
  });

  test('a wrong one fails with what it answered; a script error fails each example with the error', async () => {
    const wrong = (await tryIt('javascript', CELSIUS_JS_BROKEN)).json<AiTryAnswer>();
    expect(wrong.results.map((r) => [r.actual, r.pass])).toEqual([
      [0, false],
      [180, false],
      [-72, false],
    ]);
    const broken = (await tryIt('javascript', 'function other(c) { return c; }')).json<AiTryAnswer>();
    expect(broken.failed).toBe(3);
    expect(broken.results[0]!.error).toBe(
      'call javascript function c_to_f error: cannot find function "c_to_f" in script',
    );
    // Nothing was installed.
    expect((await t.request('GET', '/udf/javascript')).json()).toEqual([]);
  });
});

describe("run the examples: Python on eKuiper's real SDK, as a trial plugin on this host", () => {
  test('passing and failing examples, then nothing left installed', async () => {
    const good = (await tryIt('python', CELSIUS_PY)).json<AiTryAnswer>();
    expect(good).toMatchObject({ passed: 3, failed: 0 });
    expect(good.results.map((r) => r.actual)).toEqual([32, 212, -40]);
    const broken = (await tryIt('python', CELSIUS_PY_BROKEN)).json<AiTryAnswer>();
    expect(broken.results.map((r) => [r.actual, r.pass])).toEqual([
      [0, false],
      [180, false],
      [-72, false],
    ]);
    expect((await t.request('GET', '/plugins/portables')).json()).toEqual([]);
  }, 60_000);

  test('an exception in exec fails that example with the traceback; a syntax error fails them all', async () => {
    const raising = CELSIUS_PY.replace('return args[0] * 9 / 5 + 32', 'return args[0]["c"] * 9 / 5 + 32');
    const failed = (await tryIt('python', raising)).json<AiTryAnswer>();
    expect(failed.failed).toBe(3);
    expect(failed.results[0]!.error).toContain("TypeError: 'int' object is not subscriptable");
    const syntax = (
      await tryIt('python', CELSIUS_PY.replace('def exec(', 'def exec('.slice(0, -1)))
    ).json<AiTryAnswer>();
    expect(syntax.failed).toBe(3);
    expect(syntax.results[0]!.error).toMatch(/^the generated plugin did not start on this computer: /);
    const noClass = (await tryIt('python', 'def c_to_f(c):\n    return c\n')).json<AiTryAnswer>();
    expect(noClass.results[0]!.error).toMatch(/^the code defines no class that implements Function/);
    expect((await t.request('GET', '/plugins/portables')).json()).toEqual([]);
  }, 60_000);

  test('fix and retry: the failures go back to the model, whose fixed code passes', async () => {
    openai.script({ content: pythonAnswer(CELSIUS_PY_BROKEN) }, { content: pythonAnswer(CELSIUS_PY) });
    const first = (await generate({ form: 'python' })).json<AiGenerateAnswer>();
    const tried = (await tryIt('python', first.code)).json<AiTryAnswer>();
    expect(tried.failed).toBe(3);
    const failures = tried.results.filter((r) => !r.pass);
    const second = (
      await generate({ form: 'python', previous: { code: first.code, failures } })
    ).json<AiGenerateAnswer>();
    const retry = openai.chats().at(-1)!;
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2]!.content).toContain('return args[0] * 9 / 5\n');
    expect(retry[3]!.content).toContain('arguments [0]: expected 32, got 0');
    expect((await tryIt('python', second.code)).json<AiTryAnswer>()).toMatchObject({ passed: 3, failed: 0 });
  }, 60_000);

  test("a plugin of the user's named ai_trial is never removed for a trial: the run is refused instead", async () => {
    const zip = scaffoldZip(
      scaffoldFiles({
        language: 'python',
        name: 'ai_trial',
        sources: [],
        sinks: [],
        functions: ['mine'],
        installScript: false,
      }),
    );
    const path = join(t.tempDir, 'ai_trial.zip');
    await writeFile(path, zip);
    expect(
      (await t.request('POST', '/plugins/portables', { name: 'ai_trial', file: `file://${path}` })).status,
    ).toBe(201);
    const refused = await tryIt('python', CELSIUS_PY);
    expect(refused.status).toBe(400);
    expect(refused.json<{ message: string }>().message).toMatch(
      /^a portable plugin named 'ai_trial' is installed and was not made by this app/,
    );
    expect((await t.request('GET', '/plugins/portables')).json()).toEqual([
      expect.objectContaining({ name: 'ai_trial' }),
    ]);
    expect((await t.request('DELETE', '/plugins/portables/ai_trial')).status).toBe(200);
  }, 60_000);

  test('install on the user’s click: the packaged plugin installs and its function answers under its SQL name', async () => {
    const zip = await fetch(`${t.url}/manager/ai/functions/package`, {
      method: 'POST',
      body: JSON.stringify({ name: 'c_to_f', code: CELSIUS_PY }),
    });
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toBe('attachment; filename="c_to_f_plugin.zip"');
    const form = new FormData();
    form.append('uploadFile', new Blob([await zip.arrayBuffer()]), 'c_to_f_plugin.zip');
    const stored = (await t.request('POST', '/config/uploads', form)).text.trim();
    const created = await t.request('POST', '/plugins/portables', {
      name: 'c_to_f_plugin',
      file: `file://${stored}`,
    });
    expect(created.text).toBe('portable plugin c_to_f_plugin is created');
    // The scaffold's layout around the model's module.
    const files = await readdir(join(t.dataDir, 'plugins/portable/c_to_f_plugin'), { recursive: true });
    expect(files.sort()).toEqual([
      'README.md',
      'c_to_f.py',
      'c_to_f_plugin.json',
      'c_to_f_plugin.py',
      'requirements.txt',
    ]);
    const call = await t.request('POST', '/manager/portables/c_to_f_plugin/functions/c_to_f/call', {
      args: [37],
    });
    expect(call.json()).toMatchObject({ ok: true, result: 98.6 });
    // For servers: with install.sh, executable, as the scaffold writes it.
    const forServers = await fetch(`${t.url}/manager/ai/functions/package`, {
      method: 'POST',
      body: JSON.stringify({ name: 'c_to_f', code: CELSIUS_PY, installScript: true }),
    });
    const entries = unzipSync(new Uint8Array(await forServers.arrayBuffer()));
    expect(Object.keys(entries)).toContain('install.sh');
  }, 60_000);
});
