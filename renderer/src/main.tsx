import { createRoot } from 'react-dom/client';

/** Placeholder page until the Extensions page lands: says where the API is. */
function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 32 }}>
      <h1>eKuiper Extension Manager</h1>
      <p>
        The plugin host is running. Its eKuiper-compatible REST API answers on this address, for example{' '}
        <a href="/plugins/portables">/plugins/portables</a>.
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
