import { afterEach, expect, test } from 'vitest';
import { JsSandbox, type SandboxAnswer } from '../../main/javascript/js-sandbox.js';

let sandbox: JsSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const MULTIPLY = { id: 'mul', script: 'function mul(a, b) { return a * b; }' };
const SPIN = { id: 'spin', script: 'function spin() { for (;;) {} }', args: '[]', argCount: 0 };

function multiply(a: number, b: number) {
  return { ...MULTIPLY, args: JSON.stringify([a, b]), argCount: 2 };
}

function numberOf(answer: SandboxAnswer): number | undefined {
  return answer.stage === 'done' && answer.result !== undefined && 'number' in answer.result
    ? answer.result.number
    : undefined;
}

test('many calls at once are all answered, each with its own result, in order', async () => {
  sandbox = new JsSandbox();
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => sandbox!.run(multiply(i, 3))));
  expect(answers.map(numberOf)).toEqual(Array.from({ length: 200 }, (_, i) => i * 3));
});

test('calls sent behind a runaway one run on the next worker when the host ends the stuck one', async () => {
  // The host's backstop (deadline + grace) fires long before QuickJS's own interrupt here, so the worker is ended.
  sandbox = new JsSandbox({
    memoryBytes: 32 * 1024 * 1024,
    stackBytes: 256 * 1024,
    deadlineMs: 5000,
    graceMs: -4800,
  });
  await sandbox.run(multiply(1, 1));
  const stuck = sandbox.run(SPIN);
  const behind = Array.from({ length: 20 }, (_, i) => sandbox!.run(multiply(i, 2)));
  const answer = await stuck;
  expect(answer.stage).toBe('stopped');
  expect((await Promise.all(behind)).map(numberOf)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
});

test('calls sent behind an interrupted one are answered by the same worker', async () => {
  sandbox = new JsSandbox({
    memoryBytes: 32 * 1024 * 1024,
    stackBytes: 256 * 1024,
    deadlineMs: 100,
    graceMs: 2000,
  });
  const stuck = sandbox.run(SPIN);
  const behind = Array.from({ length: 20 }, (_, i) => sandbox!.run(multiply(i, 5)));
  const answer = await stuck;
  expect(answer.stage).toBe('call');
  expect(answer.stage === 'call' && answer.error.message).toBe('interrupted');
  expect((await Promise.all(behind)).map(numberOf)).toEqual(Array.from({ length: 20 }, (_, i) => i * 5));
});

test('closing the sandbox answers every waiting call as stopped', async () => {
  sandbox = new JsSandbox();
  const calls = Array.from({ length: 50 }, (_, i) => sandbox!.run(multiply(i, 1)));
  await sandbox.close();
  const answers = await Promise.all(calls);
  for (const answer of answers) expect(['done', 'stopped']).toContain(answer.stage);
  expect(answers.some((answer) => answer.stage === 'stopped')).toBe(true);
});
