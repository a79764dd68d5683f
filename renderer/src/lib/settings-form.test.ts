import { describe, expect, it } from 'vitest';
import {
  GIB,
  defaultSettings,
  publicSettings,
  validateSettingsPatch,
  type PublicSettings,
} from '../../../shared/host-settings';
import {
  durationFromMs,
  durationToMs,
  formFromSettings,
  hostProblemsByField,
  linesOf,
  patchFromForm,
  sizeFromBytes,
  sizeToBytes,
} from './settings-form';

const MIB = 1024 * 1024;

function current(overrides: Partial<PublicSettings> = {}): PublicSettings {
  return { ...publicSettings(defaultSettings('/var/lib/ekuiper')), ...overrides };
}

describe('unit conversions', () => {
  it('shows durations in the largest exact unit and converts back to milliseconds', () => {
    expect(durationFromMs(300_000)).toEqual({ value: 5, unit: 'min' });
    expect(durationFromMs(90_000)).toEqual({ value: 90, unit: 's' });
    expect(durationFromMs(1_500)).toEqual({ value: 1.5, unit: 's' });
    expect(durationFromMs(30_000)).toEqual({ value: 30, unit: 's' });
    expect(durationToMs({ value: 5, unit: 'min' })).toBe(300_000);
    expect(durationToMs({ value: '90', unit: 's' })).toBe(90_000);
    expect(durationToMs({ value: 1.5, unit: 's' })).toBe(1_500);
    expect(durationToMs({ value: '', unit: 's' })).toBeUndefined();
    expect(durationToMs({ value: 'ten', unit: 'min' })).toBeUndefined();
  });

  it('shows sizes as GiB when whole, else MiB, and converts back to bytes', () => {
    expect(sizeFromBytes(2 * GIB)).toEqual({ value: 2, unit: 'GiB' });
    expect(sizeFromBytes(512 * MIB)).toEqual({ value: 512, unit: 'MiB' });
    expect(sizeFromBytes(1.5 * GIB)).toEqual({ value: 1536, unit: 'MiB' });
    expect(sizeToBytes({ value: 2, unit: 'GiB' })).toBe(2 * GIB);
    expect(sizeToBytes({ value: '300', unit: 'MiB' })).toBe(300 * MIB);
    expect(sizeToBytes({ value: ' ', unit: 'MiB' })).toBeUndefined();
  });

  it('every default survives the round trip through the form unchanged', () => {
    const settings = current();
    const form = formFromSettings(settings);
    expect(form.installScriptTimeout).toEqual({ value: 5, unit: 'min' });
    expect(form.maxZipInflated).toEqual({ value: 2, unit: 'GiB' });
    expect(patchFromForm(form, settings)).toEqual({ ok: true, patch: {} });
  });

  it('plugin hosts: one per line in the form, comma-separated for the host', () => {
    const settings = current({ pluginHosts: 'https://a.example, https://b.example' });
    const form = formFromSettings(settings);
    expect(form.pluginHosts).toBe('https://a.example\nhttps://b.example');
    expect(linesOf(' x \n\n y,z ')).toEqual(['x', 'y', 'z']);
    const result = patchFromForm(
      { ...form, pluginHosts: 'https://b.example\n\nhttps://a.example\n' },
      settings,
    );
    expect(result).toEqual({ ok: true, patch: { pluginHosts: 'https://b.example,https://a.example' } });
  });
});

describe('the patch', () => {
  it('holds only the changed keys, in the host units', () => {
    const settings = current();
    const form = formFromSettings(settings);
    const result = patchFromForm(
      {
        ...form,
        installScriptTimeout: { value: 90, unit: 's' },
        maxDownload: { value: 256, unit: 'MiB' },
        allowedOrigins: 'http://localhost:3000\n',
        allowPrivateNetwork: false,
      },
      settings,
    );
    expect(result).toEqual({
      ok: true,
      patch: {
        installScriptTimeoutMs: 90_000,
        maxDownloadBytes: 256 * MIB,
        allowedOrigins: ['http://localhost:3000'],
        allowPrivateNetwork: false,
      },
    });
  });

  it('portable plugin settings: interpreter trimmed, time limits in milliseconds', () => {
    const settings = current();
    const form = formFromSettings(settings);
    expect(form.portableInitTimeout).toEqual({ value: 1, unit: 'min' });
    expect(form.portableCallTimeout).toEqual({ value: 5, unit: 's' });
    const result = patchFromForm(
      {
        ...form,
        pythonBin: ' /opt/venv/bin/python \n',
        portableInitTimeout: { value: 90, unit: 's' },
        portableCallTimeout: { value: '', unit: 's' },
      },
      settings,
    );
    expect(result).toEqual({
      ok: false,
      problems: { portableCallTimeout: { key: 'settingsPage.errors.number' } },
    });
    const fixed = patchFromForm(
      { ...form, pythonBin: ' /opt/venv/bin/python ', portableInitTimeout: { value: 90, unit: 's' } },
      settings,
    );
    expect(fixed).toEqual({
      ok: true,
      patch: { pythonBin: '/opt/venv/bin/python', portableInitTimeoutMs: 90_000 },
    });
  });

  it('the same value in another unit is no change', () => {
    const settings = current();
    const form = formFromSettings(settings);
    const result = patchFromForm({ ...form, installScriptTimeout: { value: 300, unit: 's' } }, settings);
    expect(result).toEqual({ ok: true, patch: {} });
  });

  it('refuses fields that are not numbers before asking the host', () => {
    const settings = current();
    const form = formFromSettings(settings);
    const result = patchFromForm(
      { ...form, restPort: '', downloadTimeout: { value: 'soon', unit: 'min' } },
      settings,
    );
    expect(result).toEqual({
      ok: false,
      problems: {
        restPort: { key: 'settingsPage.errors.number' },
        downloadTimeout: { key: 'settingsPage.errors.number' },
      },
    });
  });

  it('the token is write-only: set, remove, or left out', () => {
    const settings = current({ tokenSet: true });
    const form = formFromSettings(settings);
    expect(patchFromForm(form, settings)).toEqual({ ok: true, patch: {} });
    expect(patchFromForm({ ...form, tokenAction: 'set', newToken: ' s3cret ' }, settings)).toEqual({
      ok: true,
      patch: { token: 's3cret' },
    });
    expect(patchFromForm({ ...form, tokenAction: 'remove' }, settings)).toEqual({
      ok: true,
      patch: { token: '' },
    });
    expect(patchFromForm({ ...form, tokenAction: 'set', newToken: '' }, settings)).toEqual({
      ok: false,
      problems: { newToken: { key: 'settingsPage.errors.tokenEmpty' } },
    });
  });
});

describe("the host's validation, at the right field", () => {
  /** Runs the host's own validation (shared with it) on the form's patch, and splits its message like the page. */
  function hostVerdict(patch: Record<string, unknown>) {
    const verdict = validateSettingsPatch(patch, defaultSettings('/var/lib/ekuiper'));
    if (verdict.ok) throw new Error('expected the host to refuse the patch');
    return hostProblemsByField(`invalid settings: ${verdict.problems.join('; ')}`);
  }

  it('maps each problem to the field of the setting it names, in the host words', () => {
    const settings = current();
    const form = formFromSettings(settings);
    const result = patchFromForm(
      {
        ...form,
        pluginHosts: 'ftp://mirror.example',
        installScriptTimeout: { value: 0, unit: 's' },
        ekuiperVersion: 'latest',
      },
      settings,
    );
    if (!result.ok) throw new Error('the form should pass this on to the host');
    const { fields, general } = hostVerdict(result.patch);
    expect(general).toEqual([]);
    expect(fields.pluginHosts).toBe("Holds 'ftp://mirror.example', which is not an http(s) URL");
    expect(fields.installScriptTimeout).toMatch(/^Must be a whole number from 1 to /);
    expect(fields.ekuiperVersion).toBe('Must be an eKuiper version such as 2.1.0');
  });

  it('a non-loopback bind address without a token is reported at the bind address', () => {
    const { fields } = hostVerdict({ restHost: '0.0.0.0' });
    expect(fields.restHost).toMatch(/^0\.0\.0\.0 is not a loopback address, so a token is required/);
  });

  it('problems naming no setting stay general', () => {
    expect(hostProblemsByField('invalid settings: this host was started with read-only settings')).toEqual({
      fields: {},
      general: ['this host was started with read-only settings'],
    });
  });
});
