// This test starts real hosts in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { pluginApi } from '../api/plugin-api';
import { DescribeDrawer } from '../components/DescribeDrawer';
import { useCapabilitiesStore } from '../stores/capabilities-store';
import { usePluginsStore } from '../stores/plugins-store';
import { useJavascriptNamesStore, useServiceNamesStore } from '../stores/route-list-store';
import { useServersStore } from '../stores/servers-store';
import { useViewStore } from '../stores/view-store';
import { supportModule } from '../test/child-host';
import { addPlainAndViewerServers, useServersHost } from '../test/servers-host';
import { plugin, renderWithProviders } from '../test/render-app';
import { ExtensionsPage } from './ExtensionsPage';

/**
 * The Extensions page and the describe drawer on a server without this app's own routes (a plain eKuiper, made
 * here from one of our hosts with `/manager/…` answering 404), and on a read-only one (a NeuronEX Viewer account):
 * what is missing is explained in a sentence instead of panels that would only fail, and write actions are
 * disabled with the reason.
 */

interface HostInfo {
  /** This computer's host: where the window talks to. */
  url: string;
  plain: string;
  neuronex: string;
}

const HOST_SCRIPT = `
    import { join } from 'node:path';
    import { FIXTURES, fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { startNeuronexStandIn } from ${supportModule('neuronex-stand-in.ts')};
    import { frontProxy } from ${supportModule('server-stand-ins.ts')};
    const local = await startTestHost();
    const remote = await startTestHost();
    const installed = await remote.request('POST', '/plugins/sources', {
      name: 'random2', file: fileUrl(join(FIXTURES, 'ekuiper-testzips/sources/random2.zip')),
    });
    if (installed.status !== 201) throw new Error(installed.text);
    // eKuiper's default build: no script tag, so no /udf/javascript either.
    const plain = await frontProxy(remote.url, { plainEkuiper: true, lacks: ['/udf/javascript'] });
    const neuronex = await startNeuronexStandIn({ upstream: remote.url });
    const t = {
      close: async () => {
        await neuronex.close();
        await plain.close();
        await remote.close();
        await local.close();
      },
    };
    const info = { url: local.url, plain: plain.url, neuronex: neuronex.url };`;

const hosts = useServersHost<HostInfo>(HOST_SCRIPT);

beforeAll(async () => {
  await addPlainAndViewerServers(hosts.info.plain, hosts.info.neuronex);
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

describe('the custom functions and services tabs', () => {
  it('are shown on a server without /udf/javascript, the body saying why in one sentence', async () => {
    act(() => useServersStore.getState().select('factory'));
    await usePluginsStore.getState().switchTo('factory');
    await useJavascriptNamesStore.getState().switchTo('factory');
    await useServiceNamesStore.getState().switchTo('factory');
    expect(useCapabilitiesStore.getState().byServer.factory?.javascript).toBe('no');
    renderWithProviders(<ExtensionsPage />);
    const tab = screen.getByRole('tab', { name: /Custom functions/ });
    act(() => tab.click());
    const note = await screen.findByTestId('capability-note');
    expect(note.textContent).toBe(
      'Factory has no custom JavaScript functions: it answered that /udf/javascript does not exist (eKuiper builds without the script tag, such as the default image, lack it).',
    );
    const create = screen.getByRole('button', { name: 'Create function' });
    expect(create.hasAttribute('disabled')).toBe(true);
    expect(create.getAttribute('aria-description')).toBe(note.textContent);
    // The services tab stands beside it, in NeuronEX's order.
    const names = screen.getAllByRole('tab').map((candidate) => candidate.textContent?.replace(/\d+$/, ''));
    expect(names.slice(0, 3)).toEqual(['Portable plugins', 'External services', 'Custom functions']);
    act(() => useViewStore.getState().setTab('portables'));
  });
});

describe('on a read-only server', () => {
  it('disables creating, updating and deleting, and says why', async () => {
    const viewer = useServersStore.getState().servers.find((server) => server.id === 'line-3');
    expect(viewer?.health).toMatchObject({ ok: true, readOnly: true, role: 'Viewer' });
    act(() => useServersStore.getState().select('line-3'));
    await usePluginsStore.getState().switchTo('line-3');
    renderWithProviders(<ExtensionsPage />);
    const reason = 'Line 3 is read-only for this account: installs, updates and deletes would be refused.';
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
    expect(screen.getByTestId('extensions-server').textContent).toContain('on Line 3');
    // The custom functions tab of a Viewer: listed, but not created.
    await useJavascriptNamesStore.getState().switchTo('line-3');
    act(() => screen.getByRole('tab', { name: /Custom functions/ }).click());
    await screen.findByTestId('empty-state', {}, { timeout: 5_000 });
    const createFunction = screen.getByRole('button', { name: 'Create function' });
    expect(createFunction.hasAttribute('disabled')).toBe(true);
    expect(createFunction.getAttribute('aria-description')).toBe(reason);
    act(() => useViewStore.getState().setTab('portables'));
  });
});
