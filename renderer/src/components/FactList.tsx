import { Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** Labels and values in two columns (a description list), as the describe drawer and the server cards show facts. */
export function FactList({ gap = '6px 16px', children }: { gap?: string; children: ReactNode }) {
  return (
    <dl
      style={{
        display: 'grid',
        gridTemplateColumns: 'max-content minmax(0, 1fr)',
        gap,
        margin: 0,
      }}
    >
      {children}
    </dl>
  );
}

/** One label and its value in a `FactList`; long values wrap anywhere rather than widen the list. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </>
  );
}
