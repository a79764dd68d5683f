import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHost, type HostOptions, type RunningHost } from '../../main/host/host.js';
import {
  defaultSettings,
  type HostSettings,
  type SettingsSource,
} from '../../main/settings/host-settings.js';

/** The reference fixtures beside the project; read in place, copied before anything changes them. */
export const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures');
export const TEST_ZIPS = join(FIXTURES, 'ekuiper-testzips');

/** `file://` URL of a path, as a script would send it to eKuiper. */
export function fileUrl(path: string): string {
  return `file://${resolve(path)}`;
}

export interface TestHost {
  host: RunningHost;
  url: string;
  dataDir: string;
  tempDir: string;
  settings: HostSettings;
  /** Real HTTP request to the host; `body` objects are sent as JSON. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<TestResponse>;
  /** Stops the host and starts a new one over the same data folder (restart persistence). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  text: string;
  headers: Headers;
  json<T = unknown>(): T;
}

/**
 * Starts a host on 127.0.0.1, port 0, over a fresh temp data folder. Tests talk to it over real HTTP
 * on loopback; `close` removes the folder. `options` adds host options (its server list, a log to capture),
 * kept for `restart`.
 */
export async function startTestHost(
  overrides: Partial<HostSettings> = {},
  options: Omit<HostOptions, 'settings'> = {},
): Promise<TestHost> {
  const tempDir = await mkdtemp(join(tmpdir(), 'ekm-test-'));
  const dataDir = join(tempDir, 'data');
  const settings: HostSettings = { ...defaultSettings(dataDir), restPort: 0, ...overrides };
  // Kept in memory: `PUT /manager/settings` changes `settings` in place, so a restart sees the change.
  const source: SettingsSource = {
    read: () => settings,
    write: (patch) => {
      Object.assign(settings, patch);
    },
  };
  let host = await startHost({ ...options, settings: source });
  const harness: TestHost = {
    get host() {
      return host;
    },
    get url() {
      return host.url;
    },
    dataDir,
    tempDir,
    settings,
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined)
        init.body = typeof body === 'string' || body instanceof FormData ? body : JSON.stringify(body);
      const response = await fetch(`${host.url}${path}`, init);
      const text = await response.text();
      return {
        status: response.status,
        text,
        headers: response.headers,
        json: <T>() => JSON.parse(text) as T,
      };
    },
    async restart() {
      await host.close();
      host = await startHost({ ...options, settings: source });
    },
    async close() {
      await host.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Copies a fixture into the test's temp folder, for tests that need to change or move it. */
export async function copyFixture(harness: TestHost, relative: string, as: string): Promise<string> {
  const target = join(harness.tempDir, as);
  await cp(join(FIXTURES, relative), target);
  return target;
}
