import { useCountOpenDialog } from '../stores/dialog-store';
import { useReturnFocus } from './use-return-focus';

/**
 * What every dialog and drawer of the window does besides Mantine's part: focus back on its opener when it
 * closes, and counting as open so notifications keep clear of its buttons. Pass `returnFocus={false}` to Mantine.
 */
export function useDialog(opened: boolean): void {
  useReturnFocus(opened);
  useCountOpenDialog(opened);
}
