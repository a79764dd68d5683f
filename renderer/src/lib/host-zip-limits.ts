import { useEffect, useState } from 'react';
import { defaultSettings, type PublicSettings } from '../../../shared/host-settings';
import { DEFAULT_ZIP_LIMITS } from '../../../shared/zip-inspect';
import type { ZipLimits } from '../../../shared/zip-safety';
import { pluginApi } from '../api/plugin-api';

/** The limits the host checks a zip against: entries and inflated bytes (zip bombs), and the zip's own size. */
export interface HostZipLimits {
  limits: ZipLimits;
  /** The host's `maxDownloadBytes`: the largest zip it downloads or accepts as an upload. */
  maxZipBytes: number;
  /** True when these are the host's own settings, false when they are the defaults. */
  fromHost: boolean;
}

export const DEFAULT_HOST_ZIP_LIMITS: HostZipLimits = {
  limits: DEFAULT_ZIP_LIMITS,
  maxZipBytes: defaultSettings('/').maxDownloadBytes,
  fromHost: false,
};

const positive = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/**
 * The limits out of a `GET /manager/settings` answer. Each value the answer lacks or gets wrong falls back to
 * the default, so an older host (or any answer) never makes the window refuse zips the host would accept.
 */
export function zipLimitsFromSettings(settings: Partial<PublicSettings> | undefined): HostZipLimits {
  if (settings === undefined || typeof settings !== 'object' || settings === null) {
    return DEFAULT_HOST_ZIP_LIMITS;
  }
  const { maxZipEntries, maxZipInflatedBytes, maxDownloadBytes } = settings;
  return {
    limits: {
      maxEntries: positive(maxZipEntries) ? maxZipEntries : DEFAULT_ZIP_LIMITS.maxEntries,
      maxInflatedBytes: positive(maxZipInflatedBytes)
        ? maxZipInflatedBytes
        : DEFAULT_ZIP_LIMITS.maxInflatedBytes,
    },
    maxZipBytes: positive(maxDownloadBytes) ? maxDownloadBytes : DEFAULT_HOST_ZIP_LIMITS.maxZipBytes,
    fromHost: positive(maxZipEntries) || positive(maxZipInflatedBytes) || positive(maxDownloadBytes),
  };
}

/**
 * Asks `server` (the current one when absent) for its limits; a server that does not answer the route (plain
 * eKuiper, older host) gets defaults.
 */
export async function loadHostZipLimits(server?: string): Promise<HostZipLimits> {
  try {
    return zipLimitsFromSettings(await pluginApi.settings(server));
  } catch {
    return DEFAULT_HOST_ZIP_LIMITS;
  }
}

/**
 * A server's zip limits while a dialog is open, read afresh each time it opens (the settings can change while
 * the window runs). Until the answer comes, the defaults apply. The fleet dialog names `local`: its zip is
 * uploaded to this computer's host first, whichever server the window shows.
 */
export function useHostZipLimits(opened: boolean, server?: string): HostZipLimits {
  const [limits, setLimits] = useState<HostZipLimits>(DEFAULT_HOST_ZIP_LIMITS);
  useEffect(() => {
    if (!opened) return;
    let live = true;
    void loadHostZipLimits(server).then((loaded) => {
      if (live) setLimits(loaded);
    });
    return () => {
      live = false;
    };
  }, [opened, server]);
  return limits;
}
