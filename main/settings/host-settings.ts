import type { HostSettings } from '../../shared/host-settings.js';

/** The settings' shape, defaults and validation live in `shared/`, where the window's settings page uses them. */
export { GIB, defaultSettings, zipLimitsOf, type HostSettings } from '../../shared/host-settings.js';

/** Where the host reads its settings from; read on each use, so changes apply without a restart. */
export interface SettingsSource {
  read(): HostSettings;
  /**
   * Applies and persists a validated patch (`PUT /manager/settings`); without it the settings are read-only.
   * Keys given on the command line may still override what is stored: see `overriddenKeys`.
   */
  write?(patch: Partial<HostSettings>): Promise<void> | void;
  /** Keys whose stored value this run ignores (flags given on the command line). */
  overriddenKeys?(): ReadonlyArray<keyof HostSettings>;
}

/** Settings kept in memory, for tests and for hosts without a settings file; `write` changes them in place. */
export function staticSettings(settings: HostSettings): SettingsSource {
  return {
    read: () => settings,
    write: (patch) => {
      Object.assign(settings, patch);
    },
  };
}
