import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { defaultDataDir, userDataDir } from '../../main/settings/app-paths.js';

test("the user-data folder follows Electron's per-platform rule, or EKUIPER_MANAGER_USER_DATA", () => {
  expect(userDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/eKuiper Extension Manager');
  expect(userDataDir({ APPDATA: 'C:\\Roaming' }, 'win32')).toContain('eKuiper Extension Manager');
  expect(userDataDir({ EKUIPER_MANAGER_USER_DATA: '/srv/ekm', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(
    '/srv/ekm',
  );
  expect(defaultDataDir({ EKUIPER_MANAGER_USER_DATA: '/srv/ekm' }, 'linux')).toBe(
    join('/srv/ekm', 'ekuiper'),
  );
});

test('the headless host reads the same config.json when the variable moves it', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'ekm-paths-'));
  const previous = process.env.EKUIPER_MANAGER_USER_DATA;
  try {
    process.env.EKUIPER_MANAGER_USER_DATA = folder;
    await writeFile(join(folder, 'config.json'), JSON.stringify({ restPort: 9444 }));
    const { confSettings } = await import('../../main/settings/conf-settings.js');
    const settings = confSettings().read();
    expect(settings.restPort).toBe(9444);
    expect(settings.dataDir).toBe(join(folder, 'ekuiper'));
  } finally {
    if (previous === undefined) delete process.env.EKUIPER_MANAGER_USER_DATA;
    else process.env.EKUIPER_MANAGER_USER_DATA = previous;
    await rm(folder, { recursive: true, force: true });
  }
});
