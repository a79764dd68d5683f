import { useEffect } from 'react';
import { create } from 'zustand';

interface DialogState {
  /** Dialogs and drawers open now. */
  open: number;
}

/** How many dialogs are open: notifications keep clear of a dialog's buttons while one is. */
export const useDialogStore = create<DialogState>()(() => ({ open: 0 }));

/** Counts the calling dialog as open while `opened` is true (and until it unmounts). */
export function useCountOpenDialog(opened: boolean): void {
  useEffect(() => {
    if (!opened) return;
    useDialogStore.setState(({ open }) => ({ open: open + 1 }));
    return () => useDialogStore.setState(({ open }) => ({ open: open - 1 }));
  }, [opened]);
}
