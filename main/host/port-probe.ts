import { createServer } from 'node:net';

/**
 * Whether something already listens on `host:port` (eKuiper, NeuronEX, another copy of this host): takes the
 * port and lets it go again. Used before the host opens its data folder, and by the desktop app to ask the user.
 */
export async function isPortFree(host: string, port: number): Promise<boolean> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return false;
    throw error;
  }
  await new Promise((resolve) => probe.close(resolve));
  return true;
}
