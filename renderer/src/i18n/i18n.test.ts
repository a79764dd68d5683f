import { describe, expect, it } from 'vitest';
import { resources } from './i18n';

/** Every key path of a bundle, plural forms (`_one`, `_other`) counted as their base key. */
function keys(value: unknown, prefix = ''): Set<string> {
  const found = new Set<string>();
  if (typeof value !== 'object' || value === null) return found;
  for (const [key, child] of Object.entries(value)) {
    const path = `${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, '')}`;
    if (typeof child === 'object' && child !== null)
      for (const inner of keys(child, `${path}.`)) found.add(inner);
    else found.add(path);
  }
  return found;
}

describe('translations', () => {
  it('has every English text in Chinese and nothing Chinese-only', () => {
    const en = keys(resources.en.translation);
    const zh = keys(resources['zh-CN'].translation);
    expect([...en].filter((key) => !zh.has(key))).toEqual([]);
    expect([...zh].filter((key) => !en.has(key))).toEqual([]);
  });
});
