/**
 * The AI function generator's requests and answers (`/manager/ai/*`), shared by the host and the window: the
 * endpoint settings (the API key is write-only: answers say only whether one is stored), a generation, and the
 * user's examples run against the code.
 */

/** What the model writes: a Python function plugin on eKuiper's SDK, or a custom JavaScript function (goja, ES5.1). */
export type AiFunctionForm = 'python' | 'javascript';
export const AI_FUNCTION_FORMS: readonly AiFunctionForm[] = ['python', 'javascript'];

/** `GET /manager/ai/settings`: the endpoint, and whether a key is stored — never the key. */
export interface AiSettings {
  /** An OpenAI-compatible API base, e.g. `http://127.0.0.1:11434/v1`; empty when not set up. */
  baseUrl: string;
  model: string;
  hasKey: boolean;
}

/**
 * `PUT /manager/ai/settings` (and the optional body of the check): fields left out stay as stored. `apiKey` a
 * non-empty string stores that key, `null` removes the stored one.
 */
export interface AiSettingsInput {
  baseUrl?: string;
  model?: string;
  apiKey?: string | null;
}

/** Why the endpoint could not be used, for the window's wording and icon. */
export type AiEndpointProblem =
  'not-configured' | 'unreachable' | 'timeout' | 'auth' | 'unknown-model' | 'bad-answer' | 'server-error';

/** `POST /manager/ai/settings/check`: reached `GET {base}/models` and found the model, or what is wrong. */
export interface AiCheck {
  ok: boolean;
  /** The models the server lists (empty when it could not be asked). */
  models: string[];
  problem?: AiEndpointProblem;
  /** The problem in plain words, quoting the server's own message when it gave one. */
  message?: string;
}

/** One of the user's examples: the SQL arguments in order, and the result they expect. */
export interface AiExample {
  args: unknown[];
  expected: unknown;
}

/** One example run against the code. */
export interface AiExampleResult {
  args: unknown[];
  expected: unknown;
  /** What the function answered; absent when it failed (`error`). */
  actual?: unknown;
  error?: string;
  pass: boolean;
}

/** `POST /manager/ai/functions/generate`. */
export interface AiGenerateRequest {
  form: AiFunctionForm;
  /** The SQL function name: a Python/JavaScript identifier. */
  name: string;
  description: string;
  examples: AiExample[];
  /** Fix and retry: the code that failed and how its examples failed. */
  previous?: { code: string; failures: AiExampleResult[] };
}

export interface AiGenerateAnswer {
  code: string;
  /** The prose around the code in the model's answer, when there was any. */
  explanation?: string;
  /** The model that wrote it. */
  model: string;
}

/** `POST /manager/ai/functions/try`. */
export interface AiTryRequest {
  form: AiFunctionForm;
  name: string;
  code: string;
  examples: AiExample[];
}

export interface AiTryAnswer {
  results: AiExampleResult[];
  passed: number;
  failed: number;
}

/** `POST /manager/ai/functions/package`: the Python plugin built around the code, ready to install. */
export interface AiPackageRequest {
  /** The SQL function's name; the plugin is `aiPluginName(name)`. */
  name: string;
  code: string;
  /**
   * Add the scaffold's `install.sh` (pip installs the SDK where a server's Python lacks it): for zips going to
   * servers. Installing on this computer needs none: the trial already ran on its Python. Default false.
   */
  installScript?: boolean;
}

/** Most examples a request may carry: each one is a function call on Try and a line in the prompt. */
export const MAX_AI_EXAMPLES = 20;
/** Longest description, code or example text accepted: far above any one function, far below a prompt limit. */
export const MAX_AI_TEXT = 20_000;

/** A function name both forms accept: a Python and JavaScript identifier, which SQL calls as it is. */
export const AI_FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The portable plugin a generated Python function is installed as: named after the function, but not the same
 * (the plugin's main is `<plugin>.py`, the function's module `<function>.py`).
 */
export function aiPluginName(functionName: string): string {
  return `${functionName}_plugin`;
}

const RELATIVE_TOLERANCE = 1e-9;

function sameNumber(actual: number, expected: number): boolean {
  if (actual === expected) return true;
  const scale = Math.max(Math.abs(actual), Math.abs(expected), 1);
  return Math.abs(actual - expected) <= RELATIVE_TOLERANCE * scale;
}

/**
 * Whether a function's answer matches what the user expected: JSON equality, with numbers equal up to a rounding
 * error (`0.1 + 0.2` answers what the user wrote as `0.3`; Python's `2.0` is JSON's `2`), objects regardless of
 * key order.
 */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return sameNumber(actual, expected);
  if (Array.isArray(actual) || Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      Array.isArray(expected) &&
      actual.length === expected.length &&
      actual.every((item, index) => sameValue(item, expected[index]))
    );
  }
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(e).length &&
      keys.every((key) => Object.hasOwn(e, key) && sameValue(a[key], e[key]))
    );
  }
  return actual === expected;
}

/** The SQL that calls the function, with the first example's arguments when there is one (columns otherwise). */
export function callSql(name: string, example?: AiExample): string {
  const args =
    example === undefined || example.args.length === 0
      ? 'col1'
      : example.args.map((arg) => (typeof arg === 'string' ? `"${arg}"` : JSON.stringify(arg))).join(', ');
  return `SELECT ${name}(${args}) AS result FROM demo`;
}
