import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { detectLanguage, type Language } from '../i18n/i18n';

export type ColorScheme = 'light' | 'dark';

interface PreferencesState {
  language: Language;
  colorScheme: ColorScheme;
  setLanguage: (language: Language) => void;
  setColorScheme: (scheme: ColorScheme) => void;
}

function preferredScheme(): ColorScheme {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'light';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * The user's choices that outlive the window (language, theme), kept in localStorage. In Electron the renderer's
 * localStorage persists per app profile, so the same store serves both shells.
 */
export const usePreferencesStore = create<PreferencesState>()(
  persist(
    (set) => ({
      language: detectLanguage(),
      colorScheme: preferredScheme(),
      setLanguage: (language) => set({ language }),
      setColorScheme: (colorScheme) => set({ colorScheme }),
    }),
    {
      name: 'ekuiper-extension-manager.preferences',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ language, colorScheme }) => ({ language, colorScheme }),
    },
  ),
);
