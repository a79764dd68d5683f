import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { usePluginsStore } from './stores/plugins-store';

/** Mounts the window into `#root`, taking over the lists the entry script already asked the host for. */
export function mountApp(): void {
  void usePluginsStore.getState().load();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
