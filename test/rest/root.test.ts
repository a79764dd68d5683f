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
  await mkdir(join(rendererDir, 'assets'));
  await writeFile(join(rendererDir, 'assets/index-AbC123.js'), 'console.log("the window");');
  await writeFile(join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
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

test('hashed assets are cached for a year; the page itself is always revalidated', async () => {
  const asset = await fetch(`${host.url}/assets/index-AbC123.js`);
  expect(asset.status).toBe(200);
  expect(await asset.text()).toBe('console.log("the window");');
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

  const page = await fetch(`${host.url}/`, { headers: { Accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('cache-control')).toBe('no-cache');
  // Files outside assets/ keep their names across builds: revalidated too.
  const icon = await fetch(`${host.url}/favicon.svg`);
  expect(icon.status).toBe(200);
  expect(icon.headers.get('cache-control')).toBe('no-cache');
  // A missing asset is eKuiper's 404, not something a browser keeps.
  const missing = await fetch(`${host.url}/assets/gone-XyZ.js`);
  expect(missing.status).toBe(404);
  expect(missing.headers.get('cache-control')).toBeNull();
});
