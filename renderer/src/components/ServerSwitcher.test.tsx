import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerInfo } from '../../../shared/server-dto';
import { useServersStore } from '../stores/servers-store';
import { useViewStore } from '../stores/view-store';
import { renderWithProviders } from '../test/render-app';
import { healthCheck, serverInfo } from '../test/servers';
import { ServerSwitcher } from './ServerSwitcher';

const up = healthCheck({ arch: 'arm64' });
const server = serverInfo;
const LONG = 'Packaging line 7 — north hall, building B, second floor (spare)';
const SERVERS: ServerInfo[] = [
  server('local', 'This computer', { builtIn: true }),
  server('edge-1', 'Edge 1', { kind: 'neuronex', url: 'http://edge-1:8085' }),
  server('lab', LONG, {
    health: {
      ...up,
      ok: false,
      reachable: false,
      authOk: null,
      message: 'connection refused',
      problem: 'refused',
    },
  }),
  server('new', 'Not checked yet', { health: undefined }),
];

/** Menus and tooltips open with a transition: on a busy machine they take longer than the default second. */
const SLOW = { timeout: 5_000 };

beforeEach(() => {
  useServersStore.setState({ servers: SERVERS, status: 'ready', currentId: 'local' });
  useViewStore.setState({ page: 'extensions' });
});

afterEach(() => {
  useServersStore.getState().select('local');
  vi.restoreAllMocks();
});

describe('ServerSwitcher', () => {
  it("shows the current server's health, name and kind", () => {
    renderWithProviders(<ServerSwitcher />);
    const button = screen.getByRole('button', { name: 'Server: This computer (Up)' });
    expect(within(button).getByRole('img', { name: 'Up' })).toBeTruthy();
    expect(button.textContent).toContain('eKuiper');
  });

  it('lists every server with its health and kind, and switches by keyboard', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ServerSwitcher />);
    screen.getByRole('button', { name: /^Server:/ }).focus();
    await user.keyboard('{Enter}');
    const items = await screen.findAllByRole('menuitem', {}, SLOW);
    expect(items.map((item) => item.getAttribute('aria-label') ?? item.textContent)).toEqual([
      'This computer, eKuiper, Up, Shown now',
      'Edge 1, NeuronEX, Up',
      `${LONG}, eKuiper, Down`,
      'Not checked yet, eKuiper, Unchecked',
      'Manage servers…',
    ]);
    // The dot itself is inside the item, whose label already says it in words.
    expect(items[2]?.querySelector('[data-standing]')?.getAttribute('data-standing')).toBe('down');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('This computer, eKuiper, Up, Shown now');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Edge 1, NeuronEX, Up');
    await user.keyboard('{Enter}');
    expect(useServersStore.getState().currentId).toBe('edge-1');
    expect(await screen.findByRole('button', { name: 'Server: Edge 1 (Up)' }, SLOW)).toBeTruthy();
  });

  it('cuts a long name and gives it whole on hover', async () => {
    // jsdom lays nothing out: the name is as wide as a long name would be, its box as narrow as the header's.
    vi.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockReturnValue(400);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(140);
    useServersStore.setState({ currentId: 'lab' });
    const user = userEvent.setup();
    renderWithProviders(<ServerSwitcher />);
    const button = screen.getByRole('button', { name: `Server: ${LONG} (Down)` });
    const name = within(button).getByText(LONG);
    expect(name.style.textOverflow).toBe('ellipsis');
    expect(name.style.maxWidth).toBe('140px');
    await user.hover(name);
    expect(await screen.findByRole('tooltip', {}, SLOW)).toHaveProperty('textContent', LONG);
  });

  it('gives no tooltip for a name that fits', async () => {
    vi.spyOn(HTMLElement.prototype, 'scrollWidth', 'get').mockReturnValue(80);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(80);
    const user = userEvent.setup();
    renderWithProviders(<ServerSwitcher />);
    const name = within(screen.getByRole('button', { name: /^Server:/ })).getByText('This computer');
    expect(name.hasAttribute('data-cut')).toBe(false);
    await user.hover(name);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(screen.queryByRole('tooltip')).toBeNull();
  });

  it('opens the Servers page from "Manage servers…"', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ServerSwitcher />);
    await user.click(screen.getByRole('button', { name: /^Server:/ }));
    await user.click(await screen.findByRole('menuitem', { name: 'Manage servers…' }, SLOW));
    expect(useViewStore.getState().page).toBe('servers');
  });

  it('speaks Chinese', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ServerSwitcher />, 'zh-CN');
    await user.click(
      screen.getByRole('button', {
        name: 'Server: 本机 (正常)'.replace('Server: ', '服务器：').replace(' (正常)', '（正常）'),
      }),
    );
    expect(await screen.findByRole('menuitem', { name: '管理服务器…' }, SLOW)).toBeTruthy();
  });
});
