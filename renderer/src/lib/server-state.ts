import type { TFunction } from 'i18next';
import { LOCAL_SERVER_ID, type ServerCheck, type ServerInfo } from '../../../shared/server-dto';

/** A server's name as the window shows it: the built-in one in the window's language ("This computer", "本机"). */
export function serverName(
  server: Pick<ServerInfo, 'id' | 'name' | 'builtIn'> | undefined,
  t: TFunction,
): string {
  if (server === undefined) return '';
  return server.builtIn || server.id === LOCAL_SERVER_ID ? t('servers.local') : server.name;
}

/** A request to a remote server that failed for the server's sake (not the host's), as requests report it. */
export interface ReportedProblem {
  /** `unreachable`: the host could not reach it (502); `timeout`: it did not answer in time (504); `auth`: 401. */
  kind: 'unreachable' | 'timeout' | 'auth';
  /** The host's or the server's own words. */
  message: string;
  /** When it was reported (epoch ms): a later good check supersedes it. */
  at: number;
}

/**
 * How a server stands, in the words the window uses everywhere (switcher dot, Servers page badge, banner):
 * `up`, `down` (not reachable), `auth` (reachable, credentials refused), `readOnly` (credentials may only read),
 * `problem` (reachable but not answering as eKuiper should), `unchecked` (no check has finished yet).
 */
export type ServerStanding = 'up' | 'down' | 'auth' | 'readOnly' | 'problem' | 'unchecked';

/** The dot's colour for a standing: green, amber for a problem with access, red when unreachable, grey unknown. */
export type HealthTone = 'green' | 'amber' | 'red' | 'grey';

export interface ServerState {
  standing: ServerStanding;
  tone: HealthTone;
  /** The server's or the host's own words when something is wrong. */
  message: string | undefined;
  /** With `down`: whether it was a timeout (the server did not answer in time). */
  timedOut: boolean;
  /** Whether `message` is the host's own sentence (a catalog message, quoting the server itself), not the server's. */
  hostWorded?: boolean;
}

const TONES: Record<ServerStanding, HealthTone> = {
  up: 'green',
  down: 'red',
  auth: 'amber',
  readOnly: 'amber',
  problem: 'amber',
  unchecked: 'grey',
};

function fromHealth(health: ServerCheck): ServerState {
  if (!health.reachable) {
    return { standing: 'down', tone: 'red', message: health.message, timedOut: health.problem === 'timeout' };
  }
  if (health.authOk === false || health.problem === 'auth') {
    return { standing: 'auth', tone: 'amber', message: health.message, timedOut: false };
  }
  if (!health.ok) return { standing: 'problem', tone: 'amber', message: health.message, timedOut: false };
  if (health.readOnly === true) {
    return { standing: 'readOnly', tone: 'amber', message: health.message, timedOut: false };
  }
  return { standing: 'up', tone: 'green', message: undefined, timedOut: false };
}

/**
 * A server's standing from its last health check and any failure a request reported since: a request's failure
 * counts until a check that finished after it says otherwise, so the window reacts at once to a server that went
 * away and recovers as soon as the host (or the user's Test) finds it back.
 */
export function serverState(server: ServerInfo | undefined, reported?: ReportedProblem): ServerState {
  const health = server?.health;
  const superseded =
    reported !== undefined && health !== undefined && Date.parse(health.checkedAt) > reported.at;
  if (reported !== undefined && !superseded) {
    const standing: ServerStanding = reported.kind === 'auth' ? 'auth' : 'down';
    return {
      standing,
      tone: TONES[standing],
      message: reported.message,
      timedOut: reported.kind === 'timeout',
    };
  }
  if (health === undefined)
    return { standing: 'unchecked', tone: 'grey', message: undefined, timedOut: false };
  return fromHealth(health);
}

/** Mantine colour names for each tone, in light and dark alike. */
export const TONE_COLORS: Record<HealthTone, string> = {
  green: 'teal',
  amber: 'yellow',
  red: 'red',
  grey: 'gray',
};
