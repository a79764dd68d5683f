import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { PLUGIN_KINDS } from '../../shared/plugin-kinds.js';
import {
  RESTART_SETTINGS,
  publicSettings,
  validateSettingsPatch,
  type HostSettings,
  type PublicSettings,
  type SettingsUpdate,
} from '../../shared/host-settings.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { detectOsFlavour, goArch } from '../plugins/prebuilt-plugins.js';
import type { PluginManager } from '../plugins/plugin-manager.js';
import type { SettingsSource } from '../settings/host-settings.js';
import { endStreamsOnClose, openEventStream } from './event-stream.js';
import { goJson } from './go-json.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendJsonBody } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

/**
 * What `auto` means on this machine for the prebuilt-plugin settings, so the settings page can say
 * "auto (debian)": `osFlavour` is null where eKuiper would refuse to pick one (not Linux, no os-release).
 */
export interface ResolvedPlatform {
  osFlavour: 'debian' | 'alpine' | null;
  arch: string;
}

/** `GET /manager/settings`: the public settings plus what their `auto` values resolve to. */
export type SettingsAnswer = PublicSettings & { resolved: ResolvedPlatform };

async function resolvedPlatform(): Promise<ResolvedPlatform> {
  let osFlavour: ResolvedPlatform['osFlavour'] = null;
  if (process.platform === 'linux') osFlavour = await detectOsFlavour().catch(() => null);
  return { osFlavour, arch: goArch() };
}

/**
 * The overview answer, encoded once per registry revision (and gzipped once, for clients that accept it): the
 * window reads it on every start and reload, and with thousands of plugins encoding it took hundreds of
 * milliseconds of the host's only thread, delaying every other request the window made meanwhile. Its rows are
 * lean (no file path, sha256, parameters or install.sh output): one plugin's details are a route of their own.
 */
function cachedOverview(manager: PluginManager): { body: () => Buffer; gzipped: () => Buffer } {
  let revision = -1;
  let body = Buffer.alloc(0);
  let gzipped: Buffer | undefined;
  const fresh = () => {
    if (revision !== manager.revision) {
      body = Buffer.from(goJson(manager.overview()), 'utf8');
      gzipped = undefined;
      revision = manager.revision;
    }
  };
  return {
    body: () => {
      fresh();
      return body;
    },
    gzipped: () => {
      fresh();
      // Level 1: the list is repetitive JSON, so even the fastest level shrinks it about twentyfold.
      gzipped ??= gzipSync(body, { level: 1 });
      return gzipped;
    },
  };
}

/** Whether an `Accept-Encoding` header allows gzip (not refused with `q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== 'x-gzip') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export interface ManagerRouteOptions {
  manager: PluginManager;
  settings: SettingsSource;
}

/**
 * The host's own API for the window, under `/manager/…`: plugin UI metadata, settings, and install progress
 * as Server-Sent Events. Errors answer in eKuiper's shape like every other route.
 */
export function registerManagerRoutes(app: FastifyInstance, options: ManagerRouteOptions): void {
  const { manager, settings } = options;

  const overview = cachedOverview(manager);
  route(app, '/manager/plugins', {
    GET: (request, reply) => {
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      reply.header('Vary', 'Accept-Encoding');
      if (gzip) reply.header('Content-Encoding', 'gzip');
      return sendJsonBody(reply, gzip ? overview.gzipped() : overview.body());
    },
  });
  methodNotAllowed(app, '/manager/plugins', ['GET']);

  for (const kind of PLUGIN_KINDS) {
    // One plugin's details: what the list leaves out (file, sha256, install parameters, install.sh's output).
    const detailsUrl = `/manager/plugins/${kind}/:name`;
    route(app, detailsUrl, {
      GET: (request, reply) =>
        sendJson(reply, manager.details(kind, (request.params as { name: string }).name)),
    });
    methodNotAllowed(app, detailsUrl, ['GET']);

    const url = `/manager/plugins/${kind}/:name/metadata`;
    route(app, url, {
      GET: async (request, reply) =>
        sendJson(reply, await manager.metadata(kind, (request.params as { name: string }).name)),
    });
    methodNotAllowed(app, url, ['GET']);
  }

  route(app, '/manager/settings', {
    GET: async (_request, reply) => {
      const answer: SettingsAnswer = {
        ...publicSettings(settings.read()),
        resolved: await resolvedPlatform(),
      };
      return sendJson(reply, answer);
    },
    PUT: async (request, reply) => {
      if (settings.write === undefined) {
        throw new PluginError('invalid settings: this host was started with read-only settings');
      }
      let patch: unknown;
      try {
        patch = JSON.parse(bodyText(request));
      } catch (error) {
        throw new PluginError(`invalid settings: the body is not JSON: ${errorText(error)}`);
      }
      const before = settings.read();
      const checked = validateSettingsPatch(patch, before);
      if (!checked.ok) throw new PluginError(`invalid settings: ${checked.problems.join('; ')}`);
      const changed = (Object.keys(checked.patch) as Array<keyof HostSettings>).filter(
        (key) => JSON.stringify(before[key]) !== JSON.stringify(checked.patch[key]),
      );
      await settings.write(checked.patch);
      const overridden = new Set(settings.overriddenKeys?.() ?? []);
      const answer: SettingsUpdate = {
        settings: publicSettings(settings.read()),
        changed,
        restartRequired: changed.filter((key) => (RESTART_SETTINGS as readonly string[]).includes(key)),
        overridden: changed.filter((key) => overridden.has(key)),
      };
      return sendJson(reply, answer);
    },
  });
  methodNotAllowed(app, '/manager/settings', ['GET', 'PUT']);

  const streams = endStreamsOnClose(app);
  route(app, '/manager/events', {
    GET: (request, reply) => {
      let unsubscribe = (): void => {};
      const stream = openEventStream(
        request,
        reply,
        streams,
        () => unsubscribe(),
        ': eKuiper Extension Manager install events\nretry: 3000\n\n',
      );
      unsubscribe = manager.events.subscribe((event) => stream.send(event));
      return reply;
    },
  });
  methodNotAllowed(app, '/manager/events', ['GET']);
}
