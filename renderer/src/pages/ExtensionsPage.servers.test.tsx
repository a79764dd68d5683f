// This test starts real hosts in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { pluginApi } from '../api/plugin-api';
import { serversApi } from '../api/servers-api';
import { DescribeDrawer } from '../components/DescribeDrawer';
import { useCapabilitiesStore } from '../stores/capabilities-store';
import { usePluginsStore } from '../stores/plugins-store';
import { useServersStore } from '../stores/servers-store';
import { supportModule } from '../test/child-host';
import { useServersHost } from '../test/servers-host';
import { plugin, renderWithProviders } from '../test/render-app';
import { ExtensionsPage } from './ExtensionsPage';

/**
 * The Extensions page and the describe drawer on a server without this app's own routes (a plain eKuiper, made
 * here from one of our hosts with `/manager/…` answering 404), and on a read-only one: what is missing is
 * explained in a sentence instead of panels that would only fail, and write actions are disabled with the reason.
 */

interface HostInfo {
  standIn: string;
  plain: string;
}

const HOST_SCRIPT = `
    import { join } from 'node:path';
    import { FIXTURES, fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { startPlainEkuiper, startServersStandIn } from ${supportModule('servers-stand-in.ts')};
    const local = await startTestHost();
    const remote = await startTestHost();
    const installed = await remote.request('POST', '/plugins/sources', {
      name: 'random2', file: fileUrl(join(FIXTURES, 'ekuiper-testzips/sources/random2.zip')),
    });
    if (installed.status !== 201) throw new Error(installed.text);
    const plain = await startPlainEkuiper(remote.url);
    const standIn = await startServersStandIn(local.url);
    const t = { close: async () => { await standIn.close(); await plain.close(); await remote.close(); await local.close(); } };
    const info = { standIn: standIn.url, plain: plain.url };`;

const hosts = useServersHost<HostInfo>(HOST_SCRIPT);

beforeAll(async () => {
  await serversApi.create({
    name: 'Factory',
    kind: 'ekuiper',
    url: hosts.info.plain,
    auth: { type: 'none' },
  });
  await useServersStore.getState().load();
  useServersStore.getState().select('factory');
  await usePluginsStore.getState().switchTo('factory');
});

describe('on a plain eKuiper', () => {
  it('lists its plugins through the lists route, without install records', () => {
    const { plugins, status } = usePluginsStore.getState();
    expect(status).toBe('ready');
    expect(plugins.map((row) => [row.kind, row.name, row.record])).toEqual([['sources', 'random2', null]]);
  });

  it("explains in the drawer what only this app's hosts keep, and asks nothing it would refuse", async () => {
    expect(await useCapabilitiesStore.getState().probe('factory')).toBe('no');
    hosts.requests.splice(0);
    const row = (await pluginApi.overview()).find((candidate) => candidate.name === 'random2');
    renderWithProviders(<DescribeDrawer plugin={row} onClose={() => {}} onDelete={() => {}} />);
    expect(
      screen.getByText(
        "Factory is a plain eKuiper: it keeps no install record (file, checksum, install parameters, install log); this app's own hosts do.",
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^Factory does not serve plugin metadata to this app/)).toBeTruthy();
    expect(screen.queryAllByTestId('details-placeholder')).toHaveLength(0);
    const answer = screen.getByRole('region', { name: "eKuiper's answer" });
    await waitFor(() => expect(answer.textContent).toContain('"name": "random2"'));
    expect(hosts.requests).toEqual([
      'GET /manager/servers/factory/plugins',
      'GET /manager/servers/factory/api/plugins/sources/random2',
    ]);
  });

  it('offers no process, log or Try it for a portable plugin there, and says where they are', () => {
    renderWithProviders(
      <DescribeDrawer
        plugin={plugin({ kind: 'portables', name: 'vision' })}
        onClose={() => {}}
        onDelete={() => {}}
      />,
    );
    expect(screen.getByTestId('capability-note').textContent).toBe(
      "Factory is a plain eKuiper: a portable plugin's process, log and Try it are available on this app's own hosts only.",
    );
    expect(screen.queryByRole('region', { name: 'Try it' })).toBeNull();
  });
});

describe('on a read-only server', () => {
  it('disables creating, updating and deleting, and says why', async () => {
    const factory = useServersStore.getState().servers.find((server) => server.id === 'factory');
    expect(factory?.health?.ok).toBe(true);
    // What the host reports for a NeuronEX Viewer account; plain eKuiper has no roles to make one.
    act(() =>
      useServersStore.setState({
        servers: useServersStore
          .getState()
          .servers.map((server) =>
            server.id === 'factory' && server.health
              ? { ...server, health: { ...server.health, readOnly: true, role: 'Viewer' } }
              : server,
          ),
      }),
    );
    renderWithProviders(<ExtensionsPage />);
    const reason = 'Factory is read-only for this account: installs, updates and deletes would be refused.';
    const create = screen.getByRole('button', { name: 'Create portable plugin' });
    expect(create.hasAttribute('disabled')).toBe(true);
    expect(create.getAttribute('aria-description')).toBe(reason);
    act(() => screen.getByRole('tab', { name: /Sources/ }).click());
    const table = await screen.findByRole('table', { name: 'Sources' });
    const remove = within(table).getByRole('button', { name: 'Delete random2' });
    expect(remove.hasAttribute('disabled')).toBe(true);
    expect(remove.getAttribute('title')).toBe(`Delete random2: ${reason}`);
    expect(within(table).getByRole('button', { name: 'Details of random2' }).hasAttribute('disabled')).toBe(
      false,
    );
    expect(screen.getByTestId('extensions-server').textContent).toContain('on Factory');
  });
});
