import Conf from 'conf';
import { APP_NAME, defaultDataDir, userDataDir } from './app-paths.js';
import { defaultSettings, type HostSettings, type SettingsSource } from './host-settings.js';

/**
 * Settings stored in `<userData>/config.json` with `conf`, the library electron-store is built on, so the
 * headless host and the desktop app read and write the same file. Watched, so a change made by the app
 * applies to a running headless host.
 */
export function confSettings(
  overrides: Partial<HostSettings> = {},
  cwd = userDataDir(),
): SettingsSource & { store: Conf<HostSettings> } {
  const defaults = defaultSettings(defaultDataDir());
  const store = new Conf<HostSettings>({ projectName: APP_NAME, cwd, defaults, watch: true });
  let current: HostSettings = { ...defaults, ...store.store, ...overrides };
  store.onDidAnyChange(() => {
    current = { ...defaults, ...store.store, ...overrides };
  });
  return { store, read: () => current };
}
