import { Text } from '@mantine/core';
import { useJavascriptNamesStore } from '../stores/route-list-store';

/** The Custom functions tab's body: the current server's JavaScript functions. */
export function JavascriptPanel() {
  const names = useJavascriptNamesStore((state) => state.names);
  return (
    <Text size="sm" p="md" data-testid="javascript-panel">
      {names.join(', ')}
    </Text>
  );
}
