import { Notifications } from '@mantine/notifications';
import { useDialogStore } from '../stores/dialog-store';

/** Narrow enough, on the left, to stay clear of a centred dialog's right-aligned buttons at 800 px. */
const WHILE_DIALOG_WIDTH = 340;
const DEFAULT_WIDTH = 440;

/**
 * The window's notifications: bottom right, except while a dialog or drawer is open, when they move to the
 * bottom left and narrow, so they never cover the dialog's Cancel and Install buttons (right-aligned in its
 * footer) or a drawer on the right.
 */
export function AppNotifications() {
  const dialogOpen = useDialogStore((state) => state.open > 0);
  return (
    <Notifications
      position={dialogOpen ? 'bottom-left' : 'bottom-right'}
      containerWidth={dialogOpen ? WHILE_DIALOG_WIDTH : DEFAULT_WIDTH}
    />
  );
}
