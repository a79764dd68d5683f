import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';

/** Every string of a resource bundle with its key. */
function strings(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => strings(inner, prefix ? `${prefix}.${key}` : key));
}

describe('wording', () => {
  it('does not call stderr an error stream: plugins log ordinary lines there', () => {
    // The stream's own name, in both languages; 错误 and "err" read as "error".
    expect(en.tryIt.log.streams.stderr).toBe('stderr');
    expect(zhCN.tryIt.log.streams.stderr).toBe('stderr');
  });

  it('names the prebuilt plugins one way in Chinese, as the tab does', () => {
    const term = zhCN.extensions.tabs.prebuilt;
    expect(term).toBe('预编译插件');
    const others = strings(zhCN).filter(([, text]) => text.replaceAll(term, '').includes('预编译'));
    expect(others).toEqual([]);
  });
});
