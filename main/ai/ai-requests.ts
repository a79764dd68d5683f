import {
  AI_FUNCTION_FORMS,
  AI_FUNCTION_NAME,
  MAX_AI_EXAMPLES,
  MAX_AI_TEXT,
  type AiExample,
  type AiExampleResult,
  type AiFunctionForm,
  type AiGenerateRequest,
  type AiPackageRequest,
  type AiTryRequest,
} from '../../shared/ai-dto.js';
import { hostMessage } from '../../shared/host-messages.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';

type Body = Record<string, unknown>;

const isRecord = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function refuse(what: string, problem: string): PluginError {
  return new PluginError(`invalid ${what} body: ${problem}`);
}

/** The JSON body as an object. */
export function jsonObject(text: string, what: string): Body {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw refuse(what, `not JSON: ${errorText(error)}`);
  }
  if (!isRecord(body)) throw refuse(what, 'must be a JSON object');
  return body;
}

function form(body: Body, what: string): AiFunctionForm {
  const value = body.form;
  if (typeof value === 'string' && (AI_FUNCTION_FORMS as readonly string[]).includes(value)) {
    return value as AiFunctionForm;
  }
  throw refuse(what, `"form" must be one of ${AI_FUNCTION_FORMS.join(', ')}`);
}

/** The function's name: one identifier SQL, Python and JavaScript all accept. */
export function functionName(value: unknown, what: string): string {
  if (typeof value !== 'string') throw refuse(what, '"name" must be a string');
  if (!AI_FUNCTION_NAME.test(value))
    throw new PluginError(hostMessage('aiFunctionNameInvalid', { name: value }));
  return value;
}

function text(body: Body, key: string, what: string, required: boolean): string {
  const value = body[key];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string') throw refuse(what, `"${key}" must be a string`);
  if (required && value.trim() === '') throw refuse(what, `"${key}" must not be empty`);
  if (value.length > MAX_AI_TEXT) throw refuse(what, `"${key}" is longer than ${MAX_AI_TEXT} characters`);
  return value;
}

function examples(value: unknown, what: string, key = 'examples'): AiExample[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw refuse(what, `"${key}" must be an array of {args, expected}`);
  if (value.length > MAX_AI_EXAMPLES) throw refuse(what, `at most ${MAX_AI_EXAMPLES} ${key} are accepted`);
  return value.map((item: unknown, index) => {
    if (!isRecord(item) || !Array.isArray(item.args)) {
      throw refuse(what, `${key}[${index}] must be {"args": [...], "expected": ...}`);
    }
    if (JSON.stringify(item).length > MAX_AI_TEXT) {
      throw refuse(what, `${key}[${index}] is longer than ${MAX_AI_TEXT} characters`);
    }
    return { args: item.args as unknown[], expected: item.expected ?? null };
  });
}

function failures(value: unknown, what: string): AiExampleResult[] {
  return examples(value, what, 'previous.failures').map((example, index) => {
    const item = (value as Body[])[index]!;
    const result: AiExampleResult = { ...example, pass: false };
    if (typeof item.error === 'string') result.error = item.error.slice(0, MAX_AI_TEXT);
    else if ('actual' in item) result.actual = item.actual;
    return result;
  });
}

function flag(body: Body, key: string, what: string): boolean {
  const value = body[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw refuse(what, `"${key}" must be true or false`);
  return value;
}

/** `POST /manager/ai/functions/generate`. */
export function generateRequest(body: Body): AiGenerateRequest {
  const what = 'generate';
  const request: AiGenerateRequest = {
    form: form(body, what),
    name: functionName(body.name, what),
    description: text(body, 'description', what, true),
    examples: examples(body.examples, what),
  };
  const previous = body.previous;
  if (previous !== undefined && previous !== null) {
    if (!isRecord(previous)) throw refuse(what, '"previous" must be {"code", "failures"}');
    request.previous = {
      code: text(previous, 'code', `${what} previous`, true),
      failures: failures(previous.failures, what),
    };
  }
  return request;
}

/** `POST /manager/ai/functions/try`. */
export function tryRequest(body: Body): AiTryRequest {
  const what = 'try';
  return {
    form: form(body, what),
    name: functionName(body.name, what),
    code: text(body, 'code', what, true),
    examples: examples(body.examples, what),
  };
}

/** `POST /manager/ai/functions/package`. */
export function packageRequest(body: Body): AiPackageRequest {
  const what = 'package';
  return {
    name: functionName(body.name, what),
    code: text(body, 'code', what, true),
    installScript: flag(body, 'installScript', what),
  };
}
