import type { SVGProps } from 'react';
import { ROW_ICON_SHAPES, type IconShape } from './icon-shapes';

/** Small stroke icons drawn inline: the project has no icon package, and these few need none. */
function Icon({ children, ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg
      width={18}
      height={18}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

/** An icon of the plugin table's rows, drawn as SVG elements (the rows draw the same shapes as CSS masks). */
function RowShapeIcon({ shapes }: { shapes: readonly IconShape[] }) {
  return (
    <Icon>
      {shapes.map((shape, index) =>
        shape.tag === 'path' ? (
          <path key={index} d={shape.d} />
        ) : (
          <circle key={index} cx={shape.cx} cy={shape.cy} r={shape.r} />
        ),
      )}
    </Icon>
  );
}

/** Trash can, for delete buttons. */
export const TrashIcon = () => <RowShapeIcon shapes={ROW_ICON_SHAPES.delete} />;

/** Arrow rising out of a tray, for updating from a new zip. */
export const UpdateIcon = () => <RowShapeIcon shapes={ROW_ICON_SHAPES.update} />;

/** "i" in a circle, for details buttons. */
export const InfoIcon = () => <RowShapeIcon shapes={ROW_ICON_SHAPES.info} />;

/** Sun: shown in dark mode, switches to light. */
export const SunIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 3v1M12 20v1M3 12h1M20 12h1M5.6 5.6l.7.7M17.7 17.7l.7.7M5.6 18.4l.7-.7M17.7 6.3l.7-.7" />
  </Icon>
);

/** Moon: shown in light mode, switches to dark. */
export const MoonIcon = () => (
  <Icon>
    <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />
  </Icon>
);

/** Circular arrows, for refresh and retry. */
export const RefreshIcon = () => (
  <Icon>
    <path d="M20 11a8 8 0 0 0-14.9-3M4 4v4h4M4 13a8 8 0 0 0 14.9 3M20 20v-4h-4" />
  </Icon>
);

/** Puzzle piece, for the Extensions navigation entry. */
export const PuzzleIcon = () => (
  <Icon>
    <path d="M4 7h3a2 2 0 1 1 4 0h3v3a2 2 0 1 1 0 4v3h-3a2 2 0 1 0-4 0H4v-3a2 2 0 1 0 0-4z" />
  </Icon>
);

/** Gear, for the Settings navigation entry. */
export const GearIcon = () => (
  <Icon>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
  </Icon>
);

/** Two stacked server boxes, for the Servers navigation entry and "Manage servers…". */
export const ServerIcon = () => (
  <Icon>
    <rect x="3" y="4" width="18" height="7" rx="2" />
    <rect x="3" y="13" width="18" height="7" rx="2" />
    <path d="M7 7.5h.01M7 16.5h.01" />
  </Icon>
);

/** A tick, for the server shown now. */
export const CheckIcon = () => (
  <Icon>
    <path d="M5 12l5 5 9-10" />
  </Icon>
);

/** A small downward chevron, for menus. */
export const ChevronDownIcon = () => (
  <Icon width={14} height={14}>
    <path d="M6 9l6 6 6-6" />
  </Icon>
);

/** A pencil, for editing a server. */
export const PencilIcon = () => (
  <Icon>
    <path d="M4 20h4L19 9l-4-4L4 16z" />
  </Icon>
);

/** A pulse line, for testing a connection. */
export const PulseIcon = () => (
  <Icon>
    <path d="M3 12h4l2-5 4 10 2-5h6" />
  </Icon>
);

/** Angle brackets, for the Develop navigation entry: writing, packaging and trying plugins. */
export const CodeIcon = () => (
  <Icon>
    <path d="m8 6-6 6 6 6M16 6l6 6-6 6M14 4l-4 16" />
  </Icon>
);

/** A grid of cells, for the Fleet navigation entry: the plugins × servers matrix. */
export const FleetIcon = () => (
  <Icon>
    <rect x="3" y="3" width="18" height="18" rx="2" />
    <path d="M3 9h18M3 15h18M9 3v18M15 3v18" />
  </Icon>
);

/** Three dots in a row, for a menu of more actions. */
export const MoreIcon = () => (
  <Icon>
    <path d="M5 12h.01M12 12h.01M19 12h.01" strokeWidth={3} />
  </Icon>
);

/** Two overlapping sheets, for copying text. */
export const CopyIcon = () => (
  <Icon>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15V5a1 1 0 0 1 1-1h10" />
  </Icon>
);
