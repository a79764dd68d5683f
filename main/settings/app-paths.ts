import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'eKuiper Extension Manager';

/**
 * The folder Electron's `app.getPath('userData')` returns for this app, computed without Electron so the
 * headless host and the desktop app share settings and the data folder. `EKUIPER_MANAGER_USER_DATA` moves it
 * for both (the desktop app sets its user-data path from the same variable).
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const chosen = env.EKUIPER_MANAGER_USER_DATA;
  if (chosen !== undefined && chosen !== '') return chosen;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/** The default eKuiper-layout data folder inside the app's user-data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return join(userDataDir(env, platform), 'ekuiper');
}

/** The servers the window manages, in the user-data folder (secrets excluded). */
export const SERVERS_FILE = 'servers.json';
/** The servers' tokens, private keys and passwords, beside servers.json, readable only by the user. */
export const SERVER_SECRETS_FILE = 'server-secrets.json';
/** The AI function generator's endpoint (base URL and model; its key is with the server secrets). */
export const AI_ENDPOINT_FILE = 'ai-endpoint.json';
