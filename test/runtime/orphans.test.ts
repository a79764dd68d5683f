import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startHost } from '../../main/host/host.js';
import { defaultSettings } from '../../main/settings/host-settings.js';
import { fileUrl } from '../support/host-harness.js';
import { uniqueName, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import { isAlive, waitFor } from '../support/process-helpers.js';

const PROJECT = resolve(import.meta.dirname, '../..');
const SERVE = join(PROJECT, 'main/host/serve.ts');

let tempDir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'ekm-orphans-'));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(tempDir, { recursive: true, force: true });
});

/** The real headless host in its own process, so the test can kill it as a crash would. */
async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', '0', '--data-dir', dataDir], {
    cwd: PROJECT,
    env: { ...process.env, XDG_CONFIG_HOME: join(tempDir, 'config'), EKUIPER_MANAGER_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let url = '';
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the host exited:\n${output}`);
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      return url !== '';
    },
    'the host to listen',
    60_000,
  );
  return { child, url };
}

test('plugins a crashed host left running are ended at the next start, then started afresh', async () => {
  const dataDir = join(tempDir, 'data');
  const name = uniqueName('or');
  const zip = await writeNodePluginZip(tempDir, { name, functions: { [uniqueName('f')]: 'echo' } });
  const crashed = await serve(dataDir);
  const created = await fetch(`${crashed.url}/plugins/portables`, {
    method: 'POST',
    body: JSON.stringify({ name, file: fileUrl(zip) }),
  });
  expect(await created.text()).toBe(`portable plugin ${name} is created`);
  const { pid: orphan } = (await (await fetch(`${crashed.url}/plugins/portables/${name}/status`)).json()) as {
    pid: number;
  };
  crashed.child.kill('SIGKILL');
  await waitFor(
    () => crashed.child.exitCode !== null || crashed.child.signalCode !== null,
    'the host to die',
  );
  // As eKuiper's SDK plugins do, the plugin outlives its host.
  expect(isAlive(orphan)).toBe(true);

  const warnings: string[] = [];
  const host = await startHost({
    settings: { read: () => ({ ...defaultSettings(dataDir), restPort: 0 }) },
    log: (message) => warnings.push(message),
  });
  try {
    expect(warnings).toContain('ended 1 plugin process(es) a previous run left behind');
    await waitFor(() => !isAlive(orphan), 'the orphan to end');
    await waitFor(async () => {
      const status = (await (await fetch(`${host.url}/plugins/portables/${name}/status`)).json()) as {
        status: string;
        pid: number;
      };
      return status.status === 'running' && status.pid !== orphan;
    }, 'the plugin to run again under the new host');
  } finally {
    await host.close();
  }
}, 120_000);
