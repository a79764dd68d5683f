import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { APP_NAME, defaultDataDir, userDataDir } from './app-paths.js';
import { defaultSettings, type HostSettings, type SettingsSource } from './host-settings.js';

export interface ConfSettingsSource extends SettingsSource {
  /**
   * Opens the `conf` store on the same file and follows its changes. Kept out of start-up on purpose:
   * importing `conf` costs about 180 ms, which the time to the first answer cannot afford.
   */
  attachStore(): Promise<Conf<HostSettings>>;
}

function readStoredSettings(file: string): Partial<HostSettings> {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof stored === 'object' && stored !== null ? stored : {};
  } catch {
    return {};
  }
}

/**
 * Settings in `<userData>/config.json`, the file electron-store writes in the desktop app, so the headless
 * host and the app share them. Flags given on the command line override the stored values for this run.
 */
export function confSettings(overrides: Partial<HostSettings> = {}, cwd = userDataDir()): ConfSettingsSource {
  const defaults = defaultSettings(defaultDataDir());
  const merge = (stored: Partial<HostSettings>): HostSettings => ({ ...defaults, ...stored, ...overrides });
  let current = merge(readStoredSettings(join(cwd, 'config.json')));
  let attached: Promise<Conf<HostSettings>> | undefined;
  const attachStore = (): Promise<Conf<HostSettings>> => {
    attached ??= (async () => {
      const { default: ConfStore } = await import('conf');
      const store = new ConfStore<HostSettings>({ projectName: APP_NAME, cwd, defaults, watch: true });
      current = merge(store.store);
      store.onDidAnyChange(() => {
        current = merge(store.store);
      });
      return store;
    })();
    return attached;
  };
  return {
    read: () => current,
    attachStore,
    /** Writes through the conf store (attached now if it was not yet), so the desktop app sees the change. */
    async write(patch) {
      const store = await attachStore();
      store.set(patch);
      current = merge(store.store);
    },
    overriddenKeys: () => Object.keys(overrides) as Array<keyof HostSettings>,
  };
}
