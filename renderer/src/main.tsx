import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { usePluginsStore } from './stores/plugins-store';

// Asked for before React's first render, so the host encodes and sends the list while the window draws itself.
void usePluginsStore.getState().load();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
