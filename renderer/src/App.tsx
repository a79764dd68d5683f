import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import { MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { I18nextProvider } from 'react-i18next';
import { AppLayout } from './components/AppLayout';
import { i18next, initI18n } from './i18n/i18n';
import { ExtensionsPage } from './pages/ExtensionsPage';
import { onReconnect, startHeartbeat } from './stores/connection-store';
import { usePluginsStore } from './stores/plugins-store';
import { usePreferencesStore } from './stores/preferences-store';

const theme = createTheme({ primaryColor: 'teal', defaultRadius: 'md' });

/**
 * The whole window: providers (Mantine with the chosen theme, i18next with the chosen language, notifications),
 * the first load, the heartbeat that notices a host going away, and a reload when it comes back.
 */
export function App() {
  const language = usePreferencesStore((state) => state.language);
  const colorScheme = usePreferencesStore((state) => state.colorScheme);
  initI18n(language);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    const load = () => void usePluginsStore.getState().load();
    load();
    const stopListening = onReconnect(load);
    const stopHeartbeat = startHeartbeat();
    return () => {
      stopListening();
      stopHeartbeat();
    };
  }, []);

  return (
    <I18nextProvider i18n={i18next}>
      <MantineProvider theme={theme} forceColorScheme={colorScheme}>
        <Notifications position="bottom-right" />
        <AppLayout>
          <ExtensionsPage />
        </AppLayout>
      </MantineProvider>
    </I18nextProvider>
  );
}
