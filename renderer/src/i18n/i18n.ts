import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

/** The languages the window speaks; `zh-CN` matches the `zh_CN` keys of eKuiper's metadata. */
export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'zh-CN', label: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['value'];

/** Resource bundles, exported so a test can check both languages carry the same keys. */
export const resources = { en: { translation: en }, 'zh-CN': { translation: zhCN } } as const;

/** The language to start in when the user has not chosen one: the browser's, if it is Chinese. */
export function detectLanguage(): Language {
  const preferred = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return preferred.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** eKuiper's metadata key for a window language (`en_US`, `zh_CN`). */
export function metadataLocale(language: string): 'en_US' | 'zh_CN' {
  return language === 'zh-CN' ? 'zh_CN' : 'en_US';
}

/**
 * Initialises i18next once, synchronously (resources are bundled), so the first render is already translated.
 * Switching language later is `i18n.changeLanguage`, which re-renders every `useTranslation` user.
 */
export function initI18n(language: Language): typeof i18next {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources,
      lng: language,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
    });
  } else if (i18next.language !== language) {
    void i18next.changeLanguage(language);
  }
  return i18next;
}

export { i18next };
