import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the client hangs up before the answer was sent (a closed window, a script's
 * timeout, the window's Cancel), so work done only for that answer — an install waiting on a plugin's start,
 * a source sample — is abandoned instead of finishing for nobody.
 */
export function abortWhenClientLeaves(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('the client went away before the answer'));
  });
  return controller.signal;
}
