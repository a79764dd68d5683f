import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  HOST_MESSAGES,
  hostMessage,
  localizeHostMessage,
  matchHostMessage,
  type HostMessageKey,
} from '../../shared/host-messages.js';

// Every message of the catalog goes out in English and comes back, in the window, as its key and parameters:
// the round trip must hold for each one, bare and behind eKuiper's prefixes, and its Chinese form must use
// exactly the parameters its English form has.

const KEYS = Object.keys(HOST_MESSAGES) as HostMessageKey[];
const placeholders = (template: string): string[] =>
  [...template.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1]!).sort();
const unique = (names: string[]): string[] => [...new Set(names)];

/** A value per parameter that no template's literal text contains, different for every parameter. */
function sampleParams(key: HostMessageKey): Record<string, string> {
  const params: Record<string, string> = {};
  unique(placeholders(HOST_MESSAGES[key].en)).forEach((name, index) => {
    params[name] = `${name}Value${index}`;
  });
  return params;
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (_match, name: string) => params[name]!);
}

const PREFIX = 'sinks plugins create command error: fail to install plugin: invalid zip file: ';

describe('the host message catalog', () => {
  test.each(KEYS)('%s: the Chinese form has the English form’s parameters, and is Chinese', (key) => {
    const { en, zh } = HOST_MESSAGES[key];
    expect(unique(placeholders(zh))).toEqual(unique(placeholders(en)));
    expect(zh).not.toBe(en);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  });

  test.each(KEYS)('%s: reads back to its key and parameters, bare and after eKuiper’s prefixes', (key) => {
    const params = sampleParams(key);
    const english = hostMessage(key, params as never);
    expect(english).toBe(fill(HOST_MESSAGES[key].en, params));
    expect(matchHostMessage(english)).toEqual({ key, params, prefix: '' });
    expect(matchHostMessage(`${PREFIX}${english}`)).toEqual({ key, params, prefix: PREFIX });
  });

  test.each(KEYS)('%s: shown in Chinese with its parameters, eKuiper’s prefix kept', (key) => {
    const params = sampleParams(key);
    const english = hostMessage(key, params as never);
    const chinese = fill(HOST_MESSAGES[key].zh, params);
    expect(localizeHostMessage(english, 'zh-CN')).toBe(chinese);
    expect(localizeHostMessage(`${PREFIX}${english}`, 'zh-CN')).toBe(`${PREFIX}${chinese}`);
    expect(localizeHostMessage(`${PREFIX}${english}`, 'en')).toBe(`${PREFIX}${english}`);
  });

  test('every catalog entry is used by the host or the shared rules', () => {
    const root = resolve(import.meta.dirname, '../..');
    const sources = ['main', 'shared']
      .flatMap((dir) =>
        readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
          .filter(
            (entry) => entry.isFile() && entry.name.endsWith('.ts') && entry.name !== 'host-messages.ts',
          )
          .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8')),
      )
      .join('\n');
    const unused = KEYS.filter((key) => !sources.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });
});

describe('localizeHostMessage', () => {
  test('a parameter that is itself a catalog message is translated too', () => {
    const hint = hostMessage('pluginHostHint', { host: 'https://packages.emqx.io' });
    const message =
      'sinks plugins create command error: fail to download file https://packages.emqx.io/x.zip: ' +
      'Get "https://packages.emqx.io/x.zip": ' +
      hostMessage('downloadNameNotFound', { hostname: 'packages.emqx.io', code: 'ENOTFOUND', hint });
    expect(localizeHostMessage(message, 'zh-CN')).toBe(
      'sinks plugins create command error: fail to download file https://packages.emqx.io/x.zip: ' +
        'Get "https://packages.emqx.io/x.zip": 无法解析名称 packages.emqx.io（DNS，ENOTFOUND）：这台机器可能没有联网，' +
        '或者名称拼错了。该地址位于插件仓库 https://packages.emqx.io，由设置 pluginHosts 指定：若它不对或从这里无法访问，' +
        '请在设置页（预编译插件）修改',
    );
  });

  test('a damaged entry: the damage is translated inside the sentence', () => {
    const message = hostMessage('zipEntryDamaged', {
      entry: 'mirror',
      problem: hostMessage('damageSizeMismatch', { actual: 10, declared: 20 }),
    });
    expect(localizeHostMessage(`fail to install plugin: ${message}`, 'zh-CN')).toBe(
      "fail to install plugin: zip 条目 'mirror' 已损坏：它有 10 字节，但文件头声明的是 20。zip 多半在下载或复制时被截断或改动——请重新下载或打包",
    );
  });

  test('the most specific template wins when several match', () => {
    const message = hostMessage('settingMillisecondsDay', { min: 1, max: 86_400_000 });
    expect(matchHostMessage(message)?.key).toBe('settingMillisecondsDay');
  });

  test('a parameter at the start of a template does not swallow eKuiper’s prefixes', () => {
    const message = `portable plugin create command error: fail to install plugin: invalid json file a.json: ${hostMessage(
      'manifestTooLarge',
      { bytes: 2_000_000 },
    )}`;
    expect(matchHostMessage(message)).toMatchObject({
      key: 'manifestTooLarge',
      params: { bytes: '2000000' },
      prefix: 'portable plugin create command error: fail to install plugin: invalid json file a.json: ',
    });
  });

  test('eKuiper’s own texts and anything unknown stay as sent', () => {
    for (const text of [
      "id 'my sink' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
      'sinks plugins create command error: invalid name x: duplicate',
      'describe sinks plugin x error: not found',
      'something the catalog has never heard of: really',
      '',
    ]) {
      expect(localizeHostMessage(text, 'zh-CN')).toBe(text);
    }
  });
});
