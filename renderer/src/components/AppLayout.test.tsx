import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExtensionManagerBridge } from '../../../shared/ipc-contract';
import { renderWithProviders } from '../test/render-app';
import { useViewStore } from '../stores/view-store';
import { AppLayout, NARROW_WINDOW_QUERY } from './AppLayout';

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

/** Makes the narrow-window media query match, as in a window under 992 px wide. */
function narrowWindow(): () => void {
  const original = Object.getOwnPropertyDescriptor(window, 'matchMedia')!;
  const wide = window.matchMedia.bind(window);
  Object.defineProperty(window, 'matchMedia', {
    ...original,
    value: (query: string) => ({ ...wide(query), matches: query === NARROW_WINDOW_QUERY }),
  });
  return () => Object.defineProperty(window, 'matchMedia', original);
}

describe('AppLayout in a narrow window', () => {
  let restore: () => void = () => {};
  afterEach(() => {
    restore();
    useViewStore.getState().setPage('extensions');
  });

  it('keeps the folded navigation out of reach until the burger opens it', async () => {
    restore = narrowWindow();
    renderWithProviders(<AppLayout>page</AppLayout>);
    const burger = screen.getByRole('button', { name: 'Open navigation' });
    const navigation = screen.getByRole('navigation', { hidden: true });
    expect(burger.getAttribute('aria-expanded')).toBe('false');
    expect(navigation.hasAttribute('inert')).toBe(true);

    fireEvent.click(burger);
    expect(burger.getAttribute('aria-expanded')).toBe('true');
    expect(burger.getAttribute('aria-label')).toBe('Close navigation');
    expect(navigation.hasAttribute('inert')).toBe(false);
    // The page under the open panel is out of reach instead, and focus is on the current page's link.
    expect(screen.getByRole('main', { hidden: true }).hasAttribute('inert')).toBe(true);
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Extensions'));
  });

  it('closes after a page is chosen and gives the burger focus back', () => {
    restore = narrowWindow();
    renderWithProviders(<AppLayout>page</AppLayout>);
    fireEvent.click(screen.getByRole('button', { name: 'Open navigation' }));
    fireEvent.click(screen.getByRole('link', { name: 'Settings' }));
    expect(useViewStore.getState().page).toBe('settings');
    const burger = screen.getByRole('button', { name: 'Open navigation' });
    expect(burger.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(burger);
    expect(screen.getByRole('main').hasAttribute('inert')).toBe(false);
  });

  it('closes on Escape', () => {
    restore = narrowWindow();
    renderWithProviders(<AppLayout>page</AppLayout>, 'zh-CN');
    fireEvent.click(screen.getByRole('button', { name: '打开导航' }));
    fireEvent.keyDown(screen.getByRole('link', { name: '设置' }), { key: 'Escape' });
    expect(screen.getByRole('button', { name: '打开导航' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('always shows the navigation in a wide window', () => {
    renderWithProviders(<AppLayout>page</AppLayout>);
    expect(screen.getByRole('navigation').hasAttribute('inert')).toBe(false);
    expect(screen.getByRole('link', { name: 'Settings' })).toBeTruthy();
  });
});
