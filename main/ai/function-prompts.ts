import type { AiExample, AiExampleResult, AiGenerateRequest } from '../../shared/ai-dto.js';
import type { ChatMessage } from './chat-client.js';

/** How much of one failure's error text goes back to the model: the end of a traceback says the most. */
const MAX_FAILURE_TEXT = 1_500;

const PYTHON_RULES = `You write one function for an eKuiper portable plugin in Python 3, on eKuiper's Python SDK.
Answer with exactly one \`\`\`python fenced code block holding one complete module, then at most two sentences.

The module must:
- import what it needs: \`from typing import Any, List\` and \`from ekuiper import Function, Context\`;
- define exactly one class that subclasses \`Function\` and implements its three methods:
  - \`validate(self, args: List[Any]) -> str\`: return "" when the arguments are acceptable, otherwise a short
    error message (check how many arguments there are; their values are not known yet);
  - \`exec(self, args: List[Any], ctx: Context) -> Any\`: compute the result. \`args\` are the SQL arguments in
    order, as JSON values: numbers arrive as int or float, strings, booleans, None, lists and dicts;
  - \`is_aggregate(self) -> bool\`: return False;
- return values that JSON can encode (numbers, strings, booleans, None, lists, dicts);
- use only Python's standard library; no input or output, no network, no print;
- not call \`plugin.start\` nor have an \`if __name__ == '__main__'\` block: the app writes the plugin's main.`;

function javascriptRules(name: string): string {
  return `You write one custom JavaScript function for eKuiper, which runs it in goja: ECMAScript 5.1 only.
Answer with exactly one \`\`\`javascript fenced code block, then at most two sentences.

The script must:
- define a global function named exactly \`${name}\`, taking the SQL arguments in order as its parameters
  (\`function ${name}(a, b) { ... }\`); extra arguments are ignored, missing ones are undefined;
- use ES5.1 only: \`var\`, \`function\`, no \`let\`/\`const\`, no arrow functions, no template literals, no
  classes, no destructuring, no spread, no default parameters, no \`for...of\`;
- not use \`console\`, \`require\`, timers or any input or output: only the language and its built-ins (Math, JSON,
  String, Array, Date, RegExp);
- return values that JSON can encode; NaN and Infinity are errors in eKuiper.`;
}

function json(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

function exampleLines(examples: AiExample[]): string {
  if (examples.length === 0) return 'No examples were given.';
  return examples
    .map((example, index) => `${index + 1}. arguments ${json(example.args)} → ${json(example.expected)}`)
    .join('\n');
}

function failureText(result: AiExampleResult): string {
  if (result.error !== undefined) {
    const error =
      result.error.length > MAX_FAILURE_TEXT ? `…${result.error.slice(-MAX_FAILURE_TEXT)}` : result.error;
    return `arguments ${json(result.args)}: expected ${json(result.expected)}, but it failed:\n${error}`;
  }
  return `arguments ${json(result.args)}: expected ${json(result.expected)}, got ${json(result.actual)}`;
}

/**
 * The chat that asks the model for one function in the chosen form: the rules of that form (the SDK's Function
 * interface, or goja's ES5.1 with the function named like the SQL function), the user's description and
 * examples, and — to fix and retry — the previous code with each failing example and what it did instead.
 */
export function functionPrompt(request: AiGenerateRequest): ChatMessage[] {
  const rules = request.form === 'python' ? PYTHON_RULES : javascriptRules(request.name);
  const callName = request.form === 'python' ? 'The SQL function' : 'The function';
  const task =
    `${callName} is called \`${request.name}\`.\n` +
    `What it does: ${request.description.trim()}\n\n` +
    `Examples (SQL arguments → expected result, as JSON):\n${exampleLines(request.examples)}`;
  const messages: ChatMessage[] = [
    { role: 'system', content: rules },
    { role: 'user', content: task },
  ];
  const previous = request.previous;
  if (previous !== undefined) {
    const fence = request.form === 'python' ? 'python' : 'javascript';
    messages.push({ role: 'assistant', content: `\`\`\`${fence}\n${previous.code.trimEnd()}\n\`\`\`` });
    const failures =
      previous.failures.length === 0
        ? 'The user asks for a corrected version.'
        : `These examples fail:\n${previous.failures.map((failure, index) => `${index + 1}. ${failureText(failure)}`).join('\n')}`;
    messages.push({
      role: 'user',
      content: `${failures}\n\nFix the code so that every example gives its expected result. Answer with the whole corrected code in one fenced block.`,
    });
  }
  return messages;
}
