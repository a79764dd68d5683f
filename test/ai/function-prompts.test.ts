import { describe, expect, test } from 'vitest';
import { functionPrompt } from '../../main/ai/function-prompts.js';

const examples = [
  { args: [0], expected: 32 },
  { args: [100], expected: 212 },
];

describe('the prompt for one function', () => {
  test('Python: the SDK’s Function interface, the name, the description and every example', () => {
    const messages = functionPrompt({
      form: 'python',
      name: 'c_to_f',
      description: 'Celsius to Fahrenheit',
      examples,
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    const [system, user] = messages.map((m) => m.content);
    for (const part of [
      'validate(self, args',
      'exec(self, args',
      'is_aggregate(self)',
      'from ekuiper import Function',
    ]) {
      expect(system).toContain(part);
    }
    expect(system).toContain('plugin.start');
    expect(user).toContain('`c_to_f`');
    expect(user).toContain('Celsius to Fahrenheit');
    expect(user).toContain('1. arguments [0] → 32');
    expect(user).toContain('2. arguments [100] → 212');
  });

  test('JavaScript: ES5.1 for goja, a global function named like the SQL function', () => {
    const [system] = functionPrompt({ form: 'javascript', name: 'c_to_f', description: 'd', examples }).map(
      (m) => m.content,
    );
    expect(system).toContain('ECMAScript 5.1');
    expect(system).toContain('function c_to_f(a, b)');
    expect(system).toMatch(/no `let`\/`const`, no arrow functions/);
  });

  test('fix and retry: the previous code as the model’s turn, then each failure with what it did instead', () => {
    const messages = functionPrompt({
      form: 'python',
      name: 'c_to_f',
      description: 'Celsius to Fahrenheit',
      examples,
      previous: {
        code: 'class X(Function):\n    pass\n',
        failures: [
          { args: [0], expected: 32, actual: 0, pass: false },
          { args: [100], expected: 212, error: 'Traceback …\nTypeError: boom', pass: false },
        ],
      },
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[2]!.content).toBe('```python\nclass X(Function):\n    pass\n```');
    const fix = messages[3]!.content;
    expect(fix).toContain('1. arguments [0]: expected 32, got 0');
    expect(fix).toContain('2. arguments [100]: expected 212, but it failed:\nTraceback …\nTypeError: boom');
    expect(fix).toContain('Fix the code');
  });
});
