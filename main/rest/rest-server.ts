import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import { resolve, sep } from 'node:path';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AiSettingsStore } from '../ai/ai-settings.js';
import type { PythonTrial } from '../ai/python-trial.js';
import type { JsFunctionManager } from '../javascript/js-function-manager.js';
import type { PluginManager } from '../plugins/plugin-manager.js';
import type { ServiceManager } from '../services/service-manager.js';
import type { ServerRegistry } from '../servers/server-registry.js';
import { zipLimitsOf, type SettingsSource } from '../settings/host-settings.js';
import { goArch } from '../plugins/prebuilt-plugins.js';
import { localServerApi } from '../servers/local-server-api.js';
import { accessGuard } from './access-guard.js';
import { registerAuthoringPackRoutes } from './authoring-pack-routes.js';
import { registerAiRoutes } from './ai-routes.js';
import { rewriteLocalForward } from './api-path.js';
import { hostServiceExport } from '../fleet/service-zip.js';
import { DevelopSessions } from '../authoring/develop/develop-sessions.js';
import { developPacker, leftOutByPackaging } from '../authoring/develop/develop-packing.js';
import { registerDevelopRoutes } from './develop-routes.js';
import { registerExtensionFleetRoutes } from './extension-fleet-routes.js';
import { registerFleetRoutes } from './fleet-routes.js';
import { registerJavascriptRoutes } from './javascript-routes.js';
import { registerForwardRoutes } from './forward-routes.js';
import { registerManagerRoutes } from './manager-routes.js';
import { registerPluginRoutes } from './plugin-routes.js';
import { registerRuntimeRoutes } from './runtime-routes.js';
import { registerScaffoldRoutes } from './scaffold-routes.js';
import { registerServerRoutes } from './server-routes.js';
import { registerServiceCallRoutes } from './service-call-routes.js';
import { registerServiceRoutes } from './service-routes.js';
import { sendJson, sendStatusError } from './replies.js';
import { route } from './route-table.js';
import { registerUploadRoutes } from './upload-routes.js';

export interface RestServerOptions {
  manager: PluginManager;
  /** The JavaScript functions (`/udf/javascript`). */
  functions: JsFunctionManager;
  /** The external services (`/services`). */
  services: ServiceManager;
  settings: SettingsSource;
  /** The servers the window manages (`/manager/servers`). */
  servers: ServerRegistry;
  onStopRequested: () => void;
  /** The AI function generator (`/manager/ai`): its endpoint settings and the Python trial on this host. */
  ai: { settings: AiSettingsStore; python: PythonTrial; chatTimeoutMs?: number };
  /** The built renderer (`out/renderer`), served at `/` to browsers when it exists. */
  rendererDir?: string;
  /** Largest JSON body accepted; uploads stream and are capped by settings instead. */
  bodyLimit?: number;
}

function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}

/**
 * The router's limit on one path segment (Fastify's default is 100). Far above the longest name the host
 * installs (250) and the longest file name a data folder can hold (255 bytes), so every plugin and upload
 * can be described and deleted, and a name too long to be valid still reaches the handlers and gets
 * eKuiper's answer (not found, or the name rule) instead of the router's 414.
 */
export const MAX_ROUTE_PARAM_LENGTH = 4096;

/** The build names every file under `assets/` by a hash of its content, so a name never changes meaning. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** `index.html` names the current assets: browsers must ask again each time so a new build is picked up. */
export const PAGE_CACHE_CONTROL = 'no-cache';

/**
 * Cache headers for the built page: the hashed assets are kept for a year and never revalidated, so a reload
 * costs one small request for `index.html` instead of re-checking every script and stylesheet.
 */
function setRendererCacheHeaders(rendererDir: string) {
  const assetsDir = resolve(rendererDir, 'assets') + sep;
  return (reply: { header: (name: string, value: string) => unknown }, path: string) => {
    reply.header(
      'Cache-Control',
      resolve(path).startsWith(assetsDir) ? ASSET_CACHE_CONTROL : PAGE_CACHE_CONTROL,
    );
  };
}

/**
 * Builds the REST server: eKuiper's plugin and upload routes behind the access guard, eKuiper's 404 and 405
 * answers, and the window's page for browsers at `/` (scripts asking `/` get eKuiper's info JSON).
 */
export async function createRestServer(options: RestServerOptions): Promise<FastifyInstance> {
  const { manager, settings } = options;
  const app = Fastify({
    exposeHeadRoutes: false,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    // Closing must not wait on an idle keep-alive or a client that opened a socket and never spoke: the host
    // stops on SIGTERM, on `?stop=1` and when the app quits.
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_ROUTE_PARAM_LENGTH },
    // `/manager/servers/local/api/…` is the host's own API: routed as if asked directly, no network hop.
    rewriteUrl: (request) => rewriteLocalForward(request.url ?? '/'),
  });
  const { servers } = options;
  const startedAt = Date.now();

  // eKuiper decodes JSON whatever the Content-Type (curl -d sends form encoding), so bodies arrive raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  await app.register(fastifyMultipart, { limits: { fields: 10, files: 1 } });

  app.addHook(
    'onRequest',
    accessGuard(() => settings.read()),
  );
  app.options('*', (_request, reply) => reply.code(200).send(''));

  app.setNotFoundHandler((_request, reply) =>
    reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .header('X-Content-Type-Options', 'nosniff')
      .send('404 page not found\n'),
  );
  app.setErrorHandler((thrown, _request, reply) => {
    // Fastify's own failures (a body over the limit, a broken multipart stream) in eKuiper's error shape.
    const error = thrown as { statusCode?: number; message: string };
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 400;
    void sendStatusError(reply, status, error.message);
  });

  route(app, '/ping', { GET: (_request, reply) => reply.code(200).send('') });

  const rendererDir = options.rendererDir !== undefined ? resolve(options.rendererDir) : undefined;
  const hasRenderer = rendererDir !== undefined && existsSync(resolve(rendererDir, 'index.html'));
  if (hasRenderer) {
    await app.register(fastifyStatic, {
      root: rendererDir,
      prefix: '/',
      index: false,
      wildcard: false,
      setHeaders: setRendererCacheHeaders(rendererDir),
    });
  }
  const info = () => ({
    version: settings.read().ekuiperVersion,
    os: process.platform,
    arch: goArch(),
    upTimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
    memoryTotal: String(totalmem()),
  });
  route(app, '/', {
    GET: (request, reply) =>
      hasRenderer && wantsHtml(request.headers.accept)
        ? reply.sendFile('index.html')
        : sendJson(reply, info()),
    POST: (_request, reply) => sendJson(reply, info()),
  });

  registerPluginRoutes(app, { manager, settings, onStopRequested: options.onStopRequested });
  registerUploadRoutes(app, { layout: manager.layout, settings });
  registerManagerRoutes(app, { manager, settings });
  registerJavascriptRoutes(app, { functions: options.functions });
  registerServiceRoutes(app, { services: options.services });
  registerServiceCallRoutes(app, { services: options.services });
  registerRuntimeRoutes(app, { manager, settings });
  registerDevelopRoutes(app, {
    sessions: new DevelopSessions({
      manager,
      build: developPacker(() => zipLimitsOf(settings.read())),
      ignored: leftOutByPackaging,
    }),
  });
  registerAiRoutes(app, { ...options.ai, functions: options.functions });
  registerServerRoutes(app, { servers });
  registerAuthoringPackRoutes(app, { servers, settings });
  await registerForwardRoutes(app, { servers });
  const fleetContext = {
    servers,
    local: localServerApi(app, () => settings.read().token),
    settings: () => settings.read(),
    uploadsDir: manager.layout.uploadsDir,
    hostService: (name: string) => hostServiceExport(manager.layout, name),
  };
  registerFleetRoutes(app, fleetContext);
  registerExtensionFleetRoutes(app, fleetContext);
  registerScaffoldRoutes(app);
  return app;
}
