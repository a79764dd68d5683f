import { hostMessage } from './host-messages.js';
import { isLoopbackHostname } from './loopback.js';
import type { ZipLimits } from './zip-safety.js';

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
  /** eKuiper's `portable.pythonBin`: the interpreter that runs Python portable plugins (a name on PATH or a path). */
  pythonBin: string;
  /** eKuiper's `portable.initTimeout`: how long a started plugin has to call the control channel. */
  portableInitTimeoutMs: number;
  /** eKuiper's `sendTimeout`/`recvTimeout` for function calls and source/sink data (5 s in eKuiper). */
  portableCallTimeoutMs: number;
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
    pythonBin: 'python3',
    portableInitTimeoutMs: 60_000,
    portableCallTimeoutMs: 5_000,
  };
}

/** What `GET /manager/settings` answers: every setting but the token, which is write-only. */
/** The zip-bomb bounds out of the settings, in the shape the shared zip checks take. */
export function zipLimitsOf(
  settings: Pick<HostSettings, 'maxZipEntries' | 'maxZipInflatedBytes'>,
): ZipLimits {
  return { maxEntries: settings.maxZipEntries, maxInflatedBytes: settings.maxZipInflatedBytes };
}

export type PublicSettings = Omit<HostSettings, 'token'> & { tokenSet: boolean };

/** Settings a running host cannot change: they apply at its next start. */
export const RESTART_SETTINGS = ['restHost', 'restPort', 'dataDir'] as const satisfies ReadonlyArray<
  keyof HostSettings
>;

/** What `PUT /manager/settings` answers. */
export interface SettingsUpdate {
  settings: PublicSettings;
  /** Keys whose value the patch changed. */
  changed: Array<keyof HostSettings>;
  /** Changed keys that apply only after a restart (`RESTART_SETTINGS`). */
  restartRequired: Array<keyof HostSettings>;
  /** Changed keys stored but overridden for this run by a command-line flag. */
  overridden: Array<keyof HostSettings>;
}

export function publicSettings(settings: HostSettings): PublicSettings {
  const { token, ...rest } = settings;
  return { ...rest, tokenSet: token !== '' };
}

/** Go's GOARCH values eKuiper builds prebuilt plugins for, and more it could. */
export const GO_ARCHES = [
  'amd64',
  'arm64',
  'arm',
  '386',
  'ppc64le',
  's390x',
  'riscv64',
  'mips64le',
  'loong64',
];
export const OS_FLAVOURS = ['auto', 'debian', 'alpine'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

type Check = (value: unknown) => string | undefined;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The catalog's wordings of a whole-number range: plain, a port, bytes, or milliseconds up to a limit. */
type RangeWording =
  | 'settingWholeNumber'
  | 'settingPort'
  | 'settingBytes'
  | 'settingMillisecondsDay'
  | 'settingMillisecondsTenMinutes';

function integer(min: number, max: number, wording: RangeWording = 'settingWholeNumber'): Check {
  return (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
      ? undefined
      : hostMessage(wording, { min, max });
}

const positive = (max: number, wording?: RangeWording): Check => integer(1, max, wording);

const bool: Check = (value) => (typeof value === 'boolean' ? undefined : hostMessage('settingBoolean'));

function httpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function stringList(each: (item: string) => string | undefined): Check {
  return (value) => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      return hostMessage('settingStringList');
    }
    for (const item of value as string[]) {
      const problem = each(item);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

const CHECKS: Record<keyof HostSettings, Check> = {
  restHost: (value) =>
    typeof value === 'string' && /^[0-9A-Za-z.:[\]%-]+$/.test(value)
      ? undefined
      : hostMessage('settingBindAddress'),
  restPort: integer(0, 65535, 'settingPort'),
  dataDir: (value) =>
    typeof value === 'string' &&
    (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'))
      ? undefined
      : hostMessage('settingAbsoluteFolder'),
  token: (value) => {
    if (typeof value !== 'string') return hostMessage('settingTokenType');
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f]/.test(value)) return hostMessage('settingTokenCharacters');
    return undefined;
  },
  allowedOrigins: stringList((item) => {
    if (!httpUrl(item) || new URL(item).origin !== item) {
      return hostMessage('settingNotOrigin', { item });
    }
    return undefined;
  }),
  allowedHosts: stringList((item) =>
    /^[0-9A-Za-z.:[\]-]+$/.test(item) ? undefined : hostMessage('settingNotHostName', { item }),
  ),
  pluginHosts: (value) => {
    if (typeof value !== 'string') return hostMessage('settingPluginHostsType');
    const hosts = value.split(',').map((host) => host.trim());
    if (value.trim() === '') return hostMessage('settingPluginHostsEmpty');
    const bad = hosts.find((host) => !httpUrl(host));
    return bad === undefined ? undefined : hostMessage('settingNotHttpUrl', { item: bad });
  },
  ekuiperVersion: (value) =>
    typeof value === 'string' && /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(value)
      ? undefined
      : hostMessage('settingVersion'),
  osFlavour: (value) =>
    typeof value === 'string' && (OS_FLAVOURS as readonly string[]).includes(value)
      ? undefined
      : hostMessage('settingOneOf', { choices: OS_FLAVOURS.join(', ') }),
  arch: (value) =>
    typeof value === 'string' && (value === 'auto' || GO_ARCHES.includes(value))
      ? undefined
      : hostMessage('settingArch', { choices: GO_ARCHES.join(', ') }),
  installScriptTimeoutMs: positive(DAY_MS, 'settingMillisecondsDay'),
  maxZipEntries: positive(10_000_000),
  maxZipInflatedBytes: positive(Number.MAX_SAFE_INTEGER, 'settingBytes'),
  maxDownloadBytes: positive(Number.MAX_SAFE_INTEGER, 'settingBytes'),
  downloadTimeoutMs: positive(DAY_MS, 'settingMillisecondsDay'),
  allowExternalFileAccess: bool,
  allowPrivateNetwork: bool,
  pythonBin: (value) =>
    // eslint-disable-next-line no-control-regex
    typeof value === 'string' && value.trim() !== '' && !/[\u0000-\u001f]/.test(value)
      ? undefined
      : hostMessage('settingPython'),
  portableInitTimeoutMs: integer(100, 10 * 60_000, 'settingMillisecondsTenMinutes'),
  portableCallTimeoutMs: integer(100, 10 * 60_000, 'settingMillisecondsTenMinutes'),
};

export const SETTING_KEYS = Object.keys(CHECKS) as Array<keyof HostSettings>;

/**
 * Checks a patch for `PUT /manager/settings`: only known keys, each of the right type and range, and a
 * result the host can start with (a non-loopback `restHost` needs a token). Answers every problem, one
 * sentence each, so a form can show them all at once.
 */
export function validateSettingsPatch(
  patch: unknown,
  current: HostSettings,
): { ok: true; patch: Partial<HostSettings> } | { ok: false; problems: string[] } {
  if (!isRecord(patch)) return { ok: false, problems: [hostMessage('settingNotObject')] };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'tokenSet') {
      problems.push(hostMessage('settingTokenSetReadOnly'));
      continue;
    }
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (check === undefined) {
      problems.push(hostMessage('settingUnknown', { key, known: SETTING_KEYS.join(', ') }));
      continue;
    }
    const problem = check(value);
    if (problem !== undefined) problems.push(`${key} ${problem}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const next = { ...current, ...(patch as Partial<HostSettings>) };
  if (!isLoopbackHostname(next.restHost) && next.token === '') {
    problems.push(hostMessage('settingNeedsToken', { host: next.restHost }));
    return { ok: false, problems };
  }
  return { ok: true, patch };
}
