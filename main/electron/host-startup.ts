import { createServer } from 'node:net';
import { HostStartError, type RunningHost } from '../host/host.js';
import { isPortFree } from '../host/port-probe.js';

export { isPortFree };
import type { HostSettings } from '../settings/host-settings.js';

/** What the user decided when the port was taken. */
export type PortChoice = 'use-other-port' | 'quit';

export interface HostStartupOptions {
  settings: { read(): HostSettings; overrideForThisRun(patch: Partial<HostSettings>): void };
  start: () => Promise<RunningHost>;
  /** Asks the user (a dialog in the app): the port is taken; use `freePort` for this run, or quit? */
  askAboutTakenPort: (takenPort: number, freePort: number, address: string) => Promise<PortChoice>;
  /** Tells the user why the host cannot start (a dialog in the app); the app quits afterwards. */
  explainStartFailure: (message: string) => Promise<void>;
}

/** A port the system has just handed out as free on `host`, to offer when the configured one is taken. */
export async function findFreePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ host, port: 0, exclusive: true }, resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no free port found');
  return address.port;
}

/** Attempts before giving up when ports keep being taken between the check and the start. */
const MAX_ATTEMPTS = 3;

/**
 * Starts the host, never failing silently: a taken port (most often a running eKuiper or NeuronEX on 9081)
 * becomes a question — another free port for this run, or quit — and every other start-up failure is
 * explained. Answers the running host, or `undefined` when the app should quit.
 */
export async function startHostAskingOnConflict(
  options: HostStartupOptions,
): Promise<RunningHost | undefined> {
  for (let attempt = 1; ; attempt++) {
    const { restHost, restPort } = options.settings.read();
    if (restPort !== 0 && !(await isPortFree(restHost, restPort))) {
      const freePort = await findFreePort(restHost);
      const choice = await options.askAboutTakenPort(restPort, freePort, restHost);
      if (choice === 'quit') return undefined;
      options.settings.overrideForThisRun({ restPort: freePort });
    }
    try {
      return await options.start();
    } catch (error) {
      const { restHost: host, restPort: port } = options.settings.read();
      const portTakenMeanwhile = port !== 0 && !(await isPortFree(host, port).catch(() => true));
      if (error instanceof HostStartError && portTakenMeanwhile && attempt < MAX_ATTEMPTS) continue;
      const message =
        error instanceof HostStartError
          ? error.message
          : `the plugin host could not start: ${error instanceof Error ? error.message : String(error)}`;
      await options.explainStartFailure(message);
      return undefined;
    }
  }
}
