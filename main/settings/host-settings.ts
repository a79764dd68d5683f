/**
 * Everything the host reads from settings. The Electron app backs this with electron-store and the
 * headless host with `conf` (electron-store's own base); both share one schema and file format.
 */
export interface HostSettings {
  /** Address the REST endpoint binds to; anything but loopback requires `token`. */
  restHost: string;
  restPort: number;
  /** eKuiper-layout folder (plugins/, etc/, data/); may point at an eKuiper installation. */
  dataDir: string;
  /** Empty: no token. Otherwise required as `Authorization: Bearer <token>` or eKuiper's bare form. */
  token: string;
  /** Extra browser origins allowed to call the API (e.g. a remote eKuiper manager UI). */
  allowedOrigins: string[];
  /** Extra `Host` header names accepted besides loopback names (DNS-rebinding guard). */
  allowedHosts: string[];
  /** eKuiper's `basic.pluginHosts`: comma-separated base URLs of prebuilt-plugin repositories. */
  pluginHosts: string;
  /** eKuiper version whose prebuilt plugins to offer (their URLs contain it). */
  ekuiperVersion: string;
  /** `auto` reads /etc/os-release like eKuiper does. */
  osFlavour: 'auto' | 'debian' | 'alpine';
  /** `auto` maps Node's architecture to Go's GOARCH. */
  arch: string;
  /** How long an `install.sh` may run before it is stopped and the install rolled back. */
  installScriptTimeoutMs: number;
  /** Zip-bomb guards, checked from the zip's directory before anything is written and again while inflating. */
  maxZipEntries: number;
  maxZipInflatedBytes: number;
  /** Cap on a downloaded or uploaded zip. */
  maxDownloadBytes: number;
  downloadTimeoutMs: number;
  /** eKuiper's `basic.allowExternalFileAccess` (ships `true`): `file://` anywhere, or only under data/uploads. */
  allowExternalFileAccess: boolean;
  /** eKuiper's `basic.enablePrivateNet`; a desktop app installs from local servers, so it defaults to true. */
  allowPrivateNetwork: boolean;
}

/** Where the host reads its settings from; read on each use, so changes apply without a restart. */
export interface SettingsSource {
  read(): HostSettings;
}

export const GIB = 1024 * 1024 * 1024;

/** eKuiper's defaults where eKuiper has one (etc/kuiper.yaml), ours where it has none. */
export function defaultSettings(dataDir: string): HostSettings {
  return {
    restHost: '127.0.0.1',
    restPort: 9081,
    dataDir,
    token: '',
    allowedOrigins: [],
    allowedHosts: [],
    pluginHosts: 'https://packages.emqx.io',
    ekuiperVersion: '2.1.0',
    osFlavour: 'auto',
    arch: 'auto',
    installScriptTimeoutMs: 5 * 60_000,
    maxZipEntries: 20_000,
    maxZipInflatedBytes: 2 * GIB,
    maxDownloadBytes: 1 * GIB,
    downloadTimeoutMs: 5 * 60_000,
    allowExternalFileAccess: true,
    allowPrivateNetwork: true,
  };
}

/** A fixed settings source, for tests and for flags that override the stored settings. */
export function staticSettings(settings: HostSettings): SettingsSource {
  return { read: () => settings };
}
