import { readFile } from 'node:fs/promises';
import type { NativeKind } from '../../shared/plugin-kinds.js';
import type { HostSettings } from '../settings/host-settings.js';
import { PluginError } from './plugin-error.js';

/** The plugins eKuiper's default build offers per kind (`prebuild_plugins.go`). */
export const PREBUILT_PLUGINS: Record<NativeKind, readonly string[]> = {
  sources: ['random', 'zmq', 'sql', 'video', 'kafka'],
  sinks: ['image', 'influx', 'influx2', 'zmq', 'kafka', 'sql'],
  functions: ['accumulateWordCount', 'countPlusOne', 'echo', 'geohash', 'image', 'labelImage', 'tfLite'],
};

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** Go's GOARCH for Node's `process.arch`, since prebuilt zips are named after it. */
export function goArch(nodeArch: string = process.arch): string {
  return GO_ARCH[nodeArch] ?? nodeArch;
}

/** eKuiper reads /etc/os-release, else /usr/lib/os-release; `alpine` when PRETTY_NAME says so, else `debian`. */
export async function detectOsFlavour(
  files = ['/etc/os-release', '/usr/lib/os-release'],
): Promise<'debian' | 'alpine'> {
  let text: string | undefined;
  for (const file of files) {
    try {
      text = await readFile(file, 'utf8');
      break;
    } catch {
      // eKuiper tries the next file, and reports the last one missing.
    }
  }
  if (text === undefined) {
    throw new PluginError(`open ${files.at(-1)}: no such file or directory`);
  }
  const pretty = /^PRETTY_NAME=(.*)$/m.exec(text)?.[1]?.replace(/^["']|["']$/g, '') ?? '';
  return pretty.toUpperCase().includes('ALPINE') ? 'alpine' : 'debian';
}

/**
 * eKuiper's `GET /plugins/{kind}/prebuild` (reference §5): name → download URL for this eKuiper version, OS
 * flavour and architecture. Unlike eKuiper, with several plugin hosts the first one listed wins, so the
 * order of the setting is the order of preference.
 */
export async function prebuiltPlugins(
  kind: NativeKind,
  settings: HostSettings,
  platform: NodeJS.Platform = process.platform,
): Promise<Record<string, string>> {
  if (settings.osFlavour === 'auto' && platform !== 'linux') {
    throw new PluginError(
      "It's strongly recommended to install plugins at linux. If you choose to proceed to install plugin, " +
        'please make sure the plugin is already validated in your own build.',
    );
  }
  const os = settings.osFlavour === 'auto' ? await detectOsFlavour() : settings.osFlavour;
  const hosts = settings.pluginHosts
    .split(',')
    .map((host) => host.trim().replace(/\/+$/, ''))
    .filter((host) => host !== '');
  if (hosts.length === 0) throw new PluginError('invalid configuration for plugin host in kuiper.yaml');
  const arch = settings.arch === 'auto' ? goArch() : settings.arch;
  const result: Record<string, string> = {};
  for (const name of [...PREBUILT_PLUGINS[kind]].sort()) {
    result[name] = `${hosts[0]}/kuiper-plugins/${settings.ekuiperVersion}/${os}/${kind}/${name}_${arch}.zip`;
  }
  return result;
}
