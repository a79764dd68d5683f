import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The External services tab's body: a placeholder until the services list, drawer and dialogs take its place. */
export function ServicesPanel() {
  const { t } = useTranslation();
  return (
    <Text c="dimmed" size="sm" p="md" data-testid="services-panel">
      {t('extensions.comingSoon')}
    </Text>
  );
}
