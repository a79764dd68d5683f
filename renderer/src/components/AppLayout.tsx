import { ActionIcon, AppShell, Group, NativeSelect, NavLink, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { desktopAppVersion } from '../api/desktop-bridge';
import { LANGUAGES, type Language } from '../i18n/i18n';
import { usePreferencesStore } from '../stores/preferences-store';
import { hashOfPage, useViewStore, type AppPage } from '../stores/view-store';
import { ConnectionBanner } from './ConnectionBanner';
import { FleetIcon, GearIcon, MoonIcon, PuzzleIcon, SunIcon } from './Icons';

/**
 * The window's frame: header with the product name, language switch and theme toggle; navigation between the
 * Extensions, Fleet and Settings pages on the left (links with addresses, so keyboard, back button and reload work);
 * the connection banner above whichever page is shown; in the desktop app, the app's version below the links.
 */
const NAV: Array<{ page: AppPage; labelKey: string; icon: ReactNode }> = [
  { page: 'extensions', labelKey: 'app.nav.extensions', icon: <PuzzleIcon /> },
  { page: 'fleet', labelKey: 'app.nav.fleet', icon: <FleetIcon /> },
  { page: 'settings', labelKey: 'app.nav.settings', icon: <GearIcon /> },
];

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { language, colorScheme, setLanguage, setColorScheme } = usePreferencesStore();
  const current = useViewStore((state) => state.page);
  const setPage = useViewStore((state) => state.setPage);
  const toggleLabel = colorScheme === 'dark' ? t('app.themeToLight') : t('app.themeToDark');
  const appVersion = desktopAppVersion();
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
        {NAV.map(({ page, labelKey, icon }) => (
          <NavLink
            key={page}
            label={t(labelKey)}
            leftSection={icon}
            active={current === page}
            aria-current={current === page ? 'page' : undefined}
            href={hashOfPage(page)}
            onClick={(event) => {
              event.preventDefault();
              setPage(page);
            }}
          />
        ))}
        {appVersion !== undefined && (
          <Text size="xs" c="dimmed" mt="auto" px="sm" pb={4} data-testid="app-version">
            {t('desktop.appVersion', { version: appVersion })}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main style={{ height: '100dvh', display: 'flex', flexDirection: 'column' }}>
        <ConnectionBanner />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
