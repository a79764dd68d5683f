import { Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DevelopLive } from '../components/DevelopLive';
import { PackagePanel } from '../components/PackagePanel';
import { GenerateWithAiButton } from '../components/GenerateWithAiButton';
import { NewPluginButton } from '../components/NewPluginDialog';

/**
 * Where a plugin is written rather than installed: start a new one from a scaffold, package a folder the way
 * eKuiper accepts it, develop it live on this computer's host, deploy it to servers, or have a model write a
 * function. Each part is its own component; this page only lays them out.
 */
export function DevelopPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <div>
          <Title order={2}>{t('develop.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('develop.intro')}
          </Text>
        </div>
        <Group gap="xs" data-testid="develop-actions">
          {/* New plugin (scaffold), Generate with AI (ai) */}
          <NewPluginButton />
          <GenerateWithAiButton />
        </Group>
      </Group>
      {/* The folder workbench, top to bottom: package and deploy (pack), then develop live — each one line. */}
      <PackagePanel />
      <DevelopLive />
    </Stack>
  );
}
