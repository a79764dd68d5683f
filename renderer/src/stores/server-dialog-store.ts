import { create } from 'zustand';

interface ServerDialogState {
  /** Whether the Add/Edit server dialog is open. */
  opened: boolean;
  /** The server being edited; undefined to add one. */
  editing: string | undefined;
  /** Opens the dialog to add a server, or to edit `id`. */
  open: (id?: string) => void;
  close: () => void;
}

/**
 * The Add/Edit server dialog, opened from the Servers page, the header's switcher and the connection banner
 * ("Edit server", one click to fix a server's credentials from wherever the problem shows).
 */
export const useServerDialogStore = create<ServerDialogState>()((set) => ({
  opened: false,
  editing: undefined,
  open: (id) => set({ opened: true, editing: id }),
  close: () => set({ opened: false }),
}));
