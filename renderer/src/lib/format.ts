/**
 * Intl formatters are slow to construct (a locale lookup each) and the lists format a few cells per visible row on
 * every render; keep one per locale and options.
 *
 * The list's first paint avoids Intl altogether for the window's own two languages: the first Intl object a fresh
 * page builds loads ICU's locale data, which took 50–150 ms of the first paint in Chromium on a 2-core machine.
 * `formatBytes` and `formatRelative` write English and Simplified Chinese themselves, in exactly Intl's words (the
 * tests compare them with Intl), and ask Intl for anything else.
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

/** The window's own languages, whose numbers, units and relative times are written without Intl. */
type OwnLanguage = 'en' | 'zh';

function ownLanguage(locale: string): OwnLanguage | undefined {
  if (locale === 'en' || locale.startsWith('en-')) return 'en';
  if (locale === 'zh-CN' || locale === 'zh' || locale === 'zh-Hans' || locale === 'zh-Hans-CN') return 'zh';
  return undefined;
}

/**
 * A non-negative number with at most `digits` fraction digits as Intl writes it in English and Chinese, or
 * undefined when Intl's grouping separator would be needed (1,000 and above). Like Intl, it rounds the number's
 * shortest decimal form half away from zero (9.95 → 10), not the binary double (which `toFixed` would make 9.9).
 */
function plainNumber(value: number, digits: number): string | undefined {
  const rounded = Number(`${Math.round(Number(`${value}e${digits}`))}e-${digits}`);
  if (!Number.isFinite(rounded) || rounded >= 1000) return undefined;
  return String(rounded);
}

const BYTE_UNIT_SYMBOLS = ['kB', 'MB', 'GB', 'TB'] as const;

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
  const own = ownLanguage(locale);
  const number = own === undefined ? undefined : plainNumber(value, digits);
  if (number !== undefined) {
    if (unit > 0) return `${number} ${BYTE_UNIT_SYMBOLS[unit - 1]}`;
    if (own === 'zh') return `${number}字节`;
    return number === '1' ? '1 byte' : `${number} bytes`;
  }
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
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return relativeTime(Math.round(value), unit, locale);
    value /= size;
  }
  return relativeTime(Math.round(value), 'year', locale);
}

/** Units with a word of their own for "1 ago" (`numeric: 'auto'`): yesterday, last week, …. */
const EN_PREVIOUS: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = {
  day: 'yesterday',
  week: 'last week',
  month: 'last month',
  year: 'last year',
};
const ZH_PREVIOUS: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = {
  day: '昨天',
  week: '上周',
  month: '上个月',
  year: '去年',
};
const ZH_AGO: Partial<Record<Intl.RelativeTimeFormatUnit, string>> = {
  second: '秒钟前',
  minute: '分钟前',
  hour: '小时前',
  day: '天前',
  week: '周前',
  month: '个月前',
  year: '年前',
};

/**
 * `Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(value, unit)` for a past or present `value` (≤ 0)
 * in seconds…years: English and Chinese written here (see the note at the top), anything else by Intl.
 */
function relativeTime(value: number, unit: Intl.RelativeTimeFormatUnit, locale: string): string {
  const count = -value;
  const own = ownLanguage(locale);
  if (
    own !== undefined &&
    count >= 0 &&
    count < 1000 &&
    Number.isInteger(count) &&
    ZH_AGO[unit] !== undefined
  ) {
    if (count === 0 && unit === 'second') return own === 'en' ? 'now' : '现在';
    if (own === 'en' && count >= 1) {
      if (count === 1) return EN_PREVIOUS[unit] ?? `1 ${unit} ago`;
      return `${count} ${unit}s ago`;
    }
    if (own === 'zh' && count >= 1) {
      if (count === 1 && ZH_PREVIOUS[unit] !== undefined) return ZH_PREVIOUS[unit];
      if (count === 2 && unit === 'day') return '前天';
      return `${count}${ZH_AGO[unit]}`;
    }
  }
  return cached(`relative|${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })).format(
    value,
    unit,
  );
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

const DURATION_UNITS: Array<[seconds: number, en: string, zh: string]> = [
  [86_400, 'd', '天'],
  [3_600, 'h', '小时'],
  [60, 'min', '分钟'],
  [1, 's', '秒'],
];

/**
 * A length of time such as a server's uptime in its two largest units ("3 d 4 h", "12 min 5 s"; "3天4小时"):
 * exact enough to tell a server restarted a moment ago from one up for weeks, short enough for a card.
 */
export function formatDuration(seconds: number | null | undefined, locale: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const zh = ownLanguage(locale) === 'zh';
  let rest = Math.floor(seconds);
  const parts: string[] = [];
  for (const [size, en, chinese] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (parts.length === 0 && size === 1))
      parts.push(zh ? `${count}${chinese}` : `${count} ${en}`);
    if (parts.length === 2) break;
    // Keep the units next to each other: "3 d 4 h", never "3 d 12 s".
    if (parts.length === 1 && count === 0 && size !== 1) break;
  }
  return parts.join(zh ? '' : ' ');
}

/**
 * How long something took, such as one server's part of a fleet action: milliseconds under a second, one decimal
 * under ten seconds ("1.2 s", "1.2秒"), then `formatDuration`'s two largest units.
 */
export function formatElapsed(ms: number, locale: string): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const zh = ownLanguage(locale) === 'zh';
  if (ms < 1_000) return zh ? `${Math.round(ms)}毫秒` : `${Math.round(ms)} ms`;
  if (ms < 10_000) return zh ? `${(ms / 1_000).toFixed(1)}秒` : `${(ms / 1_000).toFixed(1)} s`;
  return formatDuration(Math.round(ms / 1_000), locale);
}
