import { describe, expect, it } from 'vitest';
import { checkScript, type ScriptFinding } from './es5-check';

/** Each finding as `code: marked text`, the way the editor underlines it. */
function marks(script: string, id = 'f'): string[] {
  return checkScript(script, id).findings.map((finding: ScriptFinding) => {
    return `${finding.code}: ${script.slice(finding.from, finding.to)}`;
  });
}

describe('checkScript: ECMAScript 5.1', () => {
  it('finds nothing to say about an ES5 function, getters and setters included', () => {
    const script = [
      'var rate = 2;',
      'var box = { get v() { return rate; }, set v(x) { rate = x; } };',
      'function f(a, b) {',
      '  for (var i = 0; i < 3; i++) { a += i; }',
      '  return a * b * box.v;',
      '}',
    ].join('\n');
    expect(checkScript(script, 'f')).toEqual({ findings: [], globalFunction: 'found' });
  });

  it('marks each construct eKuiper (goja, ECMAScript 5.1) would refuse, on its first line only', () => {
    const script = [
      'const k = 2;',
      'let seen = [];',
      'class Box {',
      '  constructor() {}',
      '}',
      'function f(a, b = 1, ...rest) {',
      '  var { x } = a;',
      '  var g = (v) => v * k;',
      '  for (var item of rest) seen.push(`${item}`);',
      '  return a?.y ?? b ** 2;',
      '}',
    ].join('\n');
    expect(marks(script)).toEqual([
      'letConst: const k = 2;',
      'letConst: let seen = [];',
      'class: class Box {',
      'defaultValue: b = 1',
      'spread: ...rest',
      'destructuring: { x }',
      'arrow: (v) => v * k',
      'forOf: for (var item of rest) seen.push(`${item}`);',
      'template: `${item}`',
      'nullish: a?.y ?? b ** 2',
      'optionalChaining: a?.y',
      'exponent: b ** 2',
    ]);
    expect(checkScript(script, 'f').findings.every((finding) => finding.severity === 'warning')).toBe(true);
  });

  it('marks shorthand properties and methods, but not ES5 getters and setters beside them', () => {
    expect(marks('function f(a) { return { a, m() {}, get g() { return 1; } }; }')).toEqual([
      'objectShorthand: a',
      'objectShorthand: m() {}',
    ]);
  });

  it('marks code that does not parse at all as an error, where the parser stopped, in its words', () => {
    const check = checkScript('function f(a) {\n  return a +;\n}', 'f');
    expect(check.globalFunction).toBe('unknown');
    expect(check.findings).toEqual([
      { from: 28, to: 29, severity: 'error', code: 'syntax', detail: 'Unexpected token' },
    ]);
  });

  it('marks calls to console and log, which eKuiper does not have, unless the script defines them', () => {
    expect(marks('function f(a) { console.log(a); log(a); return a; }')).toEqual([
      'console: console.log',
      'console: log(a)',
    ]);
    expect(marks('function log(x) { return x; }\nfunction f(a) { return log(a); }')).toEqual([]);
  });
});

describe('checkScript: the global function eKuiper looks up', () => {
  it('finds it declared, or assigned a function at the top level', () => {
    expect(checkScript('function area(a, b) { return a * b; }', 'area').globalFunction).toBe('found');
    expect(checkScript('var area = function (a) { return a; };', 'area').globalFunction).toBe('found');
    expect(checkScript('area = function (a) { return a; };', 'area').globalFunction).toBe('found');
    expect(checkScript('this.area = function (a) { return a; };', 'area').globalFunction).toBe('found');
  });

  it('says it is missing when the names differ or the function is not global', () => {
    expect(checkScript('function area2(a) { return a; }', 'area').globalFunction).toBe('missing');
    expect(checkScript('function outer() { function area() {} }', 'area').globalFunction).toBe('missing');
    expect(checkScript('function Area() {}', 'area').globalFunction).toBe('missing');
  });

  it('cannot tell without running the script when the value is computed', () => {
    expect(checkScript('var area = make();', 'area').globalFunction).toBe('unknown');
    expect(checkScript('function area() {}', '').globalFunction).toBe('unknown');
  });
});
