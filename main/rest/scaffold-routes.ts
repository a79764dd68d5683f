import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostMessage } from '../../shared/host-messages.js';
import {
  SCAFFOLD_SYMBOL_KINDS,
  type ScaffoldLanguage,
  type ScaffoldRouteRequest,
  type ScaffoldWritten,
} from '../../shared/scaffold-dto.js';
import { scaffoldFiles } from '../authoring/scaffold/scaffold-files.js';
import { scaffoldZip } from '../authoring/scaffold/scaffold-zip.js';
import { writeScaffold } from '../authoring/scaffold/write-scaffold.js';
import { PluginError } from '../plugins/plugin-error.js';
import { bodyText } from './plugin-routes.js';
import { sendJson } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

const badBody = (problem: string): PluginError =>
  new PluginError(hostMessage('scaffoldBadBody', { problem }));

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw badBody(`${field} must be a list of names`);
  }
  return value as string[];
}

/** The body, its fields checked for type only: the naming rules are `scaffoldFiles`'s, in the host's words. */
function scaffoldBody(request: FastifyRequest): ScaffoldRouteRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(bodyText(request));
  } catch (error) {
    throw badBody(`it is not JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badBody('it is not a JSON object');
  const fields = raw as Record<string, unknown>;
  if (typeof fields.language !== 'string') throw badBody('language must be "python" or "go"');
  if (typeof fields.name !== 'string') throw badBody('name must be a string');
  if (fields.folder !== undefined && typeof fields.folder !== 'string')
    throw badBody('folder must be a path');
  if (fields.installScript !== undefined && typeof fields.installScript !== 'boolean') {
    throw badBody('installScript must be true or false');
  }
  const body: ScaffoldRouteRequest = {
    language: fields.language as ScaffoldLanguage,
    name: fields.name,
    sources: [],
    sinks: [],
    functions: [],
  };
  for (const kind of SCAFFOLD_SYMBOL_KINDS) body[kind] = stringList(fields[kind], kind);
  if (typeof fields.installScript === 'boolean') body.installScript = fields.installScript;
  if (typeof fields.folder === 'string') body.folder = fields.folder;
  return body;
}

/**
 * `POST /manager/authoring/scaffold`: a new plugin's files. With `folder` they are written there (201 with the
 * files); without, they are answered as a zip download, for the window in a browser and for scripts.
 */
export function registerScaffoldRoutes(app: FastifyInstance): void {
  const url = '/manager/authoring/scaffold';
  route(app, url, {
    POST: async (request, reply) => {
      const { folder, ...scaffold } = scaffoldBody(request);
      const files = scaffoldFiles(scaffold);
      if (folder !== undefined) {
        const written: ScaffoldWritten = { folder, files: await writeScaffold(folder, files) };
        return sendJson(reply, written, 201);
      }
      return reply
        .code(200)
        .header('Content-Type', 'application/zip')
        .header('Content-Disposition', `attachment; filename="${scaffold.name}.zip"`)
        .send(Buffer.from(scaffoldZip(files)));
    },
  });
  methodNotAllowed(app, url, ['POST']);
}
