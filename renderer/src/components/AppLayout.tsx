import { ActionIcon, AppShell, Group, NativeSelect, NavLink, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { desktopAppVersion } from '../api/desktop-bridge';
import { LANGUAGES, type Language } from '../i18n/i18n';
import { lazyNamed, useOnceTrue } from '../lib/lazy';
import { usePreferencesStore } from '../stores/preferences-store';
import { useServerDialogStore } from '../stores/server-dialog-store';
import { hashOfPage, useViewStore, type AppPage } from '../stores/view-store';
import { ConnectionBanner } from './ConnectionBanner';
import { FleetIcon, GearIcon, MoonIcon, PuzzleIcon, ServerIcon, SunIcon } from './Icons';
import { LazyPart } from './LazyPart';
import { ServerSwitcher } from './ServerSwitcher';

// Opened from the Servers page, the switcher or the banner: loaded when first opened.
const ServerDialog = lazyNamed(() => import('./ServerDialog'), 'ServerDialog');

/**
 * The window's frame: header with the product name, the server switcher, language switch and theme toggle;
 * navigation between the pages on the left (links with addresses, so keyboard, back button and reload work);
 * the connection banner above whichever page is shown; in the desktop app, the app's version below the links.
 */
const NAV: Array<{ page: AppPage; labelKey: string; icon: ReactNode }> = [
  { page: 'extensions', labelKey: 'app.nav.extensions', icon: <PuzzleIcon /> },
  { page: 'servers', labelKey: 'app.nav.servers', icon: <ServerIcon /> },
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
  const serverDialogMounted = useOnceTrue(useServerDialogStore((state) => state.opened));
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <PuzzleIcon />
            <Title order={1} size="h4" style={{ whiteSpace: 'nowrap' }}>
              {t('app.name')}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <ServerSwitcher />
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
      {serverDialogMounted && (
        <LazyPart fallback={null} floating>
          <ServerDialog />
        </LazyPart>
      )}
    </AppShell>
  );
}
