import { hostMessage } from '../../shared/host-messages.js';
import type { AiGenerateAnswer, AiGenerateRequest } from '../../shared/ai-dto.js';
import type { AiEndpoint } from './ai-settings.js';
import { AiEndpointError, chatCompletion } from './chat-client.js';
import { extractCode } from './code-extract.js';
import { functionPrompt } from './function-prompts.js';

/**
 * Asks the model for one function in the chosen form (or a corrected one, with `previous`) and takes the code out
 * of its answer. An answer without code is the endpoint's failure, said so, never an empty editor.
 */
export async function generateFunction(
  endpoint: AiEndpoint,
  request: AiGenerateRequest,
  timeoutMs?: number,
): Promise<AiGenerateAnswer> {
  const answer = await chatCompletion(endpoint, functionPrompt(request), timeoutMs);
  const extracted = extractCode(answer.content, request.form);
  if (extracted === undefined) {
    throw new AiEndpointError(
      'bad-answer',
      hostMessage('aiEmptyAnswer', { reason: answer.finishReason === '' ? 'none' : answer.finishReason }),
    );
  }
  return { ...extracted, model: endpoint.model };
}
