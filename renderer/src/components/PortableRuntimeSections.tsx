import { Divider, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PluginLog } from './PluginLog';
import { TryItPanel, type TryItPanelProps } from './TryItPanel';

/**
 * The parts of the describe drawer that only a running portable plugin has: its log and the try-it panel.
 * Loaded on demand (its own chunk), so the window opens without them.
 */
export function PortableRuntimeSections(props: TryItPanelProps) {
  const { t } = useTranslation();
  return (
    <>
      <Divider />
      <section aria-label={t('tryIt.title')}>
        <Title order={4} mb={4}>
          {t('tryIt.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('tryIt.intro')}
        </Text>
        <TryItPanel {...props} />
      </section>
      <Divider />
      <section aria-label={t('tryIt.log.title')}>
        <Title order={4} mb="xs">
          {t('tryIt.log.title')}
        </Title>
        <PluginLog name={props.name} />
      </section>
    </>
  );
}
