import type { AiExample } from '../../../shared/ai-dto';

/** One example as the user types it: the arguments and the expected result, each as JSON text. */
export interface ExampleRow {
  key: number;
  args: string;
  expected: string;
}

/** What is wrong with a row's fields, as keys of `develop.ai.examples.*`. */
export interface ExampleRowProblems {
  args?: 'notJson';
  expected?: 'notJson' | 'empty';
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A row as an example: the arguments are a JSON array (`[0, "a"]`) — one value alone (`0`) is one argument, and
 * empty means none — and the expected result is any JSON value. Rows left wholly empty are skipped.
 */
export function exampleOf(row: ExampleRow): { example?: AiExample; problems: ExampleRowProblems } {
  const argsText = row.args.trim();
  const expectedText = row.expected.trim();
  if (argsText === '' && expectedText === '') return { problems: {} };
  const problems: ExampleRowProblems = {};
  let args: unknown[] = [];
  if (argsText !== '') {
    const parsed = parse(argsText);
    if (!parsed.ok) problems.args = 'notJson';
    else args = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  }
  let expected: unknown = null;
  if (expectedText === '') problems.expected = 'empty';
  else {
    const parsed = parse(expectedText);
    if (!parsed.ok) problems.expected = 'notJson';
    else expected = parsed.value;
  }
  if (problems.args !== undefined || problems.expected !== undefined) return { problems };
  return { example: { args, expected }, problems };
}

/** The rows' examples, or undefined when any row has a problem. */
export function examplesOf(rows: readonly ExampleRow[]): AiExample[] | undefined {
  const examples: AiExample[] = [];
  for (const row of rows) {
    const { example, problems } = exampleOf(row);
    if (problems.args !== undefined || problems.expected !== undefined) return undefined;
    if (example !== undefined) examples.push(example);
  }
  return examples;
}

/** A value shown compactly in the results: JSON, as the user typed theirs. */
export function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value);
}
