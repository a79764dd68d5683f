import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { PluginOverview } from '../../../shared/plugin-dto';
import { i18next, initI18n, type Language } from '../i18n/i18n';

/** `ui` inside the providers the window uses (Mantine, i18next, notifications); also for `rerender`. */
export function withProviders(ui: ReactElement): ReactElement {
  return (
    <I18nextProvider i18n={i18next}>
      <MantineProvider>
        <Notifications />
        {ui}
      </MantineProvider>
    </I18nextProvider>
  );
}

/** Renders a component inside the providers the window uses (Mantine, i18next, notifications). */
export function renderWithProviders(ui: ReactElement, language: Language = 'en'): RenderResult {
  initI18n(language);
  return render(withProviders(ui));
}

/** A plugin as `GET /manager/plugins` lists it (a lean row), with a record summary unless `record: null` is given. */
export function plugin(
  overrides: Partial<PluginOverview> & Pick<PluginOverview, 'kind' | 'name'>,
): PluginOverview {
  const { kind, name } = overrides;
  return {
    version: '',
    functions: [],
    sources: kind === 'sources' ? [name] : [],
    sinks: kind === 'sinks' ? [name] : [],
    record: {
      source: `file:///zips/${name}.zip`,
      installedAt: '2026-11-20T10:00:00.000Z',
      zipBytes: 1000,
      installedBytes: 2000,
    },
    ...overrides,
  };
}
