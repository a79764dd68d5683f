import { join } from 'node:path';
import { app, ipcMain } from 'electron';
import ElectronStore, { type Schema } from 'electron-store';
import { GO_ARCHES, OS_FLAVOURS, defaultSettings, type HostSettings } from '../../shared/host-settings.js';
import type { SettingsSource } from '../settings/host-settings.js';

/** electron-store answers this channel for any renderer; our sandboxed windows never use it. */
const ELECTRON_STORE_CHANNEL = 'electron-store-get-data';

const DAY_MS = 24 * 60 * 60 * 1000;
const wholeNumber = (minimum: number, maximum = Number.MAX_SAFE_INTEGER) =>
  ({ type: 'integer', minimum, maximum }) as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

/**
 * The JSON schema electron-store checks on open and on every write. It mirrors `validateSettingsPatch` in
 * `shared/host-settings.ts`, which stays the authority for the REST endpoint's messages; this one keeps a
 * hand-edited config.json from starting the app with a value of the wrong type.
 */
export const SETTINGS_SCHEMA: Schema<HostSettings> = {
  restHost: { type: 'string', minLength: 1, pattern: '^[0-9A-Za-z.:\\[\\]%-]+$' },
  restPort: wholeNumber(0, 65535),
  dataDir: { type: 'string', minLength: 1 },
  token: { type: 'string', pattern: '^[^\\s\\u0000-\\u001f\\u007f]*$' },
  allowedOrigins: strings,
  allowedHosts: strings,
  pluginHosts: { type: 'string', minLength: 1 },
  ekuiperVersion: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?$' },
  osFlavour: { type: 'string', enum: [...OS_FLAVOURS] },
  arch: { type: 'string', enum: ['auto', ...GO_ARCHES] },
  installScriptTimeoutMs: wholeNumber(1, DAY_MS),
  maxZipEntries: wholeNumber(1, 10_000_000),
  maxZipInflatedBytes: wholeNumber(1),
  maxDownloadBytes: wholeNumber(1),
  downloadTimeoutMs: wholeNumber(1, DAY_MS),
  allowExternalFileAccess: { type: 'boolean' },
  allowPrivateNetwork: { type: 'boolean' },
};

/** The app's default data folder: `ekuiper/` in the user-data folder, as the headless host computes it. */
export function appDataDir(): string {
  return join(app.getPath('userData'), 'ekuiper');
}

export interface AppSettingsSource extends SettingsSource {
  /** Overrides for this run only (another port after a conflict); not written to config.json. */
  overrideForThisRun(patch: Partial<HostSettings>): void;
  /** The file the settings live in, for messages. */
  readonly path: string;
}

/**
 * Settings in `<userData>/config.json` through electron-store, with the host's schema and defaults: the same
 * file the headless host reads with `conf`, so both see one set of settings. Throws when the file exists but
 * does not match the schema; the caller explains that to the user.
 */
export function openSettingsStore(): AppSettingsSource {
  const defaults = defaultSettings(appDataDir());
  const store = new ElectronStore<HostSettings>({
    name: 'config',
    schema: SETTINGS_SCHEMA,
    defaults,
    watch: true,
  });
  // Our windows learn what they need through the preload's typed bridge; answer nothing else.
  ipcMain.removeAllListeners(ELECTRON_STORE_CHANNEL);
  const runOverrides: Partial<HostSettings> = {};
  return {
    path: store.path,
    read: () => ({ ...defaults, ...store.store, ...runOverrides }),
    write(patch) {
      store.set(patch);
    },
    overriddenKeys: () => Object.keys(runOverrides) as Array<keyof HostSettings>,
    overrideForThisRun(patch) {
      Object.assign(runOverrides, patch);
    },
  };
}
