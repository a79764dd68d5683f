// The last block starts a real host in a child Node process, so it uses Node's APIs beside the DOM's.
/// <reference types="node" />
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureHostConnection } from '../api/api-config';
import { startChildHost, stopChildHost, supportModule, type ChildHost } from '../test/child-host';
import { usePluginsStore } from '../stores/plugins-store';
import { plugin, renderWithProviders } from '../test/render-app';
import { isZipAddress } from '../lib/zip-choice';
import { CreatePluginDialog } from './CreatePluginDialog';

const text = (value: string) => new TextEncoder().encode(value);
const manifest = (name: string, executable: string) =>
  text(
    JSON.stringify({
      name,
      version: 'v1.0.0',
      language: 'go',
      executable,
      sources: ['random'],
      sinks: ['file'],
      functions: ['echo'],
    }),
  );

/** A portable zip laid out as eKuiper expects (the shape of the shared fixture mirror.zip). */
const MIRROR_FILES: Record<string, Uint8Array> = {
  'mirror.json': manifest('mirror', 'mirror'),
  mirror: text('#!/bin/sh\n'),
  'sources/random.yaml': text('default:\n  interval: 1000\n'),
  'sources/random.json': text('{}'),
  'sinks/file.json': text('{}'),
  'functions/echo.json': text('{}'),
};
/** Like the fixture wrong.zip: a manifest naming an executable the zip does not hold. */
const WRONG_FILES: Record<string, Uint8Array> = { 'wrong.json': manifest('wrong', 'mirror.exe') };

function zipFile(bytes: Uint8Array, name: string): File {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new File([copy.buffer], name, { type: 'application/zip' });
}

async function openWith(file: File) {
  renderWithProviders(<CreatePluginDialog kind="portables" opened onClose={() => {}} onCreated={vi.fn()} />);
  await screen.findByRole('dialog', { name: 'Create portable plugin' });
  const input = screen.getByLabelText('Choose a zip file');
  fireEvent.change(input, { target: { files: [file] } });
  await screen.findByText(file.name);
}

describe('CreatePluginDialog', () => {
  it('shows why wrong.zip would be refused and keeps Install disabled', async () => {
    await openWith(zipFile(zipSync(WRONG_FILES), 'wrong.zip'));
    expect(await screen.findByText(/missing mirror\.exe/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Install' }).hasAttribute('disabled')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Repack and install' })).toBeNull();
  });

  it('suggests the name the manifest declares and shows what the zip holds', async () => {
    await openWith(zipFile(zipSync(MIRROR_FILES), 'my-download.zip'));
    await waitFor(() =>
      expect(screen.getByPlaceholderText<HTMLInputElement>(/Type a name/).value).toBe('mirror'),
    );
    const contents = screen.getByRole('region', { name: 'What the zip holds' });
    expect(contents.textContent).toContain('mirror.json');
    expect(contents.textContent).toContain('go');
    expect(contents.textContent).toContain('random, file, echo');
    expect(screen.getByRole('button', { name: 'Install' }).hasAttribute('disabled')).toBe(false);
  });

  it('counts the entries as the refusal does, saying how many are files and folders', async () => {
    const withFolders = {
      ...MIRROR_FILES,
      'sources/': new Uint8Array(0),
      'sinks/': new Uint8Array(0),
      'functions/': new Uint8Array(0),
      'docs/': new Uint8Array(0),
    };
    renderWithProviders(
      <CreatePluginDialog kind="portables" opened onClose={() => {}} onCreated={vi.fn()} />,
    );
    await screen.findByRole('dialog', { name: 'Create portable plugin' });
    fireEvent.change(screen.getByPlaceholderText(/Type a name/), { target: { value: 'other' } });
    fireEvent.change(screen.getByLabelText('Choose a zip file'), {
      target: { files: [zipFile(zipSync(withFolders), 'mirror.zip')] },
    });
    expect(
      await screen.findByText(/missing or invalid json file other\.json, found 10 files in total/),
    ).toBeTruthy();
    const contents = screen.getByRole('region', { name: 'What the zip holds' });
    expect(contents.textContent).toContain('Entries in the zip:10 (6 files, 4 folders)');
  });

  it('offers to repack a zip whose files sit under one folder', async () => {
    const nested = zipSync(
      Object.fromEntries(Object.entries(MIRROR_FILES).map(([k, v]) => [`mirror/${k}`, v])),
    );
    await openWith(zipFile(nested, 'nested.zip'));
    expect(await screen.findByText(/the files sit under the folder 'mirror\/'/)).toBeTruthy();
    const repack = screen.getByRole('button', { name: 'Repack and install' });
    expect(repack.hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Install' })).toBeNull();
  });

  it('notices a portable zip given to a native kind and offers the portable kind with the same file', async () => {
    const onSwitchKind = vi.fn();
    renderWithProviders(
      <CreatePluginDialog
        kind="functions"
        opened
        onClose={() => {}}
        onCreated={vi.fn()}
        onSwitchKind={onSwitchKind}
      />,
    );
    await screen.findByRole('dialog', { name: 'Create function plugin' });
    const bytes = zipSync(MIRROR_FILES);
    fireEvent.change(screen.getByLabelText('Choose a zip file'), {
      target: { files: [zipFile(bytes, 'mirror.zip')] },
    });
    const hint = await screen.findByTestId('portable-zip');
    expect(hint.textContent).toContain('This zip holds a portable plugin');
    expect(hint.textContent).toContain('Its manifest mirror.json names the program mirror to run.');
    fireEvent.click(within(hint).getByRole('button', { name: 'Install it as a portable plugin' }));
    expect(onSwitchKind).toHaveBeenCalledWith('portables', expect.any(File));
    const file = onSwitchKind.mock.calls[0]![1] as File;
    expect(file.name).toBe('mirror.zip');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
  });

  it('says nothing of the kind for a native zip, and says it in Chinese', async () => {
    renderWithProviders(
      <CreatePluginDialog kind="sinks" opened onClose={() => {}} onCreated={vi.fn()} />,
      'zh-CN',
    );
    await screen.findByRole('dialog', { name: '创建 Sink 插件' });
    fireEvent.change(screen.getByLabelText('选择 zip 文件'), {
      target: { files: [zipFile(zipSync({ 'File2.so': text('x') }), 'file2.zip')] },
    });
    await screen.findByText('file2.zip');
    expect(screen.queryByTestId('portable-zip')).toBeNull();
    fireEvent.change(screen.getByLabelText('选择 zip 文件'), {
      target: { files: [zipFile(zipSync(MIRROR_FILES), 'mirror.zip')] },
    });
    expect((await screen.findByTestId('portable-zip')).textContent).toContain(
      '这个 zip 是一个 Portable 插件',
    );
  });

  it('closes on the first Escape from the Name field when it has no suggestion to show', async () => {
    const onClose = vi.fn();
    renderWithProviders(<CreatePluginDialog kind="sinks" opened onClose={onClose} onCreated={vi.fn()} />);
    await screen.findByRole('dialog', { name: 'Create sink plugin' });
    const name = screen.getByRole('combobox', { name: /Name/ });
    fireEvent.focus(name);
    fireEvent.click(name);
    fireEvent.keyDown(name, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('lets the first Escape close the suggestions when they show, and the next one the dialog', async () => {
    const onClose = vi.fn();
    renderWithProviders(<CreatePluginDialog kind="portables" opened onClose={onClose} onCreated={vi.fn()} />);
    await screen.findByRole('dialog', { name: 'Create portable plugin' });
    fireEvent.change(screen.getByLabelText('Choose a zip file'), {
      target: { files: [zipFile(zipSync(MIRROR_FILES), 'my-download.zip')] },
    });
    await screen.findByText('my-download.zip');
    const name = screen.getByRole('combobox', { name: /Name/ });
    fireEvent.change(name, { target: { value: 'mir' } });
    await waitFor(() => expect(name.getAttribute('aria-expanded')).toBe('true'));
    fireEvent.keyDown(name, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.keyDown(name, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('accepts http(s) and file addresses of zips only', () => {
    expect(isZipAddress('https://example.com/a/mirror.zip')).toBe(true);
    expect(isZipAddress('file:///tmp/mirror.zip')).toBe(true);
    expect(isZipAddress('ftp://example.com/mirror.zip')).toBe(false);
    expect(isZipAddress('https://example.com/mirror.tar')).toBe(false);
  });

  it('speaks Chinese', async () => {
    renderWithProviders(
      <CreatePluginDialog kind="sinks" opened onClose={() => {}} onCreated={vi.fn()} />,
      'zh-CN',
    );
    expect(await screen.findByRole('dialog', { name: '创建 Sink 插件' })).toBeTruthy();
  });
});

describe('CreatePluginDialog in update mode', () => {
  const mirror = plugin({ kind: 'portables', name: 'mirror', version: 'v1.0.0', language: 'go' });
  const echo2 = plugin({ kind: 'functions', name: 'echo2', functions: ['echo2', 'echo3'] });

  afterEach(() => usePluginsStore.setState({ plugins: [] }));

  it('keeps the name fixed, says what happens to rules, and submits as Update', async () => {
    renderWithProviders(
      <CreatePluginDialog kind="portables" opened updating={mirror} onClose={() => {}} onCreated={vi.fn()} />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Update mirror' });
    const name = screen.getByRole<HTMLInputElement>('textbox', { name: 'Name' });
    expect(name.value).toBe('mirror');
    expect(name.readOnly).toBe(true);
    const consequences = screen.getByTestId('update-consequences').textContent ?? '';
    expect(consequences).toContain('rules reconnect to it');
    expect(consequences).toContain('the installed version stays as it is');
    expect(screen.queryByRole('button', { name: 'Install' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Update' }).hasAttribute('disabled')).toBe(true);

    // A zip whose manifest declares another name is checked against the fixed name, and refused.
    fireEvent.change(screen.getByLabelText('Choose a zip file'), {
      target: { files: [zipFile(zipSync({ ...WRONG_FILES }), 'wrong.zip')] },
    });
    expect(await screen.findByText(/missing or invalid json file mirror\.json/)).toBeTruthy();
    expect(name.value).toBe('mirror');
    expect(screen.getByRole('button', { name: 'Update' }).hasAttribute('disabled')).toBe(true);

    fireEvent.change(screen.getByLabelText('Choose a zip file'), {
      target: { files: [zipFile(zipSync(MIRROR_FILES), 'mirror-2.zip')] },
    });
    await screen.findByText('mirror-2.zip');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Update' }).hasAttribute('disabled')).toBe(false),
    );
    expect(dialog).toBeTruthy();
  });

  it('tells that a native update needs a restart and keeps the registered function list', async () => {
    renderWithProviders(
      <CreatePluginDialog kind="functions" opened updating={echo2} onClose={() => {}} onCreated={vi.fn()} />,
    );
    await screen.findByRole('dialog', { name: 'Update echo2' });
    expect(screen.getByTestId('update-consequences').textContent).toContain(
      'keep using the old version until eKuiper restarts',
    );
    expect(screen.getByText('echo3')).toBeTruthy();
  });

  it('offers to update instead when the name is installed already', async () => {
    usePluginsStore.setState({ plugins: [mirror] });
    await openWith(zipFile(zipSync(MIRROR_FILES), 'mirror.zip'));
    expect(await screen.findByText('mirror is already installed')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Update mirror instead' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Install' }).hasAttribute('disabled')).toBe(true);
  });

  it('speaks Chinese', async () => {
    renderWithProviders(
      <CreatePluginDialog kind="portables" opened updating={mirror} onClose={() => {}} onCreated={vi.fn()} />,
      'zh-CN',
    );
    expect(await screen.findByRole('dialog', { name: '更新 mirror' })).toBeTruthy();
    expect(screen.getByTestId('update-consequences').textContent).toContain('无需重启');
  });
});

describe('CreatePluginDialog: the Name field and the zip verdict', () => {
  const nameInput = (language: 'en' | 'zh-CN') =>
    screen.getByPlaceholderText<HTMLInputElement>(language === 'en' ? /Type a name/ : /输入名称/);
  const sinkZip = () => zipFile(zipSync({ 'mysink.so': text('not really a library') }), 'mysink.zip');

  async function openSink(language: 'en' | 'zh-CN' = 'en') {
    renderWithProviders(
      <CreatePluginDialog kind="sinks" opened onClose={() => {}} onCreated={vi.fn()} />,
      language,
    );
    await screen.findByRole('dialog');
    const file = sinkZip();
    fireEvent.change(screen.getByLabelText(language === 'en' ? 'Choose a zip file' : '选择 zip 文件'), {
      target: { files: [file] },
    });
    await screen.findByText(file.name);
    const input = nameInput(language);
    await waitFor(() => expect(input.value).toBe('mysink'));
    return input;
  }

  const type = (input: HTMLInputElement, value: string) => fireEvent.change(input, { target: { value } });

  it('counts the name against the longest one the host installs', async () => {
    const input = await openSink();
    expect(screen.getByTestId('name-length').textContent).toBe('6 / 250');
    type(input, 'x'.repeat(251));
    expect(screen.getByTestId('name-length').textContent).toBe('251 / 250');
    expect(
      await screen.findByText(
        '251 characters is too long: at most 250, because eKuiper names the plugin’s files after it (Name.so) and a ' +
          'file name can be at most 255 bytes.',
      ),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Install' }).hasAttribute('disabled')).toBe(true);
  });

  it('marks a name with spaces on the Name field and keeps the zip’s verdict about the zip', async () => {
    const input = await openSink();
    type(input, 'my sink');
    expect(
      await screen.findByText(
        'Only letters (A–Z, a–z), digits, hyphens (-) and underscores (_), as eKuiper’s naming rule requires. ' +
          'Not allowed: spaces.',
      ),
    ).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    // The zip holds mysink.so, a good sink zip: nothing about "my sink.so".
    expect(document.body.textContent).not.toContain('my sink.so');
    expect(screen.queryByText('The host would refuse this zip')).toBeNull();
    expect(screen.getByRole('button', { name: 'Install' }).hasAttribute('disabled')).toBe(true);

    type(input, '我的sink');
    expect(await screen.findByText(/Not allowed: “我”, “的”\.$/)).toBeTruthy();
    type(input, 'Mysink');
    expect(await screen.findByText(/Use “mysink”\.$/)).toBeTruthy();
    type(input, 'mysink');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Install' }).hasAttribute('disabled')).toBe(false),
    );
    expect(input.getAttribute('aria-invalid')).not.toBe('true');
  });

  it('a portable name counts against the socket limit', async () => {
    renderWithProviders(
      <CreatePluginDialog kind="portables" opened onClose={() => {}} onCreated={vi.fn()} />,
    );
    await screen.findByRole('dialog');
    const input = nameInput('en');
    type(input, 'p'.repeat(88));
    expect(screen.getByTestId('name-length').textContent).toBe('88 / 87');
    expect(
      await screen.findByText(/88 characters is too long: at most 87, because eKuiper talks/),
    ).toBeTruthy();
  });

  it('in Chinese: the rule, the count and a not-a-zip verdict', async () => {
    const input = await openSink('zh-CN');
    type(input, 'my sink');
    expect(
      await screen.findByText(
        '按 eKuiper 的命名规则，只能使用字母（A–Z、a–z）、数字、连字符（-）和下划线（_）。不允许：空格。',
      ),
    ).toBeTruthy();
    const notes = zipFile(text('plugin notes, not a zip\n'), 'notes.zip');
    fireEvent.change(screen.getByLabelText('选择 zip 文件'), { target: { files: [notes] } });
    expect(
      await screen.findByText(
        'zip: not a valid zip file: 文件是文本而不是 zip；开头是“plugin notes, not a zip”',
      ),
    ).toBeTruthy();
    expect(screen.getByText('主机会拒绝此 zip')).toBeTruthy();
  });

  it('says what a file that is not a zip is (the host’s own classifier)', async () => {
    renderWithProviders(<CreatePluginDialog kind="sinks" opened onClose={() => {}} onCreated={vi.fn()} />);
    await screen.findByRole('dialog');
    const page = zipFile(text('<!DOCTYPE html><html><body>404</body></html>'), 'influx.zip');
    fireEvent.change(screen.getByLabelText('Choose a zip file'), { target: { files: [page] } });
    expect(
      await screen.findByText(
        /^zip: not a valid zip file: the file is an HTML page, not a zip: most likely an error or login page/,
      ),
    ).toBeTruthy();
    const empty = zipFile(new Uint8Array(0), 'empty.zip');
    fireEvent.change(screen.getByLabelText('Choose a zip file'), { target: { files: [empty] } });
    expect(await screen.findByText(/^zip: not a valid zip file: the file is empty \(0 bytes\)/)).toBeTruthy();
  });
});

describe('CreatePluginDialog against a real host', () => {
  let child: ChildHost<{ url: string }> | undefined;

  beforeAll(async () => {
    child = await startChildHost<{ url: string }>(`
      import { startTestHost } from ${supportModule('host-harness.ts')};
      const t = await startTestHost();
      const info = { url: t.url };`);
    configureHostConnection({ baseUrl: child.info.url, token: '' });
  }, 60_000);

  afterAll(async () => {
    configureHostConnection(undefined);
    await stopChildHost(child);
  }, 30_000);

  function openSinkDialog(language: 'en' | 'zh-CN' = 'en') {
    renderWithProviders(
      <CreatePluginDialog kind="sinks" opened onClose={() => {}} onCreated={vi.fn()} />,
      language,
    );
  }

  /** Installs `name` from a zip address the host cannot find, and waits for its refusal. */
  async function failInstall(name: string): Promise<HTMLElement> {
    fireEvent.change(screen.getByRole('combobox', { name: /Name/ }), { target: { value: name } });
    fireEvent.change(screen.getByRole('textbox', { name: /from an address/ }), {
      target: { value: 'file:///nowhere/at/all/ghost.zip' },
    });
    // Enter in a field submits the form, as the Install button does.
    fireEvent.submit(screen.getByRole('textbox', { name: /from an address/ }).closest('form')!);
    return screen.findByRole('alert');
  }

  it('opens on the Name field and names its × Close, apart from Cancel', async () => {
    openSinkDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Create sink plugin' });
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('combobox', { name: /Name/ })));
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeTruthy();
    expect(within(dialog).getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
  });

  it("shows the host's refusal for the name it was sent with, and drops it when the name changes", async () => {
    openSinkDialog();
    await screen.findByRole('dialog', { name: 'Create sink plugin' });
    const failure = await failInstall('ghost');
    expect(failure.textContent).toContain('Could not install ghost');
    expect(failure.textContent).toContain('ghost.zip');

    fireEvent.change(screen.getByRole('combobox', { name: /Name/ }), { target: { value: 'ghost2' } });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('drops an old refusal when the address changes', async () => {
    openSinkDialog();
    await screen.findByRole('dialog', { name: 'Create sink plugin' });
    await failInstall('ghost');
    fireEvent.change(screen.getByRole('textbox', { name: /from an address/ }), {
      target: { value: 'file:///nowhere/at/all/other.zip' },
    });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});
