import type { NativeKind, PluginKind } from './plugin-kinds.js';
import type { PortableManifest } from './portable-manifest.js';

/** What the host remembers of an install, beyond what eKuiper keeps (reference §4.4). */
export interface PluginRecord {
  kind: PluginKind;
  name: string;
  /** The URL it was installed from (`file:`, `http(s):`); null for plugins found on disk. */
  source: string | null;
  shellParas: string[];
  installedAt: string;
  zipBytes: number;
  zipSha256: string;
  /** Sum of the inflated sizes of the files installed. */
  installedBytes: number;
  /** Function plugins: the registered function list (eKuiper's KV `pluginFuncs`); absent means `[name]`. */
  functions?: string[];
  /** What `install.sh` printed (its last 64 KiB), when the zip had one. */
  installLog?: string;
}

/** eKuiper's native describe answer. */
export interface NativePluginInfo {
  name: string;
  version: string;
  functions?: string[];
}

/** eKuiper's portable list/describe answer: the manifest with the executable's absolute path. */
export type PortablePluginInfo = PortableManifest;

/**
 * What the list needs of an install record: what it shows, sorts and filters by. The rest (sha256, install
 * parameters, install.sh's output) is in `PluginDetails`, fetched when one plugin is described, so the list
 * answer stays small with thousands of plugins.
 */
export interface PluginRecordSummary {
  /** The URL it was installed from (`file:`, `http(s):`); null for plugins found on disk. */
  source: string | null;
  installedAt: string;
  zipBytes: number;
  /** Sum of the inflated sizes of the files installed. */
  installedBytes: number;
  /** Function plugins: the registered function list; absent means `[name]`. */
  functions?: string[];
  /** The size in UTF-8 bytes of what `install.sh` printed; absent when nothing was. */
  installLogBytes?: number;
}

/** One row of the host's own overview (`GET /manager/plugins`): what the window lists. */
export interface PluginOverview {
  kind: PluginKind;
  name: string;
  version: string;
  /** Functions a function plugin exports, or the symbols of a portable plugin. */
  functions: string[];
  sources: string[];
  sinks: string[];
  language?: string;
  record: PluginRecordSummary | null;
}

/** Everything the host knows of one plugin (`GET /manager/plugins/{kind}/{name}`): the row, whole. */
export interface PluginDetails extends Omit<PluginOverview, 'record'> {
  /** Library file for natives, executable for portables (absolute). */
  file: string;
  record: PluginRecord | null;
}

export type { NativeKind, PluginKind };
