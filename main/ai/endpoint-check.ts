import { hostMessage } from '../../shared/host-messages.js';
import type { AiCheck } from '../../shared/ai-dto.js';
import { PluginError } from '../plugins/plugin-error.js';
import type { AiEndpoint } from './ai-settings.js';
import { AiEndpointError, listModels } from './chat-client.js';

/** How many of the offered models an "unknown model" message names. */
const MODELS_NAMED = 12;

/**
 * Reaches the endpoint the way the generator will (`GET {base}/models` with the key) and says what is wrong in
 * plain words: nothing listening, a refused key, a model the server does not have. Never throws for the
 * endpoint's failures: they are the answer.
 */
export async function checkAiEndpoint(endpoint: () => Promise<AiEndpoint>): Promise<AiCheck> {
  let target: AiEndpoint;
  try {
    target = await endpoint();
  } catch (error) {
    if (error instanceof PluginError)
      return { ok: false, models: [], problem: 'not-configured', message: error.message };
    throw error;
  }
  let models: string[];
  try {
    models = await listModels(target);
  } catch (error) {
    if (error instanceof AiEndpointError)
      return { ok: false, models: [], problem: error.problem, message: error.message };
    throw error;
  }
  if (models.length === 0)
    return { ok: false, models, problem: 'unknown-model', message: hostMessage('aiNoModels') };
  // Ollama lists `llama3.2:latest` for a model asked for as `llama3.2`.
  const found = models.some((id) => id === target.model || id === `${target.model}:latest`);
  if (!found) {
    const named = models.slice(0, MODELS_NAMED).join(', ') + (models.length > MODELS_NAMED ? ', …' : '');
    return {
      ok: false,
      models,
      problem: 'unknown-model',
      message: hostMessage('aiUnknownModel', { model: target.model, models: named }),
    };
  }
  return { ok: true, models };
}
