import { Button, Modal } from '@mantine/core';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render-app';
import { FOCUS_FALLBACK_ATTRIBUTE, useReturnFocus } from './use-return-focus';

/** A dialog mounted only once it is first opened, as the window's lazily loaded dialogs are. */
function Dialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  useReturnFocus(opened);
  return (
    <Modal opened={opened} onClose={onClose} title="Dialog" returnFocus={false}>
      <Button onClick={onClose}>Done</Button>
    </Modal>
  );
}

function Page({ removeOpener = false }: { removeOpener?: boolean }) {
  const [opened, setOpened] = useState(false);
  const [mounted, setMounted] = useState(false);
  const [openerShown, setOpenerShown] = useState(true);
  return (
    <>
      <button type="button" {...{ [FOCUS_FALLBACK_ATTRIBUTE]: '' }}>
        Resting place
      </button>
      {openerShown && (
        <button
          type="button"
          onClick={() => {
            setMounted(true);
            setOpened(true);
          }}
        >
          Open
        </button>
      )}
      {mounted && (
        <Dialog
          opened={opened}
          onClose={() => {
            if (removeOpener) setOpenerShown(false);
            setOpened(false);
          }}
        />
      )}
    </>
  );
}

describe('useReturnFocus', () => {
  it('gives focus back to the opener of a dialog that mounted already open', async () => {
    renderWithProviders(<Page />);
    const opener = screen.getByRole('button', { name: 'Open' });
    act(() => opener.focus());
    fireEvent.click(opener);
    const done = await screen.findByRole('button', { name: 'Done' });
    await waitFor(() => expect(document.activeElement).not.toBe(opener));
    fireEvent.click(done);
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it("falls back to the page's resting place when the opener has gone", async () => {
    renderWithProviders(<Page removeOpener />);
    const opener = screen.getByRole('button', { name: 'Open' });
    act(() => opener.focus());
    fireEvent.click(opener);
    fireEvent.click(await screen.findByRole('button', { name: 'Done' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Resting place' })),
    );
  });
});
