import { afterEach, describe, expect, it } from 'vitest';
import { configureHostConnection } from '../api/api-config';
import { DEFAULT_HOST_ZIP_LIMITS, loadHostZipLimits, zipLimitsFromSettings } from './host-zip-limits';

describe('zipLimitsFromSettings', () => {
  it("takes the host's maxZipEntries, maxZipInflatedBytes and maxDownloadBytes", () => {
    expect(
      zipLimitsFromSettings({ maxZipEntries: 3, maxZipInflatedBytes: 4096, maxDownloadBytes: 1000 }),
    ).toEqual({ limits: { maxEntries: 3, maxInflatedBytes: 4096 }, maxZipBytes: 1000, fromHost: true });
  });

  it('falls back to the default for each value an answer lacks or gets wrong', () => {
    const limits = zipLimitsFromSettings({ maxZipEntries: 0, maxDownloadBytes: 1.5 });
    expect(limits).toEqual({ ...DEFAULT_HOST_ZIP_LIMITS, fromHost: false });
    expect(zipLimitsFromSettings(undefined)).toBe(DEFAULT_HOST_ZIP_LIMITS);
    expect(zipLimitsFromSettings({ maxZipEntries: 10 }).limits.maxInflatedBytes).toBe(
      DEFAULT_HOST_ZIP_LIMITS.limits.maxInflatedBytes,
    );
  });
});

describe('loadHostZipLimits', () => {
  afterEach(() => configureHostConnection(undefined));

  it('answers the defaults when the host does not answer the settings route', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    configureHostConnection({ baseUrl: 'http://127.0.0.1:9', token: '' });
    expect(await loadHostZipLimits()).toBe(DEFAULT_HOST_ZIP_LIMITS);
  });
});
