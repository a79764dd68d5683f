import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, configureHostConnection, hostConnection, rememberToken } from '../api/api-config';
import { HostAuthError } from '../api/http';
import { useConnectionStore } from '../stores/connection-store';
import { renderWithProviders } from '../test/render-app';
import { ConnectionBanner } from './ConnectionBanner';

// Nothing listens here: checks after "Use token" fail as unreachable, which is not what these tests look at.
configureHostConnection(undefined);

afterEach(() => {
  rememberToken(undefined);
  useConnectionStore.setState({ status: 'online', tokenMissing: false });
});

describe('ConnectionBanner: token refused', () => {
  it('says the token is missing, not that the host is unreachable', () => {
    useConnectionStore.getState().reportUnauthorized(new HostAuthError('missing_token'));
    renderWithProviders(<ConnectionBanner />);
    expect(screen.getByRole('alert').textContent).toContain("The host refused this window's token");
    expect(screen.getByRole('alert').textContent).toContain('requires a token, and this window has none');
    expect(screen.queryByText('The plugin host is not answering')).toBeNull();
  });

  it('says the token does not match when one was sent', () => {
    useConnectionStore
      .getState()
      .reportUnauthorized(new HostAuthError('validate token error: the token does not match'));
    renderWithProviders(<ConnectionBanner />, 'zh-CN');
    expect(screen.getByRole('alert').textContent).toContain('令牌不匹配');
  });

  it('keeps an entered token for the session only, unless asked to remember it', async () => {
    useConnectionStore.getState().reportUnauthorized(new HostAuthError('missing_token'));
    renderWithProviders(<ConnectionBanner />);
    const submit = screen.getByRole('button', { name: 'Use token' });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Host token'), { target: { value: ' s3cret ' } });
    fireEvent.click(submit);
    await waitFor(() => expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('s3cret'));
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(hostConnection().token).toBe('s3cret');
  });

  it('remembers the token in localStorage when asked', async () => {
    useConnectionStore.getState().reportUnauthorized(new HostAuthError('missing_token'));
    renderWithProviders(<ConnectionBanner />);
    fireEvent.change(screen.getByLabelText('Host token'), { target: { value: 'kept' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Remember in this browser/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Use token' }));
    await waitFor(() => expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe('kept'));
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });
});
