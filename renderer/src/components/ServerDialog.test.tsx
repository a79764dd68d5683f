// This test starts real hosts in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../../shared/server-dto';
import { serversApi } from '../api/servers-api';
import { useServerDialogStore } from '../stores/server-dialog-store';
import { useServersStore } from '../stores/servers-store';
import { supportModule } from '../test/child-host';
import { useServersHost } from '../test/servers-host';
import { renderWithProviders } from '../test/render-app';
import { ConnectionBanner } from './ConnectionBanner';
import { ServerDialog } from './ServerDialog';

/**
 * The Add/Edit server dialog and the banner for a remote server, against real hosts: field problems from the
 * host's own rules before anything is sent, the kind's defaults, Test connection with the server's version or
 * the problem in plain words, secrets kept on an edit, and a down server's banner with Test and Edit.
 */

interface HostInfo {
  standIn: string;
  guarded: string;
  down: string;
}

const HOST_SCRIPT = `
    import { createServer } from 'node:net';
    import { startTestHost } from ${supportModule('host-harness.ts')};
    import { startServersStandIn } from ${supportModule('servers-stand-in.ts')};
    const local = await startTestHost();
    const guarded = await startTestHost({ token: 'right-token' });
    const standIn = await startServersStandIn(local.url);
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downPort = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const t = { close: async () => { await standIn.close(); await local.close(); await guarded.close(); } };
    const info = { standIn: standIn.url, guarded: guarded.url, down: 'http://127.0.0.1:' + downPort };`;

const hosts = useServersHost<HostInfo>(HOST_SCRIPT, { bodies: true });
let host: HostInfo;
/** Every request the window made with its body, in order. */
let sent: string[];

beforeAll(async () => {
  host = hosts.info;
  sent = hosts.requests;
  await useServersStore.getState().load();
});

afterEach(() => {
  act(() => useServerDialogStore.getState().close());
  sent.splice(0);
});

/** Puts `text` in a field as a paste (one input event), faster than typing it key by key. */
async function fill(user: ReturnType<typeof userEvent.setup>, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.click(field);
  await user.paste(text);
}

function openDialog(id?: string, language: 'en' | 'zh-CN' = 'en') {
  const view = renderWithProviders(<ServerDialog />, language);
  act(() => useServerDialogStore.getState().open(id));
  return view;
}

describe('ServerDialog', () => {
  it('marks each field that the host would refuse, before sending anything', async () => {
    const user = userEvent.setup();
    openDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Add server' });
    await fill(user, within(dialog).getByLabelText(/Address/), 'http://user:secret@10.0.0.5:9081');
    await user.selectOptions(within(dialog).getByLabelText('Type'), 'ekuiper-jwt');
    await fill(user, within(dialog).getByLabelText('Issuer'), 'etc/mgmt/key.pub');
    await user.clear(within(dialog).getByLabelText(/Timeout/));
    await fill(user, within(dialog).getByLabelText(/Timeout/), '0.2');
    await user.click(within(dialog).getByRole('button', { name: 'Add server' }));
    expect(within(dialog).getByText('Give the server a name.')).toBeTruthy();
    expect(
      within(dialog).getByText('Put credentials under Authentication, not in the address.'),
    ).toBeTruthy();
    expect(within(dialog).getByText(/The issuer is a file name only/)).toBeTruthy();
    expect(within(dialog).getByText('Give the RSA private key (PEM).')).toBeTruthy();
    expect(within(dialog).getByText('The timeout is a whole number of seconds from 1 to 600.')).toBeTruthy();
    expect(within(dialog).getByText('Correct the marked fields first.')).toBeTruthy();
    expect(
      within(dialog)
        .getByLabelText(/Address/)
        .getAttribute('aria-invalid'),
    ).toBe('true');
    expect(sent.filter((line) => line.startsWith('POST'))).toEqual([]);
    // Correcting a field clears its mark.
    await fill(user, within(dialog).getByLabelText(/Name/), 'Edge');
    expect(within(dialog).queryByText('Give the server a name.')).toBeNull();
  });

  it('says it in Chinese', async () => {
    const user = userEvent.setup();
    openDialog(undefined, 'zh-CN');
    const dialog = await screen.findByRole('dialog', { name: '添加服务器' });
    await fill(user, within(dialog).getByLabelText(/地址/), 'ftp://edge');
    await user.click(within(dialog).getByRole('button', { name: '添加服务器' }));
    expect(within(dialog).getByText('请为服务器起一个名称。')).toBeTruthy();
    expect(
      within(dialog).getByText('地址必须以 http:// 或 https:// 开头，例如 http://192.168.1.10:9081。'),
    ).toBeTruthy();
  });

  it('loads a private key from a file', async () => {
    const user = userEvent.setup();
    openDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Add server' });
    await user.selectOptions(within(dialog).getByLabelText('Type'), 'ekuiper-jwt');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    const load = within(dialog).getByRole('button', { name: 'Load Private key (PEM) from a file' });
    const input =
      load.parentElement?.querySelector('input[type="file"]') ?? document.querySelector('input[type="file"]');
    await user.upload(input as HTMLInputElement, new File([pem], 'ekuiper.key', { type: 'text/plain' }));
    // The only text area while the address is not https:// (no CA certificate field).
    await waitFor(() => expect(dialog.querySelector('textarea')?.value).toBe(pem));
  });

  it("follows the kind: NeuronEX's address, port and login", async () => {
    const user = userEvent.setup();
    openDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Add server' });
    const address = within(dialog).getByLabelText(/Address/);
    expect(address.getAttribute('placeholder')).toBe('http://192.168.1.10:9081');
    await fill(user, address, 'http://10.0.0.9:9081');
    await user.click(within(dialog).getByText('NeuronEX'));
    expect(address.getAttribute('placeholder')).toBe('http://192.168.1.10:8085');
    expect((address as HTMLInputElement).value).toBe('http://10.0.0.9:8085');
    expect(within(dialog).getByLabelText<HTMLSelectElement>('Type').value).toBe('neuronex-login');
    expect(within(dialog).getByLabelText<HTMLInputElement>('User name').value).toBe('admin');
    expect(within(dialog).getByText(/the app reaches eKuiper behind \/api\/ekuiper/)).toBeTruthy();
    // TLS settings appear for https:// addresses.
    expect(within(dialog).queryByText('Skip certificate verification')).toBeNull();
    await user.clear(address);
    await fill(user, address, 'https://10.0.0.9:8085');
    expect(within(dialog).getByText('Skip certificate verification')).toBeTruthy();
  });

  it("tests the settings before saving: the server's version, or the problem in plain words", async () => {
    const user = userEvent.setup();
    openDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Add server' });
    await fill(user, within(dialog).getByLabelText(/Name/), 'Guarded');
    await fill(user, within(dialog).getByLabelText(/Address/), host.guarded);
    await user.click(within(dialog).getByRole('button', { name: 'Test connection' }));
    const refused = await within(dialog).findByTestId('server-check-result');
    expect(refused.textContent).toContain('Reachable, but the credentials are refused');
    expect(refused.textContent).toContain(
      'The server refused the credentials: check them under Authentication.',
    );
    expect(refused.textContent).toContain('missing_token');

    await user.selectOptions(within(dialog).getByLabelText('Type'), 'bearer');
    await fill(user, within(dialog).getByLabelText('Token'), 'right-token');
    await user.click(within(dialog).getByRole('button', { name: 'Test connection' }));
    await waitFor(() =>
      expect(within(dialog).getByTestId('server-check-result').textContent).toMatch(/^Connected/),
    );
    const result = within(dialog).getByTestId('server-check-result').textContent ?? '';
    expect(result).toContain('2.1.0');
    expect(result).toMatch(/linux \/ \w+/);
    expect(sent.some((line) => line.startsWith('POST /manager/servers/check'))).toBe(true);

    await user.clear(within(dialog).getByLabelText(/Address/));
    await fill(user, within(dialog).getByLabelText(/Address/), host.down);
    await user.click(within(dialog).getByRole('button', { name: 'Test connection' }));
    await waitFor(() =>
      expect(within(dialog).getByTestId('server-check-result').textContent).toContain('Not connected'),
    );
    expect(within(dialog).getByTestId('server-check-result').textContent).toContain(
      'Nothing answers at that address and port',
    );
  });

  it('adds a server, and keeps its secret when an edit leaves it empty', async () => {
    const user = userEvent.setup();
    const view = openDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Add server' });
    await fill(user, within(dialog).getByLabelText(/Name/), 'Vault');
    await fill(user, within(dialog).getByLabelText(/Address/), host.guarded);
    await user.selectOptions(within(dialog).getByLabelText('Type'), 'bearer');
    await fill(user, within(dialog).getByLabelText('Token'), 'right-token');
    await user.click(within(dialog).getByRole('button', { name: 'Add server' }));
    await waitFor(() => expect(useServerDialogStore.getState().opened).toBe(false));
    const added = useServersStore.getState().servers.find((server) => server.name === 'Vault') as ServerInfo;
    expect(added.auth).toEqual({ type: 'bearer', tokenSet: true });
    view.unmount();

    openDialog(added.id);
    const edit = await screen.findByRole('dialog', { name: 'Edit Vault' });
    const token = within(edit).getByLabelText('Token');
    expect(token.getAttribute('placeholder')).toBe('set — leave empty to keep');
    expect((token as HTMLInputElement).value).toBe('');
    await user.clear(within(edit).getByLabelText(/Name/));
    await fill(user, within(edit).getByLabelText(/Name/), 'Vault 2');
    sent.splice(0);
    await user.click(within(edit).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(useServerDialogStore.getState().opened).toBe(false));
    const put = sent.find((line) => line.startsWith(`PUT /manager/servers/${added.id}`)) ?? '';
    expect(put).toContain('"auth":{"type":"bearer"}');
    expect(put).not.toContain('token"');
    // The kept token still works.
    expect(await serversApi.check(added.id)).toMatchObject({ ok: true, authOk: true });
  });
});

describe('ConnectionBanner on a remote server', () => {
  it('says the server is down in its own terms, with Test connection and Edit, not that the host is', async () => {
    const user = userEvent.setup();
    const down = await serversApi.create({
      name: 'Cellar',
      kind: 'ekuiper',
      url: host.down,
      auth: { type: 'none' },
    });
    await useServersStore.getState().load();
    act(() => useServersStore.getState().select(down.id));
    renderWithProviders(
      <>
        <ConnectionBanner />
        <ServerDialog />
      </>,
    );
    const banner = await screen.findByTestId('server-banner');
    expect(banner.textContent).toContain('Cellar is not reachable');
    expect(banner.textContent).toContain(
      `This app's host is fine, but it cannot reach Cellar at ${host.down}.`,
    );
    expect(screen.queryByText('The plugin host is not answering')).toBeNull();
    await user.click(within(banner).getByRole('button', { name: 'Test connection' }));
    await waitFor(() => expect(banner.textContent).toContain('Still not connected'));
    expect(sent).toContain(`POST /manager/servers/${down.id}/check `);
    await user.click(within(banner).getByRole('button', { name: 'Edit server' }));
    const edit = await screen.findByRole('dialog', { name: 'Edit Cellar' });
    expect(within(edit).getByLabelText<HTMLInputElement>(/Address/).value).toBe(host.down);
  });
});
