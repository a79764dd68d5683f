import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '../../shared/error-codes.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import type { PluginManager } from '../plugins/plugin-manager.js';
import { PluginTimeoutError } from '../runtime/command-loop.js';
import { PluginCommandError } from '../runtime/control-channel.js';
import { FunctionCallError } from '../runtime/function-channel.js';
import { PluginStartError, type PortableInstance } from '../runtime/plugin-instance.js';
import type { LogLine } from '../runtime/plugin-log.js';
import { readSourceConfig } from '../runtime/source-config.js';
import { tryFunction } from '../runtime/try-function.js';
import { feedSink } from '../runtime/try-sink.js';
import { SourceSample, type SourceEvent } from '../runtime/try-source.js';
import { DEFAULT_SINK_DRAIN_MS, TRY_LIMITS } from '../../shared/try-it-dto.js';

export { TRY_LIMITS };
import type { SettingsSource } from '../settings/host-settings.js';
import { SpError } from '../sp/index.js';
import { abortWhenClientLeaves } from './client-gone.js';
import { endStreamsOnClose, openEventStream } from './event-stream.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendStatusError } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface RuntimeRouteOptions {
  manager: PluginManager;
  settings: SettingsSource;
}

/** Caps that keep one request from tying the plugin up for long. */
/** The status a runtime failure answers with: the plugin is the upstream server of these calls. */
function statusOf(error: unknown): number {
  if (error instanceof PluginError) return error.code === ErrorCode.NotFound ? 404 : 400;
  if (error instanceof PluginTimeoutError) return 504;
  if (error instanceof PluginCommandError) return 422;
  if (error instanceof PluginStartError || error instanceof FunctionCallError) return 502;
  if (error instanceof SpError)
    return error.code === 'EADDRINUSE' ? 409 : error.code === 'ETIMEDOUT' ? 504 : 502;
  return 500;
}

function sendRuntimeError(reply: FastifyReply, error: unknown, prefix: string): FastifyReply {
  if (error instanceof PluginError && error.code === ErrorCode.NotFound) {
    return sendStatusError(reply, 404, error.message);
  }
  return sendStatusError(reply, statusOf(error), `${prefix}: ${errorText(error)}`);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON body as an object; an empty body is `{}`. */
function jsonBody(request: FastifyRequest, what: string): Record<string, unknown> {
  const text = bodyText(request).trim();
  if (text === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new PluginError(`invalid ${what} body: not JSON: ${errorText(error)}`);
  }
  if (!isRecord(body)) throw new PluginError(`invalid ${what} body: must be a JSON object`);
  return body;
}

function wholeNumber(
  body: Record<string, unknown>,
  key: string,
  fallback: number,
  max: number,
  what: string,
  min = 1,
): number {
  const value = body[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new PluginError(`invalid ${what} body: "${key}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function objectField(
  body: Record<string, unknown>,
  key: string,
  what: string,
): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new PluginError(`invalid ${what} body: "${key}" must be a JSON object`);
  return value;
}

function wantsEventStream(request: FastifyRequest): boolean {
  const query = request.query as Record<string, string | undefined>;
  return (
    (request.headers.accept ?? '').includes('text/event-stream') ||
    query.follow === '1' ||
    query.follow === 'true'
  );
}

/**
 * The host's try-it and log API for portable plugins, under `/manager/portables/{name}/…`: status with the
 * process id, restart, log tail and follow, function calls, source samples and sink feeds. These are not
 * eKuiper routes; errors answer in eKuiper's `{error, message}` shape with HTTP statuses that say whose fault
 * it was (400 the request, 404 unknown, 422 the plugin refused, 502 the plugin failed, 504 it timed out).
 */
export function registerRuntimeRoutes(app: FastifyInstance, options: RuntimeRouteOptions): void {
  const { manager, settings } = options;
  const streams = endStreamsOnClose(app);

  const params = (request: FastifyRequest) => request.params as { name: string; symbol?: string };
  const instanceOf = (name: string): PortableInstance => {
    manager.portableManifest(name);
    const instance = manager.runtime.get(name);
    if (instance === undefined) throw PluginError.notFound(`portable plugin ${name} is not running`);
    return instance;
  };
  const symbolOf = (
    instance: PortableInstance,
    folder: 'sources' | 'sinks' | 'functions',
    symbol: string,
  ) => {
    if (!instance.symbols[folder].includes(symbol)) {
      const what = folder.slice(0, -1);
      const known = instance.symbols[folder];
      throw PluginError.notFound(
        `portable plugin ${instance.name} has no ${what} ${symbol}` +
          (known.length === 0 ? '' : ` (its ${folder}: ${known.join(', ')})`),
      );
    }
    return symbol;
  };

  const base = '/manager/portables/:name';

  route(app, `${base}/status`, {
    GET: (request, reply) => sendJson(reply, manager.portableStatus(params(request).name)),
  });
  methodNotAllowed(app, `${base}/status`, ['GET']);

  route(app, `${base}/restart`, {
    POST: async (request, reply) => {
      const { name } = params(request);
      const instance = instanceOf(name);
      try {
        await instance.stop();
        await instance.start();
      } catch (error) {
        return sendRuntimeError(reply, error, `restart portable plugin ${name} error`);
      }
      return sendJson(reply, manager.portableStatus(name));
    },
  });
  methodNotAllowed(app, `${base}/restart`, ['POST']);

  route(app, `${base}/log`, {
    GET: (request, reply) => {
      const { name } = params(request);
      manager.portableManifest(name);
      const log = manager.runtime.log(name);
      const query = request.query as Record<string, string | undefined>;
      const lines = Math.min(Math.max(Number.parseInt(query.lines ?? '200', 10) || 200, 0), 2000);
      if (!wantsEventStream(request)) return sendJson(reply, { lines: log.tail(lines) });
      let unsubscribe = (): void => {};
      const stream = openEventStream(request, reply, streams, () => unsubscribe());
      for (const line of log.tail(lines)) stream.send(line);
      unsubscribe = log.subscribe((line: LogLine) => stream.send(line));
      return reply;
    },
  });
  methodNotAllowed(app, `${base}/log`, ['GET']);

  route(app, `${base}/sources/:symbol/config`, {
    GET: async (request, reply) => {
      const { name, symbol = '' } = params(request);
      symbolOf(instanceOf(name), 'sources', symbol);
      try {
        return sendJson(reply, await readSourceConfig(manager.layout, symbol));
      } catch (error) {
        throw new PluginError(errorText(error));
      }
    },
  });
  methodNotAllowed(app, `${base}/sources/:symbol/config`, ['GET']);

  route(app, `${base}/functions/:symbol/call`, {
    POST: async (request, reply) => {
      const { name, symbol = '' } = params(request);
      const instance = instanceOf(name);
      symbolOf(instance, 'functions', symbol);
      const body = jsonBody(request, 'function call');
      const args = body.args ?? [];
      if (!Array.isArray(args))
        throw new PluginError('invalid function call body: "args" must be a JSON array');
      const timeoutMs = wholeNumber(
        body,
        'timeoutMs',
        settings.read().portableCallTimeoutMs,
        600_000,
        'function call',
      );
      try {
        return sendJson(reply, await tryFunction(instance, symbol, args, timeoutMs));
      } catch (error) {
        return sendRuntimeError(reply, error, `call function ${symbol} error`);
      }
    },
  });
  methodNotAllowed(app, `${base}/functions/:symbol/call`, ['POST']);

  route(app, `${base}/sources/:symbol/sample`, {
    POST: async (request, reply) => {
      const { name, symbol = '' } = params(request);
      const instance = instanceOf(name);
      symbolOf(instance, 'sources', symbol);
      const body = jsonBody(request, 'source sample');
      const dataSource = body.dataSource ?? '';
      if (typeof dataSource !== 'string')
        throw new PluginError('invalid source sample body: "dataSource" must be a string');
      let config = objectField(body, 'config', 'source sample');
      if (config === undefined) {
        try {
          config = (await readSourceConfig(manager.layout, symbol)).config;
        } catch (error) {
          throw new PluginError(errorText(error));
        }
      }
      const maxMessages = wholeNumber(body, 'maxMessages', 10, TRY_LIMITS.maxMessages, 'source sample');
      const durationMs = wholeNumber(body, 'durationMs', 10_000, TRY_LIMITS.maxDurationMs, 'source sample');
      let sample: SourceSample;
      try {
        sample = await SourceSample.open(instance, symbol, { dataSource, config, maxMessages, durationMs });
      } catch (error) {
        return sendRuntimeError(reply, error, `sample source ${symbol} error`);
      }
      if (wantsEventStream(request)) {
        const stopper = new AbortController();
        const stream = openEventStream(request, reply, streams, () => stopper.abort());
        void sample
          .run((event) => stream.send(event, event.type), stopper.signal)
          .catch((error: unknown) => stream.send({ type: 'error', error: errorText(error) }, 'error'))
          .finally(() => stream.end());
        return reply;
      }
      // The client hung up before the answer: stop sampling.
      const clientGone = abortWhenClientLeaves(reply);
      const events: SourceEvent[] = [];
      try {
        await sample.run((event) => events.push(event), clientGone);
      } catch (error) {
        return sendRuntimeError(reply, error, `sample source ${symbol} error`);
      }
      const end = events.at(-1);
      return sendJson(reply, {
        messages: events.filter((event) => event.type === 'message'),
        errors: events.filter((event) => event.type === 'error'),
        end,
      });
    },
  });
  methodNotAllowed(app, `${base}/sources/:symbol/sample`, ['POST']);

  route(app, `${base}/sinks/:symbol/feed`, {
    POST: async (request, reply) => {
      const { name, symbol = '' } = params(request);
      const instance = instanceOf(name);
      symbolOf(instance, 'sinks', symbol);
      const body = jsonBody(request, 'sink feed');
      const rows = body.rows;
      if (!Array.isArray(rows) || rows.length === 0 || rows.length > TRY_LIMITS.maxRows) {
        throw new PluginError(
          `invalid sink feed body: "rows" must be a JSON array of 1 to ${TRY_LIMITS.maxRows} rows`,
        );
      }
      const requireAck = body.requireAck ?? true;
      if (typeof requireAck !== 'boolean')
        throw new PluginError('invalid sink feed body: "requireAck" must be true or false');
      const config = objectField(body, 'config', 'sink feed') ?? {};
      const ackTimeoutMs = wholeNumber(body, 'ackTimeoutMs', 3000, TRY_LIMITS.maxAckTimeoutMs, 'sink feed');
      const drainMs = wholeNumber(
        body,
        'drainMs',
        DEFAULT_SINK_DRAIN_MS,
        TRY_LIMITS.maxDrainMs,
        'sink feed',
        0,
      );
      try {
        const result = await feedSink(instance, symbol, {
          config,
          rows,
          requireAck,
          ackTimeoutMs,
          drainMs,
          sendTimeoutMs: settings.read().portableCallTimeoutMs,
        });
        return sendJson(reply, result);
      } catch (error) {
        return sendRuntimeError(reply, error, `feed sink ${symbol} error`);
      }
    },
  });
  methodNotAllowed(app, `${base}/sinks/:symbol/feed`, ['POST']);
}
