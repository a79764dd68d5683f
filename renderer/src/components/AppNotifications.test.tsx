import { MantineProvider } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useCountOpenDialog } from '../stores/dialog-store';
import { AppNotifications } from './AppNotifications';

function Dialog({ opened }: { opened: boolean }) {
  useCountOpenDialog(opened);
  return null;
}

function withDialog(opened: boolean) {
  return (
    <MantineProvider>
      <AppNotifications />
      <Dialog opened={opened} />
    </MantineProvider>
  );
}

/** The corners a notification is shown in (one while it is where it appeared). */
async function cornersOf(text: string): Promise<Array<string | null>> {
  await screen.findAllByText(text);
  return screen
    .getAllByText(text)
    .map((shown) => shown.closest('[data-position]')?.getAttribute('data-position') ?? null);
}

describe('AppNotifications', () => {
  afterEach(() => act(() => notifications.clean()));

  it('shows notifications bottom right', async () => {
    render(withDialog(false));
    act(() => void notifications.show({ message: 'Installed mirror' }));
    expect(await cornersOf('Installed mirror')).toEqual(['bottom-right']);
  });

  it('shows one that appears while a dialog is open bottom left, clear of its buttons, and leaves it there', async () => {
    const view = render(withDialog(true));
    act(() => void notifications.show({ message: 'Could not install kafka' }));
    expect(await cornersOf('Could not install kafka')).toEqual(['bottom-left']);
    // The dialog closes: the notification stays put rather than jumping across the window; new ones go right.
    view.rerender(withDialog(false));
    expect(await cornersOf('Could not install kafka')).toEqual(['bottom-left']);
    act(() => void notifications.show({ message: 'Installed kafka' }));
    expect(await cornersOf('Installed kafka')).toEqual(['bottom-right']);
  });
});
