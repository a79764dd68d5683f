/**
 * Intl formatters are slow to construct (a locale lookup each) and the lists format a few cells per visible row on
 * every render; keep one per locale and options.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<Formatter extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => Formatter,
): Formatter {
  let formatter = formatters.get(key) as Formatter | undefined;
  if (formatter === undefined) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Byte sizes in the user's locale ("4.2 MB", "4.2 MB" in zh-CN too, with locale digits and separators). */
export function formatBytes(bytes: number | undefined, locale: string): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return cached(
    `bytes|${locale}|${unit}|${digits}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: units[unit],
        unitDisplay: unit === 0 ? 'long' : 'short',
        maximumFractionDigits: digits,
      }),
  ).format(value);
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/**
 * "3 minutes ago" / "3分钟前": how long ago, in the largest unit that keeps the number small. A time after `now`
 * reads "now": the lists refresh `now` once a minute, so a plugin installed since then would otherwise read
 * "in 8 seconds".
 */
export function formatRelative(iso: string | undefined, locale: string, now = Date.now()): string {
  if (iso === undefined) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '—';
  let value = Math.min(0, time - now) / 1000;
  const format = cached(`relative|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), 'year');
}

/** The exact time, for hover titles and the describe drawer. */
export function formatDateTime(iso: string | undefined, locale: string): string {
  if (iso === undefined) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return cached(
    `datetime|${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }),
  ).format(time);
}

/**
 * A `file:` or `http(s):` URL whose path the URL parser would leave as written: no query, fragment, escapes,
 * white space or control characters. Group 1 is the path.
 */
// eslint-disable-next-line no-control-regex -- URLs with control characters are left to the parser, which strips some
const PLAIN_URL = /^(?:file|https?):\/\/[^/\\?#%|\s\x00-\x1f]*([/\\][^?#%|\s\x00-\x1f]*)$/i;

/**
 * The file name at the end of an install URL (`file:///…/random3.zip` → `random3.zip`), for the Origin column.
 * Lists derive it for every plugin on each load, so plain URLs (nearly all of them) skip the URL parser, which
 * cost most of that time with thousands of plugins; anything else goes through it.
 */
export function originFileName(source: string | null | undefined): string | undefined {
  if (source === null || source === undefined || source === '') return undefined;
  const plain = PLAIN_URL.exec(source);
  if (plain !== null) {
    const last = plain[1]!
      .split(/[/\\]/)
      .filter((part) => part !== '')
      .pop();
    // `.` and `..` segments are resolved by the parser: leave those to it.
    if (last !== '.' && last !== '..') return last ?? source;
  }
  return parsedFileName(source);
}

function parsedFileName(source: string): string {
  let path = source;
  try {
    path = new URL(source).pathname;
  } catch {
    // not a URL: take it as a path
  }
  const last =
    path
      .split(/[/\\]/)
      .filter((part) => part !== '')
      .pop() ?? source;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
