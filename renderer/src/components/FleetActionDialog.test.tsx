// This test starts real hosts in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { resolve } from 'node:path';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServerCheck, ServerInfo } from '../../../shared/server-dto';
import { configureHostConnection } from '../api/api-config';
import { fleetApi } from '../api/fleet-api';
import { serversApi } from '../api/servers-api';
import { buildFleetMatrix, type FleetMatrix } from '../lib/fleet-matrix';
import { usePreferencesStore } from '../stores/preferences-store';
import { startChildHost, stopChildHost, supportModule, type ChildHost } from '../test/child-host';
import { renderWithProviders } from '../test/render-app';
import { FleetActionDialog, type FleetDialogRequest } from './FleetActionDialog';

/**
 * The fleet dialog against real hosts on loopback: this computer's host (with the sink file2) and a second host
 * as the server edge-b (without it), behind the fleet routes. Until the host's own fleet routes are merged they
 * come from the e2e stand-in; afterwards the script starts the real host and adds edge-b the same way.
 */
interface HostInfo {
  url: string;
  edgeB: string;
  file2: string;
}

const STAND_IN = JSON.stringify(resolve(import.meta.dirname, '../../../e2e/fleet-stand-in.ts'));

const HOST_SCRIPT = `
    import { join } from 'node:path';
    import { TEST_ZIPS, fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { startFleetStandIn } from ${STAND_IN};
    const local = await startTestHost();
    const remote = await startTestHost();
    const file2 = fileUrl(join(TEST_ZIPS, 'sinks/file2.zip'));
    await local.request('POST', '/plugins/sinks', { name: 'file2', file: file2 });
    const standIn = await startFleetStandIn(local.url);
    const added = await fetch(standIn.url + '/manager/servers', {
      method: 'POST',
      body: JSON.stringify({ name: 'edge-b', kind: 'ekuiper', url: remote.url, auth: { type: 'none' } }),
    });
    const t = { close: async () => { await standIn.close(); await remote.close(); await local.close(); } };
    const info = { url: standIn.url, edgeB: (await added.json()).id, file2 };`;

let child: ChildHost<HostInfo>;
let host: HostInfo;
let servers: ServerInfo[];
let matrix: FleetMatrix;

async function loadFleet(): Promise<void> {
  servers = await serversApi.list();
  matrix = buildFleetMatrix(servers, await fleetApi.plugins());
}

beforeAll(async () => {
  child = await startChildHost<HostInfo>(HOST_SCRIPT);
  host = child.info;
  configureHostConnection({ baseUrl: host.url, token: '' });
  await loadFleet();
}, 60_000);

afterAll(async () => {
  configureHostConnection(undefined);
  await stopChildHost(child);
});

afterEach(() => usePreferencesStore.setState({ fleetConcurrency: 4 }));

function open(request: FleetDialogRequest, onFinished = vi.fn(), language: 'en' | 'zh-CN' = 'en') {
  renderWithProviders(
    <FleetActionDialog
      opened
      request={request}
      servers={servers}
      matrix={matrix}
      onClose={() => {}}
      onFinished={onFinished}
    />,
    language,
  );
  return { onFinished, dialog: screen.getByRole('dialog') };
}

/** Real requests to real hosts on a busy two-core machine: more than Testing Library's default second. */
const SLOW = { timeout: 15_000 };

const footer = () => screen.getByTestId('fleet-dialog-footer');

describe('FleetActionDialog', () => {
  it('says what is missing before it can preview, one thing at a time', async () => {
    const { dialog } = open({ action: 'install', kind: 'sinks', name: '', targets: [] });
    const preview = within(footer()).getByRole('button', { name: 'Preview' });
    expect(preview.hasAttribute('disabled')).toBe(true);
    expect(footer().textContent).toContain("Give the plugin's name.");

    fireEvent.change(within(dialog).getByRole('combobox', { name: /Plugin name/ }), {
      target: { value: 'file2' },
    });
    expect(footer().textContent).toContain('Choose a zip: drop it, browse, or use an address.');

    fireEvent.click(within(dialog).getByRole('radio', { name: 'From an address' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Address of the zip/ }), {
      target: { value: 'https://example.com/file2.tar' },
    });
    await waitFor(() =>
      expect(
        within(dialog)
          .getByRole('textbox', { name: /Address of the zip/ })
          .getAttribute('aria-invalid'),
      ).toBe('true'),
    );
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Address of the zip/ }), {
      target: { value: host.file2 },
    });
    expect(footer().textContent).toContain('Choose at least one server.');

    // Each server says what it has now.
    const local = within(dialog).getByRole('checkbox', { name: 'This computer' });
    expect(local.closest('.mantine-Checkbox-root')?.textContent).toContain('has it (no version)');
    const edgeB = within(dialog).getByRole('checkbox', { name: 'edge-b' });
    expect(edgeB.closest('.mantine-Checkbox-root')?.textContent).toContain('does not have it');
    fireEvent.click(edgeB);
    await waitFor(() => expect(preview.hasAttribute('disabled')).toBe(false));
    expect(within(dialog).getByText('1 selected.')).toBeTruthy();
  });

  it('offers prebuilt lists for native kinds only', () => {
    const { dialog } = open({ action: 'install', kind: 'portables', name: 'mirror', targets: ['local'] });
    expect(
      within(dialog).getByRole('radio', { name: "Each server's prebuilt list" }).hasAttribute('disabled'),
    ).toBe(true);
  });

  it('previews, runs only where there is something to do, and reports each server', async () => {
    const { dialog, onFinished } = open({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      targets: ['local', host.edgeB],
    });
    fireEvent.click(within(dialog).getByRole('radio', { name: 'From an address' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Address of the zip/ }), {
      target: { value: host.file2 },
    });
    fireEvent.click(within(footer()).getByRole('button', { name: 'Preview' }));

    const preview = await screen.findByTestId('fleet-preview', {}, SLOW);
    expect(within(preview).getByRole('row', { name: 'This computer' }).textContent).toContain('Skip');
    expect(within(preview).getByRole('row', { name: 'This computer' }).textContent).toContain(
      'file2 is already installed',
    );
    expect(within(preview).getByRole('row', { name: 'edge-b' }).textContent).toContain('Install');
    expect(footer().textContent).toContain('Runs on 1 server; skipped ones stay as they are.');

    fireEvent.click(within(footer()).getByRole('button', { name: 'Install on 1 server' }));
    const results = await screen.findByTestId('fleet-results', {}, SLOW);
    await waitFor(() =>
      expect(screen.getByTestId('fleet-counts').textContent).toBe('1 succeeded · 1 skipped'),
    );
    const edgeB = within(results).getByRole('row', { name: 'edge-b' });
    expect(edgeB.textContent).toContain('201');
    expect(edgeB.textContent).toContain('sinks plugin file2 is created');
    expect(within(results).getByRole('row', { name: 'This computer' }).textContent).toContain('Skipped');
    expect(onFinished).toHaveBeenCalledTimes(1);
    expect(within(footer()).queryByRole('button', { name: /Retry/ })).toBeNull();

    // edge-b has it now: the matrix the page reloads says so, and a second install there is skipped.
    await loadFleet();
    expect(matrix.rows.find((row) => row.key === 'sinks/file2')?.drift).toBeUndefined();
  });

  it('says when there is nothing to do, and runs nothing', async () => {
    const { dialog } = open({
      action: 'delete',
      kind: 'sources',
      name: 'nowhere',
      targets: ['local', host.edgeB],
    });
    fireEvent.click(within(footer()).getByRole('button', { name: 'Preview' }));
    await screen.findByTestId('fleet-preview', {}, SLOW);
    expect(within(dialog).getByText('Nothing to do on the chosen servers.')).toBeTruthy();
    expect(
      within(footer()).getByRole('button', { name: 'Delete from 0 servers' }).hasAttribute('disabled'),
    ).toBe(true);
    fireEvent.click(within(footer()).getByRole('button', { name: 'Back' }));
    expect(within(dialog).getByRole('combobox', { name: /Plugin name/ })).toBeTruthy();
  });

  it('flags accounts that may only read, and says when a native update takes effect', async () => {
    // edge-b's account as a NeuronEX Viewer would be: the health check says it may only read.
    const viewer: ServerCheck = {
      ok: true,
      reachable: true,
      authOk: true,
      version: '',
      os: '',
      arch: '',
      upTimeSeconds: null,
      latencyMs: null,
      message: 'logged in as a Viewer',
      role: 'Viewer',
      readOnly: true,
      checkedAt: new Date().toISOString(),
    };
    servers = servers.map((server) => (server.id === host.edgeB ? { ...server, health: viewer } : server));
    const { dialog } = open({ action: 'update', kind: 'sinks', name: 'file2', targets: [host.edgeB] });
    const edgeB = within(dialog).getByRole('checkbox', { name: 'edge-b' });
    expect(edgeB.closest('.mantine-Checkbox-root')?.textContent).toContain('this account may only read');
    fireEvent.click(within(dialog).getByRole('radio', { name: 'From an address' }));
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Address of the zip/ }), {
      target: { value: host.file2 },
    });
    fireEvent.click(within(footer()).getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByTestId('fleet-preview', {}, SLOW);
    const row = within(preview).getByRole('row', { name: 'edge-b' });
    expect(row.textContent).toContain('read-only');
    expect(row.textContent).toContain('This account may only read: the server will refuse.');
    expect(row.textContent).toContain('Update no version → new');
    expect(screen.getByTestId('native-restart').textContent).toContain('after eKuiper restarts there');
    await loadFleet();
  });

  it('remembers the concurrency within the host’s bounds', () => {
    const { dialog } = open({ action: 'delete', kind: 'sinks', name: 'file2', targets: ['local'] });
    const input = within(dialog).getByRole('textbox', { name: /Servers at once/ });
    fireEvent.change(input, { target: { value: '12' } });
    expect(usePreferencesStore.getState().fleetConcurrency).toBe(12);
    usePreferencesStore.getState().setFleetConcurrency(99);
    expect(usePreferencesStore.getState().fleetConcurrency).toBe(16);
  });

  it('speaks Chinese', async () => {
    open(
      { action: 'delete', kind: 'sinks', name: 'file2', targets: ['local', host.edgeB] },
      vi.fn(),
      'zh-CN',
    );
    expect(screen.getByRole('dialog', { name: '从多台服务器上删除插件' })).toBeTruthy();
    fireEvent.click(within(footer()).getByRole('button', { name: '预览' }));
    const preview = await screen.findByTestId('fleet-preview', {}, SLOW);
    for (const name of ['This computer', 'edge-b']) {
      expect(within(preview).getByRole('row', { name }).textContent).toContain('删除');
    }
    expect(within(footer()).getByRole('button', { name: '从 2 台服务器上删除' })).toBeTruthy();
  });
});
