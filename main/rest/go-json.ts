/**
 * JSON as Go's `json.Marshal` writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped, no trailing newline.
 * Clients that compare eKuiper's answers byte for byte see the same bytes from us.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const QUOTE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/**
 * Go's `strconv.Quote`, which eKuiper's error bodies use (`%q`), not a JSON encoder: `<>&` and printable
 * non-ASCII stay literal, control characters become `\x01`, other non-printable runes `\u2028`.
 */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const named = QUOTE_ESCAPES[ch];
    if (named !== undefined) out += named;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

type Field = { name: string; type: 'string' | 'strings' };

/** The Go structs eKuiper decodes request bodies into, for its error texts. */
export const GO_BODIES = {
  IOPlugin: [
    { name: 'name', type: 'string' },
    { name: 'file', type: 'string' },
    { name: 'shellParas', type: 'strings' },
  ],
  FuncPlugin: [
    { name: 'name', type: 'string' },
    { name: 'file', type: 'string' },
    { name: 'shellParas', type: 'strings' },
    { name: 'functions', type: 'strings' },
  ],
  functionList: [{ name: 'functions', type: 'strings' }],
  fileContent: [
    { name: 'name', type: 'string' },
    { name: 'content', type: 'string' },
    { name: 'file', type: 'string' },
  ],
} as const satisfies Record<string, readonly Field[]>;

export type GoBodyName = keyof typeof GO_BODIES;
export type DecodedBody = Record<string, string | string[] | undefined>;

function goKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** Position of a JSON.parse failure, from V8's message; undefined means the input ended early. */
function failurePosition(error: unknown, text: string): number | undefined {
  const message = (error as Error).message;
  if (/end of JSON input|Unterminated/.test(message)) return undefined;
  const match = /position (\d+)/.exec(message);
  if (match === null) return undefined;
  const position = Number(match[1]);
  return position >= text.length ? undefined : position;
}

/** The first JSON value of a body; Go's decoder ignores whatever follows it. */
function firstValueEnd(text: string, start: number): number {
  const open = text[start];
  if (open !== '{' && open !== '[') {
    const match = /^("(?:[^"\\]|\\.)*"|[^\s,\]}]+)/.exec(text.slice(start));
    return start + (match?.[0].length ?? 1);
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/**
 * Decodes a request body the way eKuiper's `json.NewDecoder(r.Body).Decode(&x)` does — first value only,
 * field names matched case-insensitively, unknown fields ignored, `null` as the zero value — and fails with
 * Go's texts (`EOF`, `unexpected EOF`, `invalid character …`, `json: cannot unmarshal …`).
 */
export function decodeGoBody(
  raw: string,
  struct: GoBodyName,
): { ok: true; body: DecodedBody } | { ok: false; error: string } {
  const start = raw.search(/\S/);
  if (start < 0) return { ok: false, error: 'EOF' };
  const slice = raw.slice(start, firstValueEnd(raw, start));
  let value: unknown;
  try {
    value = JSON.parse(slice) as unknown;
  } catch (error) {
    const position = failurePosition(error, slice);
    if (position === undefined) return { ok: false, error: 'unexpected EOF' };
    return { ok: false, error: `invalid character '${slice[position]}' looking for beginning of value` };
  }
  if (value === null) return { ok: true, body: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      error: `json: cannot unmarshal ${goKind(value)} into Go value of type plugin.${struct}`,
    };
  }
  const source = value as Record<string, unknown>;
  const body: DecodedBody = {};
  for (const field of GO_BODIES[struct] as readonly Field[]) {
    const key =
      field.name in source
        ? field.name
        : Object.keys(source).find((candidate) => candidate.toLowerCase() === field.name.toLowerCase());
    const item = key === undefined ? undefined : source[key];
    if (item === undefined || item === null) continue;
    const where = `Go struct field ${struct}.${field.name} of type`;
    if (field.type === 'string') {
      if (typeof item !== 'string')
        return { ok: false, error: `json: cannot unmarshal ${goKind(item)} into ${where} string` };
      body[field.name] = item;
    } else {
      if (!Array.isArray(item))
        return { ok: false, error: `json: cannot unmarshal ${goKind(item)} into ${where} []string` };
      const bad: unknown = (item as unknown[]).find((element) => typeof element !== 'string');
      if (bad !== undefined)
        return { ok: false, error: `json: cannot unmarshal ${goKind(bad)} into ${where} string` };
      body[field.name] = item as string[];
    }
  }
  return { ok: true, body };
}
