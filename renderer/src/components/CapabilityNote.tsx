import { Alert } from '@mantine/core';
import { InfoIcon } from './Icons';

/**
 * Says why a part of the window is not shown for this server (a plain eKuiper has no process panel, a Viewer may
 * not install), in place of the part, so nothing looks broken and the user knows where it is available.
 */
export function CapabilityNote({ children }: { children: string }) {
  return (
    <Alert color="gray" variant="light" icon={<InfoIcon />} data-testid="capability-note">
      {children}
    </Alert>
  );
}
