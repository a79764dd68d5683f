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

/**
 * The message of an error body: Go's `%q` bytes wherever they are valid JSON (so `<`, `>` and `&` stay
 * literal, as eKuiper sends them), but `\x1b`, `\a`, `\v` and `\U0001f600`, which `%q` writes and JSON
 * parsers reject, as `\u` escapes. eKuiper's bodies become unparseable when a message carries a control
 * character — ANSI colours in `install.sh` output, for one — and every client of ours parses them.
 */
export function errorMessageJson(text: string): string {
  return goQuote(text).replace(/\\(x[0-9a-f]{2}|a|v|U[0-9a-f]{8}|.)/g, (escape: string, body: string) => {
    if (body.startsWith('x')) return `\\u00${body.slice(1)}`;
    if (body === 'a') return '\\u0007';
    if (body === 'v') return '\\u000b';
    if (body.startsWith('U')) {
      const pair = String.fromCodePoint(Number.parseInt(body.slice(1), 16));
      return [...pair.split('')]
        .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('');
    }
    return escape;
  });
}

type Field = { name: string; type: 'string' | 'strings' | 'bool' };

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
  Script: [
    { name: 'id', type: 'string' },
    { name: 'description', type: 'string' },
    { name: 'script', type: 'string' },
    { name: 'isAgg', type: 'bool' },
  ],
  ServiceCreationRequest: [
    { name: 'name', type: 'string' },
    { name: 'file', type: 'string' },
  ],
} as const satisfies Record<string, readonly Field[]>;

export type GoBodyName = keyof typeof GO_BODIES;
export type DecodedBody = Record<string, string | string[] | boolean | undefined>;

/** The Go package each body struct lives in, as `json: cannot unmarshal … into Go value of type pkg.T` names it. */
const GO_PACKAGES: Record<GoBodyName, string> = {
  IOPlugin: 'plugin',
  FuncPlugin: 'plugin',
  functionList: 'server',
  fileContent: 'server',
  Script: 'js',
  ServiceCreationRequest: 'service',
};

function goKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** Go's `quoteChar`: the offending byte as Go prints it (a byte ≥ 0x80 shows as the Latin-1 rune). */
function quoteByte(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

const CONTINUE = 0;
/** The value ended before this byte. */
const END = 1;
/** This byte closed an object or array (the top-level value ends with it when nothing is left open). */
const CLOSED = 2;
const ERROR = 3;
const OBJECT_KEY = 0;
const OBJECT_VALUE = 1;
const ARRAY_VALUE = 2;
/** Go's `maxNestingDepth`. */
const MAX_DEPTH = 10000;

/**
 * Finds the first JSON value in the bytes as Go's `json.Decoder` does: the same state machine as Go's
 * scanner, one byte at a time, so syntax errors carry Go's texts (`invalid character 'x' looking for
 * beginning of object key string`, `… after object key`, `… in literal null (expecting 'u')`), the input
 * ending inside the value is `unexpected EOF` and an empty body `EOF`. What follows a complete value is
 * never looked at: the decoder leaves it unread.
 */
function scanFirstValue(
  bytes: Uint8Array,
): { ok: true; start: number; end: number } | { ok: false; error: string } {
  type Step = (c: number) => number;
  const stack: number[] = [];
  let error = '';
  let hexLeft = 0;
  const fail = (c: number, context: string): number => {
    error = `invalid character ${quoteByte(c)} ${context}`;
    step = () => ERROR;
    return ERROR;
  };
  const push = (c: number, state: number): number => {
    stack.push(state);
    return stack.length <= MAX_DEPTH ? CONTINUE : fail(c, 'exceeded max depth');
  };
  const literal = (word: string, at = 1): Step => {
    return (c) => {
      if (c !== word.charCodeAt(at)) return fail(c, `in literal ${word} (expecting '${word[at]}')`);
      step = at + 1 === word.length ? endValue : literal(word, at + 1);
      return CONTINUE;
    };
  };
  const endTop: Step = () => END;
  const endValue: Step = (c) => {
    if (stack.length === 0) {
      step = endTop;
      return END;
    }
    if (isSpace(c)) {
      step = endValue;
      return CONTINUE;
    }
    const top = stack.length - 1;
    if (stack[top] === OBJECT_KEY) {
      if (c !== 0x3a) return fail(c, 'after object key');
      stack[top] = OBJECT_VALUE;
      step = beginValue;
      return CONTINUE;
    }
    if (stack[top] === OBJECT_VALUE) {
      if (c === 0x2c) {
        stack[top] = OBJECT_KEY;
        step = beginString;
        return CONTINUE;
      }
      if (c !== 0x7d) return fail(c, 'after object key:value pair');
    } else {
      if (c === 0x2c) {
        step = beginValue;
        return CONTINUE;
      }
      if (c !== 0x5d) return fail(c, 'after array element');
    }
    stack.pop();
    step = stack.length === 0 ? endTop : endValue;
    return CLOSED;
  };
  const beginValue: Step = (c) => {
    if (isSpace(c)) return CONTINUE;
    if (c === 0x7b) {
      step = beginStringOrEmpty;
      return push(c, OBJECT_KEY);
    }
    if (c === 0x5b) {
      step = beginValueOrEmpty;
      return push(c, ARRAY_VALUE);
    }
    if (c === 0x22) step = inString;
    else if (c === 0x2d) step = negative;
    else if (c === 0x30) step = zero;
    else if (c === 0x74) step = literal('true');
    else if (c === 0x66) step = literal('false');
    else if (c === 0x6e) step = literal('null');
    else if (isDigit(c)) step = integer;
    else return fail(c, 'looking for beginning of value');
    return CONTINUE;
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return CONTINUE;
    return c === 0x5d ? endValue(c) : beginValue(c);
  };
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return CONTINUE;
    if (c === 0x7d) {
      stack[stack.length - 1] = OBJECT_VALUE;
      return endValue(c);
    }
    return beginString(c);
  };
  const beginString: Step = (c) => {
    if (isSpace(c)) return CONTINUE;
    if (c !== 0x22) return fail(c, 'looking for beginning of object key string');
    step = inString;
    return CONTINUE;
  };
  const inString: Step = (c) => {
    if (c === 0x22) step = endValue;
    else if (c === 0x5c) step = inStringEscape;
    else if (c < 0x20) return fail(c, 'in string literal');
    return CONTINUE;
  };
  const inStringEscape: Step = (c) => {
    if (c === 0x75) {
      hexLeft = 4;
      step = inUnicodeEscape;
    } else if ('bfnrt\\/"'.includes(String.fromCharCode(c))) {
      step = inString;
    } else {
      return fail(c, 'in string escape code');
    }
    return CONTINUE;
  };
  const inUnicodeEscape: Step = (c) => {
    if (!isHex(c)) return fail(c, 'in \\u hexadecimal character escape');
    if (--hexLeft === 0) step = inString;
    return CONTINUE;
  };
  const negative: Step = (c) => {
    if (c === 0x30) step = zero;
    else if (isDigit(c)) step = integer;
    else return fail(c, 'in numeric literal');
    return CONTINUE;
  };
  const integer: Step = (c) => (isDigit(c) ? CONTINUE : zero(c));
  const zero: Step = (c) => {
    if (c === 0x2e) step = dot;
    else if (c === 0x65 || c === 0x45) step = exponent;
    else return endValue(c);
    return CONTINUE;
  };
  const dot: Step = (c) => {
    if (!isDigit(c)) return fail(c, 'after decimal point in numeric literal');
    step = fraction;
    return CONTINUE;
  };
  const fraction: Step = (c) => {
    if (isDigit(c)) return CONTINUE;
    if (c !== 0x65 && c !== 0x45) return endValue(c);
    step = exponent;
    return CONTINUE;
  };
  const exponent: Step = (c) => {
    if (c !== 0x2b && c !== 0x2d) return exponentSign(c);
    step = exponentSign;
    return CONTINUE;
  };
  const exponentSign: Step = (c) => {
    if (!isDigit(c)) return fail(c, 'in exponent of numeric literal');
    step = exponentDigits;
    return CONTINUE;
  };
  const exponentDigits: Step = (c) => (isDigit(c) ? CONTINUE : endValue(c));
  let step: Step = beginValue;

  let start = 0;
  while (start < bytes.length && isSpace(bytes[start]!)) start++;
  for (let i = start; i < bytes.length; i++) {
    const op = step(bytes[i]!);
    if (op === ERROR) return { ok: false, error };
    if (op === END) return { ok: true, start, end: i };
    if (op === CLOSED && stack.length === 0) return { ok: true, start, end: i + 1 };
  }
  // Go's decoder at the end of the input: a space ends a complete value; anything else was cut short.
  if (step(0x20) === END) return { ok: true, start, end: bytes.length };
  return { ok: false, error: start < bytes.length ? 'unexpected EOF' : 'EOF' };
}

/**
 * Decodes a request body the way eKuiper's `json.NewDecoder(r.Body).Decode(&x)` does — first value only,
 * keys matched to fields case-insensitively in document order (the last one wins), unknown fields ignored,
 * `null` as the zero value — and fails with Go's texts (`EOF`, `unexpected EOF`, `invalid character …`,
 * `json: cannot unmarshal …`, the first type mismatch in document order).
 */
export function decodeGoBody(
  raw: string,
  struct: GoBodyName,
): { ok: true; body: DecodedBody } | { ok: false; error: string } {
  const bytes = Buffer.from(raw, 'utf8');
  const scanned = scanFirstValue(bytes);
  if (!scanned.ok) return scanned;
  const value: unknown = JSON.parse(bytes.subarray(scanned.start, scanned.end).toString('utf8'));
  if (value === null) return { ok: true, body: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      error: `json: cannot unmarshal ${goKind(value)} into Go value of type ${GO_PACKAGES[struct]}.${struct}`,
    };
  }
  const fields = GO_BODIES[struct] as readonly Field[];
  const body: DecodedBody = {};
  let firstError: string | undefined;
  const mismatch = (item: unknown, field: Field, type: string): void => {
    firstError ??= `json: cannot unmarshal ${goKind(item)} into Go struct field ${struct}.${field.name} of type ${type}`;
  };
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const field =
      fields.find((candidate) => candidate.name === key) ??
      fields.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    if (field === undefined || item === null) {
      if (field?.type === 'strings') body[field.name] = undefined;
      continue;
    }
    if (field.type === 'string') {
      if (typeof item === 'string') body[field.name] = item;
      else mismatch(item, field, 'string');
    } else if (field.type === 'bool') {
      if (typeof item === 'boolean') body[field.name] = item;
      else mismatch(item, field, 'bool');
    } else if (!Array.isArray(item)) {
      mismatch(item, field, '[]string');
    } else {
      const list: string[] = [];
      for (const element of item as unknown[]) {
        if (typeof element === 'string' || element === null) list.push(element ?? '');
        else mismatch(element, field, 'string');
      }
      body[field.name] = list;
    }
  }
  return firstError === undefined ? { ok: true, body } : { ok: false, error: firstError };
}
