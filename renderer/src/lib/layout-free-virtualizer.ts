import { elementScroll, observeElementOffset, type Virtualizer } from '@tanstack/react-virtual';

// Options for TanStack's virtualizer that never make the browser lay the page out in the middle of React's commit.
// Its defaults read the scrolling box's size and write its scroll position as the list mounts; either forces a
// synchronous layout of the whole page there and then, and the browser lays it out again before painting (with
// 5,000 plugins, a tenth of the first render). Sizes come from the ResizeObserver instead, which reports after the
// browser's own layout, and a new box, at the top already, is not scrolled to the top.

/** The virtualizer of a plugin list: a div that scrolls, rows of any element. */
type Box = Virtualizer<HTMLDivElement, Element>;

/** Boxes scrolled by the user or by the virtualizer: their position is no longer known to be the top. */
const moved = new WeakSet<Element>();

/** The box's size once the ResizeObserver reports it; `initialRect` stands in until then. */
export function observeRectAfterLayout(
  instance: Box,
  report: (rect: { width: number; height: number }) => void,
): () => void {
  const element = instance.scrollElement;
  if (element === null) return () => {};
  const observer = new ResizeObserver(() =>
    report({ width: element.clientWidth, height: element.clientHeight }),
  );
  observer.observe(element);
  return () => observer.disconnect();
}

/** TanStack's scroll tracking, noting that the box has moved on its first scroll. */
export function observeOffsetNotingMoves(
  instance: Box,
  report: Parameters<typeof observeElementOffset<HTMLDivElement>>[1],
): () => void {
  const element = instance.scrollElement;
  const note = () => {
    if (element !== null) moved.add(element);
  };
  element?.addEventListener('scroll', note, { passive: true, once: true });
  const stop = observeElementOffset(instance, report);
  return () => {
    element?.removeEventListener('scroll', note);
    stop?.();
  };
}

/** TanStack's scrolling, except a write of the top to a box that has never moved from it. */
export function scrollUnlessAtTop(
  offset: number,
  options: Parameters<typeof elementScroll<HTMLDivElement>>[1],
  instance: Box,
): void {
  const element = instance.scrollElement;
  if (element !== null && offset + (options.adjustments ?? 0) === 0 && !moved.has(element)) return;
  if (element !== null) moved.add(element);
  elementScroll(offset, options, instance);
}
