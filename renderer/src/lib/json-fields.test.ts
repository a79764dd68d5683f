import { describe, expect, it } from 'vitest';
import { parseJsonArray, parseJsonObject, showJson } from './json-fields';

describe('parseJsonArray', () => {
  it('answers the array it reads', () => {
    expect(parseJsonArray(' ["hello", 42, {"a": null}] ')).toEqual({
      ok: true,
      value: ['hello', 42, { a: null }],
    });
    expect(parseJsonArray('[]')).toEqual({ ok: true, value: [] });
  });

  it('says what is wrong: empty, bad syntax with the parser’s words, not an array', () => {
    expect(parseJsonArray('  ')).toEqual({ ok: false, problem: { code: 'empty' } });
    const syntax = parseJsonArray('["hello"');
    expect(syntax.ok).toBe(false);
    if (!syntax.ok && syntax.problem.code === 'syntax') expect(syntax.problem.detail).not.toBe('');
    else throw new Error('expected a syntax problem');
    expect(parseJsonArray("['single quotes']")).toMatchObject({ ok: false, problem: { code: 'syntax' } });
    expect(parseJsonArray('{"a": 1}')).toEqual({ ok: false, problem: { code: 'notArray' } });
    expect(parseJsonArray('"hello"')).toEqual({ ok: false, problem: { code: 'notArray' } });
  });

  it('holds the number of entries to the limits', () => {
    expect(parseJsonArray('[]', { min: 1 })).toEqual({ ok: false, problem: { code: 'tooFew', min: 1 } });
    expect(parseJsonArray('[1, 2, 3]', { max: 2 })).toEqual({
      ok: false,
      problem: { code: 'tooMany', max: 2 },
    });
    expect(parseJsonArray('[1, 2]', { min: 1, max: 2 })).toEqual({ ok: true, value: [1, 2] });
  });
});

describe('parseJsonObject', () => {
  it('reads an object; empty means no configuration', () => {
    expect(parseJsonObject('{"interval": 1000}')).toEqual({ ok: true, value: { interval: 1000 } });
    expect(parseJsonObject('')).toEqual({ ok: true, value: {} });
  });

  it('refuses arrays, null, scalars and bad syntax', () => {
    for (const text of ['[1]', 'null', '42', '"x"']) {
      expect(parseJsonObject(text)).toEqual({ ok: false, problem: { code: 'notObject' } });
    }
    expect(parseJsonObject('{"a":')).toMatchObject({ ok: false, problem: { code: 'syntax' } });
  });
});

describe('showJson', () => {
  it('pretty-prints what a plugin answered, and never throws', () => {
    expect(showJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(showJson('hello')).toBe('"hello"');
    expect(showJson(undefined)).toBe('');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(showJson(cycle)).toBe('[object Object]');
  });
});
