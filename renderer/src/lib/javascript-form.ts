import { validateId } from '../../../shared/plugin-names';
import type { JsFunction } from '../../../shared/javascript-dto';

/** The function name the sample starts with while the Name field is still empty. */
export const SAMPLE_FUNCTION_NAME = 'multiply';

/**
 * A working function to start from, named `name`: the product of two values, or for an aggregate function the
 * sum of the group's values (eKuiper passes each argument as the array of the window's values). ES5 only, and
 * without `console`, so eKuiper's goja runs it as it is.
 */
export function sampleScript(name: string, isAgg: boolean): string {
  if (isAgg) {
    return [
      `// Each argument is an array: SELECT ${name}(x) FROM demo GROUP BY …`,
      `function ${name}(values) {`,
      '  var sum = 0;',
      '  for (var i = 0; i < values.length; i++) {',
      '    sum += values[i];',
      '  }',
      '  return sum;',
      '}',
      '',
    ].join('\n');
  }
  return [
    `// Arguments in SQL order: SELECT ${name}(a, b) FROM demo`,
    `function ${name}(a, b) {`,
    '  return a * b;',
    '}',
    '',
  ].join('\n');
}

/** Whether `name` can be written as a JavaScript function name (`function name(…)`); ids may hold `-`. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name);
}

/**
 * The script with its global function `from` renamed `to`, so the sample's function follows the Name field.
 * Only a top-level `function from(` is renamed, and only when `to` can be a function name; anything else the
 * user wrote stays as it is (answered unchanged).
 */
export function renameFunction(script: string, from: string, to: string): string {
  if (from === to || !isIdentifier(from) || !isIdentifier(to)) return script;
  const declaration = new RegExp(`^function\\s+${from.replace(/\$/g, '\\$')}\\s*\\(`, 'm');
  const match = declaration.exec(script);
  if (match === null) return script;
  const end = match.index + match[0].length;
  const renamed = script.slice(0, match.index) + match[0].replace(from, to) + script.slice(end);
  // The sample's first line names the function too (`// Arguments in SQL order: SELECT multiply(a, b) …`).
  const lineEnd = renamed.indexOf('\n');
  const first = lineEnd < 0 ? renamed : renamed.slice(0, lineEnd);
  if (!first.startsWith('// ') || !first.includes(`SELECT ${from}(`)) return renamed;
  return first.replace(`SELECT ${from}(`, `SELECT ${to}(`) + renamed.slice(first.length);
}

/** Why the Name field cannot be sent, as the window's `nameField.*` strings word it; undefined when valid. */
export type IdProblem = 'empty' | 'whitespace' | 'characters';

/** eKuiper's ValidateID rule (the host and eKuiper refuse the same ids). */
export function idProblem(id: string): IdProblem | undefined {
  if (validateId(id) === undefined) return undefined;
  return id === '' ? 'empty' : id !== id.trim() ? 'whitespace' : 'characters';
}

/** The form's fields as the dialog holds them. */
export interface JsFunctionForm {
  id: string;
  description: string;
  script: string;
  isAgg: boolean;
}

export interface JsFormProblems {
  id?: IdProblem;
  script?: 'empty';
}

/** What must be fixed before the form is sent; ES5 warnings never block (see `checkScript`). */
export function formProblems(form: JsFunctionForm): JsFormProblems {
  const problems: JsFormProblems = {};
  const id = idProblem(form.id);
  if (id !== undefined) problems.id = id;
  if (form.script.trim() === '') problems.script = 'empty';
  return problems;
}

/** The body eKuiper expects, in its field order, with `isAgg` always sent. */
export function functionBody(form: JsFunctionForm): JsFunction {
  return { id: form.id, description: form.description.trim(), script: form.script, isAgg: form.isAgg };
}
