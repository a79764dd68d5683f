import { describe, expect, it } from 'vitest';
import { checkScript } from './es5-check';
import {
  SAMPLE_FUNCTION_NAME,
  formProblems,
  functionBody,
  idProblem,
  renameFunction,
  sampleScript,
} from './javascript-form';

describe('the sample script', () => {
  it('is ES5 that defines the global function eKuiper looks up, plain and aggregate', () => {
    for (const isAgg of [false, true]) {
      const script = sampleScript('area', isAgg);
      expect(checkScript(script, 'area')).toEqual({ findings: [], globalFunction: 'found' });
    }
  });

  it('follows the Name field: the function and the sample comment are renamed, nothing else', () => {
    const start = sampleScript(SAMPLE_FUNCTION_NAME, false);
    const renamed = renameFunction(start, SAMPLE_FUNCTION_NAME, 'area');
    expect(renamed).toBe(sampleScript('area', false));
    expect(renameFunction(renamed, 'area', 'area_2')).toBe(sampleScript('area_2', false));
  });

  it("leaves the user's own script alone when its function has another name or the id cannot be one", () => {
    const own =
      '// mine: multiply(\nfunction helper(a) { return a; }\nfunction other(a) { return helper(a); }\n';
    expect(renameFunction(own, 'multiply', 'area')).toBe(own);
    const sample = sampleScript('area', false);
    expect(renameFunction(sample, 'area', 'my-area')).toBe(sample);
    expect(renameFunction(sample, 'area', '')).toBe(sample);
    // A call inside the body is the user's: only the declaration is renamed.
    const withCall = 'function area(a) { return area(a - 1); }';
    expect(renameFunction(withCall, 'area', 'size')).toBe('function size(a) { return area(a - 1); }');
  });
});

describe('the form', () => {
  it("applies eKuiper's id rule to the name", () => {
    expect(idProblem('')).toBe('empty');
    expect(idProblem(' area')).toBe('whitespace');
    expect(idProblem('inv/alid')).toBe('characters');
    expect(idProblem('area_2-b')).toBeUndefined();
  });

  it('asks for a name and a script, and sends the body eKuiper expects with isAgg always there', () => {
    expect(formProblems({ id: '', description: '', script: ' \n', isAgg: false })).toEqual({
      id: 'empty',
      script: 'empty',
    });
    const form = {
      id: 'area',
      description: '  Area of a rectangle ',
      script: 'function area(){}',
      isAgg: false,
    };
    expect(formProblems(form)).toEqual({});
    expect(JSON.stringify(functionBody(form))).toBe(
      '{"id":"area","description":"Area of a rectangle","script":"function area(){}","isAgg":false}',
    );
  });
});
