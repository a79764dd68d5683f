import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExtensionManagerBridge } from '../../../shared/ipc-contract';
import { renderWithProviders } from '../test/render-app';
import { ShowDataFolderButton, TokenField } from './SettingsPage';

describe('ShowDataFolderButton', () => {
  afterEach(() => {
    delete window.extensionManager;
  });

  it('opens the data folder through the desktop bridge', async () => {
    let calls = 0;
    let finish = () => {};
    const bridge: Partial<ExtensionManagerBridge> = {
      apiBase: 'http://127.0.0.1:9081',
      token: '',
      appVersion: '1.0.0',
      showDataFolder() {
        calls++;
        // The bridge is called on itself, as the preload's object expects.
        expect(this).toBe(bridge);
        return new Promise<void>((resolve) => (finish = resolve));
      },
    };
    window.extensionManager = bridge;
    renderWithProviders(<ShowDataFolderButton />);
    const button = screen.getByRole('button', { name: 'Show in file manager' });
    fireEvent.click(button);
    expect(calls).toBe(1);
    // Busy while the file manager opens, ready again afterwards.
    await waitFor(() => expect(button.hasAttribute('data-loading')).toBe(true));
    act(() => finish());
    await waitFor(() => expect(button.hasAttribute('data-loading')).toBe(false));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("says so when the folder cannot be opened, with the app's reason", async () => {
    window.extensionManager = {
      apiBase: 'http://127.0.0.1:9081',
      token: '',
      appVersion: '1.0.0',
      showDataFolder: () => Promise.reject(new Error('no file manager')),
    };
    renderWithProviders(<ShowDataFolderButton />, 'zh-CN');
    fireEvent.click(screen.getByRole('button', { name: '在文件管理器中显示' }));
    expect((await screen.findByRole('alert')).textContent).toBe('无法打开数据文件夹：no file manager');
  });

  it('is not offered in a browser, nor by a bridge without the action', () => {
    renderWithProviders(<ShowDataFolderButton />);
    expect(screen.queryByRole('button')).toBeNull();
    window.extensionManager = { apiBase: 'http://127.0.0.1:9081', token: '', appVersion: '1.0.0' };
    renderWithProviders(<ShowDataFolderButton />);
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('TokenField', () => {
  const field = (tokenSet: boolean, action: 'keep' | 'set' | 'remove') => (
    <TokenField
      tokenSet={tokenSet}
      action={action}
      token=""
      error={undefined}
      onAction={() => {}}
      onToken={() => {}}
    />
  );

  it('offers to keep the current token only when there is one', () => {
    renderWithProviders(field(true, 'set'));
    expect(screen.getByRole('button', { name: 'Keep the current token' })).toBeTruthy();
  });

  it('offers not to set one when there is none', () => {
    renderWithProviders(field(false, 'set'));
    expect(screen.queryByRole('button', { name: 'Keep the current token' })).toBeNull();
    expect(screen.getByRole('button', { name: "Don't set a token" })).toBeTruthy();
  });

  it('says so in Chinese too', () => {
    renderWithProviders(field(false, 'set'), 'zh-CN');
    expect(screen.getByRole('button', { name: '不设置令牌' })).toBeTruthy();
  });
});
