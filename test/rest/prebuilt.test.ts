import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { defaultSettings } from '../../main/settings/host-settings.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';
import { expectError, expectJson } from './rest-helpers.js';

// Reference §5: GET /plugins/{kind}/prebuild, name → {host}/kuiper-plugins/{version}/{os}/{kind}/{name}_{arch}.zip

const NAMES = {
  sources: ['kafka', 'random', 'sql', 'video', 'zmq'],
  sinks: ['image', 'influx', 'influx2', 'kafka', 'sql', 'zmq'],
  functions: ['accumulateWordCount', 'countPlusOne', 'echo', 'geohash', 'image', 'labelImage', 'tfLite'],
} as const;
type Kind = keyof typeof NAMES;
const KINDS = Object.keys(NAMES) as Kind[];

/** The answer's exact bytes: keys in byte order, as Go marshals a map. */
function expected(kind: Kind, host: string, version: string, os: string, arch: string): string {
  const entries = [...NAMES[kind]]
    .sort((a, b) => (a < b ? -1 : 1))
    .map(
      (name) =>
        `${JSON.stringify(name)}:"${host}/kuiper-plugins/${version}/${os}/${kind}/${name}_${arch}.zip"`,
    );
  return `{${entries.join(',')}}`;
}

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => t.close());
beforeEach(() => {
  // Settings are read on every request; each test sets what it needs.
  const defaults = defaultSettings(t.dataDir);
  Object.assign(t.settings, {
    pluginHosts: defaults.pluginHosts,
    ekuiperVersion: defaults.ekuiperVersion,
    osFlavour: defaults.osFlavour,
    arch: defaults.arch,
  });
});

describe('URL pattern', () => {
  test.each(KINDS)('%s: debian, arm64, version 1.2.3', async (kind) => {
    Object.assign(t.settings, {
      pluginHosts: 'https://packages.example.com',
      ekuiperVersion: '1.2.3',
      osFlavour: 'debian',
      arch: 'arm64',
    });
    expectJson(
      await t.request('GET', `/plugins/${kind}/prebuild`),
      expected(kind, 'https://packages.example.com', '1.2.3', 'debian', 'arm64'),
    );
  });

  test.each(KINDS)('%s: alpine', async (kind) => {
    Object.assign(t.settings, {
      pluginHosts: 'http://mirror.local:8080',
      osFlavour: 'alpine',
      arch: 'amd64',
    });
    expectJson(
      await t.request('GET', `/plugins/${kind}/prebuild`),
      expected(kind, 'http://mirror.local:8080', '2.1.0', 'alpine', 'amd64'),
    );
  });

  test('with two hosts the FIRST one wins (eKuiper lets the last overwrite)', async () => {
    Object.assign(t.settings, {
      pluginHosts: ' https://first.example.com , https://second.example.com',
      osFlavour: 'debian',
      arch: 'amd64',
    });
    expectJson(
      await t.request('GET', '/plugins/sinks/prebuild'),
      expected('sinks', 'https://first.example.com', '2.1.0', 'debian', 'amd64'),
    );
  });

  test('an empty entry before a host is skipped; a trailing slash does not double', async () => {
    Object.assign(t.settings, {
      pluginHosts: ', https://h.example.com/',
      osFlavour: 'debian',
      arch: 'amd64',
    });
    expectJson(
      await t.request('GET', '/plugins/functions/prebuild'),
      expected('functions', 'https://h.example.com', '2.1.0', 'debian', 'amd64'),
    );
  });

  test("defaults: packages.emqx.io, this machine's GOARCH and os-release flavour", async () => {
    const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386' };
    const arch = goArch[process.arch] ?? process.arch;
    let release = '';
    for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
      try {
        release = readFileSync(file, 'utf8');
        break;
      } catch {
        // try the next one, as eKuiper does
      }
    }
    const pretty = /^PRETTY_NAME=(.*)$/m.exec(release)?.[1] ?? '';
    const os = pretty.toUpperCase().includes('ALPINE') ? 'alpine' : 'debian';
    for (const kind of KINDS) {
      expectJson(
        await t.request('GET', `/plugins/${kind}/prebuild`),
        expected(kind, 'https://packages.emqx.io', '2.1.0', os, arch),
      );
    }
  });
});

describe('configuration errors', () => {
  test.each(['', '   ', ' , , '])('pluginHosts %j: 400 invalid configuration', async (hosts) => {
    t.settings.pluginHosts = hosts;
    for (const kind of KINDS) {
      expectError(
        await t.request('GET', `/plugins/${kind}/prebuild`),
        400,
        'invalid configuration for plugin host in kuiper.yaml',
      );
    }
  });

  test('a settings change applies to the next request without a restart', async () => {
    Object.assign(t.settings, { pluginHosts: 'https://one.example.com', osFlavour: 'debian', arch: 'amd64' });
    const first = (await t.request('GET', '/plugins/sources/prebuild')).json<Record<string, string>>();
    t.settings.pluginHosts = 'https://two.example.com';
    const second = (await t.request('GET', '/plugins/sources/prebuild')).json<Record<string, string>>();
    expect(first.random).toBe('https://one.example.com/kuiper-plugins/2.1.0/debian/sources/random_amd64.zip');
    expect(second.random).toBe(
      'https://two.example.com/kuiper-plugins/2.1.0/debian/sources/random_amd64.zip',
    );
  });
});
