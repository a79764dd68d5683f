import { ActionIcon, AppShell, Burger, Group, NativeSelect, NavLink, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { desktopAppVersion } from '../api/desktop-bridge';
import { LANGUAGES, type Language } from '../i18n/i18n';
import { lazyNamed, useOnceTrue } from '../lib/lazy';
import { usePreferencesStore } from '../stores/preferences-store';
import { useServerDialogStore } from '../stores/server-dialog-store';
import { hashOfPage, useViewStore, type AppPage } from '../stores/view-store';
import { ConnectionBanner } from './ConnectionBanner';
import { CodeIcon, FleetIcon, GearIcon, MoonIcon, PuzzleIcon, ServerIcon, SunIcon } from './Icons';
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
  { page: 'develop', labelKey: 'app.nav.develop', icon: <CodeIcon /> },
  { page: 'servers', labelKey: 'app.nav.servers', icon: <ServerIcon /> },
  { page: 'fleet', labelKey: 'app.nav.fleet', icon: <FleetIcon /> },
  { page: 'settings', labelKey: 'app.nav.settings', icon: <GearIcon /> },
];

/**
 * Below this width the navigation folds away behind a burger in the header: at 800 px a 200 px sidebar leaves
 * the plugin table too little room. Mantine's `md` (62em), as a media query for the parts Mantine leaves to us.
 */
export const NAV_BREAKPOINT = 'md';
export const NARROW_WINDOW_QUERY = '(max-width: 61.99em)';

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { language, colorScheme, setLanguage, setColorScheme } = usePreferencesStore();
  const current = useViewStore((state) => state.page);
  const setPage = useViewStore((state) => state.setPage);
  const toggleLabel = colorScheme === 'dark' ? t('app.themeToLight') : t('app.themeToDark');
  const appVersion = desktopAppVersion();
  const navigation = useFoldingNavigation();
  const serverDialogMounted = useOnceTrue(useServerDialogStore((state) => state.opened));
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 200, breakpoint: NAV_BREAKPOINT, collapsed: { mobile: !navigation.opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              ref={navigation.burgerRef}
              opened={navigation.opened}
              onClick={navigation.toggle}
              hiddenFrom={NAV_BREAKPOINT}
              size="sm"
              aria-label={navigation.opened ? t('shell.closeNavigation') : t('shell.openNavigation')}
              aria-expanded={navigation.opened}
              aria-controls="main-navigation"
            />
            <PuzzleIcon />
            <Title
              order={1}
              size="h4"
              style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
            >
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
            {/* A native title: Mantine's Tooltip sets up its floating element on the first paint's path. */}
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={toggleLabel}
              title={toggleLabel}
              onClick={() => setColorScheme(colorScheme === 'dark' ? 'light' : 'dark')}
            >
              {colorScheme === 'dark' ? <SunIcon /> : <MoonIcon />}
            </ActionIcon>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        p="xs"
        aria-label={t('app.navigation')}
        component="nav"
        id="main-navigation"
        ref={navigation.navRef}
        inert={navigation.hidden}
        onKeyDown={navigation.onKeyDown}
      >
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
              navigation.close();
            }}
          />
        ))}
        {appVersion !== undefined && (
          <Text size="xs" c="dimmed" mt="auto" px="sm" pb={4} data-testid="app-version">
            {t('desktop.appVersion', { version: appVersion })}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main
        style={{ height: '100dvh', display: 'flex', flexDirection: 'column' }}
        inert={navigation.covering}
      >
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

/**
 * The navigation's state in a narrow window, where it is a panel over the page opened from the burger: hidden
 * links are out of the tab order (`inert`), the page under an open panel too; opening moves focus to the current
 * link, Escape or choosing a page closes it and the burger gets focus back. A wide window always shows it.
 */
function useFoldingNavigation() {
  const narrow = useMediaQuery(NARROW_WINDOW_QUERY, undefined, { getInitialValueInEffect: false });
  const [opened, setOpened] = useState(false);
  const burgerRef = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLDivElement>(null);
  const open = narrow && opened;

  useEffect(() => {
    if (!narrow) setOpened(false);
  }, [narrow]);
  useEffect(() => {
    if (!open) return;
    navRef.current?.querySelector<HTMLElement>('[aria-current="page"], a')?.focus();
  }, [open]);

  const close = () => {
    if (!open) return;
    setOpened(false);
    burgerRef.current?.focus();
  };
  return {
    opened: open,
    /** The links are off screen: nothing in them can be reached. */
    hidden: narrow && !opened,
    /** The panel covers the page: the page cannot be reached either. */
    covering: open,
    burgerRef,
    navRef,
    toggle: () => (open ? close() : setOpened(true)),
    close,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Escape' && open) {
        event.stopPropagation();
        close();
      }
    },
  };
}
