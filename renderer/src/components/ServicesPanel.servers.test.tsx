// This test starts real hosts in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { act, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExtensionsPage } from '../pages/ExtensionsPage';
import { usePluginsStore } from '../stores/plugins-store';
import { useServiceNamesStore } from '../stores/route-list-store';
import { useServersStore } from '../stores/servers-store';
import { useViewStore } from '../stores/view-store';
import { supportModule } from '../test/child-host';
import { renderWithProviders } from '../test/render-app';
import { addPlainAndViewerServers, useServersHost } from '../test/servers-host';

/**
 * The External services tab on servers other than this computer: a plain eKuiper's services are listed and
 * described through the host; on a read-only one (a NeuronEX Viewer) every write is disabled with the reason,
 * while details stay open. (Writing to a remote server's uploads runs in e2e/external-services.spec.ts, in a
 * real browser.)
 */

interface HostInfo {
  url: string;
  plain: string;
  neuronex: string;
}

const HOST_SCRIPT = `
    import { mkdtempSync, writeFileSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    import { fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { startNeuronexStandIn } from ${supportModule('neuronex-stand-in.ts')};
    import { frontProxy } from ${supportModule('server-stand-ins.ts')};
    import { buildZip } from ${supportModule('zip-writer.ts')};
    const local = await startTestHost();
    const remote = await startTestHost();
    const folder = mkdtempSync(join(tmpdir(), 'ekm-services-'));
    const zip = join(folder, 'weather.zip');
    writeFileSync(zip, buildZip([{ name: 'weather.json', data: JSON.stringify({
      interfaces: { weather: { address: 'http://10.1.2.3:8080', protocol: 'rest', schemaless: true } },
    }) }]));
    const created = await remote.request('POST', '/services', { name: 'weather', file: fileUrl(zip) });
    if (created.status !== 201) throw new Error(created.text);
    const plain = await frontProxy(remote.url, { plainEkuiper: true });
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

beforeAll(() => addPlainAndViewerServers(hosts.info.plain, hosts.info.neuronex));

async function showServicesOf(server: string): Promise<void> {
  act(() => useServersStore.getState().select(server));
  await usePluginsStore.getState().switchTo(server);
  await useServiceNamesStore.getState().switchTo(server);
  act(() => useViewStore.getState().setTab('services'));
  renderWithProviders(<ExtensionsPage />);
}

describe('on a plain eKuiper', () => {
  it('lists its services with what each one’s describe answer says, asking that server', async () => {
    hosts.requests.splice(0);
    await showServicesOf('factory');
    const table = await screen.findByRole('table', { name: 'External services' });
    const row = within(table).getByRole('row', { name: /weather/ });
    expect(row.textContent).toContain('http://10.1.2.3:8080');
    expect(row.textContent).toContain('rest');
    expect(hosts.requests).toContain('GET /manager/servers/factory/api/services/weather');
    expect(within(table).getByRole('button', { name: 'Update weather' }).hasAttribute('disabled')).toBe(
      false,
    );
  });
});

describe('on a read-only server', () => {
  it('disables adding, creating from a zip, updating and deleting, and says why; details stay open', async () => {
    await showServicesOf('line-3');
    const reason = 'Line 3 is read-only for this account: installs, updates and deletes would be refused.';
    const table = await screen.findByRole('table', { name: 'External services' });
    for (const name of ['Add external service', 'Create from zip']) {
      const button = screen.getByRole('button', { name });
      expect(button.hasAttribute('disabled'), name).toBe(true);
      expect(button.getAttribute('aria-description')).toBe(reason);
    }
    for (const name of ['Update weather', 'Delete weather']) {
      const button = within(table).getByRole('button', { name });
      expect(button.hasAttribute('disabled'), name).toBe(true);
      expect(button.getAttribute('aria-description')).toBe(reason);
    }
    const details = within(table).getByRole('button', { name: 'Details of weather' });
    expect(details.hasAttribute('disabled')).toBe(false);
    act(() => details.click());
    const drawer = await screen.findByRole('dialog', { name: 'External service weather' });
    expect(within(drawer).getByRole('button', { name: 'Update…' }).hasAttribute('disabled')).toBe(true);
    expect(within(drawer).getByRole('button', { name: 'Delete…' }).hasAttribute('disabled')).toBe(true);
  });
});
