// This test starts a real host in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureHostConnection } from '../api/api-config';
import { startChildHost, stopChildHost, supportModule, type ChildHost } from '../test/child-host';
import { renderWithProviders } from '../test/render-app';
import { PluginLog } from './PluginLog';
import { RuntimePanel } from './RuntimePanel';
import { TryItPanel } from './TryItPanel';

/**
 * The try-it panels against a real host on loopback running the project's Node test plugin (unique names, so
 * its sockets never meet another test's): JSON checked before sending, then each mode's states.
 */
// Mantine's autosizing textarea listens for web fonts loading; jsdom has no `document.fonts`.
Object.defineProperty(document, 'fonts', {
  configurable: true,
  value: { addEventListener: () => {}, removeEventListener: () => {} },
});

/** Socket paths are global on the machine: every name is unique to this run. */
const uniqueName = (prefix: string) => `${prefix}${randomBytes(3).toString('hex')}`;

const name = uniqueName('tp');
const echo = uniqueName('echo');
const failing = uniqueName('fail');
const quit = uniqueName('quit');
const source = uniqueName('src');
const sink = uniqueName('snk');

/** The Node test plugin's options (`test/support/node-plugin-bundle.ts`), sent to the child as JSON. */
const plugin = {
  name,
  functions: { [echo]: 'echo', [failing]: 'error', [quit]: 'exit' },
  sources: [source],
  sinks: [sink],
  sourceYaml: { [source]: 'default:\n  interval: 10\nslow:\n  interval: 400\n' },
};

/** The host, with the Node test plugin installed, in a child Node (see `startChildHost`). */
const HOST_SCRIPT = `
    import { fileUrl, startTestHost } from ${supportModule('host-harness.ts')};
    import { writeNodePluginZip } from ${supportModule('node-plugin-bundle.ts')};
    const t = await startTestHost({ portableInitTimeoutMs: 15_000 });
    const options = ${JSON.stringify(plugin)};
    const zip = await writeNodePluginZip(t.tempDir, options);
    const created = await t.request('POST', '/plugins/portables', { name: options.name, file: fileUrl(zip) });
    if (created.status !== 201) throw new Error(created.text);
    const info = { url: t.url };`;

let child: ChildHost<{ url: string }> | undefined;
let host: { url: string } | undefined;

async function request(method: string, path: string, body?: unknown) {
  const response = await fetch(`${host?.url}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

interface Status {
  status: string;
  pid: number;
  refCount: Record<string, number>;
}
const status = async () =>
  JSON.parse((await request('GET', `/manager/portables/${name}/status`)).text) as Status;

beforeAll(async () => {
  child = await startChildHost<{ url: string }>(HOST_SCRIPT);
  host = child.info;
  configureHostConnection({ baseUrl: host.url, token: '' });
}, 60_000);

afterAll(async () => {
  configureHostConnection(undefined);
  await stopChildHost(child);
}, 30_000);

/** Renders the panel and shows one mode (the others stay mounted, hidden). */
function renderPanel(mode: 'Functions (2)' | 'Sources (1)' | 'Sinks (1)' = 'Functions (2)') {
  renderWithProviders(
    <TryItPanel name={name} functions={[echo, failing]} sources={[source]} sinks={[sink]} />,
  );
  fireEvent.click(screen.getByRole('tab', { name: mode }));
}

const textbox = (scope: HTMLElement, label: string) =>
  within(scope).getByRole<HTMLTextAreaElement>('textbox', { name: label });

describe('function mode', () => {
  it('refuses malformed arguments with a clear message, without calling', () => {
    renderPanel();
    const panel = screen.getByTestId('try-function');
    const args = textbox(panel, 'Arguments');
    fireEvent.change(args, { target: { value: '["hello"' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    expect(within(panel).getByText(/^Not valid JSON: /)).toBeTruthy();
    expect(document.activeElement).toBe(args);
    fireEvent.change(args, { target: { value: '{"a": 1}' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    expect(within(panel).getByText('Must be a JSON array, such as ["hello", 42].')).toBeTruthy();
    fireEvent.change(args, { target: { value: '   ' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    expect(within(panel).getByText('Empty: type a JSON value.')).toBeTruthy();
    expect(within(panel).queryByTestId('function-outcome')).toBeNull();
    // Typing again clears the message.
    fireEvent.change(args, { target: { value: '[1]' } });
    expect(within(panel).queryByText('Empty: type a JSON value.')).toBeNull();
  });

  it('shows the result and the stage, then a function that refuses at Exec', async () => {
    renderPanel();
    const panel = screen.getByTestId('try-function');
    fireEvent.change(textbox(panel, 'Arguments'), { target: { value: '[{"t": 21.5}]' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    const outcome = await within(panel).findByTestId('function-outcome');
    expect(outcome.textContent).toContain('Result');
    expect(within(panel).getByTestId('function-result').textContent).toBe('{\n  "t": 21.5\n}');
    expect(outcome.textContent).toContain('answered at Exec');
    expect(outcome.textContent).toMatch(/Round trip [\d.,]+ m?s/);

    fireEvent.change(within(panel).getByRole('combobox', { name: 'Function' }), {
      target: { value: failing },
    });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    await waitFor(() =>
      expect(within(panel).getByTestId('function-outcome').textContent).toContain(
        'The function refused at Exec',
      ),
    );
    expect(within(panel).getByTestId('function-result').textContent).toContain('function failed on purpose');

    // New arguments that are refused: the answer to the old ones goes, so it cannot read as theirs.
    fireEvent.change(textbox(panel, 'Arguments'), { target: { value: '[1,' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Call' }));
    expect(within(panel).getByText(/^Not valid JSON: /)).toBeTruthy();
    expect(within(panel).queryByTestId('function-outcome')).toBeNull();
  });
});

describe('source mode', () => {
  it('prefills the yaml, streams the messages live, and sums up', async () => {
    renderPanel('Sources (1)');
    const panel = screen.getByTestId('try-source');
    const config = textbox(panel, 'Configuration');
    await waitFor(() => expect(config.value).toBe('{\n  "interval": 10\n}'));
    expect(
      within(panel).getByText(`From data/sources/${source}.yaml, section “default”.`, { exact: false }),
    ).toBeTruthy();
    // Another section of the yaml replaces the editor's text.
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Start from configuration' }), {
      target: { value: 'slow' },
    });
    expect(config.value).toBe('{\n  "interval": 400\n}');
    fireEvent.change(config, { target: { value: '{"interval": 5, "errorEvery": 2}' } });
    fireEvent.change(textbox(panel, 'Data source'), { target: { value: 'topic/a' } });
    fireEvent.change(textbox(panel, 'Stop after messages'), { target: { value: '4' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Start' }));
    const summary = await within(panel).findByTestId('sample-summary', {}, { timeout: 15_000 });
    expect(summary.textContent).toContain('count reached');
    const events = within(panel).getByRole('log', { name: 'Messages received' });
    const messages = events.querySelectorAll('[data-type="message"]');
    const errors = events.querySelectorAll('[data-type="error"]');
    expect(messages).toHaveLength(4);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.textContent).toContain('error: error number 2');
    expect(messages[0]?.textContent).toContain('"dataSource":"topic/a"');
    expect(summary.textContent).toContain(`4 messages and ${errors.length} errors`);
    await waitFor(async () => expect((await status()).refCount).toEqual({}));

    // A configuration that is refused before sampling: the last sample's messages and summary go.
    fireEvent.change(config, { target: { value: '{"interval": ' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Start' }));
    expect(within(panel).getByText(/^Not valid JSON: /)).toBeTruthy();
    expect(within(panel).queryByTestId('sample-summary')).toBeNull();
    expect(within(panel).queryByRole('log', { name: 'Messages received' })).toBeNull();
  });

  it('stops a running sample on Stop, and the host lets the source go', async () => {
    renderPanel('Sources (1)');
    const panel = screen.getByTestId('try-source');
    await waitFor(() => expect(textbox(panel, 'Configuration').value).toContain('interval'));
    fireEvent.change(textbox(panel, 'Stop after messages'), { target: { value: '10000' } });
    fireEvent.change(textbox(panel, 'Stop after seconds'), { target: { value: '600' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Start' }));
    const events = await within(panel).findByRole('log', { name: 'Messages received' });
    await waitFor(() => expect(events.querySelectorAll('[data-type="message"]').length).toBeGreaterThan(1), {
      timeout: 15_000,
    });
    expect(textbox(panel, 'Configuration').disabled).toBe(true);
    fireEvent.click(within(panel).getByRole('button', { name: 'Stop' }));
    expect(within(panel).getByTestId('sample-summary').textContent).toContain('Stopped by you');
    expect(within(panel).getByRole('button', { name: 'Start' })).toBeTruthy();
    await waitFor(async () => expect((await status()).refCount).toEqual({}), { timeout: 15_000 });
  });

  it("checks the config is a JSON object, and shows the plugin's refusal", async () => {
    renderPanel('Sources (1)');
    const panel = screen.getByTestId('try-source');
    const config = textbox(panel, 'Configuration');
    await waitFor(() => expect(config.value).toContain('interval'));
    fireEvent.change(config, { target: { value: '[1, 2]' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Start' }));
    expect(within(panel).getByText('Must be a JSON object, such as {"interval": 1000}.')).toBeTruthy();
    fireEvent.change(config, { target: { value: '{"fail": "the broker address is missing"}' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Start' }));
    const alert = await within(panel).findByRole('alert');
    expect(alert.textContent).toContain('The source refused this configuration');
    expect(alert.textContent).toContain('the broker address is missing');
  });
});

describe('sink mode', () => {
  it('checks the rows, then shows each row acknowledged or refused', async () => {
    renderPanel('Sinks (1)');
    const panel = screen.getByTestId('try-sink');
    const rows = textbox(panel, 'Rows');
    fireEvent.change(rows, { target: { value: '{"a": 1}' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    expect(within(panel).getByText('Must be a JSON array, such as ["hello", 42].')).toBeTruthy();
    fireEvent.change(rows, { target: { value: '[]' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    expect(within(panel).getByText('Needs at least 1 entry.')).toBeTruthy();
    fireEvent.change(textbox(panel, 'Configuration'), { target: { value: '{"path": ' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    expect(within(panel).getByText(/^Not valid JSON: /)).toBeTruthy();

    fireEvent.change(textbox(panel, 'Configuration'), { target: { value: '{}' } });
    fireEvent.change(rows, { target: { value: '[{"a": 1}, {"bad": true}, {"a": 3}]' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    const outcome = await within(panel).findByTestId('sink-outcome', {}, { timeout: 15_000 });
    const cells = within(outcome)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell')[1]?.textContent);
    expect(cells).toEqual(['acknowledged', 'refused', 'acknowledged']);
    expect(outcome.textContent).toContain('bad row refused');
    expect(outcome.textContent).toContain('Every row was acknowledged, so the sink was stopped at once.');
    expect(within(outcome).queryByRole('note')).toBeNull();

    // Rows that are refused before sending: the answer to the last rows goes.
    fireEvent.change(rows, { target: { value: '[{"a": 1}' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    expect(within(panel).getByText(/^Not valid JSON: /)).toBeTruthy();
    expect(within(panel).queryByTestId('sink-outcome')).toBeNull();
  });

  it('hands the rows over without waiting when acknowledgements are off, and says what that means', async () => {
    renderPanel('Sinks (1)');
    const panel = screen.getByTestId('try-sink');
    fireEvent.click(within(panel).getByRole('switch', { name: 'Wait for acknowledgements' }));
    expect(textbox(panel, 'Acknowledgement timeout (ms)').disabled).toBe(true);
    const drain = textbox(panel, 'Keep running after the last row (ms)');
    fireEvent.change(drain, { target: { value: '' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    expect(within(panel).getByText('A whole number from 0 to 60000')).toBeTruthy();
    fireEvent.change(drain, { target: { value: '300' } });
    fireEvent.change(textbox(panel, 'Rows'), { target: { value: '[{"a": 1}, {"a": 2}]' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Send' }));
    const outcome = await within(panel).findByTestId('sink-outcome', {}, { timeout: 15_000 });
    expect(within(outcome).getAllByText('handed over')).toHaveLength(2);
    expect(outcome.textContent).toContain('cannot tell whether the sink took the row');
    expect(outcome.textContent).toMatch(/The sink was kept running \d+ ms after the last row/);
  });
});

describe('process and log', () => {
  it('shows the state and pid, and a restart answers the new pid', async () => {
    const before = await status();
    renderWithProviders(<RuntimePanel name={name} />);
    await waitFor(() => expect(screen.getByTestId('runtime-pid').textContent).toBe(String(before.pid)));
    expect(screen.getByTestId('runtime-state').textContent).toBe('running');
    fireEvent.click(screen.getByRole('button', { name: 'Restart' }));
    const answer = await screen.findByText(
      /The plugin is running with process id \d+\./,
      {},
      { timeout: 20_000 },
    );
    const after = await status();
    expect(after.pid).not.toBe(before.pid);
    expect(answer.textContent).toContain(String(after.pid));
  });

  it("follows the log: the host's notes and the plugin's own lines as they come", async () => {
    renderWithProviders(<PluginLog name={name} />);
    const log = screen.getByRole('log', { name: `Log of ${name}` });
    await waitFor(() => expect(log.querySelector('[data-stream="host"]')).not.toBeNull());
    await waitFor(() => expect(screen.getByTestId('log-state').textContent).toBe('following'));
    // A row fed to the sink makes the plugin print a line: it arrives while the log is open.
    const marker = uniqueName('row');
    const fed = await request('POST', `/manager/portables/${name}/sinks/${sink}/feed`, {
      rows: [{ marker }],
      requireAck: true,
    });
    expect(fed.text).toContain('"status":"ok"');
    await waitFor(() => expect(log.textContent).toContain(marker), { timeout: 15_000 });
    const line = [...log.querySelectorAll('[data-stream="stdout"]')].find((element) =>
      element.textContent?.includes(marker),
    );
    expect(line?.textContent).toContain('out');
  });

  it('a process that exits with status 0 reads as stopped, in both languages, with no "last error"', async () => {
    const view = renderWithProviders(<RuntimePanel name={name} />);
    await waitFor(() => expect(screen.getByTestId('runtime-state').textContent).toBe('running'));
    // What eKuiper's Go SDK logs on stderr while all is well: no reason to show it as an error.
    const info = 'time="2026-01-01 10:00:00" level=info msg="closed sink data channel"';
    await request('POST', `/manager/portables/${name}/functions/${quit}/call`, {
      args: [{ code: 0, stderr: [info] }],
    });
    await waitFor(() => expect(screen.getByTestId('runtime-state').textContent).toBe('stopped'), {
      timeout: 10_000,
    });
    const ended = screen.getByTestId('runtime-ended');
    expect(ended.textContent).toBe(
      'Exited normally (status 0): the plugin stopped by itself. The next use starts it again.',
    );
    expect(screen.queryByText('Last error')).toBeNull();
    view.unmount();

    renderWithProviders(<RuntimePanel name={name} />, 'zh-CN');
    await waitFor(() => expect(screen.getByTestId('runtime-state').textContent).toBe('已停止'));
    expect(screen.getByTestId('runtime-ended').textContent).toContain('正常退出（状态 0）');
    expect(screen.getByText('结束方式')).toBeTruthy();
  });
});
