import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRelative, originFileName } from './format';

describe('formatRelative', () => {
  const now = Date.parse('2026-11-23T10:00:00.000Z');

  it('says how long ago in the largest unit that keeps the number small', () => {
    expect(formatRelative('2026-11-23T09:57:00.000Z', 'en', now)).toBe('3 minutes ago');
    expect(formatRelative('2026-11-23T09:57:00.000Z', 'zh-CN', now)).toBe('3分钟前');
  });

  it('reads "now" for a time after the clock the list last read (installed since)', () => {
    expect(formatRelative('2026-11-23T10:00:08.000Z', 'en', now)).toBe('now');
  });
});

describe("formatBytes and formatRelative in the window's own languages", () => {
  // Written without Intl for speed; Intl is the rule they must match word for word.
  const intlBytes = (bytes: number, locale: string) => {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: units[unit],
      unitDisplay: unit === 0 ? 'long' : 'short',
      maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
    }).format(value);
  };

  it.each(['en', 'zh-CN', 'de'])('formatBytes(…, %s) reads as Intl writes it', (locale) => {
    const sizes = [0, 1, 2, 999, 1000, 1049, 1050, 4150, 9949, 9950, 10_000, 999_499, 999_500, 4_200_000];
    sizes.push(123_456_789, 5e12, 999.5e12, 1234e12, 4096, 8192, 52_428_800);
    for (const size of sizes) expect(formatBytes(size, locale), `${size}`).toBe(intlBytes(size, locale));
  });

  it.each(['en', 'zh-CN', 'fr'])('formatRelative(…, %s) reads as Intl writes it', (locale) => {
    const now = Date.parse('2026-11-23T10:00:00.000Z');
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const cases: Array<[number, number, Intl.RelativeTimeFormatUnit]> = [
      [0, 0, 'second'],
      [1, 1, 'second'],
      [59, 59, 'second'],
      [60, 1, 'minute'],
      [170, 3, 'minute'],
      [3600, 1, 'hour'],
      [7200, 2, 'hour'],
      [86_400, 1, 'day'],
      [2 * 86_400, 2, 'day'],
      [5 * 86_400, 5, 'day'],
      [7 * 86_400, 1, 'week'],
      [14 * 86_400, 2, 'week'],
      [31 * 86_400, 1, 'month'],
      [62 * 86_400, 2, 'month'],
      [366 * 86_400, 1, 'year'],
      [3 * 366 * 86_400, 3, 'year'],
    ];
    for (const [secondsAgo, count, unit] of cases) {
      const iso = new Date(now - secondsAgo * 1000).toISOString();
      expect(formatRelative(iso, locale, now), `${secondsAgo} s ago`).toBe(rtf.format(-count, unit));
    }
  });
});

describe('originFileName', () => {
  /** What the URL parser makes of it: the rule the quick path must agree with. */
  function parsed(source: string): string {
    let path = source;
    try {
      path = new URL(source).pathname;
    } catch {
      // not a URL
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

  it.each([
    'file:///opt/plugins/random3.zip',
    'FILE:///opt/plugins/Random3.ZIP',
    'https://packages.example.com/kuiper-plugins/2.0/debian/sinks/influx_amd64.zip',
    'http://127.0.0.1:8080/zips/mirror.zip',
    'http://user:pass@host/x/y.zip',
    'http://host',
    'http://host/',
    'file:///',
    'https://host/a/b/',
    'https://host/a/../b.zip',
    'https://host/a/b.zip/..',
    'https://host/a/b.zip/.',
    'https://host/a/%2e%2e',
    'https://host/get?name=x.zip',
    'https://host/x.zip#part',
    'file:///tmp/with%20space.zip',
    'file:///tmp/bad%zz.zip',
    'file:///tmp/插件.zip',
    'file:///tmp/a"b<c>.zip',
    'file:///C:|/x',
    'file:///C|',
    'file:///C:\\dir\\x.zip',
    'http://host\\dir\\x.zip',
    'http://a b/x.zip',
    'http://h:99999/x.zip',
    '/local/path/plain.zip',
    'C:\\plugins\\win.zip',
    'ftp://host/a.zip',
    'mirror.zip',
  ])('%s: the same name the URL parser gives', (source) => {
    expect(originFileName(source)).toBe(parsed(source));
  });

  it('has no origin without a source', () => {
    expect(originFileName(null)).toBeUndefined();
    expect(originFileName('')).toBeUndefined();
    expect(originFileName('file:///opt/plugins/random3.zip')).toBe('random3.zip');
  });
});

describe('formatDuration', () => {
  it('gives the two largest units, next to each other', () => {
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59, 'en')).toBe('3 d 4 h');
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59, 'zh-CN')).toBe('3天4小时');
    expect(formatDuration(12 * 60 + 5, 'en')).toBe('12 min 5 s');
    expect(formatDuration(86_400 + 30, 'en')).toBe('1 d');
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(null, 'en')).toBe('—');
  });
});
