import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import type { DataLayout } from '../plugins/data-layout.js';
import { hostMessage } from '../../shared/host-messages.js';
import { sizeText } from '../../shared/size-text.js';
import { obtainFile } from '../plugins/zip-source.js';
import type { SettingsSource } from '../settings/host-settings.js';
import { decodeGoBody } from './go-json.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendText } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

const PARTIAL_PREFIX = '.upload-';

/** Go's `template.HTMLEscapeString`, which eKuiper applies to the path it answers. */
function htmlEscape(text: string): string {
  return text.replace(
    /[&'<>"\0]/g,
    (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!,
  );
}

/** An upload name is one plain file name: anything else would write outside data/uploads. */
function checkUploadName(name: string, prefix: string): void {
  if (
    name === '' ||
    name === '.' ||
    name === '..' ||
    /[/\\\0]/.test(name) ||
    name.startsWith(PARTIAL_PREFIX)
  ) {
    throw new PluginError(
      `${prefix}: openat ${name}: path escapes from parent (an upload name must be a plain file name such as plugin.zip)`,
    );
  }
}

/**
 * eKuiper's upload API (reference §2.4): the window uploads a dropped zip here and installs it from the path
 * it gets back. Bodies stream to a temporary file that is renamed into place when complete, so memory stays
 * flat for large zips and a cut-off upload never leaves a partial file under its real name.
 */
export function registerUploadRoutes(
  app: FastifyInstance,
  options: { layout: DataLayout; settings: SettingsSource },
): void {
  const { layout, settings } = options;
  const uploads = layout.uploadsDir;

  async function receiveMultipart(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    if (!request.isMultipart()) {
      throw new PluginError(
        "Error parse the multi part form: request Content-Type isn't multipart/form-data",
      );
    }
    const limit = settings.read().maxDownloadBytes;
    // preservePath: busboy would otherwise cut `../x.zip` down to `x.zip` silently, so the name check below
    // never saw what the client sent and an upload could land under (and overwrite) another name.
    for await (const part of request.parts({ preservePath: true, limits: { fileSize: limit } })) {
      if (part.type !== 'file' || part.fieldname !== 'uploadFile') {
        if (part.type === 'file') part.file.resume();
        continue;
      }
      checkUploadName(part.filename, 'Error creating the file');
      const partial = join(uploads, `${PARTIAL_PREFIX}${randomUUID()}.part`);
      try {
        await pipeline(part.file, createWriteStream(partial));
        if (part.file.truncated) {
          throw new PluginError(
            `Error writing the file: ${hostMessage('uploadTooLarge', { file: part.filename, limit: sizeText(limit) })}`,
          );
        }
        const target = join(uploads, part.filename);
        await rename(partial, target);
        return sendText(reply, 201, htmlEscape(target));
      } catch (error) {
        await rm(partial, { force: true });
        throw error instanceof PluginError
          ? error
          : new PluginError(`Error writing the file: ${errorText(error)}`);
      }
    }
    throw new PluginError(
      'Error Retrieving the File: http: no such file (send the file in the form field uploadFile)',
    );
  }

  async function receiveJson(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const decoded = decodeGoBody(bodyText(request), 'fileContent');
    if (!decoded.ok) throw new PluginError(`Invalid body: Error decoding file json: ${decoded.error}`);
    const { name = '', content = '', file = '' } = decoded.body as Record<string, string | undefined>;
    if (name === '' || (content === '' && file === '')) {
      throw new PluginError(
        'Invalid body: missing necessary field: give "name" and either "content" or "file"',
      );
    }
    checkUploadName(name, 'Upload error: getFile has error');
    const partial = join(uploads, `${PARTIAL_PREFIX}${randomUUID()}.part`);
    const target = join(uploads, name);
    try {
      if (file !== '') {
        const current = settings.read();
        await obtainFile(file, partial, {
          uploadsDir: uploads,
          allowExternalFileAccess: current.allowExternalFileAccess,
          allowPrivateNetwork: current.allowPrivateNetwork,
          maxDownloadBytes: current.maxDownloadBytes,
          downloadTimeoutMs: current.downloadTimeoutMs,
          pluginHosts: current.pluginHosts,
        });
      } else {
        await writeFile(partial, content);
      }
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw new PluginError(`Upload error: getFile has error: ${errorText(error)}`);
    }
    return sendText(reply, 201, htmlEscape(target));
  }

  route(app, '/config/uploads', {
    GET: async (_request, reply) => {
      const names = (await readdir(uploads)).filter((file) => !file.startsWith(PARTIAL_PREFIX)).sort();
      return sendJson(
        reply,
        names.map((file) => join(uploads, file)),
      );
    },
    POST: async (request, reply) => {
      if (request.headers['content-type'] === 'application/json') return await receiveJson(request, reply);
      return await receiveMultipart(request, reply);
    },
  });
  methodNotAllowed(app, '/config/uploads', ['GET', 'POST']);
  route(app, '/config/uploads/:name', {
    DELETE: async (request, reply) => {
      const name = (request.params as { name: string }).name;
      checkUploadName(name, 'Error deleting the file');
      const target = join(uploads, name);
      try {
        await rm(target);
      } catch {
        throw new PluginError(`Error deleting the file: remove ${target}: no such file or directory`);
      }
      return sendText(reply, 200, 'ok');
    },
  });
  methodNotAllowed(app, '/config/uploads/:name', ['DELETE']);
}
