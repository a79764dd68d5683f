import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { HostError } from '../api/http';
import { plugin, renderWithProviders } from '../test/render-app';
import { DeleteDialog } from './DeleteDialog';

describe('DeleteDialog', () => {
  it('explains that a native delete needs a restart and passes the stop choice', async () => {
    const onConfirm = vi.fn().mockResolvedValue('sources plugin random3 is deleted');
    const onClose = vi.fn();
    renderWithProviders(
      <DeleteDialog
        plugin={plugin({ kind: 'sources', name: 'random3' })}
        onClose={onClose}
        onConfirm={onConfirm}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete random3?' });
    expect(dialog.textContent).toContain('until eKuiper restarts');
    const stop = screen.getByRole('checkbox', { name: /Stop the host afterwards/ });
    expect((stop as HTMLInputElement).checked).toBe(false);
    fireEvent.click(stop);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onConfirm).toHaveBeenCalledWith(expect.objectContaining({ name: 'random3' }), true);
    expect(await screen.findByText('sources plugin random3 is deleted')).toBeTruthy();
  });

  it('warns that a portable delete takes effect at once and names its symbols; no stop option', async () => {
    renderWithProviders(
      <DeleteDialog
        plugin={plugin({
          kind: 'portables',
          name: 'mirror',
          sources: ['random'],
          sinks: ['file'],
          functions: ['echo'],
        })}
        onClose={() => {}}
        onConfirm={vi.fn()}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete mirror?' });
    expect(dialog.textContent).toContain('immediately');
    expect(dialog.textContent).toContain('random, file, echo');
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('cancels without deleting', async () => {
    const onConfirm = vi.fn();
    const onClose = vi.fn();
    renderWithProviders(
      <DeleteDialog
        plugin={plugin({ kind: 'sinks', name: 'file2' })}
        onClose={onClose}
        onConfirm={onConfirm}
      />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it("shows the host's message when the delete fails and stays open", async () => {
    const onConfirm = vi.fn().mockRejectedValue(new HostError('plugin file2 is in use', 400, 1000));
    const onClose = vi.fn();
    renderWithProviders(
      <DeleteDialog
        plugin={plugin({ kind: 'sinks', name: 'file2' })}
        onClose={onClose}
        onConfirm={onConfirm}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete file2?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    // In the dialog, beside its buttons, not in a notification over them.
    const failure = await within(dialog).findByRole('alert');
    expect(failure.textContent).toContain('Could not delete file2');
    expect(failure.textContent).toContain('plugin file2 is in use');
    expect(onClose).not.toHaveBeenCalled();
    // Trying again clears the old reason first.
    onConfirm.mockResolvedValueOnce('sink plugin file2 is deleted');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(dialog).queryByRole('alert')).toBeNull());
  });

  it('names its close button, apart from Cancel, and starts on Cancel', async () => {
    renderWithProviders(
      <DeleteDialog
        plugin={plugin({ kind: 'sinks', name: 'file2' })}
        onClose={() => {}}
        onConfirm={vi.fn()}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Delete file2?' });
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeTruthy();
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(document.activeElement).toBe(cancel));
  });

  it('speaks Chinese when the window does', async () => {
    renderWithProviders(
      <DeleteDialog
        plugin={plugin({ kind: 'sources', name: 'random3' })}
        onClose={() => {}}
        onConfirm={vi.fn()}
      />,
      'zh-CN',
    );
    expect(await screen.findByRole('dialog', { name: '删除 random3？' })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /删除后停止主机/ })).toBeTruthy();
  });
});
