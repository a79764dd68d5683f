import type { FastifyInstance, FastifyReply } from 'fastify';
import { generateRequest, jsonObject, packageRequest, tryRequest } from '../ai/ai-requests.js';
import { validateAiSettingsInput, type AiSettingsStore } from '../ai/ai-settings.js';
import { AiEndpointError } from '../ai/chat-client.js';
import { checkAiEndpoint } from '../ai/endpoint-check.js';
import { generateFunction } from '../ai/function-generator.js';
import { tryJavascript } from '../ai/javascript-trial.js';
import { pythonFunctionPluginFiles } from '../ai/python-plugin.js';
import { scaffoldZip } from '../authoring/scaffold/scaffold-zip.js';
import { aiPluginName } from '../../shared/ai-dto.js';
import type { PythonTrial } from '../ai/python-trial.js';
import type { JsFunctionManager } from '../javascript/js-function-manager.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendStatusError } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface AiRouteOptions {
  settings: AiSettingsStore;
  /** JavaScript functions are tried in the host's sandbox, as installed ones are called. */
  functions: JsFunctionManager;
  python: PythonTrial;
  /** How long a chat may take; the client's default when absent. */
  chatTimeoutMs?: number;
}

/** The endpoint is the upstream of these calls: its failures answer 502, its silence 504. */
function sendEndpointError(reply: FastifyReply, error: AiEndpointError): FastifyReply {
  return sendStatusError(reply, error.problem === 'timeout' ? 504 : 502, error.message);
}

/** Runs a handler, answering the endpoint's failures as the upstream's; everything else goes to `sendError`. */
async function upstream(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AiEndpointError) return sendEndpointError(reply, error);
    throw error;
  }
}

/**
 * The AI function generator under `/manager/ai`: the endpoint's settings (the key write-only) and their check,
 * generating one function, running the user's examples against code (Python as a trial plugin on this host,
 * JavaScript in the sandbox) and the Python plugin's zip for the install the user asks for. Nothing here
 * installs anything for good: that is the existing create routes' job, on the user's click.
 */
export function registerAiRoutes(app: FastifyInstance, options: AiRouteOptions): void {
  const { settings } = options;

  route(app, '/manager/ai/settings', {
    GET: async (_request, reply) => sendJson(reply, await settings.publicSettings()),
    PUT: async (request, reply) => {
      const input = validateAiSettingsInput(jsonObject(bodyText(request), 'AI settings'));
      return sendJson(reply, await settings.update(input));
    },
  });
  methodNotAllowed(app, '/manager/ai/settings', ['GET', 'PUT']);

  route(app, '/manager/ai/settings/check', {
    POST: async (request, reply) => {
      const text = bodyText(request).trim();
      const input = text === '' ? {} : validateAiSettingsInput(jsonObject(text, 'AI settings'));
      return sendJson(reply, await checkAiEndpoint(() => settings.endpoint(input)));
    },
  });
  methodNotAllowed(app, '/manager/ai/settings/check', ['POST']);

  route(app, '/manager/ai/functions/generate', {
    POST: async (request, reply) => {
      const body = generateRequest(jsonObject(bodyText(request), 'generate'));
      const endpoint = await settings.endpoint();
      return upstream(reply, async () =>
        sendJson(reply, await generateFunction(endpoint, body, options.chatTimeoutMs)),
      );
    },
  });
  methodNotAllowed(app, '/manager/ai/functions/generate', ['POST']);

  route(app, '/manager/ai/functions/try', {
    POST: async (request, reply) => {
      const body = tryRequest(jsonObject(bodyText(request), 'try'));
      const answer =
        body.form === 'javascript'
          ? await tryJavascript(options.functions, body.name, body.code, body.examples)
          : await options.python.run(body.name, body.code, body.examples);
      return sendJson(reply, answer);
    },
  });
  methodNotAllowed(app, '/manager/ai/functions/try', ['POST']);

  route(app, '/manager/ai/functions/package', {
    POST: (request, reply) => {
      const body = packageRequest(jsonObject(bodyText(request), 'package'));
      const plugin = aiPluginName(body.name);
      const zip = scaffoldZip(
        pythonFunctionPluginFiles({
          plugin,
          symbol: body.name,
          code: body.code,
          installScript: body.installScript === true,
        }),
      );
      return reply
        .code(200)
        .header('Content-Type', 'application/zip')
        .header('Content-Disposition', `attachment; filename="${plugin}.zip"`)
        .send(Buffer.from(zip));
    },
  });
  methodNotAllowed(app, '/manager/ai/functions/package', ['POST']);
}
