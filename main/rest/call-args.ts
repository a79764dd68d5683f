import type { FastifyRequest } from 'fastify';
import { hostMessage } from '../../shared/host-messages.js';
import { PluginError } from '../plugins/plugin-error.js';
import { bodyText } from './plugin-routes.js';

/**
 * The arguments of a Try it call, `{"args":[…]}`; no body (or no `args`) calls the function with none. JavaScript
 * functions and service functions read their calls here, so both refuse a bad body with the same words.
 */
export function callArgs(request: FastifyRequest): unknown[] {
  const text = bodyText(request).trim();
  if (text === '') return [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new PluginError(`Invalid body: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PluginError(`Invalid body: ${hostMessage('jsCallBody')}`);
  }
  const args = (body as { args?: unknown }).args;
  if (args === undefined || args === null) return [];
  if (!Array.isArray(args)) throw new PluginError(`Invalid body: ${hostMessage('jsCallBody')}`);
  return args as unknown[];
}
