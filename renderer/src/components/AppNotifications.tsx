import { Notifications, notifications, notificationsStore } from '@mantine/notifications';
import { useEffect } from 'react';
import { useDialogStore } from '../stores/dialog-store';
import classes from './AppNotifications.module.css';

type Corner = 'bottom-left' | 'bottom-right';

/**
 * Pins every notification without a place to the corner that applies as it appears: bottom right, or bottom left
 * while a dialog or drawer is open, clear of the dialog's right-aligned buttons and of a drawer on the right. A
 * notification then stays where it appeared when the dialog closes, instead of jumping across the window.
 * Called synchronously on every change of Mantine's store, so the pin is in place before React draws it.
 */
function pinNewNotifications(): void {
  const state = notificationsStore.getState();
  if ([...state.notifications, ...state.queue].every((shown) => shown.position !== undefined)) return;
  const corner: Corner = useDialogStore.getState().open > 0 ? 'bottom-left' : 'bottom-right';
  notifications.updateState(notificationsStore, (list) =>
    list.map((shown) => (shown.position === undefined ? { ...shown, position: corner } : shown)),
  );
}

/** The window's notifications, each in the corner that kept it clear of what was open when it appeared. */
export function AppNotifications() {
  useEffect(() => {
    pinNewNotifications();
    return notificationsStore.subscribe(pinNewNotifications);
  }, []);
  return <Notifications position="bottom-right" className={classes.notifications} />;
}
