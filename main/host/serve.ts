import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fileSecretStore } from '../servers/secret-store.js';
import { AI_ENDPOINT_FILE, SERVERS_FILE, SERVER_SECRETS_FILE, userDataDir } from '../settings/app-paths.js';
import { confSettings } from '../settings/conf-settings.js';
import type { HostSettings } from '../settings/host-settings.js';
import { HostStartError, startHost } from './host.js';

const usage = `Usage: npm run serve -- [--port 9081] [--host 127.0.0.1] [--data-dir DIR] [--token TOKEN]

Starts the eKuiper Extension Manager host without Electron: eKuiper's plugin REST API, and the window's page
for browsers, on http://HOST:PORT. Settings come from the app's config.json; flags override them for this run.
The token may also be given as EKUIPER_MANAGER_TOKEN.`;

/** Parses flags into settings overrides; exits with the usage text on a bad flag. */
function parseFlags(argv: string[]): Partial<HostSettings> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(usage);
    process.exit(0);
  }
  const overrides: Partial<HostSettings> = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    // Digits only: Number() reads '' and ' ' as 0 (any free port) and accepts '1e3' or '0x50'.
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw new HostStartError(`--port ${values.port} is not a port number`);
    overrides.restPort = port;
  }
  if (values.host !== undefined) overrides.restHost = values.host;
  if (values['data-dir'] !== undefined) overrides.dataDir = resolve(values['data-dir']);
  const token = values.token ?? process.env.EKUIPER_MANAGER_TOKEN;
  if (token !== undefined) overrides.token = token;
  return overrides;
}

async function main(): Promise<void> {
  let overrides: Partial<HostSettings>;
  try {
    overrides = parseFlags(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  const settings = confSettings(overrides);
  const here = dirname(fileURLToPath(import.meta.url));
  let stopping = false;
  const log = (message: string) => console.log(message);
  const userData = userDataDir();
  const host = await startHost({
    settings,
    rendererDir: resolve(here, '../renderer'),
    log,
    servers: {
      file: join(userData, SERVERS_FILE),
      secrets: fileSecretStore(join(userData, SERVER_SECRETS_FILE), { log }),
    },
    ai: { file: join(userData, AI_ENDPOINT_FILE) },
    onStopRequested: () => {
      // eKuiper answers `?stop=1`, waits a second, then exits with status 100.
      setTimeout(() => void stop(100), 1000);
    },
  });
  async function stop(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    await host.close();
    process.exit(code);
  }
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGINT', () => void stop(0));
  console.log(
    `eKuiper Extension Manager host listening on ${host.url} (data folder ${settings.read().dataDir})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof HostStartError ? error.message : error);
  process.exit(1);
});
