/**
 * The strokes of the icons the plugin table's rows use, in one place for both ways they are drawn: as SVG
 * elements (Icons.tsx, wherever an icon stands alone) and as CSS masks (each row's buttons, where an SVG element
 * tree per icon was a third of the list's elements).
 */
export type IconShape = { tag: 'path'; d: string } | { tag: 'circle'; cx: number; cy: number; r: number };

export const ROW_ICON_SHAPES = {
  /** "i" in a circle, for details buttons. */
  info: [
    { tag: 'circle', cx: 12, cy: 12, r: 9 },
    { tag: 'path', d: 'M12 11v5M12 8h.01' },
  ],
  /** Arrow rising out of a tray, for updating a plugin from a new zip. */
  update: [{ tag: 'path', d: 'M12 15V4M7 9l5-5 5 5M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4' }],
  /** "f(x)", for editing the functions a function plugin exports. */
  functions: [{ tag: 'path', d: 'M10 4c-2 0-3 1-3 3v10c0 2-1 3-3 3M4 10h7M14 9l6 8M20 9l-6 8' }],
  /** Trash can, for delete buttons. */
  delete: [
    { tag: 'path', d: 'M4 7h16M10 11v6M14 11v6M5 7l1 12a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2l1-12M9 7V4h6v3' },
  ],
} satisfies Record<string, IconShape[]>;

export type RowIcon = keyof typeof ROW_ICON_SHAPES;

/** An icon as a CSS `url()` of an SVG, for a mask: its strokes give the shape, the element's colour fills it. */
export function iconMaskUrl(shapes: readonly IconShape[]): string {
  const elements = shapes
    .map((shape) =>
      shape.tag === 'path'
        ? `<path d='${shape.d}'/>`
        : `<circle cx='${shape.cx}' cy='${shape.cy}' r='${shape.r}'/>`,
    )
    .join('');
  const svg =
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='black' stroke-width='2' " +
    `stroke-linecap='round' stroke-linejoin='round'>${elements}</svg>`;
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}
