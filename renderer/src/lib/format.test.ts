import { describe, expect, it } from 'vitest';
import { formatRelative } from './format';

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
