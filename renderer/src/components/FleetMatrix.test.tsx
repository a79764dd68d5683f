import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildFleetMatrix } from '../lib/fleet-matrix';
import { renderWithProviders } from '../test/render-app';
import { FLEET_ANSWER, FLEET_SERVERS } from '../test/fleet-fixtures';
import { FleetMatrix } from './FleetMatrix';

function renderMatrix(selected: string[] = []) {
  const { columns, rows } = buildFleetMatrix(FLEET_SERVERS, FLEET_ANSWER);
  const handlers = { onToggleServer: vi.fn(), onToggleAll: vi.fn(), onRowAction: vi.fn() };
  renderWithProviders(<FleetMatrix columns={columns} rows={rows} selected={selected} {...handlers} />);
  return handlers;
}

const row = (name: string) =>
  screen.getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('[role="row"]') as HTMLElement;

describe('FleetMatrix', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows versions, missing, error and unknown cells, each saying what it means', () => {
    renderMatrix();
    const random3 = within(row('random3')).getAllByRole('cell');
    expect(random3.map((cell) => cell.textContent)).toEqual(['1.0.0', '1.1.0', '?']);
    expect(random3[0]!.getAttribute('title')).toBe('Differs from the version most servers have (1.1.0)');
    const file2 = within(row('file2')).getAllByRole('cell');
    expect(file2.map((cell) => cell.textContent)).toEqual(['no version', '—', '?']);
    expect(file2[1]!.getAttribute('aria-label')).toBe('file2 is not installed on edge-b');
    expect(file2[2]!.getAttribute('aria-label')).toBe(
      'Unknown: edge-c did not answer (cannot reach http://c:9081: ECONNREFUSED)',
    );
    const error = within(row('mirror')).getByTestId('error-badge');
    expect(error.getAttribute('aria-label')).toBe('error: cannot start');
    expect(within(row('mirror')).getByTestId('drift-badge').getAttribute('aria-label')).toBe(
      'drift: In error on edge-b',
    );
    const header = screen.getByRole('columnheader', { name: /edge-c/ });
    expect(within(header).getByTestId('server-note').textContent).toBe('No answer');
    // Its dot says so too, whatever its last background check said.
    expect(within(header).getByRole('img').getAttribute('aria-label')).toBe(
      'Down — cannot reach http://c:9081: ECONNREFUSED',
    );
    expect(
      within(screen.getByRole('columnheader', { name: /edge-b/ }))
        .getByRole('img')
        .getAttribute('aria-label'),
    ).toBe('Up — eKuiper 2.1.0');
  });

  it('ticks servers one by one or all at once', () => {
    const handlers = renderMatrix(['local']);
    expect(
      screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select This computer for bulk actions' })
        .checked,
    ).toBe(true);
    expect(
      screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select every server' }).indeterminate,
    ).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select edge-b for bulk actions' }));
    expect(handlers.onToggleServer).toHaveBeenCalledWith('b');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select every server' }));
    expect(handlers.onToggleAll).toHaveBeenCalledTimes(1);
  });

  it('offers the row actions that make sense for the row', async () => {
    // jsdom lays nothing out: without a box, the menu's positioning takes its button for scrolled away and hides
    // the menu, as it does in a browser when the row leaves the screen.
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(10, 100, 28, 28));
    const user = userEvent.setup();
    const handlers = renderMatrix();
    await user.click(screen.getByRole('button', { name: 'Fleet actions for file2' }));
    expect(await screen.findByRole('menuitem', { name: 'Update on the 1 server that has it' })).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: 'Delete from the 1 server that has it' })).toBeTruthy();
    await user.click(screen.getByRole('menuitem', { name: 'Install on the 1 server that lacks it' }));
    expect(handlers.onRowAction).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'sinks/file2' }),
      'install-missing',
    );
  });
});
