import { useLayoutEffect, useRef } from 'react';

/** Marks the element a page would rather give focus to when a dialog's opener has gone (a deleted row's button). */
export const FOCUS_FALLBACK_ATTRIBUTE = 'data-focus-fallback';

function focusFallback(): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[${FOCUS_FALLBACK_ATTRIBUTE}]`);
}

/**
 * Gives focus back to the control that opened a dialog or drawer once it closes, so a keyboard user carries on
 * where they were. Mantine's own return only notices openings after the first render, and ours mount already open
 * (their code loads on first use); and the opener may be gone by then (the row of a deleted plugin), when the
 * page's fallback (`data-focus-fallback`) gets focus instead. Pass `returnFocus={false}` to the Mantine part.
 */
export function useReturnFocus(opened: boolean): void {
  const opener = useRef<HTMLElement | null>(null);
  const wasOpen = useRef(false);
  useLayoutEffect(() => {
    if (opened && !wasOpen.current) {
      // Mantine moves focus into the dialog in a timeout after this: the opener still has it.
      const active = document.activeElement;
      opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
    } else if (!opened && wasOpen.current) {
      const target = opener.current;
      opener.current = null;
      // After the focus trap lets go; unless the user has put focus somewhere outside any dialog meanwhile.
      window.setTimeout(() => {
        const active = document.activeElement;
        const moved =
          active instanceof HTMLElement &&
          active !== document.body &&
          active.closest('[role="dialog"]') === null;
        if (moved && active.isConnected) return;
        const next = target?.isConnected ? target : focusFallback();
        next?.focus();
      });
    }
    wasOpen.current = opened;
  }, [opened]);
}
