import type { FunctionTrial } from '../../shared/try-it-dto.js';

export type { FunctionTrial };
import type { PortableInstance } from './plugin-instance.js';

/** The FuncMeta eKuiper appends to every Exec (both SDKs insist on non-empty rule and operator ids). */
const TRY_FUNC_META = JSON.stringify({ ruleId: 'try', opId: 'call', instanceId: 0, funcId: 0 });

function message(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result);
}

/**
 * Calls a function the way a rule would: Validate with the arguments (the SDKs only look at their count),
 * then Exec with the arguments and the FuncMeta. Errors of the plugin itself (not running, timeout) throw.
 */
export async function tryFunction(
  instance: PortableInstance,
  symbol: string,
  args: unknown[],
  timeoutMs: number,
): Promise<FunctionTrial> {
  let started = performance.now();
  const validation = await instance.callFunction(symbol, 'Validate', args, timeoutMs);
  const validateMs = performance.now() - started;
  if (!validation.state) {
    return { ok: false, stage: 'validate', error: message(validation.result), validateMs, execMs: 0 };
  }
  started = performance.now();
  const execution = await instance.callFunction(symbol, 'Exec', [...args, TRY_FUNC_META], timeoutMs);
  const execMs = performance.now() - started;
  return execution.state
    ? { ok: true, stage: 'exec', result: execution.result, validateMs, execMs }
    : { ok: false, stage: 'exec', error: message(execution.result), validateMs, execMs };
}
