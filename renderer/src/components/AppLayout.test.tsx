import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExtensionManagerBridge } from '../../../shared/ipc-contract';
import { renderWithProviders } from '../test/render-app';
import { AppLayout } from './AppLayout';

/** A stand-in for the desktop app's preload bridge. */
function installBridge(bridge: Partial<ExtensionManagerBridge>) {
  window.extensionManager = bridge;
}

describe('AppLayout', () => {
  afterEach(() => {
    delete window.extensionManager;
  });

  it('shows the app version the desktop app reports, in the chosen language', () => {
    installBridge({ apiBase: 'http://127.0.0.1:9081', token: '', appVersion: '1.4.2' });
    renderWithProviders(<AppLayout>page</AppLayout>);
    const navigation = screen.getByRole('navigation');
    expect(navigation.textContent).toContain('Version 1.4.2');
  });

  it('says it in Chinese too', () => {
    installBridge({ apiBase: 'http://127.0.0.1:9081', token: '', appVersion: '1.4.2' });
    renderWithProviders(<AppLayout>page</AppLayout>, 'zh-CN');
    expect(screen.getByTestId('app-version').textContent).toBe('版本 1.4.2');
  });

  it('shows no version in a browser, or when the app gives none', () => {
    renderWithProviders(<AppLayout>page</AppLayout>);
    expect(screen.queryByTestId('app-version')).toBeNull();
    expect(screen.getByText('page')).toBeTruthy();
  });

  it('shows no version when the desktop app reports an empty one', () => {
    installBridge({ apiBase: 'http://127.0.0.1:9081', token: '', appVersion: '  ' });
    renderWithProviders(<AppLayout>page</AppLayout>);
    expect(screen.queryByTestId('app-version')).toBeNull();
  });
});
