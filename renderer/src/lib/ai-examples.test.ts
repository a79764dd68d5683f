import { describe, expect, it } from 'vitest';
import { exampleOf, examplesOf } from './ai-examples';

const row = (args: string, expected: string) => ({ key: 1, args, expected });

describe('example rows', () => {
  it('reads arguments as a JSON array, a single value as one argument, empty as none', () => {
    expect(exampleOf(row('[0, "a"]', '32')).example).toEqual({ args: [0, 'a'], expected: 32 });
    expect(exampleOf(row('100', '212')).example).toEqual({ args: [100], expected: 212 });
    expect(exampleOf(row('', '"now"')).example).toEqual({ args: [], expected: 'now' });
  });

  it('says which field is not JSON, and that an expected result is needed', () => {
    expect(exampleOf(row('[1,', 'hello')).problems).toEqual({ args: 'notJson', expected: 'notJson' });
    expect(exampleOf(row('[1]', ' ')).problems).toEqual({ expected: 'empty' });
  });

  it('skips wholly empty rows; any problem leaves no examples to send', () => {
    expect(examplesOf([row('', ''), row('[1]', '2')])).toEqual([{ args: [1], expected: 2 }]);
    expect(examplesOf([row('[1]', '2'), row('x', '2')])).toBeUndefined();
  });
});
