import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHost, type RunningHost } from '../../main/host/host.js';
import { defaultSettings } from '../../main/settings/host-settings.js';

let tempDir: string;
let host: RunningHost;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'ekm-root-'));
  const rendererDir = join(tempDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>the window</title>');
  const settings = { ...defaultSettings(join(tempDir, 'data')), restPort: 0, ekuiperVersion: '2.9.0' };
  host = await startHost({ settings: { read: () => settings }, rendererDir });
});
afterAll(async () => {
  await host.close();
  await rm(tempDir, { recursive: true, force: true });
});

test('GET / answers eKuiper’s info JSON to scripts', async () => {
  const response = await fetch(`${host.url}/`);
  expect(response.headers.get('content-type')).toBe('application/json');
  const info = (await response.json()) as Record<string, unknown>;
  expect(info).toMatchObject({ version: '2.9.0', os: process.platform });
  expect(Object.keys(info)).toEqual(['version', 'os', 'arch', 'upTimeSeconds', 'memoryTotal']);
});

test('GET / answers the window’s page to a browser', async () => {
  const response = await fetch(`${host.url}/`, { headers: { Accept: 'text/html,application/xhtml+xml' } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await response.text()).toContain('<title>the window</title>');
});
