import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { formatBytes, originFileName } from './format';
import { localized, metadataSections, propertyGroups } from './plugin-metadata';

const doc = {
  about: { description: { en_US: 'Random source', zh_CN: '随机源' } },
  properties: [{ name: 'path' }],
};

describe('metadataSections', () => {
  it('takes one document, a map by symbol kind, or a list, and ignores anything else', () => {
    expect(metadataSections(doc)).toEqual([{ doc }]);
    expect(metadataSections({ sources: { random: doc }, sinks: { file: doc } }).map((s) => s.symbol)).toEqual(
      ['random', 'file'],
    );
    expect(metadataSections([{ kind: 'functions', name: 'echo', metadata: doc }])[0]).toMatchObject({
      kind: 'functions',
      symbol: 'echo',
    });
    expect(metadataSections('nonsense')).toEqual([]);
    expect(metadataSections(undefined)).toEqual([]);
  });

  it('groups source properties by config key and reads the user language with a fallback', () => {
    expect(propertyGroups({ properties: { default: [{ name: 'interval' }] } })).toEqual([
      { group: 'default', fields: [{ name: 'interval' }] },
    ]);
    expect(localized({ en_US: 'Hi', zh_CN: '你好' }, 'zh_CN')).toBe('你好');
    expect(localized({ en_US: 'Hi', zh_CN: '' }, 'zh_CN')).toBe('Hi');
    expect(localized({ en_US: '', zh_CN: '' }, 'en_US')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('names the origin by its file and sizes per locale', () => {
    expect(originFileName('file:///work/zips/random%203.zip')).toBe('random 3.zip');
    expect(originFileName('https://packages.emqx.io/a/influx_amd64.zip')).toBe('influx_amd64.zip');
    expect(originFileName(null)).toBeUndefined();
    expect(formatBytes(4_387_298, 'en')).toBe('4.4 MB');
    expect(formatBytes(70, 'en')).toBe('70 bytes');
  });
});

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe('translations', () => {
  it('carry the same keys in English and Simplified Chinese', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
});
