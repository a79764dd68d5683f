/** Why a JSON field of a try-it form cannot be sent; `detail` is the parser's own words when it did not parse. */
export type JsonFieldProblem =
  | { code: 'empty' }
  | { code: 'syntax'; detail: string }
  | { code: 'notArray' }
  | { code: 'notObject' }
  | { code: 'tooFew'; min: number }
  | { code: 'tooMany'; max: number };

export type JsonFieldResult<T> = { ok: true; value: T } | { ok: false; problem: JsonFieldProblem };

function parse(text: string): JsonFieldResult<unknown> {
  if (text.trim() === '') return { ok: false, problem: { code: 'empty' } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problem: { code: 'syntax', detail: (error as Error).message } };
  }
}

/**
 * Reads a field that must hold a JSON array (function arguments, sink rows), so the form can say what is
 * wrong before anything reaches the plugin — a plugin given malformed input answers far less clearly.
 */
export function parseJsonArray(
  text: string,
  limits: { min?: number; max?: number } = {},
): JsonFieldResult<unknown[]> {
  const result = parse(text);
  if (!result.ok) return result;
  if (!Array.isArray(result.value)) return { ok: false, problem: { code: 'notArray' } };
  const { min = 0, max = Number.POSITIVE_INFINITY } = limits;
  if (result.value.length < min) return { ok: false, problem: { code: 'tooFew', min } };
  if (result.value.length > max) return { ok: false, problem: { code: 'tooMany', max } };
  return { ok: true, value: result.value };
}

/** Reads a field that must hold a JSON object (a source's or sink's configuration); empty means `{}`. */
export function parseJsonObject(text: string): JsonFieldResult<Record<string, unknown>> {
  if (text.trim() === '') return { ok: true, value: {} };
  const result = parse(text);
  if (!result.ok) return result;
  const value = result.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: { code: 'notObject' } };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Pretty JSON for showing a value the plugin answered; strings stay readable. */
export function showJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    // Not serialisable (a cycle): cannot come from a JSON answer, but never throw while rendering.
    return Object.prototype.toString.call(value);
  }
}
