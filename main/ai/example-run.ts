import { sameValue, type AiExample, type AiExampleResult, type AiTryAnswer } from '../../shared/ai-dto.js';
import { errorText } from '../plugins/plugin-error.js';

/** One call of the function: its result, or a refusal in the function's own words. */
export type ExampleCall = (
  args: unknown[],
) => Promise<{ ok: true; result: unknown } | { ok: false; error: string }>;

/**
 * Runs the user's examples one after the other against one way of calling the function and compares each result
 * with what the user expected (`sameValue`). A call that throws counts as that example's failure, in its words.
 */
export async function runExamples(examples: AiExample[], call: ExampleCall): Promise<AiTryAnswer> {
  const results: AiExampleResult[] = [];
  for (const example of examples) {
    let outcome: Awaited<ReturnType<ExampleCall>>;
    try {
      outcome = await call(example.args);
    } catch (error) {
      outcome = { ok: false, error: errorText(error) };
    }
    results.push(
      outcome.ok
        ? { ...example, actual: outcome.result, pass: sameValue(outcome.result, example.expected) }
        : { ...example, error: outcome.error, pass: false },
    );
  }
  return answerOf(results);
}

/** Every example failed the same way before any call (the plugin did not start): that reason for each. */
export function allFailed(examples: AiExample[], error: string): AiTryAnswer {
  return answerOf(examples.map((example) => ({ ...example, error, pass: false })));
}

function answerOf(results: AiExampleResult[]): AiTryAnswer {
  const passed = results.filter((result) => result.pass).length;
  return { results, passed, failed: results.length - passed };
}
