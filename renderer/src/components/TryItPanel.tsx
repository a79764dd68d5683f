import { Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TryFunction } from './TryFunction';
import { TrySink } from './TrySink';
import { TrySource } from './TrySource';

export interface TryItPanelProps {
  name: string;
  functions: readonly string[];
  sources: readonly string[];
  sinks: readonly string[];
}

type Mode = 'function' | 'source' | 'sink';

/**
 * Try a portable plugin before deploying it: one mode per kind of symbol it declares. Each mode keeps its form
 * while the user switches between them.
 */
export function TryItPanel({ name, functions, sources, sinks }: TryItPanelProps) {
  const { t } = useTranslation();
  const modes: Array<{ mode: Mode; count: number }> = [
    { mode: 'function' as const, count: functions.length },
    { mode: 'source' as const, count: sources.length },
    { mode: 'sink' as const, count: sinks.length },
  ].filter((entry) => entry.count > 0);
  const first = modes[0];
  if (first === undefined) {
    return (
      <Text size="sm" c="dimmed">
        {t('tryIt.noSymbols')}
      </Text>
    );
  }
  return (
    <Tabs defaultValue={first.mode} keepMounted variant="outline">
      <Tabs.List aria-label={t('tryIt.modes')}>
        {modes.map(({ mode, count }) => (
          <Tabs.Tab key={mode} value={mode}>
            {t(`tryIt.tabs.${mode}`, { count })}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {functions.length > 0 && (
        <Tabs.Panel value="function" pt="sm">
          <TryFunction name={name} functions={functions} />
        </Tabs.Panel>
      )}
      {sources.length > 0 && (
        <Tabs.Panel value="source" pt="sm">
          <TrySource name={name} sources={sources} />
        </Tabs.Panel>
      )}
      {sinks.length > 0 && (
        <Tabs.Panel value="sink" pt="sm">
          <TrySink name={name} sinks={sinks} />
        </Tabs.Panel>
      )}
    </Tabs>
  );
}
