import { isAbsolute, join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostMessage } from '../../shared/host-messages.js';
import { goOsName, type PackRequest } from '../../shared/pack-dto.js';
import {
  packFolder,
  checkFolder,
  type PackOptions,
  type PackTargetServer,
} from '../authoring/pack/pack-folder.js';
import { checkOutputPath, packFileName, packRefusal, writePackedZip } from '../authoring/pack/pack-output.js';
import { PluginError } from '../plugins/plugin-error.js';
import type { ServerRegistry } from '../servers/server-registry.js';
import { zipLimitsOf, type SettingsSource } from '../settings/host-settings.js';
import { bodyText } from './plugin-routes.js';
import { sendJson } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface AuthoringPackRouteOptions {
  servers: ServerRegistry;
  settings: SettingsSource;
}

/** The dist folder in the host's data folder, where a zip goes when the request names no output. */
export const DIST_FOLDER = 'dist';

const invalid = (problem: string): PluginError => new PluginError(`invalid pack request: ${problem}`);

/** The request body: `folder` (required), `server` and `output` (optional), all strings. */
function packRequest(request: FastifyRequest): PackRequest {
  let body: unknown;
  try {
    body = JSON.parse(bodyText(request));
  } catch {
    throw invalid('the body is not JSON; send {"folder":"/path/to/plugin"}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the body must be a JSON object like {"folder":"/path/to/plugin"}');
  }
  const fields = body as Record<string, unknown>;
  if (typeof fields.folder !== 'string' || fields.folder.trim() === '') {
    throw invalid('"folder" must be the path of the plugin folder on this computer');
  }
  for (const field of ['server', 'output'] as const) {
    if (fields[field] !== undefined && (typeof fields[field] !== 'string' || fields[field].trim() === '')) {
      throw invalid(`"${field}" must be a non-empty string when given`);
    }
  }
  if (typeof fields.output === 'string' && !isAbsolute(fields.output)) {
    throw invalid('"output" must be an absolute path (the host does not share the caller\'s working folder)');
  }
  return fields as unknown as PackRequest;
}

/** The chosen server's OS and architecture: its last check, or a check now when it has none yet. */
async function targetServer(servers: ServerRegistry, id: string): Promise<PackTargetServer> {
  const server = servers.get(id);
  if (server === undefined) throw invalid(hostMessage('packNoServer', { id }));
  const health = server.health ?? (await servers.check(id).catch(() => undefined));
  const known = health?.reachable === true;
  return {
    id,
    name: server.name,
    os: known ? goOsName(health.os) : '',
    arch: known ? health.arch : '',
  };
}

/**
 * Packaging a plugin folder on this computer: `POST /manager/authoring/check` answers what packaging would
 * find (files, left-out files, problems with fixes, a Go executable's OS/arch against the chosen server's);
 * `POST /manager/authoring/pack` writes the zip (default `dist/<name>-<version>.zip` in the host's data
 * folder) and answers its path, size and SHA-256, or refuses with every problem and its fix.
 */
export function registerAuthoringPackRoutes(app: FastifyInstance, options: AuthoringPackRouteOptions): void {
  const { servers, settings } = options;
  const packOptions = async (body: PackRequest): Promise<PackOptions> => {
    const current = settings.read();
    return {
      target: body.server === undefined ? undefined : await targetServer(servers, body.server),
      limits: zipLimitsOf(current),
    };
  };

  route(app, '/manager/authoring/check', {
    POST: async (request, reply) => {
      const body = packRequest(request);
      return sendJson(reply, await checkFolder(body.folder, await packOptions(body)));
    },
  });
  methodNotAllowed(app, '/manager/authoring/check', ['POST']);

  route(app, '/manager/authoring/pack', {
    POST: async (request, reply) => {
      const body = packRequest(request);
      if (body.output !== undefined) await checkOutputPath(body.output, body.folder);
      const packed = await packFolder(body.folder, await packOptions(body));
      if (packed.zip === undefined) throw packRefusal(packed);
      const output =
        body.output ?? join(settings.read().dataDir, DIST_FOLDER, packFileName(packed.name!, packed.version));
      return sendJson(reply, await writePackedZip(packed, await checkOutputPath(output, packed.folder)));
    },
  });
  methodNotAllowed(app, '/manager/authoring/pack', ['POST']);
}
