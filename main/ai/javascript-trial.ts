import { randomUUID } from 'node:crypto';
import type { AiExample, AiTryAnswer } from '../../shared/ai-dto.js';
import type { JsFunctionManager } from '../javascript/js-function-manager.js';
import { runExamples } from './example-run.js';

/**
 * Runs the examples against a generated JavaScript function in the QuickJS sandbox, as eKuiper would call the
 * installed function, without installing it: each example in a fresh engine, so one example's globals never
 * change another's answer.
 */
export function tryJavascript(
  functions: JsFunctionManager,
  name: string,
  code: string,
  examples: AiExample[],
): Promise<AiTryAnswer> {
  const run = randomUUID();
  let index = 0;
  return runExamples(examples, async (args) => {
    index += 1;
    const answer = await functions.trial({ id: name, script: code, isAgg: false }, `${run}:${index}`, args);
    return { ok: true, result: answer.result };
  });
}
