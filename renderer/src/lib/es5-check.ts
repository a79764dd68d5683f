import { parse, type AnyNode, type Program } from 'acorn';
import { full } from 'acorn-walk';

/**
 * What eKuiper would make of a JavaScript function's script, told before it is sent. eKuiper runs scripts in
 * goja, documented as ECMAScript 5.1: newer syntax is marked as a warning (a goja build may still accept some of
 * it, this app's host does), code that does not parse at all as an error, and a script without a global function
 * named like the id is said to be refused, as eKuiper's create and update refuse it.
 */

/** Syntax newer than ECMAScript 5.1, each a key of `javascriptFunctions.es5.*` in the window's strings. */
export type NewerSyntax =
  | 'letConst'
  | 'arrow'
  | 'template'
  | 'class'
  | 'generator'
  | 'async'
  | 'spread'
  | 'destructuring'
  | 'defaultValue'
  | 'forOf'
  | 'objectShorthand'
  | 'optionalChaining'
  | 'nullish'
  | 'logicalAssignment'
  | 'exponent'
  | 'newTarget'
  | 'bigint'
  | 'regexFlags'
  | 'numberLiteral'
  | 'other';

/** One finding, by character offsets into the script (what CodeMirror's diagnostics take). */
export interface ScriptFinding {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  /** `syntax`: the script does not parse; `console`: eKuiper has no console or log; else the newer syntax. */
  code: NewerSyntax | 'syntax' | 'console';
  /** acorn's own words, for `syntax` and `other`. */
  detail?: string;
}

/** Whether the script defines the global function eKuiper looks up; `unknown` when it cannot tell statically. */
export type FunctionPresence = 'found' | 'missing' | 'unknown';

export interface ScriptCheck {
  findings: ScriptFinding[];
  /** `unknown` when the script does not parse (the syntax error says enough) or the id is empty. */
  globalFunction: FunctionPresence;
}

/** Enough marks to show what to change; a pasted ES2020 library would otherwise bury the editor in them. */
const MAX_FINDINGS = 50;

/** Where acorn stopped, and its message without the `(line:column)` it appends: the editor shows where. */
interface ParseFailure {
  failed: true;
  pos: number;
  message: string;
}

function parseAs(script: string, ecmaVersion: 5 | 'latest'): Program | ParseFailure {
  try {
    return parse(script, { ecmaVersion, sourceType: 'script', allowHashBang: false, locations: false });
  } catch (error) {
    // acorn throws a SyntaxError carrying `pos`, the offset where it stopped.
    const pos = (error as { pos?: unknown }).pos;
    if (!(error instanceof SyntaxError) || typeof pos !== 'number') throw error;
    return { failed: true, pos, message: error.message.replace(/\s*\(\d+:\d+\)$/, '') };
  }
}

function isProgram(value: Program | ParseFailure): value is Program {
  return !('failed' in value);
}

/** A node's first line only: marking a whole class or arrow body would underline the function the user reads. */
function headRange(script: string, node: { start: number; end: number }): { from: number; to: number } {
  const lineEnd = script.indexOf('\n', node.start);
  const to = lineEnd < 0 ? node.end : Math.min(node.end, lineEnd);
  return { from: node.start, to: Math.max(to, node.start + 1) };
}

/** The newer syntax a node is, if any. */
function newerSyntaxOf(node: AnyNode): NewerSyntax | undefined {
  switch (node.type) {
    case 'VariableDeclaration':
      return node.kind === 'var' ? undefined : 'letConst';
    case 'ArrowFunctionExpression':
      return node.async ? 'async' : 'arrow';
    case 'TemplateLiteral':
    case 'TaggedTemplateExpression':
      return 'template';
    case 'ClassDeclaration':
    case 'ClassExpression':
      return 'class';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      return node.async ? 'async' : node.generator ? 'generator' : undefined;
    case 'AwaitExpression':
      return 'async';
    case 'YieldExpression':
      return 'generator';
    case 'SpreadElement':
    case 'RestElement':
      return 'spread';
    case 'ObjectPattern':
    case 'ArrayPattern':
      return 'destructuring';
    case 'AssignmentPattern':
      return 'defaultValue';
    case 'ForOfStatement':
      return 'forOf';
    case 'Property':
      return node.shorthand || node.method || node.computed || node.kind !== 'init'
        ? 'objectShorthand'
        : undefined;
    case 'ChainExpression':
      return 'optionalChaining';
    case 'LogicalExpression':
      return node.operator === '??' ? 'nullish' : undefined;
    case 'AssignmentExpression':
      if (['??=', '||=', '&&='].includes(node.operator)) return 'logicalAssignment';
      return node.operator === '**=' ? 'exponent' : undefined;
    case 'BinaryExpression':
      return node.operator === '**' ? 'exponent' : undefined;
    case 'MetaProperty':
      return 'newTarget';
    case 'Literal':
      if ('bigint' in node && node.bigint !== undefined) return 'bigint';
      if ('regex' in node && node.regex !== undefined && /[uysdv]/.test(node.regex.flags))
        return 'regexFlags';
      if (typeof node.value === 'number' && /^0[bBoO]|_/.test(node.raw ?? '')) return 'numberLiteral';
      return undefined;
    default:
      return undefined;
  }
}

/**
 * `Property` nodes with `kind: 'get' | 'set'` are ES5 (getters and setters are); only the ES2015 forms count,
 * and ES5 parsed them fine, so they never reach here unless something else in the script is newer.
 */
function isEs5Accessor(node: AnyNode): boolean {
  return node.type === 'Property' && (node.kind === 'get' || node.kind === 'set') && !node.computed;
}

/** Calls that fail in eKuiper: it has no `console` and no `log` (its documentation's sample calls `log`). */
function consoleUse(node: AnyNode, declared: ReadonlySet<string>): boolean {
  if (node.type === 'MemberExpression' && node.object.type === 'Identifier') {
    return node.object.name === 'console' && !declared.has('console');
  }
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier') {
    return node.callee.name === 'log' && !declared.has('log');
  }
  return false;
}

/** Names the script declares at its top level: functions and `var`s. */
function topLevelNames(program: Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    if (statement.type === 'FunctionDeclaration') names.add(statement.id.name);
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier') names.add(declarator.id.name);
      }
    }
  }
  return names;
}

function isFunctionValue(node: AnyNode | null | undefined): boolean {
  return node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression';
}

/**
 * Whether the top level defines `id` as a function, the way eKuiper looks it up (a global of that name that is a
 * function): `function id(){}`, `var id = function(){}`, or `id = function(){}`. A global of that name whose
 * value cannot be read without running the script is `unknown`.
 */
export function globalFunctionPresence(program: Program, id: string): FunctionPresence {
  let presence: FunctionPresence = 'missing';
  for (const statement of program.body) {
    if (statement.type === 'FunctionDeclaration' && statement.id.name === id) {
      if (!statement.async && !statement.generator) return 'found';
      presence = 'unknown';
    }
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) {
        if (declarator.id.type === 'Identifier' && declarator.id.name === id) {
          if (isFunctionValue(declarator.init)) return 'found';
          presence = 'unknown';
        }
      }
    }
    if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const { left, right } = statement.expression;
      const named =
        (left.type === 'Identifier' && left.name === id) ||
        (left.type === 'MemberExpression' &&
          !left.computed &&
          left.property.type === 'Identifier' &&
          left.property.name === id);
      if (named) {
        if (isFunctionValue(right)) return 'found';
        presence = 'unknown';
      }
    }
  }
  return presence;
}

/**
 * Checks a script as eKuiper would take it: parsed as ECMAScript 5 first; where that fails but the latest
 * JavaScript parses it, each newer construct is marked (warnings: a user may know their eKuiper's goja accepts
 * it); where nothing parses it, the syntax error is marked. Then the global function `id` is looked for, and
 * calls to `console` or `log` are marked, which eKuiper does not have.
 */
export function checkScript(script: string, id: string): ScriptCheck {
  const findings: ScriptFinding[] = [];
  const es5 = parseAs(script, 5);
  let program: Program;
  if (isProgram(es5)) {
    program = es5;
  } else {
    const latest = parseAs(script, 'latest');
    if (!isProgram(latest)) {
      const at = Math.min(latest.pos, script.length);
      return {
        findings: [
          {
            from: at,
            to: Math.min(at + 1, script.length),
            severity: 'error',
            code: 'syntax',
            detail: latest.message,
          },
        ],
        globalFunction: 'unknown',
      };
    }
    program = latest;
    const seen = new Set<AnyNode>();
    full(program, (node) => {
      if (seen.has(node) || findings.length >= MAX_FINDINGS) return;
      seen.add(node);
      if (isEs5Accessor(node)) return;
      const code = newerSyntaxOf(node);
      if (code !== undefined) findings.push({ ...headRange(script, node), severity: 'warning', code });
    });
    if (findings.length === 0) {
      // Newer than ES5 in a way not named above: say where ES5's parser stopped, in its words.
      const at = Math.min(es5.pos, script.length);
      findings.push({
        from: at,
        to: Math.min(at + 1, script.length),
        severity: 'warning',
        code: 'other',
        detail: es5.message,
      });
    }
  }
  const declared = topLevelNames(program);
  const seen = new Set<AnyNode>();
  full(program, (node) => {
    if (seen.has(node) || findings.length >= MAX_FINDINGS) return;
    seen.add(node);
    if (consoleUse(node, declared))
      findings.push({ ...headRange(script, node), severity: 'warning', code: 'console' });
  });
  findings.sort((a, b) => a.from - b.from || b.to - a.to);
  return { findings, globalFunction: id.trim() === '' ? 'unknown' : globalFunctionPresence(program, id) };
}
