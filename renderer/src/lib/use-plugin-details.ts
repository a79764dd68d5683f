import { useCallback, useEffect, useState } from 'react';
import type { PluginDetails, PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi } from '../api/plugin-api';
import { noteConnectionError } from '../stores/connection-store';

/** Where one plugin's details stand: `details` stays while a changed row is fetched again, so nothing jumps. */
export interface PluginDetailsState {
  details: PluginDetails | undefined;
  loading: boolean;
  error: string | undefined;
  retry: () => void;
}

interface Loaded {
  /** `kind/name` the answer belongs to: another plugin's answer is never shown. */
  plugin: string;
  details?: PluginDetails;
  error?: string;
  loading: boolean;
}

/**
 * Fetches the details the list leaves out (file, sha256, install parameters, install.sh output) for the plugin a
 * drawer shows, and again whenever its row changes — an update or a new function list rewrites the record — so
 * the drawer never shows the previous install's log beside the new install's row. `available` false (a server
 * without this app's details route) asks nothing.
 */
export function usePluginDetails(plugin: PluginOverview | undefined, available = true): PluginDetailsState {
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [attempt, setAttempt] = useState(0);
  const kind = plugin?.kind;
  const name = plugin?.name;
  // The row's content, not its identity: every list reload makes new objects for unchanged rows.
  const rowContent = plugin === undefined ? undefined : JSON.stringify(plugin);

  useEffect(() => {
    if (kind === undefined || name === undefined || !available) {
      setLoaded(undefined);
      return;
    }
    const id = `${kind}/${name}`;
    setLoaded((previous) =>
      previous?.plugin === id
        ? { plugin: id, details: previous.details, loading: true }
        : { plugin: id, loading: true },
    );
    let live = true;
    pluginApi.details(kind, name).then(
      (details) => {
        if (live) setLoaded({ plugin: id, details, loading: false });
      },
      (error: unknown) => {
        noteConnectionError(error);
        if (live) setLoaded({ plugin: id, error: (error as Error).message, loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, [kind, name, rowContent, attempt, available]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  const current = loaded !== undefined && loaded.plugin === `${kind}/${name}` ? loaded : undefined;
  return {
    details: current?.details,
    loading: available && (current === undefined || current.loading),
    error: current?.error,
    retry,
  };
}
