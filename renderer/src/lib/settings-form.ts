import { SETTING_KEYS, type HostSettings, type PublicSettings } from '../../../shared/host-settings';

/** Units the form offers for durations (the host stores milliseconds). */
export type DurationUnit = 's' | 'min';
/** Units the form offers for sizes (the host stores bytes). */
export type SizeUnit = 'MiB' | 'GiB';

/** A number as typed (a NumberInput answers '' while empty) with its unit. */
export interface Amount<Unit extends string> {
  value: number | string;
  unit: Unit;
}

/** The token is write-only: the form can keep it, set a new one, or remove it, never show it. */
export type TokenAction = 'keep' | 'set' | 'remove';

/** What the settings form edits, in the units people think in. */
export interface SettingsFormValues {
  /** One URL per line; eKuiper stores them comma-separated. */
  pluginHosts: string;
  ekuiperVersion: string;
  osFlavour: string;
  arch: string;
  installScriptTimeout: Amount<DurationUnit>;
  downloadTimeout: Amount<DurationUnit>;
  maxDownload: Amount<SizeUnit>;
  maxZipInflated: Amount<SizeUnit>;
  maxZipEntries: number | string;
  allowExternalFileAccess: boolean;
  allowPrivateNetwork: boolean;
  pythonBin: string;
  portableInitTimeout: Amount<DurationUnit>;
  portableCallTimeout: Amount<DurationUnit>;
  restHost: string;
  restPort: number | string;
  /** One per line. */
  allowedOrigins: string;
  allowedHosts: string;
  dataDir: string;
  tokenAction: TokenAction;
  newToken: string;
}

/** A form field: the host keys map onto these one to one, but with the form's names. */
export type FormField = keyof SettingsFormValues;

const MS = { s: 1_000, min: 60_000 } as const;
const BYTES = { MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;

/** Milliseconds as the largest unit that shows them exactly (5 min, 90 s, 1.5 s). */
export function durationFromMs(ms: number): Amount<DurationUnit> {
  if (ms >= MS.min && ms % MS.min === 0) return { value: ms / MS.min, unit: 'min' };
  return { value: ms / MS.s, unit: 's' };
}

/** Bytes as GiB when whole, else MiB (possibly with decimals, which convert back exactly enough). */
export function sizeFromBytes(bytes: number): Amount<SizeUnit> {
  if (bytes >= BYTES.GiB && bytes % BYTES.GiB === 0) return { value: bytes / BYTES.GiB, unit: 'GiB' };
  return { value: Math.round((bytes / BYTES.MiB) * 1000) / 1000, unit: 'MiB' };
}

function asNumber(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Milliseconds for a duration as typed; undefined when it is not a number. */
export function durationToMs(amount: Amount<DurationUnit>): number | undefined {
  const value = asNumber(amount.value);
  return value === undefined ? undefined : Math.round(value * MS[amount.unit]);
}

/** Bytes for a size as typed; undefined when it is not a number. */
export function sizeToBytes(amount: Amount<SizeUnit>): number | undefined {
  const value = asNumber(amount.value);
  return value === undefined ? undefined : Math.round(value * BYTES[amount.unit]);
}

/** Lines of a text box, trimmed, empty ones dropped; commas also separate (people paste eKuiper's format). */
export function linesOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The form's starting values for the host's settings. */
export function formFromSettings(settings: PublicSettings): SettingsFormValues {
  return {
    pluginHosts: linesOf(settings.pluginHosts).join('\n'),
    ekuiperVersion: settings.ekuiperVersion,
    osFlavour: settings.osFlavour,
    arch: settings.arch,
    installScriptTimeout: durationFromMs(settings.installScriptTimeoutMs),
    downloadTimeout: durationFromMs(settings.downloadTimeoutMs),
    maxDownload: sizeFromBytes(settings.maxDownloadBytes),
    maxZipInflated: sizeFromBytes(settings.maxZipInflatedBytes),
    maxZipEntries: settings.maxZipEntries,
    allowExternalFileAccess: settings.allowExternalFileAccess,
    allowPrivateNetwork: settings.allowPrivateNetwork,
    pythonBin: settings.pythonBin,
    portableInitTimeout: durationFromMs(settings.portableInitTimeoutMs),
    portableCallTimeout: durationFromMs(settings.portableCallTimeoutMs),
    restHost: settings.restHost,
    restPort: settings.restPort,
    allowedOrigins: settings.allowedOrigins.join('\n'),
    allowedHosts: settings.allowedHosts.join('\n'),
    dataDir: settings.dataDir,
    tokenAction: 'keep',
    newToken: '',
  };
}

/** Which form field shows the host's problems with a setting. */
export const FIELD_OF_SETTING: Record<keyof HostSettings, FormField> = {
  pluginHosts: 'pluginHosts',
  ekuiperVersion: 'ekuiperVersion',
  osFlavour: 'osFlavour',
  arch: 'arch',
  installScriptTimeoutMs: 'installScriptTimeout',
  downloadTimeoutMs: 'downloadTimeout',
  maxDownloadBytes: 'maxDownload',
  maxZipInflatedBytes: 'maxZipInflated',
  maxZipEntries: 'maxZipEntries',
  allowExternalFileAccess: 'allowExternalFileAccess',
  allowPrivateNetwork: 'allowPrivateNetwork',
  pythonBin: 'pythonBin',
  portableInitTimeoutMs: 'portableInitTimeout',
  portableCallTimeoutMs: 'portableCallTimeout',
  restHost: 'restHost',
  restPort: 'restPort',
  allowedOrigins: 'allowedOrigins',
  allowedHosts: 'allowedHosts',
  dataDir: 'dataDir',
  token: 'newToken',
};

/** A problem the form finds before asking the host: a translation key (and its values) for a field. */
export interface FormProblem {
  key: string;
  values?: Record<string, string | number>;
}

/** The outcome of turning the form into a patch: the changed keys only, or the fields that are not numbers. */
export type PatchResult =
  | { ok: true; patch: Partial<HostSettings> }
  | { ok: false; problems: Partial<Record<FormField, FormProblem>> };

/**
 * The patch for `PUT /manager/settings`: only keys whose value differs from what the host has, converted to the
 * host's units. The form itself only checks what it must to convert (a number where one is needed, a token to
 * set); every other rule is the host's, whose own message then shows at the field.
 */
export function patchFromForm(values: SettingsFormValues, current: PublicSettings): PatchResult {
  const problems: Partial<Record<FormField, FormProblem>> = {};
  const next: Partial<HostSettings> = {
    pluginHosts: linesOf(values.pluginHosts).join(','),
    ekuiperVersion: values.ekuiperVersion.trim(),
    osFlavour: values.osFlavour as HostSettings['osFlavour'],
    arch: values.arch,
    allowExternalFileAccess: values.allowExternalFileAccess,
    allowPrivateNetwork: values.allowPrivateNetwork,
    pythonBin: values.pythonBin.trim(),
    restHost: values.restHost.trim(),
    allowedOrigins: linesOf(values.allowedOrigins),
    allowedHosts: linesOf(values.allowedHosts),
    dataDir: values.dataDir.trim(),
  };
  const numbers: Array<[FormField, keyof HostSettings, number | undefined]> = [
    ['installScriptTimeout', 'installScriptTimeoutMs', durationToMs(values.installScriptTimeout)],
    ['downloadTimeout', 'downloadTimeoutMs', durationToMs(values.downloadTimeout)],
    ['maxDownload', 'maxDownloadBytes', sizeToBytes(values.maxDownload)],
    ['maxZipInflated', 'maxZipInflatedBytes', sizeToBytes(values.maxZipInflated)],
    ['maxZipEntries', 'maxZipEntries', asNumber(values.maxZipEntries)],
    ['portableInitTimeout', 'portableInitTimeoutMs', durationToMs(values.portableInitTimeout)],
    ['portableCallTimeout', 'portableCallTimeoutMs', durationToMs(values.portableCallTimeout)],
    ['restPort', 'restPort', asNumber(values.restPort)],
  ];
  for (const [field, key, value] of numbers) {
    if (value === undefined) problems[field] = { key: 'settingsPage.errors.number' };
    else (next as Record<string, unknown>)[key] = value;
  }
  if (values.tokenAction === 'set') {
    if (values.newToken.trim() === '') problems.newToken = { key: 'settingsPage.errors.tokenEmpty' };
    else next.token = values.newToken.trim();
  } else if (values.tokenAction === 'remove' && current.tokenSet) {
    next.token = '';
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const patch: Partial<HostSettings> = {};
  for (const key of Object.keys(next) as Array<keyof HostSettings>) {
    if (key === 'token') {
      (patch as Record<string, unknown>)[key] = next[key];
      continue;
    }
    if (JSON.stringify(next[key]) !== JSON.stringify(current[key as keyof PublicSettings])) {
      (patch as Record<string, unknown>)[key] = next[key];
    }
  }
  return { ok: true, patch };
}

/**
 * Splits the host's answer to a rejected patch (`invalid settings: restPort must be …; pluginHosts holds …`)
 * into one message per form field, by the setting each problem names first; the rest stays general.
 * `localize` shows each of the host's sentences in the window's language.
 */
export function hostProblemsByField(
  message: string,
  localize: (sentence: string) => string = (sentence) => sentence,
): {
  fields: Partial<Record<FormField, string>>;
  general: string[];
} {
  const fields: Partial<Record<FormField, string>> = {};
  const general: string[] = [];
  const text = message.replace(/^invalid settings:\s*/, '');
  for (const problem of text.split('; ')) {
    const [first = '', ...rest] = problem.split(' ');
    const key = SETTING_KEYS.find((known) => known === first);
    if (key === undefined || rest.length === 0) {
      general.push(localize(problem));
      continue;
    }
    const sentence = localize(rest.join(' '));
    const field = FIELD_OF_SETTING[key];
    const shown = sentence.charAt(0).toUpperCase() + sentence.slice(1);
    fields[field] = fields[field] === undefined ? shown : `${fields[field]}; ${shown}`;
  }
  return { fields, general };
}
