import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { missingModuleHint } from '../../main/runtime/python-preflight.js';
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

describe('servers, the fleet and the plugin runtime in Chinese', () => {
  const zh = (message: string): string => localizeHostMessage(message, 'zh-CN');

  test('a network failure inside "server … did not answer" is translated with it', () => {
    const refused = hostMessage('netRefused', { where: '127.0.0.1:9', port: '9' });
    const message = hostMessage('forwardNoAnswer', {
      name: 'edge-1',
      url: 'http://127.0.0.1:9',
      reason: refused,
    });
    expect(message).toBe(
      "server 'edge-1' (http://127.0.0.1:9) did not answer: 127.0.0.1:9 refused the connection: nothing " +
        "listens on port 9 there. Is the server running, and is the port right (eKuiper's REST API uses 9081, " +
        'NeuronEX 8085)?',
    );
    expect(zh(message)).toBe(
      "服务器 'edge-1'（http://127.0.0.1:9）没有应答：127.0.0.1:9 拒绝了连接：该机器的 9 端口上没有服务在监听。" +
        '服务器是否在运行？端口是否正确（eKuiper 的 REST API 使用 9081，NeuronEX 使用 8085）？',
    );
  });

  test('a timeout reads "within N s" in Chinese, and nothing when no timeout applied', () => {
    const timed = hostMessage('netConnectTimeout', {
      where: '10.0.0.9:9081',
      within: hostMessage('netWithin', { seconds: 5 }),
    });
    expect(timed).toBe(
      '10.0.0.9:9081 did not accept a connection within 5 s: the server may be down or a firewall may drop the traffic',
    );
    expect(zh(timed)).toBe(
      '10.0.0.9:9081 在 5 秒内没有接受连接：服务器可能已停止运行，或防火墙丢弃了这些流量',
    );
    const untimed = hostMessage('netConnectTimeout', { where: '10.0.0.9:9081', within: '' });
    expect(zh(untimed)).toBe('10.0.0.9:9081 没有接受连接：服务器可能已停止运行，或防火墙丢弃了这些流量');
  });

  test('a refused credential keeps eKuiper’s own words and translates the hint', () => {
    const message = hostMessage('checkRefused401Hint', {
      where: 'GET http://10.0.0.9:9081/plugins/portables',
      quoted: hostMessage('checkQuote', { words: 'missing_token' }),
      hint: hostMessage('authHintNoCredentials'),
    });
    expect(message).toBe(
      'the server refused the credentials (401 on GET http://10.0.0.9:9081/plugins/portables): "missing_token". ' +
        "The server requires credentials (eKuiper's basic.authentication is on): choose eKuiper JWT with the " +
        "private key and, as issuer, the file name of the matching public key in the server's etc/mgmt",
    );
    expect(zh(message)).toBe(
      '服务器拒绝了凭据（GET http://10.0.0.9:9081/plugins/portables 返回 401），服务器答复“missing_token”。' +
        '服务器需要凭据（eKuiper 的 basic.authentication 已开启）：请选择“eKuiper JWT”，填写私钥，' +
        '并把服务器 etc/mgmt 中对应公钥的文件名填作签发者（issuer）',
    );
    const bare = hostMessage('checkRefused401', { where: 'GET http://h/rules', quoted: '' });
    expect(zh(bare)).toBe('服务器拒绝了凭据（GET http://h/rules 返回 401）');
  });

  test('a successful check: the summary, its uptime and the Viewer sentence', () => {
    const summary = hostMessage('checkOkNeuronexUp', {
      neuronex: '3.4.0',
      version: '2.1.0',
      os: 'linux',
      arch: 'amd64',
      uptime: hostMessage('uptimeHours', { hours: 3, minutes: 4 }),
      ms: 12,
    });
    const message = hostMessage('checkViewerUser', { summary, user: 'viewer' });
    expect(message).toBe(
      'NeuronEX 3.4.0 with eKuiper 2.1.0 on linux/amd64, up 3 h 4 min; answered in 12 ms. The account viewer ' +
        'is a NeuronEX Viewer: it may only read, so installs, updates and deletes will be refused',
    );
    expect(zh(message)).toBe(
      'NeuronEX 3.4.0（内含 eKuiper 2.1.0），运行于 linux/amd64，已运行 3 小时 4 分钟；12 毫秒内应答。' +
        '账号 viewer 是 NeuronEX 的 Viewer（只读）角色：只能读取，安装、更新和删除都会被拒绝',
    );
  });

  test('a fleet preview names the version in Chinese; a skip keeps the server’s words', () => {
    expect(
      zh(
        hostMessage('fleetWillInstallFrom', {
          kind: 'portables',
          name: 'mirror',
          from: hostMessage('fleetVersion', { version: '1.0.0' }),
        }),
      ),
    ).toBe('将安装 portables 插件 mirror（版本 1.0.0）');
    expect(
      zh(
        hostMessage('fleetAlreadyInstalled', {
          kind: 'sinks',
          name: 'file',
          version: hostMessage('fleetNoVersion'),
        }),
      ),
    ).toBe('已跳过：sinks 插件 file 已安装（无版本）；要替换它请使用更新');
    expect(zh(hostMessage('fleetSkipped', { reason: 'not found' }))).toBe('已跳过：not found');
  });

  test('how a plugin process ended, inside the start failure and the status', () => {
    const how = hostMessage('endWithCode', { code: '2' });
    const message = hostMessage('pluginEndedBeforeHandshake', {
      name: 'mirror',
      how,
      stderr: hostMessage('pluginErrorOutput', { stderr: 'panic: boom' }),
    });
    expect(message).toBe(
      'plugin mirror exited with code 2 before its handshake. Its error output: panic: boom',
    );
    expect(zh(message)).toBe('插件 mirror 在握手之前退出（退出码 2）。它的错误输出：panic: boom');
    expect(
      zh(hostMessage('pluginProcessEnded', { how: hostMessage('processKilled', { signal: 'SIGKILL' }) })),
    ).toBe('插件进程被 SIGKILL 终止');
    expect(zh(hostMessage('pluginProcessEndedOutput', { how, output: 'panic: boom' }))).toBe(
      '插件进程退出（退出码 2）：panic: boom',
    );
    expect(zh(hostMessage('noteProcessExitedNormally', { pid: 4242 }))).toBe(
      '进程 4242 正常退出（状态码 0）',
    );
  });

  test('a program that dials another plugin: the hint keeps plugin_{name} and is translated inside the error', () => {
    const hint = hostMessage('pluginDialsOtherName', { dialled: 'mirror', name: '{name}' });
    expect(hint).toContain("eKuiper's SDKs dial plugin_{name} with the name compiled into the program");
    const message = hostMessage('pluginWrongChannel', { name: 'mirror2', dialled: 'mirror', hint });
    expect(zh(message)).toBe(
      "插件 mirror2 连接的是已安装插件 'mirror' 的控制通道，而不是它自己的（/tmp/plugin_mirror2.ipc）：" +
        "它连接的是 /tmp/plugin_mirror.ipc，也就是说程序自称 'mirror'：eKuiper 的 SDK 用编译进程序的名称连接 " +
        "plugin_{name}，因此请把它安装为 'mirror'（并使用构建时的符号名称）；'mirror' 已经安装：若要替换它，请改为更新那个插件",
    );
    const early = hostMessage('pluginEndedBeforeHandshakeHintOutput', {
      name: 'mirror2',
      how: hostMessage('endNormally'),
      hint,
      stderr: 'dial failed',
    });
    expect(zh(early)).toMatch(
      /^插件 mirror2 在握手之前正常退出（状态码 0）：它连接的是 .*。它的错误输出：dial failed$/,
    );
  });

  test('a Python plugin that cannot import its packages, and a plugin that never answers, read in Chinese', () => {
    const hint = missingModuleHint('python3', "ModuleNotFoundError: No module named 'pynng'", ['pynng']);
    expect(hint).toBe(
      'the plugin needs the Python package pynng, which python3 cannot import: run python3 -m pip install ' +
        'ekuiper pynng (or set pythonBin to an interpreter that has it)',
    );
    expect(zh(hint!)).toBe(
      '该插件需要 Python 包 pynng，而 python3 无法导入它：请运行 python3 -m pip install ekuiper pynng' +
        '（或把 pythonBin 设为已安装它的解释器）',
    );
    const ended = hostMessage('pluginEndedBeforeHandshakeHintOutput', {
      name: 'pysam',
      how: hostMessage('endNormally'),
      hint: hint!,
      stderr: 'Traceback',
    });
    expect(zh(ended)).toContain('而 python3 无法导入它');
    const timeout = hostMessage('pluginAnswerTimeout', { command: 'start', type: 'sink', symbol: 'print' });
    expect(timeout).toBe("time out waiting for the plugin to answer 'start' for sink print");
    expect(zh(timeout)).toBe("等待插件应答 sink print 的 'start' 命令超时");
  });

  test('the new templates do not swallow eKuiper’s texts', () => {
    for (const text of [
      'missing_token',
      'validate token error: token is expired',
      'process exited unexpectedly',
      'plugin mirror is not found',
      'skipped',
    ]) {
      expect(zh(text)).toBe(text);
    }
  });
});
