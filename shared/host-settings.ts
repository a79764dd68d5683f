import { isLoopbackHostname } from './loopback.js';

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

function integer(min: number, max: number, unit = ''): Check {
  return (value) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max
      ? undefined
      : `must be a whole number from ${min} to ${max}${unit}`;
}

const positive = (max: number, unit = ''): Check => integer(1, max, unit);

const bool: Check = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

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
      return 'must be a list of strings';
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
      : 'must be an IP address or host name to bind to, such as 127.0.0.1',
  restPort: integer(0, 65535, ' (0 picks a free port)'),
  dataDir: (value) =>
    typeof value === 'string' &&
    (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\'))
      ? undefined
      : 'must be an absolute folder path',
  token: (value) => {
    if (typeof value !== 'string') return 'must be a string (empty for no token)';
    // eslint-disable-next-line no-control-regex
    if (/[\s\u0000-\u001f\u007f]/.test(value)) return 'must not contain spaces or control characters';
    return undefined;
  },
  allowedOrigins: stringList((item) => {
    if (!httpUrl(item) || new URL(item).origin !== item) {
      return `holds '${item}', which is not an origin such as http://localhost:3000 (scheme, host and port only)`;
    }
    return undefined;
  }),
  allowedHosts: stringList((item) =>
    /^[0-9A-Za-z.:[\]-]+$/.test(item) ? undefined : `holds '${item}', which is not a host name`,
  ),
  pluginHosts: (value) => {
    if (typeof value !== 'string') return 'must be a string of comma-separated URLs';
    const hosts = value.split(',').map((host) => host.trim());
    if (value.trim() === '') return 'must name at least one http(s) URL, such as https://packages.emqx.io';
    const bad = hosts.find((host) => !httpUrl(host));
    return bad === undefined ? undefined : `holds '${bad}', which is not an http(s) URL`;
  },
  ekuiperVersion: (value) =>
    typeof value === 'string' && /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(value)
      ? undefined
      : 'must be an eKuiper version such as 2.1.0',
  osFlavour: (value) =>
    typeof value === 'string' && (OS_FLAVOURS as readonly string[]).includes(value)
      ? undefined
      : `must be one of ${OS_FLAVOURS.join(', ')}`,
  arch: (value) =>
    typeof value === 'string' && (value === 'auto' || GO_ARCHES.includes(value))
      ? undefined
      : `must be auto or one of ${GO_ARCHES.join(', ')}`,
  installScriptTimeoutMs: positive(DAY_MS, ' milliseconds (at most a day)'),
  maxZipEntries: positive(10_000_000),
  maxZipInflatedBytes: positive(Number.MAX_SAFE_INTEGER, ' bytes'),
  maxDownloadBytes: positive(Number.MAX_SAFE_INTEGER, ' bytes'),
  downloadTimeoutMs: positive(DAY_MS, ' milliseconds (at most a day)'),
  allowExternalFileAccess: bool,
  allowPrivateNetwork: bool,
  pythonBin: (value) =>
    // eslint-disable-next-line no-control-regex
    typeof value === 'string' && value.trim() !== '' && !/[\u0000-\u001f]/.test(value)
      ? undefined
      : 'must name a Python interpreter, such as python3 or /usr/bin/python3',
  portableInitTimeoutMs: integer(100, 10 * 60_000, ' milliseconds (at most 10 minutes)'),
  portableCallTimeoutMs: integer(100, 10 * 60_000, ' milliseconds (at most 10 minutes)'),
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
  if (!isRecord(patch))
    return { ok: false, problems: ['the body must be a JSON object of settings to change'] };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'tokenSet') {
      problems.push('tokenSet cannot be set: send "token" (an empty string removes it)');
      continue;
    }
    const check = (CHECKS as Record<string, Check | undefined>)[key];
    if (check === undefined) {
      problems.push(`unknown setting '${key}' (known: ${SETTING_KEYS.join(', ')})`);
      continue;
    }
    const problem = check(value);
    if (problem !== undefined) problems.push(`${key} ${problem}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const next = { ...current, ...(patch as Partial<HostSettings>) };
  if (!isLoopbackHostname(next.restHost) && next.token === '') {
    problems.push(
      `restHost ${next.restHost} is not a loopback address, so a token is required: anyone on the network ` +
        'could otherwise install plugins that run on this machine',
    );
    return { ok: false, problems };
  }
  return { ok: true, patch };
}
