import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { detectLanguage, type Language } from '../i18n/i18n';

export type ColorScheme = 'light' | 'dark';

/** How many servers a fleet action runs on at once: the host's bounds, and where the window starts. */
export const FLEET_CONCURRENCY = { min: 1, max: 16, default: 4 } as const;

/** A concurrency the host accepts: a whole number within its bounds, else the default. */
export function clampConcurrency(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return FLEET_CONCURRENCY.default;
  return Math.min(FLEET_CONCURRENCY.max, Math.max(FLEET_CONCURRENCY.min, Math.round(value)));
}

interface PreferencesState {
  language: Language;
  colorScheme: ColorScheme;
  /** Servers a fleet action runs on at once (1–16). */
  fleetConcurrency: number;
  setLanguage: (language: Language) => void;
  setColorScheme: (scheme: ColorScheme) => void;
  setFleetConcurrency: (value: number) => void;
}

function preferredScheme(): ColorScheme {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return 'light';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * The user's choices that outlive the window (language, theme, fleet concurrency), kept in localStorage. In Electron the renderer's
 * localStorage persists per app profile, so the same store serves both shells.
 */
export const usePreferencesStore = create<PreferencesState>()(
  persist(
    (set) => ({
      language: detectLanguage(),
      colorScheme: preferredScheme(),
      fleetConcurrency: FLEET_CONCURRENCY.default,
      setLanguage: (language) => set({ language }),
      setColorScheme: (colorScheme) => set({ colorScheme }),
      setFleetConcurrency: (value) => set({ fleetConcurrency: clampConcurrency(value) }),
    }),
    {
      name: 'ekuiper-extension-manager.preferences',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ language, colorScheme, fleetConcurrency }) => ({
        language,
        colorScheme,
        fleetConcurrency,
      }),
      // A stored value from an older window or edited by hand: back within the host's bounds.
      merge: (stored, current) => {
        const state = { ...current, ...(stored as Partial<PreferencesState> | undefined) };
        return { ...state, fleetConcurrency: clampConcurrency(state.fleetConcurrency) };
      },
    },
  ),
);
