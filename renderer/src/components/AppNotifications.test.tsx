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

function renderWith(dialogOpened: boolean) {
  return render(
    <MantineProvider>
      <AppNotifications />
      <Dialog opened={dialogOpened} />
    </MantineProvider>,
  );
}

/** The corner a notification is shown in. */
async function cornerOf(text: string): Promise<string | null> {
  const shown = await screen.findByText(text);
  return shown.closest('[data-position]')?.getAttribute('data-position') ?? null;
}

describe('AppNotifications', () => {
  afterEach(() => act(() => notifications.clean()));

  it('shows notifications bottom right', async () => {
    renderWith(false);
    act(() => void notifications.show({ message: 'Installed mirror' }));
    expect(await cornerOf('Installed mirror')).toBe('bottom-right');
  });

  it('moves them bottom left while a dialog is open, clear of its buttons, and back when it closes', async () => {
    const view = renderWith(true);
    act(() => void notifications.show({ message: 'Could not install kafka' }));
    expect(await cornerOf('Could not install kafka')).toBe('bottom-left');
    view.rerender(
      <MantineProvider>
        <AppNotifications />
        <Dialog opened={false} />
      </MantineProvider>,
    );
    expect(await cornerOf('Could not install kafka')).toBe('bottom-right');
  });
});
