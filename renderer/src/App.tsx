import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import { Center, Loader, MantineProvider, createTheme } from '@mantine/core';
import { useEffect } from 'react';
import { I18nextProvider } from 'react-i18next';
import { AppLayout } from './components/AppLayout';
import { AppNotifications } from './components/AppNotifications';
import { LazyPart } from './components/LazyPart';
import { i18next, initI18n } from './i18n/i18n';
import { lazyNamed, useAfterFirstPaint } from './lib/lazy';
import { ExtensionsPage } from './pages/ExtensionsPage';
import { onReconnect, startHeartbeat } from './stores/connection-store';
import { usePluginsStore } from './stores/plugins-store';
import { usePreferencesStore } from './stores/preferences-store';
import { loadRouteLists } from './stores/route-list-store';
import { followAddress, followCurrentServer } from './stores/server-view';
import { startServersPolling, useServersStore } from './stores/servers-store';
import { useViewStore } from './stores/view-store';

// The settings and servers pages are not part of the first paint: their own chunks, loaded when first shown.
const SettingsPage = lazyNamed(() => import('./pages/SettingsPage'), 'SettingsPage');
const ServersPage = lazyNamed(() => import('./pages/ServersPage'), 'ServersPage');
// So is the fleet view, with its matrix and bulk dialog.
const FleetPage = lazyNamed(() => import('./pages/FleetPage'), 'FleetPage');
// And the Develop page: new plugin, package, live reload, deploy, AI function generator.
const DevelopPage = lazyNamed(() => import('./pages/DevelopPage'), 'DevelopPage');

const theme = createTheme({ primaryColor: 'teal', defaultRadius: 'md' });

/**
 * The whole window: providers (Mantine with the chosen theme, i18next with the chosen language, notifications),
 * the page and server the address names, the first load, the heartbeat that notices a host going away or refusing
 * the token, a reload when it answers again, and the server list read in the background.
 */
export function App() {
  const language = usePreferencesStore((state) => state.language);
  const colorScheme = usePreferencesStore((state) => state.colorScheme);
  const page = useViewStore((state) => state.page);
  // An empty notification area is invisible: it mounts after the first paint (notifications shown before then
  // wait in Mantine's store).
  const painted = useAfterFirstPaint();
  initI18n(language);

  useEffect(() => {
    const follow = () => followAddress(window.location.hash);
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    const load = () => void usePluginsStore.getState().load();
    // The entry script starts the first load before the first render; only load here if it did not.
    if (usePluginsStore.getState().status === 'idle') load();
    // The services and custom-functions lists: small, and their answers also say whether the server has them.
    loadRouteLists();
    const stopListening = onReconnect(() => {
      load();
      loadRouteLists();
    });
    const stopListeningForServers = onReconnect(() => void useServersStore.getState().load());
    const stopHeartbeat = startHeartbeat();
    const stopFollowing = followCurrentServer();
    const stopPolling = startServersPolling();
    return () => {
      stopListening();
      stopListeningForServers();
      stopHeartbeat();
      stopFollowing();
      stopPolling();
    };
  }, []);

  return (
    <I18nextProvider i18n={i18next}>
      <MantineProvider theme={theme} forceColorScheme={colorScheme}>
        {painted && <AppNotifications />}
        <AppLayout>
          {page === 'extensions' ? (
            <ExtensionsPage />
          ) : (
            <LazyPart
              fallback={
                <Center p="xl">
                  <Loader size="sm" />
                </Center>
              }
            >
              {page === 'settings' ? (
                <SettingsPage />
              ) : page === 'fleet' ? (
                <FleetPage />
              ) : page === 'develop' ? (
                <DevelopPage />
              ) : (
                <ServersPage />
              )}
            </LazyPart>
          )}
        </AppLayout>
      </MantineProvider>
    </I18nextProvider>
  );
}
