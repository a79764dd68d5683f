import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DevelopStartRequest } from '../../shared/develop-dto.js';
import { hostMessage } from '../../shared/host-messages.js';
import type { DevelopSessions } from '../authoring/develop/develop-sessions.js';
import { PluginError } from '../plugins/plugin-error.js';
import { endStreamsOnClose, openEventStream } from './event-stream.js';
import { bodyText } from './plugin-routes.js';
import { sendJson } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface DevelopRouteOptions {
  sessions: DevelopSessions;
}

/** The body of `POST /manager/develop`, or a refusal that says what to send. */
function startRequest(request: FastifyRequest): DevelopStartRequest {
  const text = bodyText(request).trim();
  const refuse = (problem: string) => new PluginError(hostMessage('developBodyInvalid', { problem }));
  if (text === '') throw refuse('the body is empty');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw refuse('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw refuse('the body is not an object');
  const folder = (body as Record<string, unknown>).folder;
  if (typeof folder !== 'string' || folder.trim() === '') throw refuse('"folder" is missing');
  return { folder };
}

const idOf = (request: FastifyRequest): string => (request.params as { id: string }).id;

/**
 * Develop mode over REST (`/manager/develop`): start a session on a plugin folder (201 once its first build is
 * done), list and read sessions, stop one, and follow one's builds as Server-Sent Events. Every session stops
 * before the server closes, and its streams end with a `stopped` event.
 */
export function registerDevelopRoutes(app: FastifyInstance, options: DevelopRouteOptions): void {
  const { sessions } = options;
  // Before the streams end: their clients still get each session's `stopped` event.
  app.addHook('preClose', async () => {
    await sessions.close();
  });
  const streams = endStreamsOnClose(app);

  route(app, '/manager/develop', {
    GET: (_request, reply) =>
      sendJson(
        reply,
        sessions.list().map((session) => session.toJSON()),
      ),
    POST: async (request, reply) => {
      const session = await sessions.start(startRequest(request).folder);
      return sendJson(reply, session.toJSON(), 201);
    },
  });
  methodNotAllowed(app, '/manager/develop', ['GET', 'POST']);

  route(app, '/manager/develop/:id', {
    GET: (request, reply) => sendJson(reply, sessions.get(idOf(request)).toJSON()),
    DELETE: async (request, reply) => sendJson(reply, (await sessions.stop(idOf(request))).toJSON()),
  });
  methodNotAllowed(app, '/manager/develop/:id', ['GET', 'DELETE']);

  route(app, '/manager/develop/:id/events', {
    GET: (request, reply) => {
      const session = sessions.get(idOf(request));
      let unsubscribe = (): void => {};
      const stream = openEventStream(
        request,
        reply,
        streams,
        () => unsubscribe(),
        `: develop session ${session.id} (${session.plugin})\nretry: 3000\n\n`,
      );
      if (session.isStopped) {
        stream.end();
        return reply;
      }
      unsubscribe = session.subscribe((event) => {
        stream.send(event, event.type);
        if (event.type === 'stopped') stream.end();
      });
      return reply;
    },
  });
  methodNotAllowed(app, '/manager/develop/:id/events', ['GET']);
}
