import { ActionIcon, AppShell, Group, NativeSelect, NavLink, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n/i18n';
import { usePreferencesStore } from '../stores/preferences-store';
import { GearIcon, MoonIcon, PuzzleIcon, SunIcon } from './Icons';

/**
 * The window's frame: header with the product name, language switch and theme toggle; navigation on the left.
 * Settings is a placeholder until its page lands, shown so people know where it will be.
 */
export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { language, colorScheme, setLanguage, setColorScheme } = usePreferencesStore();
  const toggleLabel = colorScheme === 'dark' ? t('app.themeToLight') : t('app.themeToDark');
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <PuzzleIcon />
            <Title order={1} size="h4">
              {t('app.name')}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NativeSelect
              aria-label={t('app.language')}
              value={language}
              onChange={(event) => setLanguage(event.currentTarget.value as Language)}
              data={LANGUAGES.map(({ value, label }) => ({ value, label }))}
              size="sm"
            />
            <Tooltip label={toggleLabel}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={toggleLabel}
                onClick={() => setColorScheme(colorScheme === 'dark' ? 'light' : 'dark')}
              >
                {colorScheme === 'dark' ? <SunIcon /> : <MoonIcon />}
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('app.navigation')} component="nav">
        <NavLink
          label={t('app.nav.extensions')}
          leftSection={<PuzzleIcon />}
          active
          aria-current="page"
          href="#/"
        />
        <NavLink
          label={t('app.nav.settings')}
          description={t('app.nav.settingsSoon')}
          leftSection={<GearIcon />}
          disabled
        />
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh', display: 'flex', flexDirection: 'column' }}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
