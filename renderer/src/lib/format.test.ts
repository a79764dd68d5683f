import { describe, expect, it } from 'vitest';
import { formatRelative, originFileName } from './format';

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
