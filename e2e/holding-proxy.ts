import { createServer } from 'node:http';
import { closeServer, forward, listenOnLoopback } from '../test/support/stand-in-server';

/**
 * A proxy in front of `target` that holds the requests `hold` picks until `release()`: a server that is slow at
 * exactly that, for exactly as long as the test wants.
 */
export async function holdingProxy(
  target: string,
  hold: (method: string, path: string) => boolean,
): Promise<{ url: string; release(): void; close(): Promise<void> }> {
  const held: Array<() => void> = [];
  let released = false;
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    const go = () => forward(target, path, request, response);
    if (released || !hold(request.method ?? 'GET', path)) go();
    else held.push(go);
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    release: () => {
      released = true;
      for (const go of held.splice(0)) go();
    },
    close: () => closeServer(server),
  };
}

/** Plugin lists: eKuiper's `/plugins…` and our host's `/manager/plugins`. */
export const PLUGIN_LISTS = (method: string, path: string) =>
  method === 'GET' && /^\/(manager\/)?plugins/.test(path);
