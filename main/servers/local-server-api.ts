import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { scrubSecrets } from './scrub-secrets.js';
import type { ServerClient, ServerRequest, ServerResponse } from './server-client.js';

/** What the fleet and the inventory need of a server: eKuiper API requests with their answers. */
export type ServerApi = Pick<ServerClient, 'request'>;

/**
 * The host's own eKuiper API as a server like any other, answered in process through Fastify's `inject` (no
 * socket, no port): fleet actions on `local` get exactly the statuses and messages a script gets from the
 * host, through the same routes and access guard. `token` is the host's own token, sent because the guard
 * asks every caller for it.
 */
export function localServerApi(app: FastifyInstance, token: () => string): ServerApi {
  return {
    async request(req: ServerRequest): Promise<ServerResponse> {
      const headers: Record<string, string> = { ...req.headers };
      const secret = token();
      if (secret !== '') headers.authorization = `Bearer ${secret}`;
      const body = typeof req.body === 'function' ? req.body() : req.body;
      const answer = await app.inject({
        method: req.method as 'GET',
        url: req.path,
        headers,
        ...(body === undefined ? {} : { payload: body instanceof Uint8Array ? Buffer.from(body) : body }),
      });
      const bytes = answer.rawPayload;
      const stream = (): Readable => Readable.from([bytes]);
      return {
        status: answer.statusCode,
        headers: answer.headers as ServerResponse['headers'],
        body: stream(),
        text: () => Promise.resolve(bytes.toString('utf8')),
        json: <T>() => Promise.resolve(JSON.parse(bytes.toString('utf8')) as T),
        dump: () => Promise.resolve(),
        scrub: (text) => scrubSecrets(text, [secret]),
      };
    },
  };
}
