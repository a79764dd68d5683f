import { describe, expect, test } from 'vitest';
import { extractCode } from '../../main/ai/code-extract.js';
import { CELSIUS_JS, CELSIUS_PY, pythonAnswer } from '../support/openai-stand-in.js';

// Models wrap code every which way; the generator must find the function in each, and say so when there is none.

describe('taking the code out of a model’s answer', () => {
  test('a fenced python block between sentences: the code, and the prose as the explanation', () => {
    const found = extractCode(pythonAnswer(CELSIUS_PY), 'python');
    expect(found?.code).toBe(`${CELSIUS_PY.trim()}\n`);
    expect(found?.explanation).toBe(
      'Here is the function you asked for:\n\nIt checks its arguments in validate and computes the result in exec.',
    );
  });

  test('several blocks: the one in the wanted language that holds the function, not the usage example', () => {
    const answer = [
      'Install the SDK first:',
      '```sh\npip install ekuiper pynng\n```',
      'The function:',
      '```python\n' + CELSIUS_PY.trim() + '\n```',
      'Use it in SQL:',
      '```sql\nSELECT c_to_f(temperature) FROM demo\n```',
    ].join('\n');
    expect(extractCode(answer, 'python')?.code).toContain('class CelsiusToFahrenheit(Function)');
  });

  test('a block without a language, with ~~~ fences, and one cut off before its closing fence', () => {
    expect(extractCode('```\n' + CELSIUS_JS + '```', 'javascript')?.code).toBe(CELSIUS_JS);
    expect(extractCode('~~~js\n' + CELSIUS_JS + '~~~\n', 'javascript')?.code).toBe(CELSIUS_JS);
    expect(extractCode('Sure!\n```javascript\n' + CELSIUS_JS, 'javascript')?.code).toBe(CELSIUS_JS);
  });

  test('bare code after a sentence, with a closing remark after it', () => {
    const answer = `Sure, here it is:\n${CELSIUS_PY.trim()}\n\nThis converts the temperature to Fahrenheit.`;
    const found = extractCode(answer, 'python');
    expect(found?.code).toBe(`${CELSIUS_PY.trim()}\n`);
    expect(found?.explanation).toBe('Sure, here it is:\n\nThis converts the temperature to Fahrenheit.');
  });

  test('a reasoning model’s <think> part is not the answer', () => {
    const answer = `<think>Maybe \`\`\`python\nclass Wrong(Function): pass\n\`\`\`</think>\n${pythonAnswer(CELSIUS_PY)}`;
    expect(extractCode(answer, 'python')?.code).toContain('CelsiusToFahrenheit');
  });

  test('Windows line ends become \\n', () => {
    expect(extractCode('```js\r\nfunction f(a) {\r\n  return a;\r\n}\r\n```', 'javascript')?.code).toBe(
      'function f(a) {\n  return a;\n}\n',
    );
  });

  test('prose only, or an empty block: no code', () => {
    expect(extractCode('I cannot help with that.', 'python')).toBeUndefined();
    expect(extractCode('```python\n\n```', 'python')).toBeUndefined();
    expect(extractCode('import os\nprint("no function here")', 'python')).toBeUndefined();
  });
});
