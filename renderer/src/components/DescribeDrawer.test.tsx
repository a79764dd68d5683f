// This test starts a real host in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { configureHostConnection } from '../api/api-config';
import { startChildHost, stopChildHost, supportModule, type ChildHost } from '../test/child-host';
import { plugin, renderWithProviders, withProviders } from '../test/render-app';
import { DescribeDrawer } from './DescribeDrawer';

/**
 * The describe drawer against a real host on loopback: the row's fields at once, then the details the list
 * leaves out (file, sha256, parameters, install.sh's output), a failure with retry, and a refetch when the row
 * changes after an update.
 */

/** Zips the child writes (with the project's zip writer, which needs Node's Buffer): name → file URL and sha256. */
interface HostInfo {
  url: string;
  zips: Record<'chatty' | 'chattyV2' | 'later' | 'multi', { url: string; sha256: string }>;
}

const HOST_SCRIPT = `
    import { createHash } from 'node:crypto';
    import { writeFileSync } from 'node:fs';
    import { join } from 'node:path';
    import { fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { buildZip } from ${supportModule('zip-writer.ts')};
    const t = await startTestHost();
    const zip = (name, library, script) => {
      const entries = [{ name: library, data: 'stand-in library ' + name }];
      if (script) entries.push({ name: 'install.sh', data: script, mode: 0o755 });
      const bytes = buildZip(entries);
      const path = join(t.tempDir, name + '.zip');
      writeFileSync(path, bytes);
      return { url: fileUrl(path), sha256: createHash('sha256').update(bytes).digest('hex') };
    };
    const zips = {
      chatty: zip('chatty', 'Chatty.so', 'echo "resolving drivers"\\necho "driver ready for $1"\\n'),
      chattyV2: zip('chattyV2', 'Chatty.so', 'echo "second release installed"\\n'),
      later: zip('later', 'Later.so'),
      multi: zip('multi', 'Multi.so'),
    };
    const info = { url: t.url, zips };`;

let child: ChildHost<HostInfo>;
let host: HostInfo;

async function request(method: string, path: string, body?: unknown) {
  const response = await fetch(`${host.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/** The plugin's row exactly as the host lists it. */
async function listedRow(kind: string, name: string): Promise<PluginOverview> {
  const rows = JSON.parse((await request('GET', '/manager/plugins')).text) as PluginOverview[];
  const row = rows.find((candidate) => candidate.kind === kind && candidate.name === name);
  if (row === undefined) throw new Error(`${kind}/${name} is not listed`);
  return row;
}

beforeAll(async () => {
  child = await startChildHost<HostInfo>(HOST_SCRIPT);
  host = child.info;
  configureHostConnection({ baseUrl: host.url, token: '' });
}, 60_000);

afterAll(async () => {
  configureHostConnection(undefined);
  await stopChildHost(child);
}, 30_000);

const overview = () => screen.getByRole('region', { name: 'Overview' });

/** The drawer's alert about the details (eKuiper's describe answer has its own alert below). */
async function detailsAlert(text: RegExp): Promise<HTMLElement> {
  const message = await screen.findByText(text);
  const alert = message.closest<HTMLElement>('[role="alert"]');
  if (alert === null) throw new Error('the message is not inside an alert');
  return alert;
}

describe('DescribeDrawer', () => {
  it('shows the row at once, placeholders while the details load, then file, sha256 and install log', async () => {
    const created = await request('POST', '/plugins/sinks', {
      name: 'chatty',
      file: host.zips.chatty.url,
      shellParas: ['north-site'],
    });
    expect(created.status).toBe(201);
    const row = await listedRow('sinks', 'chatty');
    expect(row.record?.installLogBytes).toBeGreaterThan(0);
    const view = renderWithProviders(<DescribeDrawer plugin={row} onClose={() => {}} onDelete={() => {}} />);

    // First paint: what the row has, and a placeholder for each field the details bring.
    expect(within(overview()).getByText(host.zips.chatty.url)).toBeTruthy();
    expect(overview().getAttribute('aria-busy')).toBe('true');
    const log = screen.getByRole('region', { name: 'install.sh output' });
    // File, sha256, parameters, and the install log.
    expect(screen.getAllByTestId('details-placeholder')).toHaveLength(4);

    await waitFor(() => expect(overview().textContent).toContain(host.zips.chatty.sha256));
    expect(screen.queryAllByTestId('details-placeholder')).toHaveLength(0);
    expect(overview().getAttribute('aria-busy')).toBe('false');
    expect(overview().textContent).toMatch(/plugins\/sinks\/Chatty\.so/);
    expect(within(overview()).getByText('north-site')).toBeTruthy();
    expect(log.textContent).toContain('resolving drivers');
    expect(log.textContent).toContain('driver ready for north-site');

    // An update rewrites the record: the open drawer fetches the new install's details for the new row.
    const updated = await request('PUT', '/plugins/sinks/chatty', {
      name: 'chatty',
      file: host.zips.chattyV2.url,
    });
    expect(updated.status).toBe(200);
    const newRow = await listedRow('sinks', 'chatty');
    view.rerender(withProviders(<DescribeDrawer plugin={newRow} onClose={() => {}} onDelete={() => {}} />));
    await waitFor(() => expect(overview().textContent).toContain(host.zips.chattyV2.sha256));
    const newLog = screen.getByRole('region', { name: 'install.sh output' });
    await waitFor(() => expect(newLog.textContent).toContain('second release installed'));
    expect(newLog.textContent).not.toContain('resolving drivers');
    expect(overview().textContent).not.toContain(host.zips.chatty.sha256);
    expect((await request('DELETE', '/plugins/sinks/chatty')).status).toBe(200);
  });

  it("says when the details cannot be loaded, with the host's message, and retries", async () => {
    // A row the host no longer has (deleted elsewhere): its details answer 404.
    const stale = plugin({ kind: 'sinks', name: 'later' });
    renderWithProviders(<DescribeDrawer plugin={stale} onClose={() => {}} onDelete={() => {}} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'Could not load the file path, SHA-256, install parameters and install log',
    );
    expect(alert.textContent).toContain(
      'details of sink plugin later error: no sink plugin named later is installed',
    );
    expect(within(overview()).getAllByText('not loaded')).toHaveLength(3);
    // No install log in this row, so no section waiting for one.
    expect(screen.queryByRole('region', { name: 'install.sh output' })).toBeNull();

    expect(
      (await request('POST', '/plugins/sinks', { name: 'later', file: host.zips.later.url })).status,
    ).toBe(201);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(overview().textContent).toContain(host.zips.later.sha256));
    expect(screen.queryByText(/^Could not load the file path/)).toBeNull();
    expect((await request('DELETE', '/plugins/sinks/later')).status).toBe(200);
  });

  it("asks eKuiper's answer again when the row changes, as after Register functions", async () => {
    expect(
      (await request('POST', '/plugins/functions', { name: 'multi', file: host.zips.multi.url })).status,
    ).toBe(201);
    const row = await listedRow('functions', 'multi');
    const view = renderWithProviders(<DescribeDrawer plugin={row} onClose={() => {}} onDelete={() => {}} />);
    const answer = () => screen.getByRole('region', { name: "eKuiper's answer" });
    await waitFor(() => expect(answer().textContent).toContain('"multi"'));
    expect(answer().textContent).not.toContain('multiTwo');

    const registered = await request('POST', '/plugins/functions/multi/register', {
      functions: ['multi', 'multiTwo'],
    });
    expect(registered.status).toBe(200);
    const newRow = await listedRow('functions', 'multi');
    view.rerender(withProviders(<DescribeDrawer plugin={newRow} onClose={() => {}} onDelete={() => {}} />));
    await waitFor(() => expect(answer().textContent).toContain('multiTwo'));
    expect((await request('DELETE', '/plugins/functions/multi')).status).toBe(200);
  });

  it('says so in Simplified Chinese too', async () => {
    const stale = plugin({ kind: 'sources', name: 'gone' });
    renderWithProviders(<DescribeDrawer plugin={stale} onClose={() => {}} onDelete={() => {}} />, 'zh-CN');
    const alert = await detailsAlert(/^无法加载文件路径/);
    expect(alert.textContent).toContain('无法加载文件路径、SHA-256、安装参数和安装日志');
    expect(within(alert).getByRole('button', { name: '重试' })).toBeTruthy();
    expect(screen.getAllByText('未加载').length).toBeGreaterThan(0);
  });
});
